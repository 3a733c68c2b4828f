"""The result of an analysis: what every output format renders from, and nothing else.

``Analysis`` holds the tool that produced it, the rule set's fingerprint, the input path,
the product, one ``Assessment`` per feature in input order and the ``Finding`` list. Each
``Reason`` carries its rule's ``Source`` (principle, seed, timestamp), so a report can cite
the framework without going back to the rule packs.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from freemium_advisor import __version__
from freemium_advisor.model.inventory import Feature, Inventory, Product
from freemium_advisor.model.rules import RuleSet, Source
from freemium_advisor.model.signals import (
    CRITERION_IDS,
    DEFAULT_CRITERION,
    RECOMMENDATIONS,
)

TOOL_NAME = "freemium-advisor"
SEVERITIES = ("error", "warning", "note")

EXPLICIT = "explicit"
INFERRED = "inferred"
UNSET = "unset"
# The confidence label when nothing but the default spoke: the advice is only the default.
UNKNOWN = "unknown"

# Growth weight this many times the usage and gating weight clearly outweighs them.
CLEARLY_OUTWEIGHS = 4

# The directions of the reasons that speak for each recommendation.
AGREEING = {
    "free": ("free",),
    "free-limited": ("limit", "free"),
    "gated": ("gated", "limit"),
}


@dataclass(frozen=True)
class Tool:
    """What produced a result: the tool's name and version."""

    name: str = TOOL_NAME
    version: str = __version__


@dataclass(frozen=True)
class Evidence:
    """Words an inference rule found, and what it concluded from them."""

    rule: str
    words: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Signal:
    """A signal's value for one feature, and where the value came from."""

    name: str
    value: Any
    source: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Reason:
    """A score rule that fired for a feature, with the framework passage it encodes."""

    rule: str
    criterion: str
    direction: str
    weight: float
    message: str
    inferred: bool
    evidence: tuple[Evidence, ...] = ()
    source: Source | None = None

    @property
    def contribution(self) -> float:
        """Signed weight: positive towards free, negative towards a wall or a gate."""
        return self.weight if self.direction == "free" else -self.weight


@dataclass(frozen=True)
class Weights:
    """The sum of fired weights in each direction."""

    free: float = 0.0
    limit: float = 0.0
    gated: float = 0.0

    @property
    def score(self) -> float:
        """Positive leans free, negative leans gated."""
        return self.free - self.limit - self.gated

    @property
    def total(self) -> float:
        return self.free + self.limit + self.gated


@dataclass(frozen=True)
class Assessment:
    """The advice for one feature, with everything needed to explain it."""

    feature: Feature
    recommendation: str
    tier: str | None
    weights: Weights
    margin: float
    confidence: float
    confidence_label: str
    reasons: tuple[Reason, ...]
    signals: dict[str, Signal] = field(compare=False)
    limit_metric: str | None = None
    limit_rule: str | None = None  # the metric rule that named the wall, if one did
    # With confidence "unknown": the signals whose answer alone would change the advice.
    questions: tuple[str, ...] = ()
    # Every reason for the advice rests on signals inferred from words, none on an answer.
    by_words: bool = False
    # Who the feature's type says buys it (the policy's ``type_audiences``), if it says.
    type_audience: str | None = None
    # What the decisive reasons rest on: answered, inferred or none (engine/evidence.py).
    evidence: str = "none"

    @property
    def score(self) -> float:
        return _rounded(self.weights.score)

    @property
    def criteria(self) -> dict[str, float]:
        """Net contribution of each criterion, every criterion listed (not the default)."""
        totals: dict[str, float] = {}
        for reason in self.reasons:
            totals[reason.criterion] = totals.get(reason.criterion, 0.0) + reason.contribution
        # A criterion no reason spoke for is 0.0 as it is: only the others need rounding.
        return {k: _rounded(totals[k]) if k in totals else 0.0 for k in CRITERION_IDS}

    @property
    def default(self) -> float:
        """Net contribution of the default rules: what holds when no criterion speaks."""
        return _rounded(sum(r.contribution for r in self.reasons
                            if r.criterion == DEFAULT_CRITERION.id))

    @property
    def known(self) -> bool:
        """Whether anything but the default speaks: an answered or inferred signal, or a
        rule that read the feature itself (being metered, say)."""
        return self.confidence_label != UNKNOWN

    @property
    def wall_advice(self) -> str | None:
        """What to do with the usage wall the free tier has today (``limit``), if it has one.

        ``raise`` it when the growth value clearly outweighs the usage cost (free weight at
        least four times the rest: a generous wall); ``keep`` it for any other free-limited
        advice; ``remove`` it when the feature should be free without one, or not free at all.
        """
        if self.feature.limit is None:
            return None
        if self.recommendation == "free-limited":
            w = self.weights
            return "raise" if w.free >= CLEARLY_OUTWEIGHS * (w.limit + w.gated) else "keep"
        return "remove"

    @property
    def tier_is_guess(self) -> bool:
        """A gated feature whose audience nobody answered, no word suggested and its type
        does not say: its tier is the cheapest paid one by default, a guess rather than a
        reading of the evidence."""
        return (self.recommendation == "gated" and self.signals["audience"].source == UNSET
                and self.type_audience is None)

    @property
    def main_reason(self) -> Reason | None:
        """The heaviest reason that agrees with the recommendation."""
        agreeing = AGREEING[self.recommendation]
        candidates = [
            (order, r) for order, r in enumerate(self.reasons) if r.direction in agreeing
        ]
        if not candidates:
            return None
        # Highest weight first; on a tie the PM's own answers before inferred ones, then the
        # direction listed first, then rule order.
        return min(
            candidates,
            key=lambda item: (-item[1].weight, item[1].inferred,
                              agreeing.index(item[1].direction), item[0]),
        )[1]


@dataclass(frozen=True)
class Suppression:
    """Why a finding does not count: a waiver in the inventory, the baseline file, or that it
    was there before the change (``--base``)."""

    kind: str  # waiver | baseline | base
    reason: str
    owner: str | None = None
    expires: str | None = None


@dataclass(frozen=True)
class Finding:
    """One problem a check found, located in the inventory file.

    ``subject`` is what the finding is about (a feature id, a tier name, or ``""`` for the
    product); the ``fingerprint`` is made from the check id and the subject only, never the
    line, so an edit elsewhere in the file never makes an old finding look new.
    """

    check: str
    title: str
    severity: str
    message: str
    feature: str | None
    file: str
    line: int
    column: int
    source: Source | None
    help: str = ""
    subject: str = ""
    inferred: bool = False
    suppression: Suppression | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.check, self.subject or self.feature or "")


def fingerprint(check: str, subject: str) -> str:
    """A stable identity for a finding: 16 hex digits of SHA-256 over check id and subject."""
    return hashlib.sha256(f"{check}\0{subject}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Analysis:
    """Everything an output format needs: who produced it, from what, and the advice."""

    tool: Tool
    rules_fingerprint: str
    rule_packs: tuple[str, ...]
    path: str
    inventory: Inventory
    ruleset: RuleSet
    assessments: tuple[Assessment, ...]
    findings: tuple[Finding, ...]
    # Findings that do not count (waived, in the baseline, or there before --base), each
    # with its suppression.
    suppressed: tuple[Finding, ...] = ()

    @property
    def product(self) -> Product:
        return self.inventory.product

    def summary(self) -> dict[str, int]:
        """How many features get each recommendation (every recommendation listed)."""
        counts = Counter(a.recommendation for a in self.assessments)
        return {r: counts.get(r, 0) for r in RECOMMENDATIONS}

    def finding_counts(self) -> dict[str, int]:
        """How many findings of each severity (every severity listed)."""
        counts = Counter(f.severity for f in self.findings)
        return {s: counts.get(s, 0) for s in SEVERITIES}

    def assessment(self, feature_id: str) -> Assessment:
        """The assessment of one feature; an unknown id raises ``KeyError``."""
        for assessment in self.assessments:
            if assessment.feature.id == feature_id:
                return assessment
        raise KeyError(feature_id)


def _rounded(value: float) -> float:
    # round() keeps the sign of a tiny negative, and -0.0 prints as "-0.00": add 0.0.
    return round(value, 3) + 0.0
