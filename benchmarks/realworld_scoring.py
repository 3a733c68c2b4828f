"""Scoring the advice against real SaaS pricings in Pricing2Yaml (benchmark code: it is not
part of the installed tool).

A pricing is *blinded* first: every plan's and add-on's features and limits are removed and
every default value is set to one constant, so nothing of where the real product placed a
feature is visible. The blinded pricing is imported and analyzed, and each recommendation is
compared with the real placement: free (in the price-0 plan) or gated (the cheapest paid plan
that has it).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from freemium_advisor.engine.analysis import analyze
from freemium_advisor.engine.evidence import net_reasons
from freemium_advisor.engine.feature_texts import FeatureTexts, unless_fields
from freemium_advisor.reading.importers import dump_inventory
from freemium_advisor.reading.importers.pricing2yaml import import_pricing2yaml
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.model.rules import RuleSet
from freemium_advisor.base.words import WordList

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
    evidence: str = "none"
    net_reasons: int = 0  # reasons for the advice less those against it, the default not counted
    label: str = "unknown"

    @property
    def advice_free(self) -> bool:
        return self.advice != "gated"

    @property
    def right(self) -> bool:
        """Whether the advice agrees with the real product on free or paid."""
        return self.advice_free == self.real_free


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


def imported(text: str, name: str) -> Inventory:
    """A Pricing2Yaml pricing as the inventory the advice reads."""
    return parse_inventory(dump_inventory(import_pricing2yaml(text, name)), name)


def evaluate_pricing(text: str, name: str, ruleset: RuleSet) -> tuple[bool, Score]:
    """Blind one pricing, analyze it, and compare with its real placements.

    Returns whether the product has a free plan, and the score over the features that some
    plan includes (features sold only as add-ons, or in no plan, have no placement).
    """
    real = imported(text, name)
    has_free_plan = real.product.model != "paid-only"
    pricing = yaml.safe_load(text)
    blinded_text = yaml.safe_dump(blind(pricing), sort_keys=False, allow_unicode=True)
    analysis = analyze(imported(blinded_text, name), ruleset)
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
            advice[feature.id].evidence,
            net_reasons(advice[feature.id].reasons, advice[feature.id].recommendation),
            advice[feature.id].confidence_label,
        )
        for feature in real.features
        if feature.current is not None
    ]
    return has_free_plan, Score(placements)


# --- the protocol that keeps word lists honest ---------------------------------------------

WORD_PARTS = ("words", "unless")
_WHY = re.compile(r"#\s*why\s+(.+?):\s*(.+?)\s*$")


@dataclass(frozen=True)
class WordSupport:
    """One entry of a word list and the products whose feature texts it finds something in."""

    rule: str
    part: str  # "words" or "unless"
    entry: str
    products: tuple[str, ...]
    reason: str | None  # a "# why ENTRY: REASON" comment in the rule's block

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.part, self.entry)


def word_support(ruleset: RuleSet, inventories: dict[str, list[Inventory]]) -> list[WordSupport]:
    """Every entry of every word list (inference and metric rules), with its support.

    ``inventories`` maps a product to its inventories (one per year); a product supports an
    entry when some feature text of it, as the rule reads it (its fields, the product's own
    name blanked), contains the entry.
    """
    texts: dict[tuple[str, ...], dict[str, set[str]]] = {}
    for rule in ruleset.rules:
        if rule.words is None:
            continue
        for fields in (rule.fields, unless_fields(rule.fields)):
            if fields not in texts:
                texts[fields] = {
                    product: {
                        FeatureTexts(f, inv.product.name, {}).text(fields)
                        for inv in invs for f in inv.features
                    }
                    for product, invs in inventories.items()
                }
    found = []
    for rule in ruleset.rules:
        reasons = _reasons(rule)
        for part in WORD_PARTS:
            words = getattr(rule, part)
            if words is None:
                continue
            support: dict[str, set[str]] = {entry: set() for entry in words.words}
            fields = rule.fields if part == "words" else unless_fields(rule.fields)
            for product, product_texts in texts[fields].items():
                for text in product_texts:
                    for entry in words.entries_in(text):
                        support[entry].add(product)
            found += [
                WordSupport(rule.id, part, entry, tuple(sorted(products)), reasons.get(entry))
                for entry, products in support.items()
            ]
    return found


def _reasons(rule) -> dict[str, str]:
    """The ``# why ENTRY: REASON`` comments written in a rule's block of its file."""
    path, line = rule.origin.rsplit(":", 2)[:2]
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    reasons = {}
    for text in lines[int(line):]:
        if text.lstrip().startswith("- id:"):
            break
        match = _WHY.search(text)
        if match:
            reasons[match.group(1).strip()] = match.group(2)
    return reasons


def without_entries(ruleset: RuleSet, drop: set[tuple[str, str, str]]) -> RuleSet:
    """The rule set with some word-list entries removed (``(rule, part, entry)``).

    A rule whose ``words`` lose every entry is left out, since it could find nothing.
    """
    if not drop:
        return ruleset
    rules = []
    for rule in ruleset.rules:
        changes = {}
        for part in WORD_PARTS:
            words = getattr(rule, part)
            if words is None:
                continue
            kept = [w for w in words.words if (rule.id, part, w) not in drop]
            if len(kept) != len(words.words):
                changes[part] = WordList(kept) if kept else None
        if "words" in changes and changes["words"] is None:
            continue
        rules.append(replace(rule, **changes) if changes else rule)
    return replace(ruleset, rules=tuple(rules))
