"""Run a check's own examples: inventories on which it must fire, and must stay quiet.

The examples go through the whole pipeline a user's file does (validation, the engine, the
checks, the waivers), so a check whose logic is stubbed out fails its ``fails`` examples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from freemium_advisor.engine.analysis import analyze
from freemium_advisor.reading.checkcatalog import CheckSpec
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.result import Finding
from freemium_advisor.model.rules import RuleSet

# Examples are checked on a fixed day, so that their waiver dates mean the same every year.
EXAMPLE_DAY = dt.date(2026, 1, 1)
DEFAULT_PRODUCT = {"name": "Example"}


@dataclass(frozen=True)
class ExampleResult:
    check: str
    outcome: str  # fails | passes
    index: int
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return bool(self.findings) == (self.outcome == "fails")


def run_example(spec: CheckSpec, example: dict, ruleset: RuleSet, name: str) -> tuple[Finding, ...]:
    """The findings of check ``spec`` (active ones) on one example inventory."""
    document = {"version": 1, "product": example.get("product", DEFAULT_PRODUCT),
                "features": example.get("features", [])}
    inventory = parse_inventory(yaml.safe_dump(document, sort_keys=False), name)
    analysis = analyze(inventory, ruleset, EXAMPLE_DAY)
    return tuple(f for f in analysis.findings if f.check == spec.id)


def check_examples(spec: CheckSpec, ruleset: RuleSet) -> list[ExampleResult]:
    """Run every example of one check."""
    return [
        ExampleResult(spec.id, outcome, index,
                      run_example(spec, example, ruleset, f"{spec.file}#{outcome}[{index}]"))
        for outcome in ("fails", "passes")
        for index, example in enumerate(spec.examples.get(outcome, ()))
    ]
