"""The library's front door: inventory + rules -> one :class:`~freemium_advisor.result.Analysis`.

>>> from freemium_advisor.analysis import analyze_file
>>> analysis = analyze_file("examples/whiteboard.yaml")      # doctest: +SKIP
>>> [(a.feature.id, a.recommendation) for a in analysis.assessments]   # doctest: +SKIP
"""

from __future__ import annotations

from freemium_advisor.engine import evaluate
from freemium_advisor.findings import find
from freemium_advisor.inventory import Inventory
from freemium_advisor.inventory_reader import load_inventory
from freemium_advisor.result import Analysis, Tool
from freemium_advisor.rulepacks import load_ruleset
from freemium_advisor.rules import RuleSet


def analyze(inventory: Inventory, ruleset: RuleSet) -> Analysis:
    """Assess every feature and run the checks."""
    assessments = evaluate(inventory, ruleset)
    return Analysis(
        Tool(), ruleset.fingerprint, ruleset.packs, inventory.path, inventory, ruleset,
        assessments, find(inventory, assessments, ruleset),
    )


def analyze_file(path: str, rule_packs: list[str] | tuple[str, ...] = ()) -> Analysis:
    """Load an inventory file (``-`` for stdin) and the rules, and analyze."""
    return analyze(load_inventory(path), load_ruleset(rule_packs))
