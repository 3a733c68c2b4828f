"""What a team switches on: choosing checks, several outputs from one run, a quiet mode, a
default target, and SARIF whose locations any checkout resolves."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from tests.conftest import ROOT

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text())

# An error (a viral feature in 'pro'), a warning (no habit in the free tier) and a note
# (not collaborative), all on answered signals.
INVENTORY = """\
version: 1
product:
  name: Boardly
  tiers: [free, pro]
features:
  - id: editor
    name: Board editor
    current: free
    signals: {aha: high}
  - id: share
    name: Share boards
    current: pro
    signals: {virality: high}
"""


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def inventory(tmp_path):
    (tmp_path / "features.yaml").write_text(INVENTORY)
    return "features.yaml"


def checks_of(text: str) -> list[str]:
    return [line.split(" [")[1].split("]")[0] for line in text.splitlines()]


# --- choosing checks ------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected, code", [
    ((), ["no-habit-in-free", "not-collaborative", "gated-growth-feature"], 1),
    (("--select", "error"), ["gated-growth-feature"], 1),
    (("--select", "warning,not-collaborative"), ["no-habit-in-free", "not-collaborative"], 0),
    (("--select", "warning", "--select", "note"), ["no-habit-in-free", "not-collaborative"], 0),
    (("--ignore", "gated-growth-feature"), ["no-habit-in-free", "not-collaborative"], 0),
    (("--ignore", "note,warning"), ["gated-growth-feature"], 1),
    (("--select", "error,warning", "--ignore", "gated-growth-feature"), ["no-habit-in-free"], 0),
])
def test_select_and_ignore_check_ids_or_severities(run, inventory, args, expected, code):
    result = run("check", inventory, "--fail-on", "error", *args)
    assert (checks_of(result.stdout), result.exit_code) == (expected, code)


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_check_id_names_the_closest(run, inventory, option):
    result = run("check", inventory, option, "gated-growth,no-habit-in-fre")
    assert (result.exit_code, result.stdout) == (2, "")
    what = option.lstrip("-")
    assert result.stderr.splitlines() == [
        f"error: {what}: no check or severity 'gated-growth' (did you mean 'gated-growth-feature'?)",
        f"error: {what}: no check or severity 'no-habit-in-fre' (did you mean 'no-habit-in-free'?)",
    ]


def test_the_settings_file_chooses_checks_and_sets_their_severity(run, inventory, tmp_path):
    (tmp_path / ".freemium-advisor.yaml").write_text(
        "ignore: [not-collaborative]\nseverity:\n  gated-growth-feature: warning\n  no-habit-in-free: off\n")
    result = run("check", inventory)
    assert result.exit_code == 0
    assert result.stdout == (
        "features.yaml:12:5: warning [gated-growth-feature] 'Share boards' sits in paid tier "
        "'pro', but it promotes the growth model and the advice is free: aha-medium: It helps "
        "new users towards the first moment of value (aha medium), which shortens time to "
        "value; virality-high: Using it brings in people who are not users yet (virality "
        "high): every free use is acquisition, so charging for it would throttle growth\n")
    # The command line wins over the settings file's lists.
    assert checks_of(run("check", inventory, "--ignore", "warning").stdout) == ["not-collaborative"]


def test_the_settings_file_is_refused_in_full_naming_each_unknown_check(run, inventory, tmp_path):
    config = tmp_path / ".freemium-advisor.yaml"
    config.write_text("select: [gated-growth]\nseverity:\n  no-habit: note\n  not-collaborative: fatal\n")
    for command in ("check", "validate"):
        result = run(command, inventory)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.splitlines() == [
            f"{config}:1:10: error: select: no check or severity 'gated-growth' (did you mean 'gated-growth-feature'?)",
            f"{config}:3:3: error: severity: no check 'no-habit' (did you mean 'no-habit-in-free'?)",
            f"{config}:4:3: error: severity of 'not-collaborative': unknown level 'fatal'; expected error, warning, note or off",
        ]


def test_a_waiver_of_a_check_switched_off_is_not_stale(run, tmp_path):
    (tmp_path / "features.yaml").write_text(
        INVENTORY + "    waive: [{check: gated-growth-feature, reason: Deliberate}]\n")
    result = run("check", "--ignore", "gated-growth-feature", "--fail-on", "note")
    assert checks_of(result.stdout) == ["no-habit-in-free", "not-collaborative"]


# --- one run, many outputs ----------------------------------------------------------------------

def test_annotations_on_stdout_and_sarif_and_junit_from_the_same_run(run, inventory, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (tmp_path / "reports").mkdir()
    result = run("check", inventory, "--write", "sarif=reports/a.sarif", "-w", "JUNIT=reports/junit.xml")
    assert result.exit_code == 1
    assert [line.split(" ")[0] for line in result.stdout.splitlines()] == ["::warning", "::notice", "::error"]
    log = json.loads((tmp_path / "reports" / "a.sarif").read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert sorted(r["ruleId"] for r in log["runs"][0]["results"]) == [
        "gated-growth-feature", "no-habit-in-free", "not-collaborative"]
    suite = ET.parse(tmp_path / "reports" / "junit.xml").getroot()
    assert suite.get("failures") == "1"


@pytest.mark.parametrize("value, message", [
    ("sarif", "--write 'sarif': expected FORMAT=PATH, e.g. sarif=advisor.sarif"),
    ("sarif=", "--write 'sarif=': expected FORMAT=PATH, e.g. sarif=advisor.sarif"),
    ("sarf=a.sarif", "--write 'sarf=a.sarif': unknown format 'sarf' (did you mean 'sarif'?); "
                     "expected one of text, json, github, gitlab, sarif, junit, markdown"),
])
def test_a_bad_write_option_is_a_usage_error(run, inventory, value, message):
    result = run("check", inventory, "--write", value)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")


def test_two_outputs_naming_one_file_are_refused(run, inventory):
    result = run("check", inventory, "-o", "out", "--write", "sarif=./out")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "./out: error: named by both --output and --write sarif=./out; give each output its own file\n"


def test_quiet_prints_only_the_findings(run, inventory):
    result = run("check", inventory, "--quiet")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert checks_of(result.stdout) == ["no-habit-in-free", "not-collaborative", "gated-growth-feature"]
    assert run("check", inventory, "-q", "--fail-on", "never").stderr == ""
    written = run("check", inventory, "-q", "--write-baseline", "b.json")
    assert (written.exit_code, written.stdout, written.stderr) == (0, "", "")


def test_no_file_checks_features_yaml_here(run, inventory):
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout.startswith("features.yaml:3:3: warning [no-habit-in-free]")


def test_no_file_and_no_features_yaml_says_where_it_looked(run):
    result = run("check")
    assert (result.exit_code, result.stderr) == (2, "features.yaml: error: no such file\n")


def test_no_file_checks_the_files_of_the_settings_file(run, tmp_path, monkeypatch):
    (tmp_path / "pricing").mkdir()
    (tmp_path / "pricing" / "plans.yaml").write_text(INVENTORY)
    (tmp_path / ".freemium-advisor.yaml").write_text("files: [pricing/]\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # found upwards; its paths are relative to it
    result = run("check", "-f", "json")
    assert [r["file"] for r in json.loads(result.stdout)["results"]] == [os.path.join("..", "pricing", "plans.yaml")]
    assert run("validate").stdout == f"{os.path.join('..', 'pricing', 'plans.yaml')}: ok (2 features)\n"


# --- SARIF locations ----------------------------------------------------------------------------

def sarif_locations(text: str) -> list[dict]:
    log = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["description"]["text"]
    return [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]


def test_sarif_locations_are_relative_to_the_repository_root(run, tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    folder = tmp_path / "pricing plans"
    folder.mkdir()
    (folder / "features.yaml").write_text(INVENTORY)
    monkeypatch.chdir(folder)  # run from below the root, naming the file from there
    locations = sarif_locations(run("check", "features.yaml", "-f", "sarif").stdout)
    assert locations[0] == {"uri": "pricing%20plans/features.yaml", "uriBaseId": "SRCROOT"}
    assert sarif_locations(run("check", str(folder / "features.yaml"), "-f", "sarif").stdout) == locations


def test_sarif_names_a_file_outside_the_root_by_its_absolute_uri_and_stdin_as_a_dash(run, tmp_path, monkeypatch):
    (tmp_path / "repo").mkdir()
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    (tmp_path / "elsewhere.yaml").write_text(INVENTORY)
    monkeypatch.chdir(tmp_path / "repo")
    outside = sarif_locations(run("check", str(tmp_path / "elsewhere.yaml"), "-f", "sarif").stdout)
    assert outside[0] == {"uri": (tmp_path / "elsewhere.yaml").as_uri()}
    piped = sarif_locations(run("check", "-", "-f", "sarif", input=INVENTORY).stdout)
    assert piped[0] == {"uri": "-"}


# --- what a CI log and an editor are told -------------------------------------------------------

def test_a_ref_missing_from_a_shallow_clone_says_to_fetch_the_history(run, tmp_path, monkeypatch):
    full = tmp_path / "full"
    full.mkdir()
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "one"], ["commit", "-q", "--allow-empty", "-m", "two"]):
        if args[0] == "add":
            (full / "features.yaml").write_text(INVENTORY)
        subprocess.run(["git", *args], cwd=full, check=True, capture_output=True, env=env)
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{full}", str(tmp_path / "shallow")],
                   check=True, capture_output=True, env=env)
    monkeypatch.chdir(tmp_path / "shallow")
    result = run("check", "--base", "HEAD~1")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: unknown git ref 'HEAD~1' (this clone is shallow: fetch the history, e.g. "
        "actions/checkout with fetch-depth: 0, or 'git fetch --unshallow')\n")


def test_init_writes_the_schema_its_editor_line_names_beside_the_inventory(run, tmp_path):
    from freemium_advisor.reading.schema import inventory_schema, schema_text

    (tmp_path / "pricing").mkdir()
    result = run("init", "pricing/features.yaml")
    assert result.stderr == ("Wrote pricing/features.yaml and pricing/inventory.schema.json. "
                             "Next: freemium-advisor analyze pricing/features.yaml\n")
    text = (tmp_path / "pricing" / "features.yaml").read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=inventory.schema.json"
    assert (tmp_path / "pricing" / "inventory.schema.json").read_text() == schema_text()
    import yaml

    jsonschema.Draft202012Validator(inventory_schema()).validate(yaml.safe_load(text))
    # A schema already there is the user's: kept as it is.
    (tmp_path / "pricing" / "inventory.schema.json").write_text("{}\n")
    again = run("init", "pricing/other.yaml")
    assert again.stderr == "Wrote pricing/other.yaml. Next: freemium-advisor analyze pricing/other.yaml\n"
    assert (tmp_path / "pricing" / "inventory.schema.json").read_text() == "{}\n"


# --- every check format shows what a feature's finding rests on --------------------------------

GUESSED = INVENTORY + "  - id: invite\n    name: Invite guests by link\n    current: pro\n"


def test_the_check_formats_show_each_feature_findings_evidence(run, tmp_path):
    (tmp_path / "features.yaml").write_text(GUESSED)
    result = run("check", "--fail-on", "note", "-f", "json",
                 "--write", "sarif=a.sarif", "--write", "junit=j.xml", "--write", "gitlab=g.json")
    assert result.exit_code == 1
    features = json.loads(result.stdout)["results"][0]["features"]
    evidence = {f["id"]: f["evidence"] for f in features}
    assert (evidence["share"], evidence["invite"]) == ("answered", "inferred")

    log = json.loads((tmp_path / "a.sarif").read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    sarif = [(r["ruleId"], r.get("properties")) for r in log["runs"][0]["results"]]
    assert sorted(sarif, key=str) == sorted([
        ("gated-growth-feature", {"evidence": "answered"}),   # share
        ("gated-growth-feature", {"evidence": "inferred"}),   # invite, a guess
        ("no-habit-in-free", None),                           # catalog checks rest on no advice
        ("not-collaborative", None),
    ], key=str)

    junit = ET.parse(tmp_path / "j.xml").getroot()
    properties = {case.get("name"): [(p.get("name"), p.get("value")) for p in case.iter("property")]
                  for case in junit.iter("testcase")}
    assert properties["feature share"] == [("evidence", "answered")]
    assert properties["feature invite"] == [("evidence", "inferred")]
    assert properties["feature editor"] == []  # no finding
    assert properties["check no-habit-in-free"] == []

    gitlab = json.loads((tmp_path / "g.json").read_text())
    said = sorted((i["check_name"], i["description"].rpartition(" (evidence: ")[2]) for i in gitlab
                  if i["description"].endswith(")") and " (evidence: " in i["description"])
    assert said == [("gated-growth-feature", "answered)"), ("gated-growth-feature", "inferred)")]
    assert len(gitlab) == 4  # the two catalog findings say nothing of evidence
    assert {key for issue in gitlab for key in issue} == {"description", "check_name", "fingerprint", "severity", "location"}
