"""Run the examples of rules and checks: the inventories on which each must fire, and stay quiet.

A rule's example is one feature written like an inventory entry (``name``, ``description``,
``category``, ``signals``), optionally with a ``product`` mapping; it runs through
:func:`~freemium_advisor.engine.rule_engine.rule_fires`, the rule on its own. A check's
example is a small inventory (``product`` and ``features``); it runs through the whole
pipeline a user's file does (the engine, the checks, the waivers), so a check that never fires
fails its ``fails`` examples. Either way the example is validated as an inventory file is, and
one :class:`ExampleResult` says how it went. ``freemium-advisor rules test`` and ``checks test``
run them for a user's pack; the test suite runs them for the built-in rules and checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from freemium_advisor.base.record import record
from freemium_advisor.base.errors import InputError
from freemium_advisor.base.yamlpos import Document
from freemium_advisor.engine.analysis import analyze
from freemium_advisor.engine.rule_engine import rule_fires
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.model.rules import Rule, RuleSet
from freemium_advisor.reading.checkcatalog import CheckSpec
from freemium_advisor.reading.inventory_reader import read_inventory

# The lists an example may be in that expect a firing: a rule's ``fires``, a check's ``fails``
# (the others are a rule's ``silent`` and a check's ``passes``).
FIRING = ("fires", "fails")
# Examples are checked on a fixed day, so that their waiver dates mean the same every year.
EXAMPLE_DAY = dt.date(2026, 1, 1)


@record
class ExampleResult:
    """One example run: whose it is, the list it is in, what fired on it."""

    owner: str  # the rule's or check's id
    outcome: str  # the list it is in: fires / silent (a rule's), fails / passes (a check's)
    index: int
    example: dict
    found: tuple[str, ...] = ()  # what fired: the rule's id, or the check's findings' messages
    error: str | None = None  # why the example could not run

    @property
    def passed(self) -> bool:
        return self.error is None and bool(self.found) == (self.outcome in FIRING)


def run_examples(
    owner: str, cases: Iterable[tuple[str, Iterable[dict]]],
    inventory_of: Callable[[dict, str], Inventory], found_in: Callable[[Inventory], tuple[str, ...]],
) -> list[ExampleResult]:
    """Run each example of ``cases`` (``(outcome, examples)`` pairs): build its inventory with
    ``inventory_of(example, name)`` and see what fires on it with ``found_in``."""
    results = []
    for outcome, examples in cases:
        for index, example in enumerate(examples):
            try:
                found = found_in(inventory_of(example, f"{owner}#{outcome}[{index}]"))
            except InputError as exc:
                results.append(ExampleResult(owner, outcome, index, example, error=exc.message))
            else:
                results.append(ExampleResult(owner, outcome, index, example, found))
    return results


def example_inventory(product: Any, features: Any, name: str) -> Inventory:
    """The inventory an example describes, validated as a file is (``name`` in messages)."""
    if not isinstance(product, dict):
        raise InputError(name, None, None, "an example's 'product' must be a mapping")
    # Built from data, not text: there are no positions, and every message points at 1:1.
    return read_inventory(Document({"version": 1, "product": product, "features": features}, name, {}, None))


def _rule_inventory(example: dict, name: str) -> Inventory:
    feature = {"id": "example", "name": "Example feature",
               **{k: v for k, v in example.items() if k != "product"}}
    product = example.get("product", {})
    if isinstance(product, dict):
        product = {"name": "Example product", **product}
    return example_inventory(product, [feature], name)


def rule_examples(rule: Rule) -> list[ExampleResult]:
    """Run one rule's examples: it fires or stays silent on the example's feature alone."""

    def fired(inventory: Inventory) -> tuple[str, ...]:
        return (rule.id,) if rule_fires(rule, inventory.features[0], inventory.product) else ()

    cases = [(outcome, rule.example_cases(outcome)) for outcome in ("fires", "silent")]
    return run_examples(rule.id, cases, _rule_inventory, fired)


def ruleset_examples(ruleset: RuleSet) -> list[ExampleResult]:
    """Run the examples of every rule in the set, in rule order."""
    return [result for rule in ruleset.rules for result in rule_examples(rule)]


def check_examples(spec: CheckSpec, ruleset: RuleSet) -> list[ExampleResult]:
    """Run one check's examples: the messages of its findings (active ones) on each."""

    def inventory_of(example: dict, name: str) -> Inventory:
        return example_inventory(example.get("product", {"name": "Example"}),
                                 example.get("features", []), name)

    def found_in(inventory: Inventory) -> tuple[str, ...]:
        findings = analyze(inventory, ruleset, EXAMPLE_DAY).findings
        return tuple(f.message for f in findings if f.check == spec.id)

    cases = [(outcome, spec.examples.get(outcome, ())) for outcome in ("fails", "passes")]
    return run_examples(spec.id, cases, inventory_of, found_in)
