"""What the report says about one feature: where it sits today and what the advice is, in
words, the reasons with their citations, the evidence, and the what-ifs.

A :class:`FeatureReport` works out its reasons, evidence and what-ifs when first asked for;
the report's memos (one citation per source, one what-if search, the reading of what a guess
rests on) are shared by every feature. The report's sections (:mod:`.report_verdict`,
:mod:`.report_moves`, :mod:`.report_plan`) are built from these.
"""

from __future__ import annotations

from functools import cached_property

from freemium_advisor.base.record import record
from freemium_advisor.engine.explain import WhatIfSearch
from freemium_advisor.model.rules import Source
from freemium_advisor.model.signals import (
    CRITERIA,
    DEFAULT_CRITERION,
    RECOMMENDATIONS,
    SIGNAL_BY_NAME,
)
from freemium_advisor.render.citations import Citation, cite
from freemium_advisor.render.report_words import advice_phrase, name_list
from freemium_advisor.result import (
    AGREEING,
    EXPLICIT,
    INFERRED,
    Assessment,
    Flip,
    Reason,
    Signal,
)

# What a guess rests on, by the feature's own field a rule reads as one (engine/evidence.py);
# a signal inferred from words is a guess from words.
GUESS_BASES = {"name": "words", "description": "words", "text": "words", "name_words": "words",
               "category": "its type", "metered": "its metering"}
BASES_ORDER = ("words", "its type", "its metering")

CRITERION_TITLES = {c.id: c.title for c in CRITERIA}
QUESTIONS = {c.id: c.question for c in CRITERIA}


@record
class CitedReason:
    """A reason that fired, with its citation and, for a guess, what it guesses from."""

    reason: Reason
    citation: Citation | None
    guess: str  # "a guess from its metering"; "" when it rests on no guess


@record
class SignalEvidence:
    """One signal the advice read: its value, and whether the PM answered it or words did
    (which words, found by which inference rules)."""

    name: str
    value: str
    answered: bool
    words: tuple[str, ...]
    rules: tuple[str, ...]


@record
class FlipView:
    """A what-if answer, with the question that asks it and how big a change it makes."""

    flip: Flip
    question: str
    change: int
    tier_only: bool

    @property
    def outcome(self) -> str:
        """What the advice would become: ``free``, ``gated in business``."""
        return advice_phrase(self.flip.recommendation, self.flip.tier, None)


@record
class FlipOutcome:
    """One outcome single answers can lead to, with every answer that leads to it."""

    outcome: str
    answers: tuple[str, ...]  # ``virality: high``


@record
class FeatureReport:
    """Everything the report says about one feature (worked out when first asked for)."""

    number: int
    assessment: Assessment
    today: str | None  # where it sits today, in words; ``None`` when the inventory says nothing
    today_recommendation: str | None
    changed: bool
    cite: object  # the report's memo of citations, one per source
    search: object  # the report's what-if search, one per analysis
    guesses: object  # the report's reading of what a guess rests on (Guesses)

    @property
    def feature(self):
        return self.assessment.feature

    @property
    def advised(self) -> str:
        """The advice in words: ``free``, ``free with a usage wall on boards``, ``gated in pro``."""
        a = self.assessment
        return advice_phrase(a.recommendation, a.tier, a.limit_metric)

    @property
    def confidence(self) -> str:
        """``confidence high``; for gated advice, ``confidence high that it is paid``: the
        confidence measures free, a wall or paid, never which paid tier."""
        a = self.assessment
        if not a.known:
            return "confidence unknown"
        paid = " that it is paid" if a.recommendation == "gated" else ""
        return f"confidence {a.confidence_label}{paid}"

    @property
    def growth(self) -> float:
        """Weight towards free: the growth value the quadrant chart plots upwards."""
        return self.assessment.weights.free

    @property
    def friction(self) -> float:
        """Weight towards a wall or a gate: friction, cost, production use and the buyer."""
        return self.assessment.weights.limit + self.assessment.weights.gated

    @cached_property
    def reasons(self) -> tuple[CitedReason, ...]:
        """The reasons that fired, heaviest first, without the default (the legend explains
        it once for every feature)."""
        return tuple(
            CitedReason(r, self.cite(r.source), self.guesses.tag(r))
            for r in sorted(self.assessment.reasons, key=lambda r: (-r.weight, r.rule))
            if r.criterion != DEFAULT_CRITERION.id
        )

    @property
    def evidence_line(self) -> str:
        """What the advice rests on, in one sentence: the assessment's one evidence kind."""
        a = self.assessment
        if a.evidence == "answered":
            return "The advice rests on answers: it stands without any guess."
        if a.evidence == "inferred":
            agreeing = AGREEING[a.recommendation]
            basis = self.guesses.basis(r for r in a.reasons if r.direction in agreeing)
            settles = ("the answers alone do not settle it" if self.answered
                       else "no answer settles it yet")
            return f"The advice rests on a guess{' from ' + basis if basis else ''}: {settles}."
        return "Nothing answered or inferred decides it: the advice rests on the defaults."

    @cached_property
    def evidence(self) -> tuple[SignalEvidence, ...]:
        return tuple(_evidence(s) for s in self.assessment.signals.values()
                     if s.source in (EXPLICIT, INFERRED))

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

    @cached_property
    def flips(self) -> tuple[FlipView, ...]:
        return tuple(_flip_view(self.assessment, f) for f in self.search(self.assessment))

    @property
    def flip_outcomes(self) -> tuple[FlipOutcome, ...]:
        """What single answers would make of the advice, each outcome once with every answer
        that leads to it, the biggest change first."""
        grouped: dict[str, list[FlipView]] = {}
        for view in sorted(self.flips, key=lambda v: -v.change):
            grouped.setdefault(view.outcome, []).append(view)
        return tuple(
            FlipOutcome(outcome, tuple(f"{v.flip.signal}: {v.flip.value}" for v in views))
            for outcome, views in grouped.items()
        )


class Citations:
    """One citation per source, made once however many reasons cite it."""

    def __init__(self):
        self._made: dict[Source, Citation | None] = {}

    def __call__(self, source: Source | None) -> Citation | None:
        if source is None:
            return None
        found = self._made.get(source, self)
        if found is self:
            found = self._made[source] = cite(source)
        return found


class Guesses:
    """What reasons that rest on a guess guess from, in words: the words of the inferences
    behind the signals they read, and the feature's own fields their rules read."""

    def __init__(self, ruleset):
        self._fields = {r.id: r.when.fields if r.when else () for r in ruleset.rules}

    def basis(self, reasons) -> str:
        """``words``, ``its metering``, ``words and its type``; "" when nothing says."""
        found = set()
        for r in reasons:
            if not r.inferred:
                continue
            if r.evidence:
                found.add("words")
            for field in self._fields.get(r.rule) or ():
                if field[0] == "feature" and len(field) > 1 and field[1] in GUESS_BASES:
                    found.add(GUESS_BASES[field[1]])
        return name_list([b for b in BASES_ORDER if b in found])

    def tag(self, reason: Reason) -> str:
        """``a guess from its metering``, ``a guess``; "" for a reason that rests on no guess."""
        if not reason.inferred:
            return ""
        basis = self.basis((reason,))
        return f"a guess from {basis}" if basis else "a guess"


# --- placements and advice, in words ---------------------------------------------------------

def _today(feature, free_tier: str) -> tuple[str | None, str | None]:
    """Where the feature sits today, in words, and the recommendation that placement is."""
    if feature.current is None:
        return None, None
    if feature.current != free_tier:
        return f"gated in {feature.current}", "gated"
    if feature.limit is not None:
        return f"free with a usage wall on {feature.limit.metric}", "free-limited"
    return "free", "free"


def feature_report(number: int, a: Assessment, free_tier: str, citations: Citations,
                   search: WhatIfSearch, guesses: Guesses) -> FeatureReport:
    today, today_recommendation = _today(a.feature, free_tier)
    changed = today is not None and (
        a.feature.current != a.tier or today_recommendation != a.recommendation
    )
    return FeatureReport(number, a, today, today_recommendation, changed, citations, search, guesses)


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
