"""The library's front door: inventory + rules -> one :class:`~freemium_advisor.result.Analysis`.

>>> from freemium_advisor.engine.analysis import analyze_file
>>> analysis = analyze_file("examples/whiteboard.yaml")      # doctest: +SKIP
>>> [(a.feature.id, a.recommendation) for a in analysis.assessments]   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt

from freemium_advisor.engine.rule_engine import evaluate
from freemium_advisor.engine.findings import apply_waivers, find
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.reading.inventory_reader import load_inventory
from freemium_advisor.result import Analysis, Tool
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.model.rules import RuleSet
from freemium_advisor.model.waivers import utc_today


def analyze(inventory: Inventory, ruleset: RuleSet, today: dt.date | None = None) -> Analysis:
    """Assess every feature, run the checks and apply the inventory's waivers.

    ``today`` decides which waivers have expired (the current date in UTC when not given).
    """
    assessments = evaluate(inventory, ruleset)
    findings, suppressed = apply_waivers(
        find(inventory, assessments, ruleset), inventory, today or utc_today(), ruleset,
    )
    return Analysis(
        Tool(), ruleset.fingerprint, ruleset.packs, inventory.path, inventory, ruleset,
        assessments, findings, suppressed,
    )


def analyze_file(path: str, rule_packs: list[str] | tuple[str, ...] = ()) -> Analysis:
    """Load an inventory file (``-`` for stdin) and the rules, and analyze."""
    return analyze(load_inventory(path), load_ruleset(rule_packs))
