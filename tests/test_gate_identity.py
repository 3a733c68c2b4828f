"""A finding's identity at ``check --base``: its check and subject, never its wording.

A scratch git repository goes through a base, a change that follows the advice (exit 0 at
``--fail-on warning``) and a change that gates a growth feature (exit 1, one new finding),
writing SARIF and JUnit beside the annotations of the same run. A property over generated
inventories: a change that only moves features where the advice puts them never adds a
finding.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freemium_advisor.engine.analysis import analyze
from freemium_advisor.engine.findings import CheckChoice
from freemium_advisor.engine.gate import GateInputs, run_check
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.model.signals import AUDIENCE, AUDIENCES, FLAG, LEVELS, SIGNALS
from tests.conftest import ROOT

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text())

# At the base: a viral feature in 'pro' (an error), no habit in the free tier (a warning
# whose message counts the free features) and a product not marked collaborative (a note).
BASE = """\
version: 1
product:
  name: Boardly
  tiers: [free, pro, business]
features:
  - id: editor
    name: Board editor
    current: free
    signals: {aha: high}
  - id: templates
    name: Board templates
    current: free
    signals: {aha: medium, commoditized: high}
  - id: share
    name: Share boards
    current: pro
    signals: {virality: high}
  - id: sso
    name: SAML single sign-on
    current: business
    signals: {audience: enterprise}
"""
# Follows the advice: 'share' moves to the free tier. The warning now counts 3 free
# features, and 'pro' is left empty (a note the move brings about).
FOLLOWS = BASE.replace("    current: pro\n", "    current: free\n")
# Gates a growth feature: 'templates' (aha) moves to 'pro'.
GATES = FOLLOWS.replace("    name: Board templates\n    current: free\n", "    name: Board templates\n    current: pro\n")


def git(folder, *args):
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "HOME": str(folder), "PATH": "/usr/bin:/bin:/usr/local/bin"})


@pytest.fixture
def repo(tmp_path, monkeypatch):
    folder = tmp_path / "pricing repo"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "features.yaml").write_text(BASE)
    git(folder, "add", "features.yaml")
    git(folder, "commit", "-qm", "base")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return folder


def test_a_pull_request_that_follows_the_advice_then_one_that_gates_growth(run, repo):
    before = run("check", "--fail-on", "note")
    assert before.exit_code == 1
    assert [line.split(" [")[1].split("]")[0] for line in before.stdout.splitlines()] == [
        "no-habit-in-free", "not-collaborative", "gated-growth-feature",
    ]

    (repo / "features.yaml").write_text(FOLLOWS)
    followed = run("check", "--base", "HEAD", "--fail-on", "warning", "-f", "json")
    assert followed.exit_code == 0
    assert followed.stderr == "0 errors, 0 warnings, 0 notes, 3 suppressed in 1 file: passed (--fail-on warning)\n"
    suppressed = {f["check"]: (f["suppression"]["reason"], f["suppression"]["was"])
                  for f in json.loads(followed.stdout)["results"][0]["suppressed"]}
    assert suppressed == {
        # The count in the message changed (2 free features, now 3): shown, not gated.
        "no-habit-in-free": ("already there at HEAD, worded differently",
                             "none of the 2 features in the free tier 'free' (today) drives "
                             "repeated use; set 'habit' on the features that bring users back"),
        "not-collaborative": ("already there at HEAD", None),
        "empty-tier": ("brought about by moving share where the advice puts it since HEAD", None),
    }
    git(repo, "commit", "-qam", "share is free, as advised")

    (repo / "features.yaml").write_text(GATES)
    (repo / "out").mkdir()
    gated = run("check", "--base", "HEAD", "--fail-on", "warning", "-f", "github",
                "--write", "sarif=out/advisor.sarif", "--write", "junit=out/junit.xml")
    assert gated.exit_code == 1
    assert gated.stdout.splitlines() == [
        "::error file=features.yaml,line=12,col=5,title=gated-growth-feature%3A A feature that "
        "promotes growth is gated::'Board templates' sits in paid tier 'pro', but it promotes the "
        "growth model and the advice is free: aha-medium: It helps new users towards the first "
        "moment of value (aha medium), which shortens time to value",
    ]
    assert gated.stderr == "1 error, 0 warnings, 0 notes, 2 suppressed in 1 file: failed (--fail-on warning)\n"

    log = json.loads((repo / "out" / "advisor.sarif").read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    states = sorted((r["ruleId"], r["baselineState"]) for r in log["runs"][0]["results"])
    assert states == [("gated-growth-feature", "new"), ("no-habit-in-free", "updated"),
                      ("not-collaborative", "unchanged")]
    junit = ET.parse(repo / "out" / "junit.xml").getroot()
    failures = [(c.get("name"), c.find("failure").get("type"))
                for c in junit.iter("testcase") if c.find("failure") is not None]
    assert failures == [("feature templates", "gated-growth-feature")]
    assert junit.get("failures") == "1"


GUESSED = BASE + """\
  - id: invite
    name: Invite guests by link
    current: pro
"""


def test_a_finding_whose_severity_rose_is_new(run, repo):
    # At the base the viral feature's finding rests on a guess (a note); the change answers
    # its signal, and the same finding is an error now.
    (repo / "features.yaml").write_text(GUESSED)
    git(repo, "commit", "-qam", "invite")
    (repo / "features.yaml").write_text(GUESSED + "    signals: {virality: high}\n")
    result = run("check", "--base", "HEAD")
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1][:34] for line in result.stdout.splitlines()] == [
        "error [gated-growth-feature] 'Invi",
    ]


def test_a_finding_whose_severity_fell_is_old(run, repo):
    (repo / "features.yaml").write_text(GUESSED + "    signals: {virality: high}\n")
    git(repo, "commit", "-qam", "invite")
    (repo / "features.yaml").write_text(GUESSED)
    result = run("check", "--base", "HEAD", "--fail-on", "note")
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_move_that_does_not_follow_the_advice_is_blamed_for_what_it_brings(run, repo):
    # 'sso' leaves 'business' for 'pro', against the advice: 'business' is empty, and new.
    (repo / "features.yaml").write_text(BASE.replace("    current: business\n", "    current: pro\n"))
    result = run("check", "--base", "HEAD", "--fail-on", "note")
    assert result.exit_code == 1
    checks = [line.split(" [")[1].split("]")[0] for line in result.stdout.splitlines()]
    assert checks == ["empty-tier", "tier-mismatch"]


# --- the property: moving features where the advice puts them never adds a finding -----------

TIERS = ("free", "starter", "pro", "team", "business", "enterprise")
WORDS = ("share", "invite", "SSO", "audit log", "AI", "storage", "export", "dashboard",
         "template", "board", "comment", "admin", "history", "editor", "search", "roles")


def signal_values(spec):
    if spec.kind == FLAG:
        return st.booleans()
    if spec.kind == AUDIENCE:
        return st.sampled_from(AUDIENCES)
    return st.sampled_from(LEVELS)


@st.composite
def placed_inventories(draw) -> dict:
    tiers = draw(st.lists(st.sampled_from(TIERS[1:]), min_size=1, max_size=4, unique=True))
    tiers = ["free", *tiers]
    features = []
    for index in range(draw(st.integers(1, 7))):
        feature = {
            "id": f"f{index}",
            "name": " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))),
            "current": draw(st.sampled_from(tiers)),
            "signals": draw(st.fixed_dictionaries(
                {}, optional={spec.name: signal_values(spec) for spec in SIGNALS})),
        }
        if draw(st.booleans()):
            feature["limit"] = {"metric": "boards", "free": draw(st.integers(1, 10))}
        features.append(feature)
    return {"version": 1,
            "product": {"name": "P", "tiers": tiers, "collaborative": draw(st.booleans())},
            "features": features}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(document=placed_inventories(), data=st.data())
def test_moving_features_where_the_advice_puts_them_never_adds_a_finding(document, data):
    ruleset = load_ruleset()
    base_text = yaml.safe_dump(document, sort_keys=False)
    advice = {a.feature.id: a for a in analyze(parse_inventory(base_text, "f.yaml"), ruleset).assessments}
    chosen = data.draw(st.sets(st.sampled_from([f["id"] for f in document["features"]])))
    for feature in document["features"]:
        if feature["id"] not in chosen:
            continue
        a = advice[feature["id"]]
        feature["current"] = a.tier
        if a.recommendation == "free-limited":
            feature.setdefault("limit", {"metric": a.limit_metric or "uses", "free": 3})
        elif a.recommendation == "free":
            feature.pop("limit", None)
    head = parse_inventory(yaml.safe_dump(document, sort_keys=False), "f.yaml")
    inputs = GateInputs(ruleset, CheckChoice(), None, (head,))
    run = run_check(inputs, "note", today=dt.date(2026, 1, 1), base_texts={"f.yaml": base_text},
                    base_ref="main", strict=data.draw(st.booleans()))
    assert run.findings == ()


# --- a baseline entry is a finding of one file, at one severity --------------------------------

def test_a_baseline_records_each_findings_file_and_severity(run, repo):
    (repo / "features.yaml").write_text(GUESSED)
    assert run("check", "--write-baseline", "b.json").exit_code == 0
    entries = json.loads((repo / "b.json").read_text())["findings"]
    assert sorted((e["check"], e["subject"], e["file"], e["severity"]) for e in entries) == [
        ("gated-growth-feature", "invite", "features.yaml", "note"),
        ("gated-growth-feature", "share", "features.yaml", "error"),
        ("no-habit-in-free", "", "features.yaml", "warning"),
        ("not-collaborative", "", "features.yaml", "note"),
    ]
    assert list(entries[0]) == ["fingerprint", "check", "subject", "file", "severity"]


def test_a_baseline_of_one_product_never_hides_anothers_finding(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "block.yaml").write_text(BASE)
    # Product B, in flow style, with the same viral feature id gated in 'pro'.
    (tmp_path / "b" / "flow.yml").write_text(
        "{version: 1, product: {name: Other, tiers: [free, pro]}, features: [\n"
        "  {id: editor, name: Board editor, current: free, signals: {aha: high, habit: high}},\n"
        "  {id: share, name: Share boards, current: pro, signals: {virality: high}}]}\n")
    assert run("check", "a/block.yaml", "--write-baseline", "a.json").exit_code == 0
    result = run("check", "a/block.yaml", "b/flow.yml", "--baseline", "a.json")
    assert result.exit_code == 1
    assert [line.split(": error ")[0] for line in result.stdout.splitlines() if ": error " in line] == [
        "b/flow.yml:3:35",
    ]
    assert "gated-growth-feature" in result.stdout
    # The same files named another way ('./a/...', an absolute path) are the same files.
    again = run("check", "./a/block.yaml", str(tmp_path / "a" / "block.yaml"), "--baseline", "a.json",
                "--fail-on", "note")
    assert (again.exit_code, again.stdout) == (0, "")


def test_a_baseline_entry_stops_hiding_a_finding_that_became_more_severe(run, repo):
    (repo / "features.yaml").write_text(GUESSED)  # 'invite' rests on a guess: a note
    assert run("check", "--write-baseline", "b.json").exit_code == 0
    (repo / "features.yaml").write_text(GUESSED + "    signals: {virality: high}\n")  # an error now
    result = run("check", "--baseline", "b.json")
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1][:34] for line in result.stdout.splitlines()] == [
        "error [gated-growth-feature] 'Invi",
    ]
    assert result.stderr == "1 error, 0 warnings, 0 notes, 3 suppressed in 1 file: failed (--fail-on error)\n"
    # A finding that became less severe stays hidden.
    (repo / "features.yaml").write_text(GUESSED)
    assert run("check", "--baseline", "b.json", "--fail-on", "note").exit_code == 0


def test_an_old_baseline_without_file_and_severity_still_hides_its_findings(run, repo):
    (repo / "features.yaml").write_text(GUESSED)
    assert run("check", "--write-baseline", "b.json").exit_code == 0
    data = json.loads((repo / "b.json").read_text())
    for entry in data["findings"]:
        del entry["file"], entry["severity"]
    (repo / "b.json").write_text(json.dumps(data))
    (repo / "features.yaml").write_text(GUESSED + "    signals: {virality: high}\n")
    result = run("check", "--baseline", "b.json", "--fail-on", "note")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "0 errors, 0 warnings, 0 notes, 4 suppressed in 1 file: passed (--fail-on note)\n"


@pytest.mark.parametrize("entry, message", [
    ('"file": 3', "findings[0].file must be text, not 3"),
    ('"severity": "fatal"', "findings[0].severity must be one of error, warning, note, not 'fatal'"),
])
def test_a_baseline_entry_with_a_bad_file_or_severity_is_bad_input(run, repo, entry, message):
    (repo / "b.json").write_text(
        '{"baseline_version": 1, "findings": [{"fingerprint": "0123456789abcdef", %s}]}' % entry)
    result = run("check", "--baseline", "b.json")
    assert (result.exit_code, result.stderr) == (2, f"b.json: error: not a baseline: {message}\n")
