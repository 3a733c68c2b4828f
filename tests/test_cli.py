"""The command as a user meets it: what each command prints, writes and exits with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import jsonschema
import pytest
import typer.main
import typer.testing
import yaml

from freemium_advisor.cli import app
from freemium_advisor.reading.inventory_reader import load_inventory
from freemium_advisor.reading.importers.pricing2yaml import COLLABORATIVE_NOTE
from freemium_advisor.engine.examples import ruleset_examples
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.model.signals import CRITERION_IDS
from tests.conftest import EXAMPLES, ROOT

WHITEBOARD = str(EXAMPLES / "whiteboard.yaml")
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
SCHEMA_FILE = ROOT / "schema" / "inventory.schema.json"
SLACK_PRICING = str(ROOT / "tests" / "data" / "pricing2yaml" / "slack" / "2024.yml")
TEAM_CSV = str(ROOT / "tests" / "fixtures" / "import" / "team.csv")
ANSI = "\x1b["


def words(text: str) -> str:
    """Text with every run of whitespace as one space (help screens wrap at any width)."""
    return " ".join(text.split())


def command_tree(command, path=()):
    """Every command and group under ``command``, as (path, command) pairs."""
    yield path, command
    for name, child in getattr(command, "commands", {}).items():
        yield from command_tree(child, (*path, name))


def label(path: tuple[str, ...]) -> str:
    return " ".join(path) or "(top)"


COMMANDS = list(command_tree(typer.main.get_command(app)))
GROUPS = [path for path, command in COMMANDS if getattr(command, "commands", None)]
LEAVES = {path: command for path, command in COMMANDS if path not in GROUPS}


def feature(document: dict, feature_id: str) -> dict:
    return next(f for f in document["features"] if f["id"] == feature_id)


# --- version and help ----------------------------------------------------------------------

@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(run, flag):
    result = run(flag)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "freemium-advisor 0.1.0\n", "")


def test_the_command_tree_is_the_documented_one():
    assert [label(path) for path in LEAVES] == [
        "analyze", "explain", "validate", "ask", "init", "schema", "check", "diff", "report",
        "rules list", "rules show", "rules test", "rules docs",
        "import pricing2yaml", "import csv", "checks list", "checks test", "checks docs",
    ]


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=label)
def test_every_command_has_help(run, path, flag):
    result = run(*path, flag)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert words(f"Usage: freemium-advisor {' '.join(path)}") in words(result.stdout)


DONE_OR_BAD = "Exit codes: 0 done; 2 bad input or usage."
EXAMPLE_FAILS = "Exit codes: 0 done; 1 an example fails; 2 bad input or usage."
# Each command's help ends with the codes it can return, and no other.
EXIT_FOOTERS = {
    "(top)": "Exit codes: 0 done; 1 findings at or above the threshold ('check'), or failing "
             "rule or check examples ('rules test', 'checks test'); 2 bad input or usage; 130 "
             "'ask' stopped by Ctrl-C. Each command's help lists its own.",
    "check": "Exit codes: 0 done; 1 findings at or above --fail-on; 2 bad input or usage.",
    "ask": "Exit codes: 0 done; 2 bad input or usage; 130 stopped by Ctrl-C, the answers given "
           "so far written.",
    "rules": "Exit codes: 0 done; 1 an example fails ('rules test'); 2 bad input or usage.",
    "checks": "Exit codes: 0 done; 1 an example fails ('checks test'); 2 bad input or usage.",
    "rules test": EXAMPLE_FAILS,
    "checks test": EXAMPLE_FAILS,
}


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=label)
def test_every_help_ends_with_the_exit_codes_its_command_can_return(run, path):
    help_text = words(run(*path, "--help").stdout)
    assert help_text.endswith(EXIT_FOOTERS.get(label(path), DONE_OR_BAD))


@pytest.mark.parametrize("path", GROUPS, ids=label)
def test_every_group_shows_an_example(run, path):
    assert "Example: freemium-advisor " in words(run(*path, "--help").stdout)


@pytest.mark.parametrize("path", LEAVES, ids=label)
def test_every_command_shows_an_example_of_itself(run, path):
    example = f"Example: freemium-advisor {label(path)} "
    assert example in words(LEAVES[path].help)
    assert example in words(run(*path, "--help").stdout)


def test_no_arguments_prints_the_help(run):
    result = run()
    assert result.exit_code == 2
    assert "Usage: freemium-advisor [OPTIONS] COMMAND [ARGS]..." in words(result.stdout)


def test_an_unknown_command_suggests_the_closest(run):
    result = run("analyse", WHITEBOARD)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "No such command 'analyse'. Did you mean 'analyze'?" in result.stderr


# --- analyze -------------------------------------------------------------------------------

def test_analyze_json_follows_the_contract(run):
    result = run("analyze", WHITEBOARD, "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    document = json.loads(result.stdout)

    assert list(document) == [
        "format_version", "tool", "rules", "file", "product", "summary", "features", "findings",
        "suppressed",
    ]
    assert document["format_version"] == 1
    assert document["product"]["name"] == "Boardly"
    inventory = yaml.safe_load((EXAMPLES / "whiteboard.yaml").read_text(encoding="utf-8"))
    assert [f["id"] for f in document["features"]] == [f["id"] for f in inventory["features"]]

    feature_keys = {
        "id", "name", "recommendation", "tier", "current", "score", "criteria", "reasons",
    }
    reason_keys = {"rule", "criterion", "direction", "weight", "message", "inferred"}
    for f in document["features"]:
        assert feature_keys <= set(f)
        assert f["recommendation"] in ("free", "free-limited", "gated")
        assert list(f["criteria"]) == list(CRITERION_IDS) and len(f["criteria"]) == 10
        # The default tie-breaker is no criterion: it is listed apart.
        assert f["score"] == pytest.approx(sum(f["criteria"].values()) + f["default"])
        assert f["reasons"]
        for reason in f["reasons"]:
            assert reason_keys <= set(reason)
            assert isinstance(reason["inferred"], bool)

    summary = document["summary"]
    assert list(summary) == ["free", "free-limited", "gated"]
    assert summary == {**dict.fromkeys(summary, 0),
                       **Counter(f["recommendation"] for f in document["features"])}
    assert sum(summary.values()) == len(document["features"]) == 11


def test_analyze_json_exact_values(run):
    document = json.loads(run("analyze", WHITEBOARD, "-f", "json").stdout)

    share = feature(document, "share-board")
    assert (share["recommendation"], share["tier"], share["current"]) == ("free", "free", "free")
    assert share["signals"]["virality"] == {"value": "high", "source": "explicit", "evidence": []}

    sso = feature(document, "sso")
    assert (sso["recommendation"], sso["tier"]) == ("gated", "enterprise")
    assert sso["signals"]["audience"]["value"] == "enterprise"
    assert sso["signals"]["audience"]["source"] == "inferred"
    inferred = [r for r in sso["reasons"] if r["inferred"]]
    assert [(r["rule"], r["direction"]) for r in inferred] == [("audience-enterprise", "gated")]
    evidence_words = {w for e in inferred[0]["evidence"] for w in e["words"]}
    assert evidence_words & {"saml", "sso"}
    assert inferred[0]["evidence"][0]["rule"] == "infer-enterprise-identity"

    findings = [(f["check"], f["feature"], f["position"]) for f in document["findings"]]
    assert findings == [("gated-growth-feature", "voting-timer", {"line": 79, "column": 5})]


def test_analyze_table(run, monkeypatch):
    monkeypatch.chdir(ROOT)  # a short path, so that the finding's location is not wrapped
    result = run("analyze", "examples/whiteboard.yaml")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Boardly: freemium advice"
    assert "11 features: 5 free, 1 free-limited, 5 gated." in lines
    assert "1 finding:" in lines
    location = "examples/whiteboard.yaml:79:5: error [gated-growth-feature] 'Voting and timer'"
    assert words(result.stdout).count(location) == 1
    assert ANSI not in result.stdout


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_output_is_byte_identical_across_runs(fmt):
    """Separate processes with different hash seeds: no set or dict order leaks into output."""
    outputs = set()
    for seed in ("1", "2"):
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        env.update(PYTHONHASHSEED=seed, COLUMNS="100")
        done = subprocess.run(
            [sys.executable, "-m", "freemium_advisor", "analyze", WHITEBOARD, "-f", fmt],
            cwd=ROOT, env=env, capture_output=True, check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert outputs.pop().strip()


def test_stdin_gives_the_same_advice_as_the_file(run):
    text = (EXAMPLES / "whiteboard.yaml").read_text(encoding="utf-8")
    from_file = json.loads(run("analyze", WHITEBOARD, "-f", "json").stdout)
    from_stdin = run("analyze", "-", "-f", "json", input=text)
    assert from_stdin.exit_code == 0
    piped = json.loads(from_stdin.stdout)
    assert piped["features"] == from_file["features"]
    assert piped["summary"] == from_file["summary"]
    table = run("analyze", "-", input=text)
    assert "<stdin>:79:5: error [gated-growth-feature]" in words(table.stdout)


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_output_file_holds_what_stdout_would(run, tmp_path, fmt):
    out = tmp_path / "advice.out"
    written = run("analyze", WHITEBOARD, "-f", fmt, "-o", str(out))
    assert (written.exit_code, written.stdout, written.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == run("analyze", WHITEBOARD, "-f", fmt).stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["advice.out"]


def test_output_over_the_input_is_refused(run, tmp_path):
    source = tmp_path / "features.yaml"
    text = (EXAMPLES / "whiteboard.yaml").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    result = run("analyze", str(source), "-o", str(source))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{source}: error: refusing to overwrite an input file; choose another output\n"
    )
    assert source.read_text(encoding="utf-8") == text


def test_bad_input_leaves_no_output_file(run, write, tmp_path):
    bad = write("bad.yaml", """
        product: {name: Acme}
        features:
          - id: a
            name: A
            signals: {viraltiy: high}
    """)
    result = run("analyze", bad, "-f", "json", "-o", str(tmp_path / "out.json"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{bad}:5:15: error: unknown signal 'viraltiy' (did you mean 'virality'?)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_output_into_a_missing_folder_is_bad_input(run, tmp_path):
    target = tmp_path / "nowhere" / "out.json"
    result = run("analyze", WHITEBOARD, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == f"{target}: error: no such folder '{target.parent}'\n"


@pytest.mark.parametrize("command", [
    ["init"], ["schema", "-o"], ["import", "csv", "SHEET", "-o"], ["analyze", WHITEBOARD, "-o"],
    ["report", WHITEBOARD, "-o"], ["check", WHITEBOARD, "--write"], ["rules", "docs", "-o"],
])
@pytest.mark.parametrize("name,message", [
    ("new/", "names a folder, not a file; name a file to write"),
    ("new/.", "names a folder, not a file; name a file to write"),
    ("old", "is a directory; name a file to write"),
    ("old/", "is a directory; name a file to write"),
])
def test_an_output_that_names_a_folder_is_refused_by_every_command(run, tmp_path, monkeypatch, command, name, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old").mkdir()
    (tmp_path / "sheet.csv").write_text("id,name\na,Alpha\n", encoding="utf-8")
    args = [("sheet.csv" if arg == "SHEET" else arg) for arg in command]
    target = f"sarif={name}" if command[-1] == "--write" else name
    result = run(*args, target)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"{name}: error: {message}\n")
    # Nothing written: no file named after the folder, nothing inside the folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old", "sheet.csv"]
    assert list((tmp_path / "old").iterdir()) == []


def test_init_over_a_folder_is_refused_with_force_too(run, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    for args in ([], ["--force"]):
        result = run("init", str(folder), *args)
        assert (result.exit_code, result.stderr) == (2, f"{folder}: error: is a directory; name a file to write\n")
    assert list(folder.iterdir()) == []


# --- colors --------------------------------------------------------------------------------

@pytest.fixture
def terminal(monkeypatch):
    """Make the runner's stdout claim to be a terminal, as a shell's would."""
    monkeypatch.setattr(typer.testing._NamedTextIOWrapper, "isatty", lambda self: True)


def test_color_can_be_forced(run):
    assert ANSI in run("analyze", WHITEBOARD, "--color").stdout


def test_no_color_when_not_a_terminal(run):
    assert ANSI not in run("analyze", WHITEBOARD).stdout


def test_color_on_a_terminal(run, terminal):
    assert ANSI in run("analyze", WHITEBOARD).stdout
    assert ANSI not in run("analyze", WHITEBOARD, "--no-color").stdout


@pytest.mark.parametrize("variable,value", [("NO_COLOR", "1"), ("TERM", "dumb")])
def test_no_color_on_a_terminal_that_asks_for_none(run, terminal, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    assert ANSI not in run("analyze", WHITEBOARD).stdout
    assert ANSI in run("analyze", WHITEBOARD, "--color").stdout


# --- explain -------------------------------------------------------------------------------

def test_explain_shows_every_section_in_order(run):
    result = run("explain", WHITEBOARD, "share-board")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0] == "share-board: Share boards with guests"
    assert lines[1] == "Recommendation: free in 'free'"
    sections = ["Rules that fired", "Criteria", "Signals", "What would flip it"]
    assert [line for line in lines if line in sections] == sections
    assert "virality-high" in result.stdout


def test_explain_an_unknown_feature_suggests_the_closest(run):
    result = run("explain", WHITEBOARD, "shre-board")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{WHITEBOARD}: error: no feature 'shre-board' (did you mean 'share-board'?)\n"
    )


def test_explain_json_has_the_flips(run):
    result = run("explain", WHITEBOARD, "share-board", "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["format_version"], document["id"], document["recommendation"]) == (
        1, "share-board", "free",
    )
    assert document["flips"]
    for flip in document["flips"]:
        assert list(flip) == ["signal", "value", "recommendation", "tier", "score"]
        assert flip["recommendation"] != "free"


# --- init ----------------------------------------------------------------------------------

def test_init_writes_a_starter_that_validates(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "Wrote features.yaml and inventory.schema.json. Next: freemium-advisor analyze features.yaml\n"
    checked = run("validate", "features.yaml")
    assert checked.exit_code == 0
    assert checked.stdout.startswith("features.yaml: ok (")
    assert run("analyze", "features.yaml").exit_code == 0


def test_init_names_the_product(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "--name", "Acme").exit_code == 0
    assert "Acme" in (tmp_path / "features.yaml").read_text(encoding="utf-8")
    assert load_inventory("features.yaml").product.name == "Acme"


def test_init_to_stdout(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "-")
    assert (result.exit_code, result.stderr) == (0, "")
    assert list(tmp_path.iterdir()) == []
    assert run("validate", "-", input=result.stdout).stdout.startswith("<stdin>: ok (")


def test_init_does_not_overwrite(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "features.yaml").write_text("mine\n", encoding="utf-8")
    result = run("init")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "features.yaml: error: already exists (use --force to overwrite it)\n"
    assert (tmp_path / "features.yaml").read_text(encoding="utf-8") == "mine\n"


def test_init_force_overwrites(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "features.yaml").write_text("mine\n", encoding="utf-8")
    assert run("init", "--force").exit_code == 0
    assert run("validate", "features.yaml").exit_code == 0


# --- schema --------------------------------------------------------------------------------

@pytest.fixture
def schema(run) -> dict:
    result = run("schema")
    assert (result.exit_code, result.stderr) == (0, "")
    return json.loads(result.stdout)


def test_schema_is_the_committed_file(run):
    if not SCHEMA_FILE.exists():
        pytest.skip("schema/inventory.schema.json is not committed yet")
    assert run("schema").stdout == SCHEMA_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_schema_accepts_every_example(schema, path):
    jsonschema.Draft202012Validator.check_schema(schema)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)


def test_schema_rejects_a_misspelled_signal(schema):
    document = yaml.safe_load((EXAMPLES / "whiteboard.yaml").read_text(encoding="utf-8"))
    document["features"][0]["signals"]["viraltiy"] = "high"
    with pytest.raises(jsonschema.ValidationError) as error:
        jsonschema.Draft202012Validator(schema).validate(document)
    assert "viraltiy" in error.value.message


def test_schema_to_a_file(run, tmp_path):
    out = tmp_path / "inventory.schema.json"
    result = run("schema", "-o", str(out))
    assert (result.exit_code, result.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == run("schema").stdout


# --- rules ---------------------------------------------------------------------------------

RULESET = load_ruleset()
BUILTIN_EXAMPLES = len(ruleset_examples(RULESET))
FAILING_PACK = """
    rules:
      - id: webhooks-gated
        criterion: production
        title: Webhooks are for production
        when: "'webhook' in feature.text | lower"
        direction: gated
        weight: 2
        message: "{{ feature.name }} is wired into production systems."
        source: {principle: Our own pricing principle}
        examples:
          fires:
            - name: Webhooks
            - name: Outgoing hooks
          silent:
            - name: Boards
"""


def test_rules_list_json(run):
    result = run("rules", "list", "-f", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    rules = {rule["id"]: rule for rule in json.loads(result.stdout)}
    assert rules["virality-high"]["weight"] == 3
    assert rules["virality-high"]["kind"] == "score"
    assert rules["virality-high"]["source"]["timestamp"] == "00:47:45"
    assert all(isinstance(r["metric"], str) for r in rules.values() if r["kind"] == "metric")


def test_rules_list_table(run):
    result = run("rules", "list")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[0].split() == [str(len(RULESET.rules)), "rules"]
    assert "virality-high" in result.stdout


def test_rules_show(run):
    result = run("rules", "show", "virality-high")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("virality-high: Strong virality goes free\n")
    assert "(00:47:45)" in result.stdout


def test_rules_show_an_unknown_rule_suggests_the_closest(run):
    result = run("rules", "show", "virality-hihg")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "no rule 'virality-hihg' (did you mean 'virality-high'?)" in result.stderr


def test_rules_test_passes_for_the_builtin_rules(run):
    result = run("rules", "test")
    assert result.exit_code == 0
    assert result.stdout == f"{BUILTIN_EXAMPLES} of {BUILTIN_EXAMPLES} rule examples pass.\n"


def test_rules_test_fails_a_pack_with_a_failing_example(run, write):
    pack = write("pack.yaml", FAILING_PACK)
    result = run("rules", "test", "--rules", pack)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        'FAIL webhooks-gated: example fires[1] should fire but does not: '
        '{"name": "Outgoing hooks"}'
    )
    total = BUILTIN_EXAMPLES + 3
    assert lines[1:] == [f"{total - 1} of {total} rule examples pass."]


def test_rules_docs(run):
    result = run("rules", "docs")
    assert result.exit_code == 0
    assert "virality-high" in result.stdout


# --- import --------------------------------------------------------------------------------

def test_import_pricing2yaml_makes_a_valid_inventory(run):
    result = run("import", "pricing2yaml", SLACK_PRICING)
    assert result.exit_code == 0
    assert result.stderr == f"{SLACK_PRICING}: note: {COLLABORATIVE_NOTE}\n"
    checked = run("validate", "-", input=result.stdout)
    assert (checked.exit_code, checked.stdout) == (0, "<stdin>: ok (44 features)\n")
    assert run("analyze", "-", "-f", "json", input=result.stdout).exit_code == 0


def test_import_csv_makes_a_valid_inventory(run):
    result = run("import", "csv", TEAM_CSV)
    assert result.exit_code == 0
    assert result.stderr.endswith("is a guess from the plan names; pass --tiers to set it\n")
    checked = run("validate", "-", input=result.stdout)
    assert (checked.exit_code, checked.stdout) == (0, "<stdin>: ok (4 features)\n")
    imported = yaml.safe_load(result.stdout)
    ids = [f["id"] for f in imported["features"]]
    assert ids == ["share-board", "sso", "ai-summaries", "exports"]


def test_import_refuses_to_overwrite_its_source(run, tmp_path):
    source = tmp_path / "team.csv"
    text = open(TEAM_CSV, encoding="utf-8").read()
    source.write_text(text, encoding="utf-8")
    result = run("import", "csv", str(source), "-o", str(source))
    assert result.exit_code == 2
    assert source.read_text(encoding="utf-8") == text


# --- validate ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_validate_every_example(run, path):
    count = len(yaml.safe_load(path.read_text(encoding="utf-8"))["features"])
    result = run("validate", str(path))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"{path}: ok ({count} features)\n"


@pytest.mark.parametrize("path", list(LEAVES), ids=label)
def test_help_shows_no_python_types_or_braces(run, path):
    text = run(*path, "--help").stdout
    assert "<bool>" not in text and "<str>" not in text
    assert "{" not in text.split("Usage:")[1].splitlines()[0]


# --- diff ------------------------------------------------------------------------------------

def test_diff_says_what_nothing_is_in_words(run, write):
    old = write("old.yaml", "version: 1\nproduct: {name: A, tiers: [free, pro]}\nfeatures:\n"
                            "  - {id: a, name: Alpha}\n")
    new = write("new.yaml", "version: 1\nproduct: {name: A, tiers: [free, pro]}\nfeatures:\n"
                            "  - {id: a, name: Alpha, current: pro, limit: {metric: boards},\n"
                            "     signals: {virality: none, production: false}}\n")
    assert run("diff", old, new).stdout.splitlines() == [
        "~ a: current no tier -> pro",
        "~ a: limit no wall -> boards",
        "~ a: virality unanswered -> none",
        "~ a: production unanswered -> false",
    ]


def test_a_revision_outside_git_is_named_as_written(run, write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write("new.yaml", "version: 1\nproduct: {name: A}\nfeatures: []\n")
    result = run("diff", "HEAD:x.yaml", path)
    assert (result.exit_code, result.stderr) == (
        2, "HEAD:x.yaml: error: is not in a git repository; a REF:path needs one\n",
    )
