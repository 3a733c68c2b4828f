"""Checks are data: one generic test runs every check's examples, and their metadata cites
the framework the way rules do. A check whose logic is stubbed out fails here."""

from __future__ import annotations

import json
import re

import pytest

from freemium_advisor.engine.checkexamples import check_examples
from freemium_advisor.reading.checkcatalog import load_checks
from freemium_advisor.engine.checklogic import LOGIC
from freemium_advisor.formats.checks_view import render_docs
from freemium_advisor.result.schema import result_schema_text
from freemium_advisor.reading.rulepacks import load_ruleset
from tests.conftest import ROOT
from tests.test_rule_examples import SEED_FILES, SEED_TIMESTAMPS, SEEDS

CHECKS = load_checks()
RULESET = load_ruleset()


@pytest.mark.parametrize("spec", CHECKS, ids=lambda s: s.id)
def test_check_examples(spec):
    results = check_examples(spec, RULESET)
    assert any(r.outcome == "fails" for r in results), f"{spec.id} has no 'fails' example"
    assert any(r.outcome == "passes" for r in results), f"{spec.id} has no 'passes' example"
    wrong = [(r.outcome, r.index, [f.message for f in r.findings]) for r in results if not r.passed]
    assert wrong == []


def test_every_check_has_logic_and_every_logic_a_check():
    assert sorted(LOGIC) == sorted(s.id for s in CHECKS)


def test_the_catalog_has_the_checks_the_gate_documents():
    assert [s.id for s in CHECKS] == [
        "costly-feature-unlimited", "empty-tier", "enterprise-control-in-free", "expired-waiver",
        "free-feature-without-reason", "gated-growth-feature", "no-aha-in-free", "no-free-tier",
        "no-habit-in-free", "no-signals-no-text", "no-upgrade-trigger", "not-collaborative",
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
def test_a_stubbed_out_check_fails_its_own_examples(spec, monkeypatch):
    """The examples pin the logic: a check that never fires cannot pass them."""
    monkeypatch.setitem(LOGIC, spec.id, lambda ctx: iter(()))
    assert not all(r.passed for r in check_examples(spec, RULESET))


@pytest.mark.parametrize("kind", ["expired-waiver", "stale-waiver"])
def test_waiver_checks_fail_their_examples_when_waivers_are_ignored(kind, monkeypatch):
    from freemium_advisor.engine import analysis

    monkeypatch.setattr(analysis, "apply_waivers", lambda findings, *args: (findings, ()))
    spec = next(s for s in CHECKS if s.id == kind)
    assert not all(r.passed for r in check_examples(spec, RULESET))
