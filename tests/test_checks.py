"""Checks are data: one generic test runs every check's examples, and their metadata cites
the framework the way rules do. A check that never fires fails here, and so does a feature
check with any one test of its ``when`` removed: every guard has an example."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.yamlpos import load_yaml
from freemium_advisor.engine import findings
from freemium_advisor.engine.analysis import analyze
from freemium_advisor.engine.checklogic import LOGIC, bind
from freemium_advisor.engine.examples import check_examples
from freemium_advisor.formats.checks_view import render_docs
from freemium_advisor.model.expressions import Condition
from freemium_advisor.reading.checkcatalog import CHECK_NAMES, load_checks, parse_check
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.result.schema import result_schema_text
from tests.conftest import ROOT
from tests.test_rule_examples import SEED_FILES, SEED_TIMESTAMPS, SEEDS

CHECKS = load_checks()
RULESET = load_ruleset()
WHEN_CHECKS = [s for s in CHECKS if s.when is not None]


@pytest.mark.parametrize("spec", CHECKS, ids=lambda s: s.id)
def test_check_examples(spec):
    results = check_examples(spec, RULESET)
    assert any(r.outcome == "fails" for r in results), f"{spec.id} has no 'fails' example"
    assert any(r.outcome == "passes" for r in results), f"{spec.id} has no 'passes' example"
    wrong = [(r.outcome, r.index, r.found, r.error) for r in results if not r.passed]
    assert wrong == []


def test_every_logic_function_is_named_by_a_check():
    assert sorted(LOGIC) == sorted(s.logic for s in CHECKS if s.logic)


def test_what_makes_each_check_fire():
    firing = {s.id: s.when.source if s.when else s.logic for s in CHECKS}
    assert firing == {
        "costly-feature-unlimited":
            'feature.current == free and not feature.limit and advice.recommendation == "free-limited"',
        "empty-tier": "empty_tier",
        "enterprise-control-in-free": 'feature.current == free and signals.audience == "enterprise"',
        "expired-waiver": None,
        "free-feature-without-reason": 'feature.current == free and advice.recommendation == "gated"',
        "gated-growth-feature": 'feature.paid and advice.recommendation != "gated" and growth',
        "no-aha-in-free": "no_aha_in_free",
        "no-free-tier": "no_free_tier",
        "no-habit-in-free": "no_habit_in_free",
        "no-paid-tier": "no_paid_tier",
        "no-signals-no-text": 'not feature.answered and advice.evidence == "none"',
        "no-upgrade-trigger": "no_upgrade_trigger",
        "not-collaborative": "not_collaborative",
        "placement-disagrees": 'feature.paid and advice.recommendation != "gated" and not growth '
                               'and advice.label in ["high", "medium"]',
        "stale-waiver": None,
        "tier-mismatch":
            'feature.paid and advice.recommendation == "gated" and advice.tier != feature.current '
            'and advice.tier_from != "default"',
        "time-bound-trial": "time_bound_trial",
    }


def conjuncts(source: str) -> list[str]:
    """The tests a condition joins with ``and`` outside parentheses and quotes."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(r"""'[^']*'|"[^"]*"|[()]|\band\b""", source):
        token = match.group()
        depth += {"(": 1, ")": -1}.get(token, 0)
        if token == "and" and depth == 0:
            parts.append(source[start:match.start()].strip())
            start = match.end()
    return [*parts, source[start:].strip()]


def _with(monkeypatch, spec) -> None:
    """Run the checks with ``spec`` in place of the built-in check of its id."""
    swapped = tuple(spec if s.id == spec.id else s for s in findings.catalog())
    monkeypatch.setattr(findings, "catalog", lambda: swapped)


GUARDS = [(s, i) for s in WHEN_CHECKS for i in range(len(conjuncts(s.when.source)))]


@pytest.mark.parametrize(("spec", "index"), GUARDS,
                         ids=[f"{s.id}-{conjuncts(s.when.source)[i]}" for s, i in GUARDS])
def test_every_guard_of_a_when_has_an_example(spec, index, monkeypatch):
    """Without any one of its tests, a feature check fires where an example says it must not."""
    tests = conjuncts(spec.when.source)
    loosened = " and ".join(t for i, t in enumerate(tests) if i != index) if len(tests) > 1 else "true"
    _with(monkeypatch, replace(spec, when=Condition(loosened, CHECK_NAMES)))
    wrong = [(r.outcome, r.index) for r in check_examples(spec, RULESET) if not r.passed]
    assert wrong, f"{spec.id} passes every example without '{tests[index]}'"
    assert all(outcome == "passes" for outcome, _ in wrong)


def test_conjuncts_split_at_the_top_level_only():
    assert conjuncts("a and (b and c) and d == 'x and y'") == ["a", "(b and c)", "d == 'x and y'"]


def test_the_catalog_has_the_checks_the_gate_documents():
    assert [s.id for s in CHECKS] == [
        "costly-feature-unlimited", "empty-tier", "enterprise-control-in-free", "expired-waiver",
        "free-feature-without-reason", "gated-growth-feature", "no-aha-in-free", "no-free-tier",
        "no-habit-in-free", "no-paid-tier", "no-signals-no-text", "no-upgrade-trigger", "not-collaborative",
        "placement-disagrees", "stale-waiver", "tier-mismatch", "time-bound-trial",
    ]


def _seed_text(name: str) -> str:
    text = (SEEDS / name).read_text(encoding="utf-8")
    text = re.sub(r'<a class="yt-timestamp" data-t="[0-9:]+">\[[0-9:]+\]</a>', "", text)
    text = re.sub(r"\[\[[^|\]]*\|\s*([^\]]*)\]\]", r"\1", text)
    text = re.sub(r"\[\[([^\]]*)\]\]", r"\1", text)
    return " ".join(text.replace("**", "").split())


FRAMEWORK_CHECKS = [s for s in CHECKS if s.scope != "waiver"]


@pytest.mark.parametrize("spec", FRAMEWORK_CHECKS, ids=lambda s: s.id)
def test_check_cites_a_seed_passage(spec):
    assert spec.source is not None
    assert spec.source.seed in SEED_FILES
    assert spec.source.timestamp in SEED_TIMESTAMPS[spec.source.seed]
    assert spec.source.quote


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the framework's seeds are not beside this checkout")
@pytest.mark.parametrize("spec", FRAMEWORK_CHECKS, ids=lambda s: s.id)
def test_check_quote_is_in_its_seed(spec):
    assert spec.source.quote in _seed_text(spec.source.seed)


def test_check_reference_is_current():
    """If this fails, run: freemium-advisor checks docs -o docs/checks.md"""
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == render_docs()


def test_result_schema_file_is_current():
    """If this fails, run: freemium-advisor schema --result -o schema/result.schema.json"""
    assert (ROOT / "schema" / "result.schema.json").read_text(encoding="utf-8") == result_schema_text()
    json.loads(result_schema_text())


def test_the_wheel_ships_the_checks_folder():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"checks" = "freemium_advisor/checks"' in pyproject


@pytest.mark.parametrize("spec", FRAMEWORK_CHECKS, ids=lambda s: s.id)
def test_a_check_that_never_fires_fails_its_own_examples(spec, monkeypatch):
    """The examples pin what makes a check fire: one that never does cannot pass them."""
    if spec.logic:
        monkeypatch.setitem(LOGIC, spec.logic, lambda ctx: iter(()))
    else:
        _with(monkeypatch, replace(spec, when=Condition("false", CHECK_NAMES)))
    assert not all(r.passed for r in check_examples(spec, RULESET))


@pytest.mark.parametrize("kind", ["expired-waiver", "stale-waiver"])
def test_waiver_checks_fail_their_examples_when_waivers_are_ignored(kind, monkeypatch):
    from freemium_advisor.engine import analysis

    monkeypatch.setattr(analysis, "apply_waivers", lambda findings, *args: (findings, ()))
    spec = next(s for s in CHECKS if s.id == kind)
    assert not all(r.passed for r in check_examples(spec, RULESET))


@pytest.mark.parametrize(("check", "feature", "words"), [
    ("gated-growth-feature", "{id: share, name: Share boards with guests, current: pro}", "'boards', 'share'"),
    ("tier-mismatch", "{id: sso, name: SAML single sign-on, current: pro}", "'saml', 'single sign on'"),
    ("enterprise-control-in-free", "{id: audit, name: Audit log, current: free}", "'audit'"),
    ("costly-feature-unlimited", "{id: ai, name: AI summaries, current: free, signals: {aha: high}}", "'ai'"),
])
def test_a_finding_that_rests_on_inferred_signals_only_is_a_note_unless_strict(check, feature, words):
    """``rests_on`` names what a finding rests on; words alone make it a guess: a note that
    names the words, at the check's full severity only under ``strict``."""
    spec = next(s for s in CHECKS if s.id == check)
    inventory = parse_inventory(f"product: {{name: X}}\nfeatures: [{feature}]\n", "x.yaml")
    [finding] = [f for f in analyze(inventory, RULESET).findings if f.check == check]
    assert (finding.inferred, finding.severity) == (True, "note")
    assert ". A guess: we guessed " in finding.message
    assert all(word in finding.message for word in words.split(", "))
    [strict] = [f for f in analyze(inventory, RULESET, strict=True).findings if f.check == check]
    assert (strict.inferred, strict.severity) == (True, spec.severity)
    assert "a guess" not in strict.message


CHECK = """\
id: probe
title: A probe
severity: warning
scope: feature
when: feature.paid
message: "'{{ feature.name }}' is paid"
help: Nothing to do.
"""


def _parse(text: str):
    return parse_check(load_yaml(text, "checks/probe.yaml"))


@pytest.mark.parametrize(("text", "error"), [
    (CHECK.replace("help:", "hlep:"),
     "checks/probe.yaml:7:1: error: unknown check key 'hlep' (did you mean 'help'?); expected "),
    (CHECK.replace("when: feature.paid\n", ""),
     "checks/probe.yaml:1:1: error: a feature check needs 'when' (a condition) or 'logic' (a function)"),
    (CHECK.replace("when: feature.paid\n", "when: feature.paid\nlogic: probe\n"),
     "checks/probe.yaml:6:1: error: 'when' and 'logic' exclude each other: keep one"),
    (CHECK.replace("feature.paid", "feature.payd"),
     "checks/probe.yaml:5:7: error: unknown field 'feature.payd' in 'when' (did you mean 'paid'?)"),
    (CHECK.replace("feature.paid", "advise.tier == 'pro'"),
     "checks/probe.yaml:5:7: error: unknown name 'advise' in 'when' (did you mean 'advice'?)"),
    (CHECK.replace("feature.paid", "feature.paid +"),
     "checks/probe.yaml:5:7: error: arithmetic ('+') is not allowed in condition 'feature.paid +'"),
    (CHECK.replace("scope: feature", "scope: tier"),
     "checks/probe.yaml:5:1: error: 'when' is read per feature; a tier check names its function in 'logic'"),
    (CHECK.replace("scope: feature", "scope: waiver").replace("when: feature.paid", "logic: x"),
     "checks/probe.yaml:5:1: error: a waiver check is raised by the waivers themselves: drop 'logic'"),
    (CHECK.replace("when: feature.paid", "when: feature.paid\nrests_on: growht"),
     "checks/probe.yaml:6:11: error: unknown rests_on 'growht' (did you mean 'growth'?)"),
    (CHECK.replace("when: feature.paid", "when: feature.paid\nat: curent"),
     "checks/probe.yaml:6:5: error: unknown feature key 'curent' (did you mean 'current'?)"),
    (CHECK.replace("feature.name", "feature.nmae"),
     "checks/probe.yaml:6:10: error: unknown field 'feature.nmae' in 'message' (did you mean 'name'?)"),
    (CHECK.replace("{{ feature.name }}", "{{ advise }}"),
     "checks/probe.yaml:6:10: error: unknown name 'advise' in 'message' (did you mean 'advice'?)"),
    (CHECK.replace("{{ feature.name }}", "{{ feature.name | length }}"),
     "checks/probe.yaml:6:10: error: the filter 'length' is not allowed in a message"),
    (CHECK.replace("when: feature.paid", "logic: Empty-Tier"),
     "checks/probe.yaml:5:8: error: 'logic' is the name of a Python function"),
])
def test_a_bad_check_file_is_refused_where_it_is_wrong(text, error):
    with pytest.raises(InputError) as raised:
        _parse(text)
    assert str(raised.value).startswith(error)


def test_a_check_naming_a_missing_function_is_refused_when_the_catalog_loads():
    spec = _parse(CHECK.replace("scope: feature", "scope: product").replace("when: feature.paid", "logic: empty_tire"))
    with pytest.raises(InputError) as raised:
        bind([spec])
    assert str(raised.value) == (
        "checks/probe.yaml:5:8: error: check 'probe': no logic function 'empty_tire' (did you mean 'empty_tier'?)"
    )


def test_a_condition_that_fails_while_running_names_the_check(monkeypatch):
    spec = next(s for s in CHECKS if s.id == "tier-mismatch")
    _with(monkeypatch, replace(spec, when=Condition("advice.tier > 1", CHECK_NAMES)))
    inventory = parse_inventory("product: {name: X}\nfeatures: [{id: sso, name: SSO}]\n", "x.yaml")
    with pytest.raises(InputError) as raised:
        analyze(inventory, RULESET)
    assert str(raised.value) == (
        "checks/tier-mismatch.yaml:6:7: error: check 'tier-mismatch': condition 'advice.tier > 1' "
        "failed: '>' not supported between instances of 'str' and 'int'"
    )
