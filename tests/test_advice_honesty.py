"""The advice never speaks with more authority than its evidence (QA pass on issue 18): one run
never says two opposite things about a feature, a word no list knows is no evidence whatever
the feature's type, common words are no admin's control, and each finding says what it rests
on and is marked a guess when it says it is one."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES

TIERS = "[free, pro, business, enterprise]"


def analysis(run, path: str) -> dict:
    result = run("analyze", path, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def findings(data: dict, check: str) -> list[dict]:
    return [f for f in data["findings"] if f["check"] == check]


def test_a_one_word_name_typed_domain_is_no_evidence_and_the_run_says_so_once(run, write):
    path = write("z.yaml", f"""
        version: 1
        product: {{name: Z, tiers: {TIERS}}}
        features: [{{id: c, name: Zorblax, category: domain, current: pro}}]
        """)
    data = analysis(run, path)
    [feature] = data["features"]
    # A one-word name of the product's own type leans it free, as a default: never evidence.
    assert (feature["recommendation"], feature["evidence"], feature["confidence_label"]) == (
        "free", "none", "unknown")
    assert [(r["rule"], r["criterion"]) for r in feature["reasons"]] == [
        ("aha-bare-head-noun", "default"), ("needs-strategic-reason", "default")]
    # Nothing says it promotes the growth model; the one finding about it says it rests on
    # defaults alone, and that is what the advice rests on.
    assert findings(data, "gated-growth-feature") == []
    [none] = findings(data, "no-signals-no-text")
    assert none["message"] == (
        "'Zorblax' has no answered signals, and nothing read from its words, name, type or "
        "metering decides its advice: the advice (free) rests on defaults alone")


@pytest.mark.parametrize("name", [
    "Required questions", "Default theme", "Wide layout", "Hide answered questions",
    "Custom rules", "Billing", "Managed hosting", "Force timer",
])
def test_a_common_word_is_no_admin_control(run, write, name):
    path = write("w.yaml", f"""
        version: 1
        product: {{name: W, tiers: {TIERS}}}
        features: [{{id: f, name: {name}, current: business}}]
        """)
    [feature] = analysis(run, path)["features"]
    assert feature["signals"]["audience"]["source"] == "unset"
    assert feature["tier"] != "business"


def test_a_whole_company_is_still_an_admin_control(run):
    result = run("explain", str(EXAMPLES / "whiteboard.yaml"), "team-analytics", "-f", "json")
    audience = json.loads(result.stdout)["signals"]["audience"]
    assert (audience["value"], audience["source"]) == ("admin", "inferred")
    assert [(e["rule"], e["words"]) for e in audience["evidence"]] == [
        ("infer-admin-controls", ["company wide"])]


def test_deploying_apps_is_no_habit_loop_and_no_table_stake(run, write):
    path = write("d.yaml", f"""
        version: 1
        product: {{name: D, tiers: {TIERS}}}
        features: [{{id: deploy, name: Deploy apps, current: pro}}]
        """)
    [feature] = analysis(run, path)["features"]
    signals = {name: s["value"] for name, s in feature["signals"].items() if s["source"] != "unset"}
    assert signals == {"production": True}


def test_what_the_product_counts_is_evidence_the_no_evidence_warning_agrees_with(run, write):
    path = write("m.yaml", """
        version: 1
        product: {name: M, tiers: [free, pro]}
        features: [{id: ws, name: Workspaces, metered: workspace, current: free}]
        """)
    data = analysis(run, path)
    [feature] = data["features"]
    assert (feature["recommendation"], feature["evidence"]) == ("free-limited", "inferred")
    assert findings(data, "no-signals-no-text") == []


def test_a_tier_its_type_says_is_named_as_such_and_marked_a_guess(run, write):
    path = write("t.yaml", f"""
        version: 1
        product: {{name: T, tiers: {TIERS}}}
        features:
          - id: barriers
            name: Information barriers
            category: management
            current: enterprise
            signals: {{production: true}}
          - {{id: history, name: Version history, current: enterprise}}
        """)
    data = analysis(run, path)
    [mismatch] = findings(data, "tier-mismatch")
    assert (mismatch["feature"], mismatch["severity"], mismatch["inferred"]) == (
        "barriers", "note", True)
    assert mismatch["message"] == (
        "'Information barriers' sits in 'enterprise'; its type (management), which says admin "
        "buys it, points to 'business'. A guess: the tier is what its type says; answer "
        "audience to settle it.")


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_finding_that_says_it_is_a_guess_is_marked_inferred(run, example):
    for finding in analysis(run, str(example))["findings"]:
        if ". A guess: " in finding["message"]:
            assert finding["inferred"], finding


def test_the_default_is_never_a_reason_to_charge_nor_a_guessed_tier_a_placement(run, write):
    path = write("f.yaml", f"""
        version: 1
        product: {{name: F, tiers: {TIERS}}}
        features: [{{id: widget, name: Zorp frobnicator, current: free}}]
        """)
    [finding] = findings(analysis(run, path), "free-feature-without-reason")
    assert (finding["severity"], finding["inferred"]) == ("note", True)
    assert finding["message"] == (
        "'Zorp frobnicator' is free, but the advice gates it: no reason to give it away is "
        "known, and freemium needs a strategic reason. A guess: nothing but defaults speak "
        "for the advice; answer virality, commoditized, aha, habit, data_value, landing or "
        "audience to settle it.")
    data = analysis(run, str(EXAMPLES / "database.yaml"))
    [advisor] = [f for f in findings(data, "free-feature-without-reason")
                 if f["feature"] == "performance-advisor"]
    assert (advisor["severity"], advisor["inferred"]) == ("warning", False)
    assert advisor["message"] == (
        "'Performance advisor' is free, but the advice gates it: the reasons to charge weigh 2.5 "
        "against 1.5 to give it away (production-use: It matters for production or scale rather "
        "than for evaluation: let users prototype with it for free and charge when they go to "
        "production)")


def test_a_product_with_only_a_free_tier_is_told_there_is_nothing_to_gate_into(run, write):
    path = write("f1.yaml", """
        version: 1
        product: {name: F, tiers: [free]}
        features:
          - {id: a, name: SAML SSO}
          - {id: d, name: Editor, signals: {aha: high, cost_to_serve: high}}
        """)
    [finding] = findings(analysis(run, path), "no-paid-tier")
    assert (finding["severity"], finding["position"]) == ("warning", {"line": 2, "column": 20})
    assert finding["message"] == (
        "the product has only the free tier 'free': the advice gates 1 feature (a) and puts a "
        "usage wall on 1 feature (d), but there is no paid tier to gate into or to upgrade to")
    assert run("check", path).exit_code == 0
    failed = run("check", path, "--fail-on", "warning")
    assert failed.exit_code == 1
    assert f"{path}:2:20: warning [no-paid-tier] the product has only the free tier" in failed.stdout


PRICING = """\
saasName: Acme
syntaxVersion: '{version}'
currency: USD
features:
  chat: {{valueType: BOOLEAN, defaultValue: false, type: DOMAIN}}
plans:
  FREE: {{price: 0, features: {{chat: {{value: true}}}}}}
  PRO: {{price: 10, features: null}}
"""
COLLABORATIVE = (
    "note: a pricing does not say whether collaboration is at the product's core: "
    "'collaborative' is left false; set 'collaborative: true' in the inventory if using the "
    "product brings in other people\n")


def test_an_unknown_syntax_version_imports_with_a_note(run, write):
    path = write("p.yml", PRICING.format(version="9.9"))
    result = run("import", "pricing2yaml", path)
    assert result.exit_code == 0
    assert "tiers: [FREE, PRO]" in result.stdout
    assert result.stderr == (
        f"{path}: note: syntaxVersion '9.9' (line 2) is not one this importer was written for "
        "(2.x, 3.0): it was read as 2.x; check the inventory\n"
        f"{path}: {COLLABORATIVE}")


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_a_known_syntax_version_imports_with_the_collaborative_note_only(run, write, version):
    path = write("p.yml", PRICING.format(version=version))
    result = run("import", "pricing2yaml", path)
    assert (result.exit_code, result.stderr) == (0, f"{path}: {COLLABORATIVE}")
