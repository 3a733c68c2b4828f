"""Holding the advice against reality: real SaaS pricings in Pricing2Yaml.

A pricing is *blinded* first: every plan's and add-on's features and limits are removed and
every default value is set to one constant, so nothing of where the real product placed a
feature is visible. The blinded pricing is imported and analyzed, and each recommendation is
compared with the real placement: free (in the price-0 plan) or gated (the cheapest paid plan
that has it).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from freemium_advisor.analysis import analyze
from freemium_advisor.importers import dump_inventory
from freemium_advisor.importers.pricing2yaml import import_pricing2yaml
from freemium_advisor.inventory_reader import parse_inventory
from freemium_advisor.rules import RuleSet

BLIND_VALUE = False


def blind(pricing: dict) -> dict:
    """A copy of a parsed Pricing2Yaml pricing with every trace of placement removed."""
    blinded = copy.deepcopy(pricing)
    for spec in (blinded.get("features") or {}).values():
        if isinstance(spec, dict):
            spec["defaultValue"] = BLIND_VALUE
    for spec in (blinded.get("usageLimits") or {}).values():
        if isinstance(spec, dict):
            spec["defaultValue"] = BLIND_VALUE
    for plan in (blinded.get("plans") or {}).values():
        if isinstance(plan, dict):
            plan["features"] = None
            plan["usageLimits"] = None
    for addon in (blinded.get("addOns") or {}).values():
        if isinstance(addon, dict):
            for key in ("features", "usageLimits", "usageLimitsExtensions"):
                addon[key] = None
    return blinded


@dataclass(frozen=True)
class Placement:
    """Where the real product put a feature, and where the advice puts it."""

    feature: str
    real_tier: str
    real_free: bool
    real_limited: bool
    advice: str
    advice_tier: str | None

    @property
    def advice_free(self) -> bool:
        return self.advice != "gated"


@dataclass
class Score:
    """Agreement between the advice and the real placements of one or more products."""

    placements: list[Placement] = field(default_factory=list)

    def _ratio(self, hits: int, total: int) -> float | None:
        return hits / total if total else None

    @property
    def count(self) -> int:
        return len(self.placements)

    @property
    def accuracy(self) -> float | None:
        return self._ratio(sum(p.advice_free == p.real_free for p in self.placements), self.count)

    @property
    def free_recall(self) -> float | None:
        free = [p for p in self.placements if p.real_free]
        return self._ratio(sum(p.advice_free for p in free), len(free))

    @property
    def gated_recall(self) -> float | None:
        gated = [p for p in self.placements if not p.real_free]
        return self._ratio(sum(not p.advice_free for p in gated), len(gated))

    @property
    def balanced_accuracy(self) -> float | None:
        if self.free_recall is None or self.gated_recall is None:
            return None
        return (self.free_recall + self.gated_recall) / 2

    @property
    def tier_match(self) -> float | None:
        """Of the features gated both in reality and in the advice, the share in the same tier."""
        both = [p for p in self.placements if not p.real_free and not p.advice_free]
        return self._ratio(sum(p.advice_tier == p.real_tier for p in both), len(both))

    @property
    def tier_match_all_gated(self) -> float | None:
        """Of all features gated in reality, the share the advice gates in the same tier."""
        gated = [p for p in self.placements if not p.real_free]
        return self._ratio(
            sum(not p.advice_free and p.advice_tier == p.real_tier for p in gated), len(gated)
        )

    @property
    def limited_agreement(self) -> float | None:
        """Of the features free in reality, the share where both agree on a usage wall or none."""
        free = [p for p in self.placements if p.real_free]
        return self._ratio(
            sum((p.advice == "free-limited") == p.real_limited for p in free), len(free)
        )

    def merged(self, others: Iterable[Score]) -> Score:
        return Score([p for s in (self, *others) for p in s.placements])


@dataclass(frozen=True)
class ProductResult:
    product: str
    source: str
    has_free_plan: bool
    score: Score


def _imported(text: str, name: str) -> Any:
    return parse_inventory(dump_inventory(import_pricing2yaml(text, name)), name)


def evaluate_pricing(text: str, name: str, ruleset: RuleSet) -> tuple[bool, Score]:
    """Blind one pricing, analyze it, and compare with its real placements.

    Returns whether the product has a free plan, and the score over the features that some
    plan includes (features sold only as add-ons, or in no plan, have no placement).
    """
    real = _imported(text, name)
    has_free_plan = real.product.model != "paid-only"
    pricing = yaml.safe_load(text)
    blinded_text = yaml.safe_dump(blind(pricing), sort_keys=False, allow_unicode=True)
    analysis = analyze(_imported(blinded_text, name), ruleset)
    advice = {a.feature.id: a for a in analysis.assessments}
    free_tier = real.product.free_tier.name
    placements = [
        Placement(
            feature.id,
            feature.current,
            feature.current == free_tier,
            feature.current == free_tier and feature.limit is not None,
            advice[feature.id].recommendation,
            advice[feature.id].tier,
        )
        for feature in real.features
        if feature.current is not None
    ]
    return has_free_plan, Score(placements)
