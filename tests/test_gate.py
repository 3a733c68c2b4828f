"""``check``, the CI gate, as a pipeline meets it: exit codes, every format parsed back,
waivers, baseline, --base in a real git repository, the config file, and ``diff``."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from freemium_advisor.base.escaping import markdown_escape
from freemium_advisor.result.schema import result_schema
from tests.conftest import EXAMPLES, ROOT

WHITEBOARD = str(EXAMPLES / "whiteboard.yaml")
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text())

# One error (a viral feature in a paid tier) and one note (not collaborative at its core).
INVENTORY = """\
version: 1
product:
  name: Boardly
  tiers: [free, pro]
features:
  - id: editor
    name: Board editor
    current: free
    signals: {aha: high, habit: high}
  - id: share
    name: Share boards
    current: pro
    signals: {virality: high}
"""
ERROR_LINE = (
    ":12:5: error [gated-growth-feature] 'Share boards' sits in paid tier 'pro', but it promotes "
    "the growth model and the advice is free: aha-medium: It helps new users towards the first "
    "moment of value (aha medium), which shortens time to value; virality-high: Using it brings "
    "in people who are not users yet (virality high): every free use is acquisition, so "
    "charging for it would throttle growth"
)
NOTE_LINE = (
    ":3:3: note [not-collaborative] the product is not marked collaborative, yet 1 feature "
    "brings in new users (share): set 'collaborative: true' if collaboration is at its core; "
    "otherwise product-led acquisition is harder, so layer marketing-led or sales-led "
    "acquisition on top"
)


# The viral feature is free; single sign-on fills the paid tier: only the note is left.
NOTE_ONLY = INVENTORY.replace("current: pro", "current: free") + (
    "  - id: sso\n    name: SAML single sign-on\n    current: pro\n"
)


@pytest.fixture
def inventory(write):
    return write("features.yaml", INVENTORY)


@pytest.fixture(autouse=True)
def no_ci_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)  # no .freemium-advisor.yaml from the checkout


def test_text_lines_and_summary(run, inventory):
    result = run("check", inventory)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines == [inventory + NOTE_LINE, inventory + ERROR_LINE]
    assert result.stderr == "1 error, 0 warnings, 1 note, 0 suppressed in 1 file: failed (--fail-on error)\n"


def _github_lines(path: str) -> list[str]:
    return [
        f"::error file={path},line=12,col=5,title=gated-growth-feature%3A A feature that promotes "
        f"growth is gated::{ERROR_LINE.split('[gated-growth-feature] ')[1]}",
        f"::notice file={path},line=3,col=3,title=not-collaborative%3A The product is not "
        f"collaborative at its core::{NOTE_LINE.split('[not-collaborative] ')[1]}",
    ]


@pytest.mark.parametrize("columns", ["40", "200"])
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_lines_are_exact_and_never_wrapped(run, inventory, monkeypatch, columns, fmt):
    monkeypatch.setenv("COLUMNS", columns)
    expected = {
        "text": [inventory + NOTE_LINE, inventory + ERROR_LINE],
        "github": _github_lines(inventory)[::-1],
    }[fmt]
    assert run("check", inventory, "--format", fmt).stdout.splitlines() == expected


@pytest.mark.parametrize("fail_on, code", [("error", 1), ("warning", 1), ("note", 1), ("never", 0)])
def test_exit_codes_for_each_threshold_with_an_error(run, inventory, fail_on, code):
    assert run("check", inventory, "--fail-on", fail_on).exit_code == code


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 0), ("note", 1), ("never", 0)])
def test_exit_codes_for_each_threshold_with_a_note_only(run, write, fail_on, code):
    path = write("notes.yaml", NOTE_ONLY)
    result = run("check", path, "--fail-on", fail_on, "-f", "json")
    assert result.exit_code == code
    assert json.loads(result.stdout)["gate"]["counts"] == {"error": 0, "warning": 0, "note": 1, "suppressed": 0}


@pytest.mark.parametrize("fail_on", ["error", "warning", "note", "never"])
def test_bad_input_exits_2_with_one_line(run, write, fail_on):
    path = write("bad.yaml", INVENTORY.replace("virality: high", "viraltiy: high"))
    result = run("check", path, "--fail-on", fail_on)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{path}:13:15: error: unknown signal 'viraltiy' (did you mean 'virality'?)\n"


def test_bad_fail_on_is_a_usage_error(run, inventory):
    result = run("check", inventory, "--fail-on", "fatal")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1


def test_json_validates_against_the_result_schema(run, inventory):
    result = run("check", inventory, "--format", "json", WHITEBOARD)
    document = json.loads(result.stdout)
    jsonschema.validate(document, result_schema())
    assert document["gate"] == {"fail_on": "error", "failed": True,
                                "counts": {"error": 2, "warning": 0, "note": 1, "suppressed": 0}}
    assert [r["file"] for r in document["results"]] == [inventory, WHITEBOARD]


def test_every_example_analysis_still_validates(run):
    for path in sorted(EXAMPLES.glob("*.yaml")):
        jsonschema.validate(json.loads(run("analyze", str(path), "-f", "json").stdout), result_schema())


def test_github_annotations(run, inventory, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # chosen automatically in GitHub Actions
    lines = run("check", inventory).stdout.splitlines()
    assert lines == _github_lines(inventory)[::-1]


def test_gitlab_code_quality(run, inventory):
    issues = json.loads(run("check", inventory, "-f", "gitlab").stdout)
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("not-collaborative", "info", {"path": inventory, "lines": {"begin": 3}}),
        ("gated-growth-feature", "critical", {"path": inventory, "lines": {"begin": 12}}),
    ]
    assert len({i["fingerprint"] for i in issues}) == 2


def test_sarif_validates_against_the_official_schema(run, write):
    path = write("waived.yaml", INVENTORY + "    waive: [{check: gated-growth-feature, reason: Upsell test}]\n")
    log = json.loads(run("check", path, "-f", "sarif").stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["version"] == "0.1.0"
    rule = next(r for r in driver["rules"] if r["id"] == "gated-growth-feature")
    assert rule["shortDescription"]["text"] == "A feature that promotes growth is gated"
    assert "helpUri" not in rule and "informationUri" not in driver  # no site to point at
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    waived = results["gated-growth-feature"]
    assert waived["suppressions"] == [{"kind": "inSource", "justification": "Upsell test"}]
    region = waived["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 5}
    assert re.fullmatch(r"[0-9a-f]{16}", waived["partialFingerprints"]["freemiumAdvisor/v1"])
    assert results["not-collaborative"]["level"] == "note"


def test_junit_has_a_case_per_feature_and_catalog_check(run, inventory):
    root = ET.fromstring(run("check", inventory, "-f", "junit").stdout)
    suite = root.find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert "feature editor" in cases and "feature share" in cases and "check no-aha-in-free" in cases
    assert cases["feature share"].find("failure").get("type") == "gated-growth-feature"
    assert cases["feature editor"].find("failure") is None
    assert cases["check not-collaborative"].find("failure") is None  # a note, below --fail-on
    assert (suite.get("failures"), root.get("failures")) == ("1", "1")


def test_markdown_comment(run, inventory):
    body = run("check", inventory, "-f", "markdown").stdout
    assert body.startswith("### freemium-advisor check: ❌ failed\n")
    assert "| error | " + markdown_escape(inventory) + ":12 | `gated-growth-feature` |" in body
    assert "<details><summary>What the checks mean</summary>" in body


# --- waivers --------------------------------------------------------------------------------

WAIVED = INVENTORY + "    waive:\n      - {check: gated-growth-feature, reason: Upsell test, expires: %s}\n"


def test_a_waiver_suppresses_and_never_fails(run, write):
    result = run("check", write("w.yaml", WAIVED % "2999-12-31"), "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    suppressed = document["results"][0]["suppressed"]
    assert [(f["check"], f["suppression"]["kind"], f["suppression"]["reason"]) for f in suppressed] == [
        ("gated-growth-feature", "waiver", "Upsell test"),
    ]
    assert document["gate"]["counts"]["suppressed"] == 1


def test_an_expired_waiver_fails_again_and_is_a_finding(run, write):
    path = write("w.yaml", WAIVED % "2000-01-31")
    result = run("check", path)
    assert result.exit_code == 1
    checks = [line.split(" [")[1].split("]")[0] for line in result.stdout.splitlines()]
    assert checks == ["not-collaborative", "gated-growth-feature", "expired-waiver"]
    assert f"{path}:15:9: warning [expired-waiver] the waiver of 'gated-growth-feature' on feature 'share' expired on 2000-01-31" in result.stdout


def test_a_stale_waiver_is_reported(run, write):
    path = write("w.yaml", (WAIVED % "2999-12-31").replace("current: pro", "current: free"))
    result = run("check", path, "--fail-on", "note")
    assert result.exit_code == 1
    assert f"{path}:15:9: note [stale-waiver] the waiver of 'gated-growth-feature' on feature 'share' accepts nothing" in result.stdout


def test_a_waiver_without_a_reason_is_bad_input(run, write):
    path = write("w.yaml", INVENTORY + "    waive: [{check: gated-growth-feature}]\n")
    result = run("check", path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{path}:14:13: error: a waiver needs a 'reason'\n"


def test_a_waiver_of_an_unknown_check_suggests_the_closest(run, write):
    path = write("w.yaml", INVENTORY + "    waive: [{check: gated-growth, reason: x}]\n")
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stderr == f"{path}:14:13: error: no check 'gated-growth' to waive (did you mean 'gated-growth-feature'?)\n"


def test_a_product_check_is_waived_on_the_product(run, write):
    text = INVENTORY.replace("  tiers: [free, pro]\n", "  tiers: [free, pro]\n  waive: [{check: not-collaborative, reason: Sales-led by design}]\n")
    result = run("check", write("w.yaml", text), "--fail-on", "note", "--format", "json")
    counts = json.loads(result.stdout)["gate"]["counts"]
    assert counts == {"error": 1, "warning": 0, "note": 0, "suppressed": 1}


# --- baseline -------------------------------------------------------------------------------

def test_a_baseline_hides_old_findings_even_after_reordering_and_edits(run, write, tmp_path):
    path = write("features.yaml", INVENTORY)
    baseline = str(tmp_path / "baseline.json")
    written = run("check", path, "--write-baseline", baseline)
    assert written.exit_code == 0
    assert written.stderr == f"Wrote 2 findings to {baseline}.\n"
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert sorted((e["check"], e["subject"]) for e in entries) == [
        ("gated-growth-feature", "share"), ("not-collaborative", ""),
    ]
    assert [e["fingerprint"] for e in entries] == sorted(e["fingerprint"] for e in entries)
    # The viral feature moves above the editor, the editor gets a description.
    reordered = INVENTORY.split("  - id: editor")[0] + "  - id: share\n    name: Share boards\n    current: pro\n    signals: {virality: high}\n  - id: editor\n    name: Board editor\n    description: Draw on an infinite canvas.\n    current: free\n    signals: {aha: high, habit: high}\n"
    write("features.yaml", reordered)
    result = run("check", path, "--baseline", baseline, "--fail-on", "note")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.endswith("0 errors, 0 warnings, 0 notes, 2 suppressed in 1 file: passed (--fail-on note)\n")


def test_a_new_finding_is_not_in_the_baseline(run, write, tmp_path):
    baseline = str(tmp_path / "baseline.json")
    run("check", write("features.yaml", INVENTORY.replace("current: pro", "current: free")), "--write-baseline", baseline)
    result = run("check", write("features.yaml", INVENTORY), "--baseline", baseline)
    assert result.exit_code == 1
    assert [line.split(" [")[1].split("]")[0] for line in result.stdout.splitlines()] == ["gated-growth-feature"]


def test_a_malformed_baseline_is_bad_input(run, inventory, write):
    result = run("check", inventory, "--baseline", write("b.json", "[]"))
    assert result.exit_code == 2
    assert "not a baseline" in result.stderr


# --- pull requests: --base in a real git repository -------------------------------------------

def git(folder, *args):
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "HOME": str(folder), "PATH": "/usr/bin:/bin:/usr/local/bin"})


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with two commits: the second moves the viral feature from free to pro."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "features.yaml").write_text(INVENTORY.replace("current: pro", "current: free"))
    git(folder, "add", "features.yaml")
    git(folder, "commit", "-qm", "first")
    (folder / "features.yaml").write_text(INVENTORY)
    git(folder, "commit", "-qam", "move share to pro")
    monkeypatch.chdir(folder)
    return folder


def test_base_reports_only_the_new_finding_on_its_line(run, repo):
    result = run("check", "features.yaml", "--base", "HEAD~1", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error file=features.yaml,line=12,col=5,title=gated-growth-feature")
    assert result.stderr == "1 error, 0 warnings, 0 notes, 1 suppressed in 1 file: failed (--fail-on error)\n"


def test_the_parent_commit_passes(run, repo):
    git(repo, "checkout", "-q", "HEAD~1")
    result = run("check", "features.yaml", "--base", "HEAD", "--format", "github")
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_waiver_silences_the_change_until_it_expires(run, repo):
    (repo / "features.yaml").write_text(WAIVED % "2999-12-31")
    assert run("check", "features.yaml", "--base", "HEAD~1", "-f", "github").exit_code == 0
    (repo / "features.yaml").write_text(WAIVED % "2000-01-31")
    result = run("check", "features.yaml", "--base", "HEAD~1", "-f", "github")
    assert result.exit_code == 1
    assert [line[:45] for line in result.stdout.splitlines()] == [
        "::error file=features.yaml,line=12,col=5,titl", "::warning file=features.yaml,line=15,col=9,ti",
    ]


def test_a_file_absent_at_the_base_is_all_new(run, repo):
    (repo / "other.yaml").write_text(INVENTORY)
    result = run("check", "other.yaml", "--base", "HEAD", "--fail-on", "note")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2


def test_an_unknown_ref_is_bad_input(run, repo):
    result = run("check", "features.yaml", "--base", "nope")
    assert (result.exit_code, result.stderr) == (2, "error: unknown git ref 'nope'\n")


def test_diff_between_a_ref_and_the_work_tree(run, repo):
    result = run("diff", "HEAD~1:features.yaml", "features.yaml")
    assert result.exit_code == 0
    assert result.stdout == "~ share: current free -> pro\n"


def test_diff_lists_signal_advice_added_and_removed(run, write):
    old = write("old.yaml", INVENTORY)
    new = write("new.yaml", INVENTORY.replace("{virality: high}", "{virality: none, audience: enterprise}").replace(
        "  - id: editor\n    name: Board editor\n    current: free\n    signals: {aha: high, habit: high}\n",
        "  - id: canvas\n    name: Canvas\n    current: free\n    signals: {aha: high}\n"))
    assert run("diff", old, new).stdout.splitlines() == [
        "+ canvas: added (advice free)",
        "~ share: virality high -> none",
        "~ share: audience unanswered -> enterprise",
        "~ share: advice free -> gated in pro",
        "- editor: removed (advice was free)",
    ]
    changes = json.loads(run("diff", old, new, "-f", "json").stdout)["changes"]
    assert changes[0] == {"feature": "canvas", "kind": "added", "field": "feature", "old": None,
                          "new": {"recommendation": "free", "tier": "free"}}


# --- configuration ------------------------------------------------------------------------------

def test_config_found_upwards_sets_fail_on_and_format(run, write, tmp_path, monkeypatch):
    write(".freemium-advisor.yaml", "fail_on: never\nformat: gitlab\n")
    path = write("features.yaml", INVENTORY)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    result = run("check", path)
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), list)
    assert run("check", path, "--fail-on", "error", "-f", "text").exit_code == 1  # the CLI wins


def test_config_baseline_and_rules_are_relative_to_it(run, write, tmp_path):
    write("pack.yaml", "policy:\n  severity: {gated-growth-feature: off, not-collaborative: off}\n")
    write(".freemium-advisor.yaml", "rules: [pack.yaml]\n")
    result = run("check", write("features.yaml", INVENTORY), "--fail-on", "note")
    assert (result.exit_code, result.stdout) == (0, "")


def test_config_is_validated_strictly_every_problem_at_once(run, write, inventory):
    config = write(".freemium-advisor.yaml", "fail_on: fatal\nfromat: json\n")
    result = run("check", inventory)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{config}:1:10: error: unknown fail_on 'fatal'; expected error, warning, note or never",
        f"{config}:2:1: error: unknown config key 'fromat' (did you mean 'format'?); expected "
        "rules, files, fail_on, format, baseline, strict, select, ignore or severity",
    ]


def test_policy_changes_a_check_severity(run, write, inventory):
    pack = write("pack.yaml", "policy:\n  severity: {gated-growth-feature: warning}\n")
    result = run("check", inventory, "--rules", pack)
    assert result.exit_code == 0
    assert " warning [gated-growth-feature] " in result.stdout


def test_policy_naming_an_unknown_check_is_bad_input(run, write, inventory):
    pack = write("pack.yaml", "policy:\n  severity: {gated-growth: warning}\n")
    result = run("check", inventory, "--rules", pack)
    assert result.exit_code == 2
    assert result.stderr == f"{pack}:2:14: error: no check 'gated-growth' in policy.severity (did you mean 'gated-growth-feature'?)\n"


def test_a_folder_is_searched_for_inventories(run, write, tmp_path):
    write("features.yaml", INVENTORY)
    write("other.yaml", "just: data\n")
    result = run("check", str(tmp_path), "-f", "json")
    assert [r["file"] for r in json.loads(result.stdout)["results"]] == [str(tmp_path / "features.yaml")]


def test_analyze_still_exits_0_with_error_findings(run, inventory):
    result = run("analyze", inventory)
    assert result.exit_code == 0
    assert "error [gated-growth-feature]" in result.stdout


def test_a_finding_on_inferred_signals_says_it_is_a_guess_and_is_a_note(run, write):
    text = NOTE_ONLY.replace("current: pro\n", "current: free\n") + "  - id: audit\n    name: Audit logs\n    current: pro\n"
    path = write("inferred.yaml", text)
    lines = run("check", path, "--fail-on", "note").stdout.splitlines()
    sso = [line for line in lines if "[enterprise-control-in-free]" in line]
    assert sso == [
        f"{path}:16:5: note [enterprise-control-in-free] 'SAML single sign-on' is an enterprise "
        "control (its buyer is the enterprise) in the free tier 'free'; the advice gates it in "
        "'pro'. A guess: we guessed audience enterprise from 'saml', 'single sign on'; answer "
        "audience to settle it."
    ]
    answered = write("answered.yaml", text.replace(
        "    name: SAML single sign-on\n    current: free\n",
        "    name: SAML single sign-on\n    current: free\n    signals: {audience: enterprise}\n"))
    assert " warning [enterprise-control-in-free] " in run("check", answered).stdout


@pytest.mark.parametrize("columns", ["40", "200"])
def test_analyze_prints_each_finding_on_one_line(run, inventory, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    out = run("analyze", inventory).stdout
    assert inventory + ERROR_LINE + "\n" in out


@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "sarif", "junit", "markdown"])
def test_every_check_format_builds_and_sets_the_exit_code(run, fmt):
    from freemium_advisor.formats import formats_for

    assert fmt in formats_for("check")
    result = run("check", WHITEBOARD, "--format", fmt)
    assert result.exit_code == 1
    assert result.stdout.strip()
    assert result.stderr.endswith("failed (--fail-on error)\n")


def test_the_check_formats_are_the_documented_ones():
    from freemium_advisor.formats import formats_for

    assert formats_for("check") == ("text", "json", "github", "gitlab", "sarif", "junit", "markdown")
    assert formats_for("diff") == ("text", "json")


def test_validate_lists_waiver_problems_with_the_others(run, write):
    text = INVENTORY.replace("virality: high", "viraltiy: high") + (
        "    waive:\n      - {check: gated-growth-feature, expires: someday}\n      - {check: x, reason: y, ownr: z}\n"
    )
    path = write("w.yaml", text)
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:13:15: error: unknown signal 'viraltiy' (did you mean 'virality'?)",
        f"{path}:15:9: error: a waiver needs a 'reason'",
        f"{path}:15:48: error: waiver 'expires' must be a date like 2027-03-31 (YYYY-MM-DD), not 'someday'",
        f"{path}:16:9: error: no check 'x' to waive",
        f"{path}:16:31: error: unknown waiver key 'ownr' (did you mean 'owner'?); expected check, reason, owner or expires",
    ]


def test_base_outside_a_git_repository_is_bad_input(run, inventory):
    result = run("check", inventory, "--base", "HEAD")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{inventory}: error: is not in a git repository; --base needs one\n"


def test_diff_of_a_file_missing_at_a_ref_is_bad_input(run, repo):
    result = run("diff", "HEAD~1:other.yaml", "features.yaml")
    assert (result.exit_code, result.stderr) == (2, "HEAD~1:other.yaml: error: no file 'other.yaml' at HEAD~1\n")


def test_diff_of_identical_files_says_so(run, inventory):
    result = run("diff", inventory, inventory)
    assert (result.exit_code, result.stdout) == (0, f"No changes between {inventory} and {inventory}.\n")


def test_the_inventory_schema_accepts_waivers_and_rejects_a_reasonless_one():
    import yaml

    from freemium_advisor.reading.schema import inventory_schema

    document = yaml.safe_load(WAIVED % "2999-12-31")
    document["features"][1]["waive"][0]["expires"] = "2999-12-31"  # YAML reads a date
    jsonschema.Draft202012Validator(inventory_schema()).validate(document)
    del document["features"][1]["waive"][0]["reason"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(inventory_schema()).validate(document)


def test_analyze_counts_waived_findings_and_still_exits_0(run, write):
    result = run("analyze", write("w.yaml", WAIVED % "2999-12-31"))
    assert result.exit_code == 0
    tail = result.stdout.splitlines()[-3:]
    assert tail[0] == "1 finding waived in the inventory."
    assert tail[1] == "1 finding:"
    assert " note [not-collaborative] " in tail[2]


def test_checks_test_passes_and_fails_a_pack_that_breaks_an_example(run, write):
    result = run("checks", "test")
    assert result.exit_code == 0
    assert result.stdout.endswith(" check examples pass.\n")
    pack = write("pack.yaml", "policy:\n  severity: {gated-growth-feature: off}\n")
    result = run("checks", "test", "--rules", pack)
    assert result.exit_code == 1
    assert "FAIL gated-growth-feature: example fails[0] should fire but gave: no finding" in result.stdout.splitlines()


GUESSED_GROWTH = """\
    version: 1
    product: {name: X, collaborative: true, tiers: [free, pro]}
    features:
      - {id: editor, name: Editor, current: free, signals: {aha: high, habit: high}}
      - {id: invite, name: Invite guests by link, current: pro}
    """


def test_a_keyword_guess_alone_never_fails_the_default_gate(run, write):
    path = write("guess.yaml", GUESSED_GROWTH)
    result = run("check", path)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{path}:5:47: note [gated-growth-feature] 'Invite guests by link' sits in paid tier 'pro'")
    assert result.stdout.endswith(
        ". A guess: we guessed virality high from 'invite', 'guests'; answer virality to settle it.\n"
    )


def test_strict_keeps_a_guess_at_full_severity(run, write):
    path = write("guess.yaml", GUESSED_GROWTH)
    result = run("check", path, "--strict")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:5:47: error [gated-growth-feature] 'Invite guests by link'")
    assert "a guess" not in result.stdout


def test_strict_in_the_settings_file_keeps_a_guess_at_full_severity(run, write):
    path = write("guess.yaml", GUESSED_GROWTH)
    write(".freemium-advisor.yaml", "strict: true\n")
    assert run("check", path).exit_code == 1
    write(".freemium-advisor.yaml", "strict: false\n")
    assert run("check", path).exit_code == 0
    config = write(".freemium-advisor.yaml", "strict: yes please\n")
    result = run("check", path)
    assert (result.exit_code, result.stderr) == (2, f"{config}:1:9: error: 'strict' must be true or false\n")


def test_the_same_feature_with_its_signal_answered_fails_the_default_gate(run, write):
    path = write("answered.yaml", GUESSED_GROWTH.replace(
        "name: Invite guests by link, current: pro}", "name: Invite guests by link, current: pro, signals: {virality: high}}"))
    result = run("check", path)
    assert result.exit_code == 1
    assert f"{path}:5:47: error [gated-growth-feature] 'Invite guests by link'" in result.stdout
    assert "a guess" not in result.stdout


def test_sarif_marks_new_and_unchanged_findings_against_the_base(run, repo):
    log = json.loads(run("check", "features.yaml", "--base", "HEAD~1", "-f", "sarif").stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    states = {r["ruleId"]: r["baselineState"] for r in log["runs"][0]["results"]}
    assert states == {"gated-growth-feature": "new", "not-collaborative": "unchanged"}


def test_a_folder_without_inventories_is_bad_input(run, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("check", str(tmp_path / "empty"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{tmp_path / 'empty'}: error: this folder holds no inventory (*.yaml, *.yml or *.json with product and features)\n"


def test_a_missing_file_is_bad_input(run, tmp_path):
    result = run("check", str(tmp_path / "nope.yaml"))
    assert (result.exit_code, result.stderr) == (2, f"{tmp_path / 'nope.yaml'}: error: no such file\n")


def test_a_file_too_large_at_the_base_is_refused_before_it_is_read(run, repo, monkeypatch):
    # The limit lowered to 100 bytes for the test; the message names the real one.
    monkeypatch.setattr("freemium_advisor.reading.basediff.MAX_FILE_BYTES", 100)
    result = run("check", "features.yaml", "--base", "HEAD~1")
    assert result.exit_code == 2
    assert result.stderr == "HEAD~1:features.yaml: error: larger than 64 MB; is it the right file?\n"
