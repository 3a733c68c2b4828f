"""Run every rule's own examples: the features on which it must fire, and must stay quiet.

An example is a small feature written like an inventory entry (``name``, ``description``,
``category``, ``signals``), optionally with a ``product`` mapping (``collaborative``,
``model``...). ``freemium-advisor rules test`` runs them for a user's pack; the test suite runs
them for the built-in pack.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from freemium_advisor.engine.rule_engine import rule_fires
from freemium_advisor.base.errors import InputError
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.model.rules import Rule, RuleSet


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    outcome: str  # "fires" or "silent": what the example expects
    index: int
    example: dict
    passed: bool
    error: str | None = None


def example_feature(rule: Rule, example: dict):
    """Build the (feature, product) an example describes, validated like an inventory."""
    where = f"examples of rule '{rule.id}'"
    feature = {k: v for k, v in example.items() if k != "product"}
    feature.setdefault("id", "example")
    feature.setdefault("name", "Example feature")
    if not isinstance(example.get("product", {}), dict):
        raise InputError(where, None, None, "an example's 'product' must be a mapping")
    product = {"name": "Example product", **example.get("product", {})}
    text = yaml.safe_dump({"version": 1, "product": product, "features": [feature]})
    inventory = parse_inventory(text, where)
    return inventory.features[0], inventory.product


def check_rule(rule: Rule) -> list[ExampleResult]:
    """Run one rule's examples."""
    results = []
    for outcome in ("fires", "silent"):
        for index, example in enumerate(rule.example_cases(outcome)):
            try:
                feature, product = example_feature(rule, example)
                fired = rule_fires(rule, feature, product)
            except InputError as exc:
                results.append(ExampleResult(rule.id, outcome, index, example, False, exc.message))
                continue
            results.append(ExampleResult(rule.id, outcome, index, example, fired == (outcome == "fires")))
    return results


def check_ruleset(ruleset: RuleSet) -> list[ExampleResult]:
    """Run the examples of every rule in the set, in rule order."""
    return [result for rule in ruleset.rules for result in check_rule(rule)]
