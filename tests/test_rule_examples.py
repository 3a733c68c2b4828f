"""One generic test runs every built-in rule's own examples: adding a rule never means
touching Python. Rule metadata is checked here too: every built-in rule cites the seeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from freemium_advisor.engine.examples import rule_examples
from freemium_advisor.reading.rulepacks import load_ruleset

RULESET = load_ruleset()
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_FILES = {"000_d5fe08b4bac5d94d.txt", "001_40b40909513d44e9.txt"}


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_rule_examples(rule):
    results = rule_examples(rule)
    assert results, f"rule {rule.id} has no examples"
    assert any(r.outcome == "fires" for r in results), f"rule {rule.id} has no 'fires' example"
    failures = [(r.outcome, r.index, r.example, r.error) for r in results if not r.passed]
    assert failures == []


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_rule_cites_a_seed_passage(rule):
    source = rule.source
    assert source.seed in SEED_FILES
    assert re.fullmatch(r"\d\d:\d\d:\d\d", source.timestamp)
    assert source.quote


# The timestamps of the framework's two write-ups (../shared/seeds), kept with the tests so
# that a clean clone can check every citation; when the seeds are beside the checkout, the
# copy itself is checked against them.
SEED_TIMESTAMPS = json.loads((Path(__file__).parent / "data" / "seed_timestamps.json").read_text())


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_rule_timestamp_exists_in_its_seed(rule):
    assert rule.source.timestamp in SEED_TIMESTAMPS[rule.source.seed]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the framework's seeds are not beside this checkout")
def test_seed_timestamp_copy_matches_the_seeds():
    for name, timestamps in SEED_TIMESTAMPS.items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        assert sorted(set(re.findall(r'data-t="(\d\d:\d\d:\d\d)"', text))) == timestamps


def test_every_criterion_has_a_score_rule_and_an_inference_path():
    from freemium_advisor.model.signals import RULE_CRITERION_IDS

    scored = {r.criterion for r in RULESET.of_kind("score")}
    assert scored == set(RULE_CRITERION_IDS)
