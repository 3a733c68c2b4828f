"""One answer to "does this rule fire", the same for the engine and the rule examples."""

from __future__ import annotations

import pytest

from freemium_advisor.engine.analysis import analyze
from freemium_advisor.engine.rule_engine import rule_fires
from freemium_advisor.base.errors import InputError
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.engine.examples import ruleset_examples
from freemium_advisor.reading.rulepacks import load_ruleset

INVENTORY = """\
version: 1
product: {name: Dataly}
features:
  - id: storage
    name: File storage
    signals: {virality: medium, cost_to_serve: high}
"""

METRIC_PACK = """\
rules:
  - id: metric-never
    kind: metric
    criterion: cost_to_serve
    title: Never names a wall
    when: "false"
    words: [storage]
    metric: never used
    message: "{{{{ words }}}}"
    source: {{principle: Test}}
    examples:
      silent:
        - name: File storage
override:
  metric-storage:
    when: "{when}"
"""


def _analysis(tmp_path, when: str):
    pack = tmp_path / "pack.yaml"
    pack.write_text(METRIC_PACK.format(when=when), encoding="utf-8")
    ruleset = load_ruleset([str(pack)])
    return ruleset, analyze(parse_inventory(INVENTORY, "features.yaml"), ruleset)


def test_a_metric_rule_whose_when_is_false_sets_no_wall(tmp_path):
    ruleset, analysis = _analysis(tmp_path, "false")
    storage = analysis.assessment("storage")
    assert storage.recommendation == "free-limited"
    # No metric rule named the wall: every wall is still named, by the fallback count of uses.
    assert (storage.limit_metric, storage.limit_rule) == ("uses per month", None)
    # ... and the rule's own examples agree with the engine.
    assert all(r.passed for r in ruleset_examples(ruleset) if r.owner == "metric-never")


def test_the_assessment_records_which_metric_rule_chose_the_wall(tmp_path):
    _, analysis = _analysis(tmp_path, "true")
    storage = analysis.assessment("storage")
    assert (storage.limit_metric, storage.limit_rule) == ("GB of storage", "metric-storage")


def test_rule_examples_and_engine_use_the_same_check(tmp_path):
    ruleset, analysis = _analysis(tmp_path, "false")
    inventory = parse_inventory(INVENTORY, "features.yaml")
    feature, product = inventory.features[0], inventory.product
    assert rule_fires(ruleset.get("metric-storage"), feature, product) is False
    assert rule_fires(ruleset.get("virality-medium"), feature, product) is True
    fired = {r.rule for r in analysis.assessment("storage").reasons}
    assert "virality-medium" in fired


def test_a_bare_misspelled_condition_fails_when_the_pack_loads(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "override:\n  production-use:\n    when: signals.productoin\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as error:
        load_ruleset([str(pack)])
    assert str(error.value) == (
        f"{pack}:3:11: error: rule 'production-use': unknown signal 'productoin' in condition "
        "'signals.productoin' (did you mean 'production'?)"
    )


def test_the_production_rule_reads_its_signal_and_shows_the_words_behind_it():
    text = """\
version: 1
product: {name: Dataly}
features:
  - id: sla
    name: Uptime SLA for production workloads
"""
    analysis = analyze(parse_inventory(text, "features.yaml"), load_ruleset())
    reasons = {r.rule: r for r in analysis.assessment("sla").reasons}
    production = reasons["production-use"]
    assert production.inferred is True
    assert production.evidence, "the words that set 'production' are shown"
    assert analysis.assessment("sla").signals["production"].source == "inferred"
