"""The library's front door: inventory + rules -> one :class:`~freemium_advisor.result.Analysis`.

>>> from freemium_advisor.engine.analysis import analyze_file
>>> analysis = analyze_file("examples/whiteboard.yaml")      # doctest: +SKIP
>>> [(a.feature.id, a.recommendation) for a in analysis.assessments]   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt

from freemium_advisor.engine.rule_engine import evaluate
from freemium_advisor.engine.findings import apply_waivers, find
from freemium_advisor.engine.guesses import settle_guesses
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.reading.inventory_reader import load_inventory
from freemium_advisor.result import Analysis, Tool
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.model.rules import RuleSet


def analyze(inventory: Inventory, ruleset: RuleSet, today: dt.date | None = None,
            strict: bool = False) -> Analysis:
    """Assess every feature, run the checks and apply the inventory's waivers.

    ``today`` decides which waivers have expired (the current date when not given). A finding
    that rests on a guess is at most a note unless ``strict`` (:mod:`.guesses`).
    """
    assessments = evaluate(inventory, ruleset)
    found = settle_guesses(find(inventory, assessments, ruleset), assessments, ruleset, strict)
    findings, suppressed = apply_waivers(found, inventory, today or dt.date.today(), ruleset)
    return Analysis(
        Tool(), ruleset.fingerprint, ruleset.packs, inventory.path, inventory, ruleset,
        assessments, findings, suppressed,
    )


def analyze_file(path: str, rule_packs: list[str] | tuple[str, ...] = ()) -> Analysis:
    """Load an inventory file (``-`` for stdin) and the rules, and analyze."""
    return analyze(load_inventory(path), load_ruleset(rule_packs))
