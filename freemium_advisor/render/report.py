"""What a rationale report says, computed once from an :class:`Analysis` for every report format.

The Markdown and HTML templates only lay this out: the summary (counts, changed advice,
findings by severity), the free tier judged as a whole, the questions still open ranked by how
much one answer would change the advice, and one section per feature with its reasons, its
evidence and what would flip it. Nothing here knows Markdown or HTML, and nothing here runs
the engine: the report is a view over an analysis built with what-ifs
(``analyze(..., what_ifs=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from freemium_advisor.render.citations import Citation, cite
from freemium_advisor.result import (
    EXPLICIT,
    INFERRED,
    SEVERITIES,
    Analysis,
    Assessment,
    Finding,
    Flip,
    Reason,
    Signal,
)
from freemium_advisor.model.rules import Source
from freemium_advisor.model.signals import CRITERIA, RECOMMENDATIONS, SIGNAL_BY_NAME

CRITERION_TITLES = {c.id: c.title for c in CRITERIA}
QUESTIONS = {c.id: c.question for c in CRITERIA}
MEDIUM = 2  # a level of "medium" or more counts as present in the free-tier judgement


@dataclass(frozen=True)
class CitedReason:
    """A reason that fired, with its citation."""

    reason: Reason
    citation: Citation | None


@dataclass(frozen=True)
class SignalEvidence:
    """One signal the advice read: its value, and whether the PM answered it or words did
    (which words, found by which inference rules)."""

    name: str
    value: str
    answered: bool
    words: tuple[str, ...]
    rules: tuple[str, ...]


@dataclass(frozen=True)
class FlipView:
    """A what-if answer, with the question that asks it and how big a change it makes."""

    flip: Flip
    question: str
    change: int
    tier_only: bool


@dataclass(frozen=True)
class FeatureReport:
    """Everything the report says about one feature."""

    number: int
    assessment: Assessment
    reasons: tuple[CitedReason, ...]
    evidence: tuple[SignalEvidence, ...]
    flips: tuple[FlipView, ...]
    changed: bool

    @property
    def feature(self):
        return self.assessment.feature

    @property
    def growth(self) -> float:
        """Weight towards free: the growth value the quadrant chart plots upwards."""
        return self.assessment.weights.free

    @property
    def friction(self) -> float:
        """Weight towards a wall or a gate: friction, cost, production use and the buyer."""
        return self.assessment.weights.limit + self.assessment.weights.gated

    @property
    def answered(self) -> tuple[SignalEvidence, ...]:
        return tuple(e for e in self.evidence if e.answered)

    @property
    def inferred(self) -> tuple[SignalEvidence, ...]:
        return tuple(e for e in self.evidence if not e.answered)

    @property
    def criteria(self) -> list[tuple[str, float]]:
        """(criterion title, net score) for the criteria that carried weight."""
        return [(CRITERION_TITLES[c], v) for c, v in self.assessment.criteria.items() if v]


@dataclass(frozen=True)
class FreeTierAspect:
    """One question about the free tier as a whole, and the features that answer it."""

    title: str
    question: str
    present: bool
    verdict: str
    features: tuple[FeatureReport, ...]
    citation: Citation | None


@dataclass(frozen=True)
class OpenQuestion:
    """A feature whose advice is a guess, and the one or two answers that would change it."""

    feature: FeatureReport
    questions: tuple[FlipView, ...]


@dataclass(frozen=True)
class TierCount:
    name: str
    audience: str
    advised: int
    today: int


@dataclass(frozen=True)
class Report:
    """The report's content, in the order the templates print it."""

    analysis: Analysis
    features: tuple[FeatureReport, ...]
    tiers: tuple[TierCount, ...]
    free_tier: tuple[FreeTierAspect, ...]
    open_questions: tuple[OpenQuestion, ...]
    settled_guesses: tuple[FeatureReport, ...]
    sources: tuple[Citation, ...]

    @property
    def product(self):
        return self.analysis.inventory.product

    @property
    def summary(self) -> dict[str, int]:
        return self.analysis.summary()

    @property
    def changes(self) -> tuple[FeatureReport, ...]:
        """Features whose advice differs from where they sit today."""
        return tuple(f for f in self.features if f.changed)

    def quadrant(self) -> list[tuple[FeatureReport, float, float]]:
        """(feature, friction and cost, growth value) on one scale for both axes, so that the
        diagonal is where the two balance; inside 0.05..0.95 so labels stay on the chart.
        Features at the same point are nudged apart, or only one label could be read."""
        top = max([max(f.growth, f.friction) for f in self.features] + [1.0])
        points, taken = [], {}
        for f in self.features:
            x = round(0.05 + 0.9 * f.friction / top, 2)
            y = round(0.05 + 0.9 * f.growth / top, 2)
            nudge = taken.get((x, y), 0)
            taken[(x, y)] = nudge + 1
            points.append((f, x, round(min(y + 0.04 * nudge, 0.99), 2)))
        return points

    @property
    def accepted(self) -> list[tuple[Finding, str]]:
        """Findings that do not count (a waiver, the baseline or ``--base`` accepted them),
        each with why, in words."""
        accepted = []
        for finding in self.analysis.suppressed:
            suppression = finding.suppression
            if suppression is None:  # pragma: no cover - suppressed findings carry their reason
                accepted.append((finding, "accepted"))
                continue
            note = f"{suppression.kind}: {suppression.reason}" if suppression.reason else suppression.kind
            if suppression.owner:
                note += f" (owner {suppression.owner})"
            if suppression.expires:
                note += f", until {suppression.expires}"
            accepted.append((finding, note))
        return accepted

    @property
    def findings_by_severity(self) -> list[tuple[str, list[Finding]]]:
        """Findings grouped by severity, most severe first; a severity the checks add later
        (or a state such as waived) comes after the known ones rather than being dropped."""
        known = list(SEVERITIES)
        extra = sorted({f.severity for f in self.analysis.findings} - set(known))
        groups = []
        for severity in known + extra:
            found = [f for f in self.analysis.findings if f.severity == severity]
            if found:
                groups.append((severity, found))
        return groups


# The framework passages behind the free-tier judgement (see the rules citing the same lines).
AHA = Source("Aha moment / proof of concept", "000_d5fe08b4bac5d94d.txt", "00:50:51",
             "Provide a proof-of-concept experience that helps users understand the value")
HABIT = Source("Habit loops", "000_d5fe08b4bac5d94d.txt", "00:50:59",
               "Encourage habitual usage (e.g., notifications, communication channels)")
VIRAL = Source("Indirect monetization through virality and network effects",
               "000_d5fe08b4bac5d94d.txt", "00:47:45",
               "Facilitate virality or network effects, leading to acquisition")
UPGRADE = Source("Usage-based freemium (MongoDB's free shared cluster)",
                 "000_d5fe08b4bac5d94d.txt", "00:43:57",
                 'Offers a free, shared "community cluster" for experimentation without a time '
                 "limit. Any production use case requires their paid monetization model")


def build_report(analysis: Analysis) -> Report:
    """Compute everything a report prints from one analysis built with what-ifs
    (deterministic: input order); without them, ``ValueError``."""
    if any(a.what_ifs is None for a in analysis.assessments):
        raise ValueError("a report needs the analysis built with what-ifs: analyze(..., what_ifs=True)")
    features = tuple(
        _feature_report(number, a, a.what_ifs, analysis)
        for number, a in enumerate(analysis.assessments, start=1)
    )
    guesses = [f for f in features if _is_guess(f.assessment)]
    open_flips = {f.number: _open_flips(f) for f in guesses}
    # The answer that would change the advice most comes first: a free/gated swing before a
    # wall, before a tier; then the feature more answers would move, then the least sure.
    ranked = sorted((f for f in guesses if open_flips[f.number]), key=lambda f: (
        -open_flips[f.number][0].change, -len(open_flips[f.number]), f.assessment.confidence,
        f.number,
    ))
    open_questions = tuple(OpenQuestion(f, open_flips[f.number][:2]) for f in ranked)
    settled = tuple(f for f in guesses if not open_flips[f.number])
    return Report(
        analysis, features, _tier_counts(analysis), _free_tier(features),
        open_questions, settled, _sources(analysis),
    )


def _feature_report(number: int, a: Assessment, flips: tuple[Flip, ...], analysis: Analysis) -> FeatureReport:
    reasons = tuple(
        CitedReason(r, cite(r.source))
        for r in sorted(a.reasons, key=lambda r: (-r.weight, r.rule))
    )
    evidence = tuple(_evidence(s) for s in a.signals.values() if s.source in (EXPLICIT, INFERRED))
    views = tuple(_flip_view(a, f) for f in flips)
    return FeatureReport(number, a, reasons, evidence, views, _changed(a, analysis))


def _evidence(signal: Signal) -> SignalEvidence:
    words = tuple(dict.fromkeys(w for e in signal.evidence for w in e.words))
    return SignalEvidence(
        signal.name, SIGNAL_BY_NAME[signal.name].display(signal.value),
        signal.source == EXPLICIT, words, tuple(e.rule for e in signal.evidence),
    )


def _flip_view(a: Assessment, flip: Flip) -> FlipView:
    spec = SIGNAL_BY_NAME[flip.signal]
    distance = abs(RECOMMENDATIONS.index(flip.recommendation) - RECOMMENDATIONS.index(a.recommendation))
    # Two steps (free <-> gated) outweigh one (a wall), which outweighs a change of paid tier.
    change = 2 * distance if distance else 1
    return FlipView(flip, QUESTIONS[spec.criterion], change, distance == 0)


def _changed(a: Assessment, analysis: Analysis) -> bool:
    feature = a.feature
    if feature.current is None:
        return False
    if feature.current != a.tier:
        return True
    free = analysis.inventory.product.free_tier.name
    walled_today = feature.limit is not None
    return feature.current == free and walled_today != (a.recommendation == "free-limited")


def _is_guess(a: Assessment) -> bool:
    """The advice rests on no answered signal, or only on words: its main reason is inferred."""
    if not a.feature.signals:
        return True
    main = a.main_reason
    return main is not None and main.inferred


def _open_flips(f: FeatureReport) -> tuple[FlipView, ...]:
    """The flips of signals the PM left open, the biggest change first (then signal order)."""
    return tuple(sorted((v for v in f.flips if v.flip.signal not in f.feature.signals),
                        key=lambda v: -v.change))


def _tier_counts(analysis: Analysis) -> tuple[TierCount, ...]:
    return tuple(
        TierCount(
            t.name, t.audience,
            sum(a.tier == t.name for a in analysis.assessments),
            sum(a.feature.current == t.name for a in analysis.assessments),
        )
        for t in analysis.inventory.product.tiers
    )


def _free_tier(features: tuple[FeatureReport, ...]) -> tuple[FreeTierAspect, ...]:
    free = [f for f in features if f.assessment.recommendation != "gated"]

    def having(signal: str) -> tuple[FeatureReport, ...]:
        return tuple(f for f in free if f.assessment.signals[signal].value >= MEDIUM)

    aha, habit, viral = having("aha"), having("habit"), having("virality")
    walls = tuple(f for f in free if f.assessment.recommendation == "free-limited")
    return (
        FreeTierAspect(
            "Aha moment", "Does the free tier reach the first moment of value?", bool(aha),
            "Yes: free users can reach the proof of concept." if aha else
            "No: nothing advised free is on the path to the aha moment; free users may never see the value.",
            aha, cite(AHA)),
        FreeTierAspect(
            "Habit loop", "Does it bring users back?", bool(habit),
            "Yes: free use can become a habit." if habit else
            "No: nothing advised free drives repeated use.",
            habit, cite(HABIT)),
        FreeTierAspect(
            "Viral loop", "Does free use bring in new users?", bool(viral),
            "Yes: free use spreads the product." if viral else
            "No: nothing advised free reaches people who are not users yet.",
            viral, cite(VIRAL)),
        FreeTierAspect(
            "Upgrade trigger", "Is there a usage wall a growing user hits?", bool(walls),
            "Yes: growing use meets a wall and an upgrade." if walls else
            "No usage wall: free users who grow have no usage reason to pay; only gated features ask them to.",
            walls, cite(UPGRADE)),
    )


def _sources(analysis: Analysis) -> tuple[Citation, ...]:
    """Every passage the report cites, once, in the order of the talk."""
    seen: dict[tuple, Citation] = {}
    sources = [r.source for a in analysis.assessments for r in a.reasons]
    sources += [f.source for f in analysis.findings] + [AHA, HABIT, VIRAL, UPGRADE]
    for source in sources:
        citation = cite(source)
        if citation is None:
            continue
        # One entry per passage: of two paraphrases of it, keep the fuller one.
        key = (citation.timestamp or "", citation.principle, citation.episode)
        kept = seen.get(key)
        if kept is None or len(citation.quote or "") > len(kept.quote or ""):
            seen[key] = citation
    return tuple(seen[k] for k in sorted(seen))
