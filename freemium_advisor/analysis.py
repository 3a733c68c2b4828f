"""The library's front door: inventory + rules -> assessments + findings.

>>> from freemium_advisor.analysis import analyze_file
>>> analysis = analyze_file("examples/whiteboard.yaml")      # doctest: +SKIP
>>> [(a.feature.id, a.recommendation) for a in analysis.assessments]   # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from freemium_advisor.engine import Assessment, evaluate
from freemium_advisor.findings import Finding, find
from freemium_advisor.inventory import Inventory, load_inventory
from freemium_advisor.rules import RuleSet, load_ruleset
from freemium_advisor.signals import RECOMMENDATIONS


@dataclass(frozen=True)
class Analysis:
    """Everything an output format needs: the inventory, the advice, the findings."""

    inventory: Inventory
    ruleset: RuleSet
    assessments: tuple[Assessment, ...]
    findings: tuple[Finding, ...]

    def summary(self) -> dict[str, int]:
        """How many features get each recommendation (every recommendation listed)."""
        counts = Counter(a.recommendation for a in self.assessments)
        return {r: counts.get(r, 0) for r in RECOMMENDATIONS}

    def assessment(self, feature_id: str) -> Assessment:
        """The assessment of one feature; an unknown id raises ``KeyError``."""
        for assessment in self.assessments:
            if assessment.feature.id == feature_id:
                return assessment
        raise KeyError(feature_id)


def analyze(inventory: Inventory, ruleset: RuleSet) -> Analysis:
    """Assess every feature and run the placement checks."""
    assessments = evaluate(inventory, ruleset)
    return Analysis(inventory, ruleset, assessments, find(inventory, assessments))


def analyze_file(path: str, rule_packs: list[str] | tuple[str, ...] = ()) -> Analysis:
    """Load an inventory file (``-`` for stdin) and the rules, and analyze."""
    return analyze(load_inventory(path), load_ruleset(rule_packs))
