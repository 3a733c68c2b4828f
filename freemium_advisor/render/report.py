"""What a rationale report says, computed once from an :class:`Analysis` for every report format.

The report is read by someone deciding, so it leads with the decision: a verdict on the free
tier (aha moment, habit loop, viral loop, upgrade trigger), the top moves (each with the
reasons that separate the advice from today's placement), the few answers worth confirming,
and the plan as a buyer sees it (features by tier, today beside the advice). Details follow
on demand: the summary, the chart, and an appendix of per-feature sections (``detail``:
the changed features, all, or none), with the default rule explained once in a legend and
one source entry per passage.

Every sentence is composed here as plain text; the Markdown and HTML templates only lay it
out and escape it. The report is a view over an analysis; of the engine it asks only the
what-ifs (:class:`~freemium_advisor.engine.explain.WhatIfSearch`), and only of the features it
shows them for: the appendix's sections and the candidates for what to confirm.
"""

from __future__ import annotations


from functools import cached_property

from freemium_advisor.base.record import record
from freemium_advisor.engine.explain import WhatIfSearch
from freemium_advisor.model.rules import Source
from freemium_advisor.model.signals import (
    AUDIENCES,
    CRITERIA,
    DEFAULT_CRITERION,
    RECOMMENDATIONS,
    SIGNAL_BY_NAME,
)
from freemium_advisor.render import DETAIL_LEVELS
from freemium_advisor.render.citations import Citation, cite
from freemium_advisor.render.report_chart import ChartPoint, quadrant_points
from freemium_advisor.result import (
    AGREEING,
    EXPLICIT,
    INFERRED,
    SEVERITIES,
    UNSET,
    Analysis,
    Assessment,
    Finding,
    Flip,
    Reason,
    Signal,
)

MAX_MOVES = 7
MAX_QUESTIONS = 5
# Names a sentence lists before "and N more": enough to recognise, short enough to read.
NAMES_SHOWN = 3
# Sections the default --detail writes at most: a page stays a few megabytes at 10,000
# features, and ``explain`` or ``--detail all`` gives the rest.
MAX_SECTIONS = 300
CLAIM_WORDS = 4  # words a reason's claim needs to stand without its justification

# The plan's marks: in a tier, free behind a wall, not in it; taken out of it by the advice;
# after a change only the defaults speak for (not advised yet).
MARKS = {"yes": "✓", "wall": "wall", "no": ""}
REMOVED = "–"
UNADVISED = "?"

# What a guess rests on, by the feature's own field a rule reads as one (engine/evidence.py);
# a signal inferred from words is a guess from words.
GUESS_BASES = {"name": "words", "description": "words", "text": "words", "name_words": "words",
               "category": "its type", "metered": "its metering"}
BASES_ORDER = ("words", "its type", "its metering")

CRITERION_TITLES = {c.id: c.title for c in CRITERIA}
QUESTIONS = {c.id: c.question for c in CRITERIA}
MEDIUM = 2  # a level of "medium" or more counts as present in the free-tier verdict


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
    guesses: object  # the report's reading of what a guess rests on (_Guesses)

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


@record
class Verdict:
    """One question about the free tier as a whole, answered yes, no or unknown."""

    title: str
    answer: str  # yes | no | unknown
    guess: bool  # the yes rests on words only: nobody answered it
    line: str
    citation: Citation | None


@record
class Move:
    """A change of placement worth making, and why this change: the reasons that separate
    the advice from where the feature sits today."""

    rank: int
    feature: FeatureReport
    why: str
    guess: bool
    impact: int

    @property
    def confidence(self) -> str:
        """The feature's confidence; for a move between paid tiers, with what the tier is."""
        f = self.feature
        if f.today_recommendation == f.assessment.recommendation == "gated":
            return f"{f.confidence}; the tier is a reading of who buys it"
        return f.confidence


@record
class Confirmation:
    """An answer worth confirming: the one whose answer would change the advice most."""

    feature: FeatureReport
    view: FlipView
    text: str  # the question and what the answer would do, in one sentence or two
    command: str  # the ``ask`` command that asks it


@record
class PlanRow:
    """One feature of the plan: a cell per tier, today's and the advice's, and which changed.

    A cell is ``yes`` (included), ``wall`` (free behind a usage wall) or ``no``. A change
    only the defaults speak for (``unadvised``) is not advised yet, as the top moves say."""

    feature: FeatureReport
    today: tuple[str, ...]
    advised: tuple[str, ...]
    unadvised: bool = False

    @property
    def differs(self) -> tuple[bool, ...]:
        """Per tier: whether the advice's cell differs from today's (never for a feature
        without a tier today, which has nothing to change)."""
        if self.feature.today is None:
            return tuple(False for _ in self.advised)
        return tuple(t != a for t, a in zip(self.today, self.advised))

    @property
    def changed(self) -> tuple[bool, ...]:
        """Per tier: whether the advice changes the cell, as advice (a change only the
        defaults speak for does not)."""
        return tuple(d and not self.unadvised for d in self.differs)

    @property
    def cells(self) -> tuple[tuple[str, str, bool], ...]:
        """(today, advised, changed) per tier, side by side, as marks: ``✓`` included,
        ``wall`` free behind a usage wall, ``–`` taken out by the advice, else nothing; a
        cell a change not advised yet would alter is followed by ``?`` and not changed."""
        return tuple(
            (MARKS[t], (REMOVED if a == "no" else MARKS[a]) + (UNADVISED if self.unadvised else ""),
             not self.unadvised) if differs else (MARKS[t], MARKS[a], False)
            for t, a, differs in zip(self.today, self.advised, self.differs)
        )


@record
class PlanGroup:
    category: str
    rows: tuple[PlanRow, ...]


@record
class FindingGroup:
    """The findings of one check, counted, with the features they are about."""

    severity: str
    check: str
    title: str
    count: int
    names: str


@record
class DefaultRule:
    """A default rule, explained once in the legend instead of on every feature that
    carries it: in its message's words when they are the same for every feature, else in
    its title's (a message that names the feature would name one feature for all)."""

    rule: str
    direction: str
    weight: float
    message: str
    citation: Citation | None
    carried: str  # "every feature", "5 of 58 features"


@record
class TierCount:
    name: str
    audience: str
    advised: int
    today: int


@record
class Report:
    """The report's content, in the order the templates print it."""

    analysis: Analysis
    features: tuple[FeatureReport, ...]
    detail: str
    # The features with a section of their own, as ``detail`` says (``changed``: at most
    # MAX_SECTIONS, the biggest moves first), and how many changed ones that leaves out.
    appendix: tuple[FeatureReport, ...]
    left_out: int
    verdict_basis: str  # "today" or "advised": which free tier the verdict judges
    verdicts: tuple[Verdict, ...]
    moves: tuple[Move, ...]
    more_moves: int
    default_only: tuple[FeatureReport, ...]
    confirmations: tuple[Confirmation, ...]
    plan: tuple[PlanGroup, ...]
    tiers: tuple[TierCount, ...]
    defaults: tuple[DefaultRule, ...]
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

    @cached_property
    def detailed(self) -> frozenset[int]:
        """The numbers of the features with a section in the appendix."""
        return frozenset(f.number for f in self.appendix)

    @property
    def default_only_names(self) -> str:
        """The changes only the default speaks for, named: ``A, B, C and 2 more``."""
        return _names([f.feature.name for f in self.default_only])

    @property
    def ask_command(self) -> str:
        return f"freemium-advisor ask {_shell(self.analysis.path)}"

    @property
    def explain_command(self) -> str:
        return f"freemium-advisor explain {_shell(self.analysis.path)} FEATURE_ID"

    @property
    def check_command(self) -> str:
        return f"freemium-advisor check {_shell(self.analysis.path)}"

    @property
    def placed(self) -> bool:
        """Whether the inventory says where any feature sits today."""
        return any(f.today is not None for f in self.features)

    @cached_property
    def quadrant(self) -> tuple[ChartPoint, ...]:
        """The growth-against-friction points (:mod:`.report_chart`): features at the same
        place share a point, nearby ones are grouped when there are many, and the labels name
        every feature of a small product, else only the top moves."""
        return quadrant_points(self.features, {m.feature.number: m.rank for m in self.moves},
                               unranked=MAX_MOVES + 1)

    @property
    def finding_groups(self) -> tuple[FindingGroup, ...]:
        """The findings by check, most severe first, each with the features it names."""
        groups: dict[tuple[int, str], list[Finding]] = {}
        for f in self.analysis.findings:
            groups.setdefault((_severity_order(f.severity), f.check), []).append(f)
        names = {a.feature.id: a.feature.name for a in self.analysis.assessments}
        return tuple(
            FindingGroup(found[0].severity, check, found[0].title, len(found),
                         _names([names.get(f.feature, f.subject or "the product") for f in found]))
            for (_, check), found in sorted(groups.items())
        )

    @cached_property
    def findings_by_severity(self) -> list[tuple[str, list[Finding]]]:
        """Findings grouped by severity, most severe first, at most :data:`MAX_SECTIONS` in
        all (``check`` lists every one); a severity the checks add later (or a state such as
        waived) comes after the known ones rather than being dropped."""
        known = list(SEVERITIES)
        extra = sorted({f.severity for f in self.analysis.findings} - set(known))
        groups, room = [], MAX_SECTIONS
        for severity in known + extra:
            found = [f for f in self.analysis.findings if f.severity == severity][:room]
            room -= len(found)
            if found:
                groups.append((severity, found))
        return groups

    @property
    def findings_left_out(self) -> int:
        """How many findings the appendix leaves out (past :data:`MAX_SECTIONS`)."""
        return len(self.analysis.findings) - sum(len(found) for _, found in self.findings_by_severity)

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


# The framework passages behind the free-tier verdict (see the rules citing the same lines).
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

# (title, signal, verb for one feature, for several, what it does, passage)
LOOPS = (
    ("Aha moment", "aha", "leads", "lead", "free users to the first moment of value", AHA),
    ("Habit loop", "habit", "brings", "bring", "free users back again and again", HABIT),
    ("Viral loop", "virality", "brings", "bring", "in people who are not users yet", VIRAL),
)


def build_report(analysis: Analysis, detail: str = "changed") -> Report:
    """Compute everything a report prints from one analysis (deterministic: input order),
    searching the what-ifs of the features that need them unless the analysis carries
    them (``analyze(..., what_ifs=True)``). ``detail`` says which
    features get a section in the appendix: ``changed`` (default: those whose advice differs
    from today, at most :data:`MAX_SECTIONS`, the biggest moves first), ``all`` or ``none``."""
    if detail not in DETAIL_LEVELS:
        raise ValueError(f"detail must be one of {', '.join(DETAIL_LEVELS)}, not {detail!r}")
    product = analysis.inventory.product
    citations, search, guesses = _Citations(), WhatIfSearch(analysis), _Guesses(analysis.ruleset)
    features = tuple(
        _feature_report(number, a, product.free_tier.name, citations, search, guesses)
        for number, a in enumerate(analysis.assessments, start=1)
    )
    candidates = {f.number: _move(f) for f in features if f.changed}
    moves = sorted((m for m in candidates.values() if m is not None), key=_move_order)
    ranked = tuple(Move(i, m.feature, m.why, m.guess, m.impact)
                   for i, m in enumerate(moves[:MAX_MOVES], start=1))
    default_only = tuple(f for f in features if f.changed and candidates[f.number] is None)
    if detail == "all":
        appendix = features
    elif detail == "changed":
        # The biggest moves first, then the changes only the default speaks for; shown in
        # the inventory's order.
        chosen = [m.feature for m in moves] + list(default_only)
        appendix = tuple(sorted(chosen[:MAX_SECTIONS], key=lambda f: f.number))
    else:
        appendix = ()
    basis = "today" if any(f.today is not None for f in features) else "advised"
    return Report(
        analysis, features, detail, appendix, len(candidates) - len(appendix) if detail == "changed" else 0,
        basis, _verdicts(features, basis), ranked, max(len(moves) - MAX_MOVES, 0), default_only,
        _confirmations(features, {m.feature.number for m in ranked}, analysis.path),
        _plan(features, product, {f.number for f in default_only}), _tier_counts(analysis),
        _defaults(analysis, citations), _sources(analysis, citations),
    )


class _Citations:
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


class _Guesses:
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
        return _names([b for b in BASES_ORDER if b in found])

    def tag(self, reason: Reason) -> str:
        """``a guess from its metering``, ``a guess``; "" for a reason that rests on no guess."""
        if not reason.inferred:
            return ""
        basis = self.basis((reason,))
        return f"a guess from {basis}" if basis else "a guess"


# --- placements and advice, in words ---------------------------------------------------------

def advice_phrase(recommendation: str, tier: str | None, metric: str | None) -> str:
    """``free``, ``free with a usage wall on boards``, ``gated in pro``, ``gated``."""
    if recommendation == "free-limited":
        return f"free with a usage wall on {metric}" if metric else "free with a usage wall"
    if recommendation == "gated":
        return f"gated in {tier}" if tier else "gated"
    return "free"


def _today(feature, free_tier: str) -> tuple[str | None, str | None]:
    """Where the feature sits today, in words, and the recommendation that placement is."""
    if feature.current is None:
        return None, None
    if feature.current != free_tier:
        return f"gated in {feature.current}", "gated"
    if feature.limit is not None:
        return f"free with a usage wall on {feature.limit.metric}", "free-limited"
    return "free", "free"


def _feature_report(number: int, a: Assessment, free_tier: str, citations: _Citations,
                    search: WhatIfSearch, guesses: _Guesses) -> FeatureReport:
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


def _names(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B, C and 4 more``."""
    names = list(dict.fromkeys(names))
    if len(names) > NAMES_SHOWN:
        return f"{', '.join(names[:NAMES_SHOWN])} and {len(names) - NAMES_SHOWN} more"
    if len(names) > 1:
        return f"{', '.join(names[:-1])} and {names[-1]}"
    return names[0] if names else ""


def _words(reasons) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for r in reasons for e in r.evidence for w in e.words))


def _quoted(words: tuple[str, ...]) -> str:
    return ", ".join(f"“{w}”" for w in words[:NAMES_SHOWN])


# --- the verdict on the free tier ------------------------------------------------------------

def _verdicts(features: tuple[FeatureReport, ...], basis: str) -> tuple[Verdict, ...]:
    if basis == "today":
        judged = [f for f in features if f.today_recommendation in ("free", "free-limited")]
    else:
        judged = [f for f in features if f.assessment.recommendation != "gated"]
    advised = [f for f in features if f.assessment.recommendation != "gated"]
    in_judged = {f.number for f in judged}
    where = "the free tier" if basis == "today" else "the advised free tier"
    verdicts = []
    for title, signal, one, several, does, source in LOOPS:
        having = [f for f in judged if f.assessment.signals[signal].value >= MEDIUM]
        added = [f for f in advised
                 if f.assessment.signals[signal].value >= MEDIUM and f.number not in in_judged]
        verb = one if len(having) == 1 else several
        guess = bool(having) and all(f.assessment.signals[signal].source == INFERRED for f in having)
        if having and guess:
            answer = "yes"
            line = (f"{_names([f.feature.name for f in having])} {verb} {does}, going by their words "
                    f"alone: a guess until someone answers {signal}.")
        elif having:
            answer, line = "yes", f"{_names([f.feature.name for f in having])} {verb} {does}."
        else:
            unanswered = sum(f.assessment.signals[signal].source == UNSET for f in judged)
            if unanswered:
                answer = "unknown"
                line = (f"Nothing in {where} is known to {several} {does}: {signal} is unanswered "
                        f"for {unanswered} of its {len(judged)} features.")
            else:
                answer, line = "no", f"Nothing in {where} {one} {does}."
        if basis == "today" and added:
            line += f" The advice adds {_names([f.feature.name for f in added])}."
        verdicts.append(Verdict(title, answer, guess, line, cite(source)))
    verdicts.append(_upgrade_verdict(features, judged, basis, where))
    return tuple(verdicts)


def _upgrade_verdict(features, judged, basis: str, where: str) -> Verdict:
    """A usage wall growing use hits: today's walls are facts; advised ones are as sure as
    their evidence."""
    advised = [f for f in features if f.assessment.recommendation == "free-limited"]
    if basis == "today":
        walls = [f for f in judged if f.feature.limit is not None]
        guess = False
    else:
        walls = advised
        guess = bool(walls) and all(f.assessment.evidence != "answered" for f in walls)
    if walls:
        verb = "has" if len(walls) == 1 else "have"
        line = f"{_names([f.feature.name for f in walls])} {verb} a usage wall that growing use hits."
        if guess:
            line += " A guess: no wall rests on an answer yet."
    else:
        line = f"{where[0].upper()}{where[1:]} has no usage wall: only gated features ask free users to pay."
    walled = {f.number for f in walls}
    added = [f for f in advised if f.number not in walled]
    if basis == "today" and added:
        line += f" The advice adds {'one' if len(added) == 1 else 'walls'} on {_names([f.feature.name for f in added])}"
        line += " (a guess from words)." if all(f.assessment.evidence != "answered" for f in added) else "."
    return Verdict("Upgrade trigger", "yes" if walls else "no", guess, line, cite(UPGRADE))


# --- the moves -------------------------------------------------------------------------------

def _separating(f: FeatureReport) -> list[Reason]:
    """The reasons that separate the advice from today's placement (never the default): the
    ones pushing from where it sits towards where the advice puts it."""
    a = f.assessment
    reasons = [r for r in a.reasons if r.criterion != DEFAULT_CRITERION.id]
    now, advised = f.today_recommendation, a.recommendation
    if now == advised:  # a gated feature to another paid tier: who values it decides
        wanted = {"audience"}
        if a.signals["production"].value and a.signals["audience"].value == "admin":
            wanted.add("production")  # an admin control in production goes to the enterprise
        return [r for r in reasons if r.criterion in wanted]
    if advised == "free":
        return [r for r in reasons if r.direction == "free"]
    if advised == "free-limited":
        # From free: what makes use cost or matter in production. From a paid tier: the
        # growth value that earns free use.
        return [r for r in reasons if r.direction == ("limit" if now == "free" else "free")]
    # Gated: from free, everything against giving it away; from a wall, the gating reasons.
    directions = ("gated", "limit") if now == "free" else ("gated",)
    return [r for r in reasons if r.direction in directions]


def _move(f: FeatureReport) -> Move | None:
    """The move a changed feature makes, or ``None`` when only the default speaks for it."""
    a = f.assessment
    separating = sorted(_separating(f), key=lambda r: (-r.weight, r.inferred, r.rule))
    if separating:
        why = _claim(separating[0].message)
        if len(separating) > 1:
            more = len(separating) - 1
            why += f" (and {more} more reason{'s' if more > 1 else ''})"
        guess = all(r.inferred for r in separating)
        if guess:
            words = _words(separating)
            basis = f.guesses.basis(separating) or "its type or metering"
            why += f"; a guess from the words {_quoted(words)}" if words else f"; a guess from {basis}"
    elif a.recommendation == "gated" and f.today_recommendation == "gated" and a.type_audience \
            and a.signals["audience"].source == UNSET:
        # The tier comes from the feature's type: who buys features of that type.
        why = (f"Features of its type ({a.feature.category.split(':')[0]}) are bought by the "
               f"{a.type_audience} buyer; a guess from its type")
        guess = True
    else:
        return None
    now = RECOMMENDATIONS.index(f.today_recommendation)
    distance = abs(RECOMMENDATIONS.index(a.recommendation) - now)
    return Move(0, f, why + ".", guess, distance + 1)


def _claim(message: str) -> str:
    """A reason's claim: its message up to the colon or semicolon that starts the
    justification (the appendix gives the whole), when what comes before says enough."""
    message = " ".join(message.split()).rstrip(". ")
    cut = min((i for i in (message.find(": "), message.find("; ")) if i > 0), default=-1)
    if cut > 0 and len(message[:cut].split()) >= CLAIM_WORDS:
        return message[:cut]
    return message


def _move_order(move: Move) -> tuple:
    """Impact (free and gated swapped, a wall, a paid tier) weighed by confidence; an unknown
    confidence counts for less than the lowest measured band."""
    a = move.feature.assessment
    sure = a.confidence if a.known else 0.5
    return (-move.impact * sure, -move.impact, move.guess, -a.margin, move.feature.number)


# --- what to confirm ---------------------------------------------------------------------------

def _confirmations(features: tuple[FeatureReport, ...], moves: set[int], path: str) -> tuple[Confirmation, ...]:
    """The answers worth confirming: per feature, the unanswered signal whose answer would
    change the advice most; ranked by that change, weighed by how unsure the advice is (and
    twice for a top move), at most :data:`MAX_QUESTIONS`.

    A feature's what-ifs are searched only while it may still rank: features are taken by
    the most their answer could weigh (the biggest change its recommendation allows), and
    the search stops when none left could outrank the questions found."""
    candidates = []
    for f in features:
        a = f.assessment
        unsure = 1 - (a.confidence if a.known else 0.0)
        twice = 2 if f.number in moves else 1
        bound = _biggest_change(a.recommendation) * unsure * twice
        if bound > 0:
            candidates.append((-bound, f.number, f, unsure, twice))
    candidates.sort(key=lambda item: item[:2])
    found: list[tuple] = []
    for least, number, f, unsure, twice in candidates:
        if len(found) >= MAX_QUESTIONS and found[MAX_QUESTIONS - 1][:2] < (least, number):
            break
        a = f.assessment
        views = [v for v in f.flips if v.flip.signal not in a.feature.signals
                 and not _contradicts_words(a, v.flip)]
        if not views:
            continue
        view = max(views, key=lambda v: v.change)
        weight = view.change * unsure * twice
        if weight > 0:
            found.append((-weight, number, f, view))
            found.sort(key=lambda item: item[:2])
    command = f"freemium-advisor ask {_shell(path)} --feature "
    return tuple(
        Confirmation(f, view, _question_text(f, view), command + _shell(f.feature.id))
        for _, _, f, view in found[:MAX_QUESTIONS]
    )


def _biggest_change(recommendation: str) -> int:
    """The biggest change (:func:`_flip_view`) any answer can make of this recommendation."""
    at = RECOMMENDATIONS.index(recommendation)
    return 2 * max(at, len(RECOMMENDATIONS) - 1 - at)


def _contradicts_words(a: Assessment, flip: Flip) -> bool:
    """An answer the feature's own words rule out: an audience more than one step from the
    one its words name (SSO is never asked about as a single user's feature)."""
    signal = a.signals[flip.signal]
    if flip.signal != "audience" or signal.source != INFERRED:
        return False
    return abs(AUDIENCES.index(flip.value) - AUDIENCES.index(signal.value)) > 1


def _question_text(f: FeatureReport, view: FlipView) -> str:
    a, flip = f.assessment, view.flip
    signal = a.signals[flip.signal]
    shown = SIGNAL_BY_NAME[flip.signal].display(signal.value)
    if signal.source == INFERRED:
        words = tuple(dict.fromkeys(w for e in signal.evidence for w in e.words))
        now = f"We guessed {flip.signal} {shown}" + (f" from {_quoted(words)}" if words else "") + "."
    else:
        now = f"Nobody answered {flip.signal}."
    return (f"{view.question} {now} If {flip.signal} is {flip.value}, the advice becomes "
            f"{view.outcome} (now {f.advised}).")


def _shell(text: str) -> str:
    """A word as a shell reads it: quoted when it holds anything but safe characters."""
    if text and all(c.isalnum() or c in "-_./%+:,@" for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


# --- the plan, features by tier ----------------------------------------------------------------

def _plan(features: tuple[FeatureReport, ...], product, unadvised: set[int]) -> tuple[PlanGroup, ...]:
    """The features by category, today beside the advice; ``unadvised``: the numbers of the
    changes only the defaults speak for."""
    names = product.tier_names()
    groups: dict[str, list[PlanRow]] = {}
    for f in features:
        a, feature = f.assessment, f.feature
        today = _cells(names, feature.current, feature.limit is not None)
        advised = _cells(names, a.tier, a.recommendation == "free-limited")
        groups.setdefault(feature.category.strip(), []).append(
            PlanRow(f, today, advised, f.number in unadvised))
    # Categories in the order they first appear; features without one last.
    return tuple(PlanGroup(category or "without a category", tuple(rows))
                 for category, rows in sorted(groups.items(), key=lambda item: not item[0]))


def _cells(tiers: list[str], tier: str | None, walled: bool) -> tuple[str, ...]:
    """A feature in ``tier`` is in every tier from it up; free behind a wall in the free tier."""
    if tier is None or tier not in tiers:
        return tuple("no" for _ in tiers)
    start = tiers.index(tier)
    return tuple(
        "no" if i < start else ("wall" if i == 0 and walled else "yes") for i in range(len(tiers))
    )


# --- the rest ----------------------------------------------------------------------------------

def _tier_counts(analysis: Analysis) -> tuple[TierCount, ...]:
    return tuple(
        TierCount(
            t.name, t.audience,
            sum(a.tier == t.name for a in analysis.assessments),
            sum(a.feature.current == t.name for a in analysis.assessments),
        )
        for t in analysis.inventory.product.tiers
    )


def _defaults(analysis: Analysis, citations: _Citations) -> tuple[DefaultRule, ...]:
    """The default rules that fired for some feature, once each, in rule order, for the
    legend, with how many features carry each."""
    fired: dict[str, Reason] = {}
    counts: dict[str, int] = {}
    for a in analysis.assessments:
        for r in a.reasons:
            if r.criterion == DEFAULT_CRITERION.id:
                fired.setdefault(r.rule, r)
                counts[r.rule] = counts.get(r.rule, 0) + 1
    total = len(analysis.assessments)
    rules = {rule.id: rule for rule in analysis.ruleset.rules}
    defaults = []
    for r in sorted(fired.values(), key=lambda r: r.rule):
        rule = rules.get(r.rule)
        per_feature = rule is not None and any(f[0] in ("feature", "signals") for f in rule.message.fields)
        message = rule.title.rstrip(".") + "." if per_feature else r.message
        carried = "every feature" if counts[r.rule] == total else f"{counts[r.rule]} of {total} features"
        defaults.append(DefaultRule(r.rule, r.direction, r.weight, message, citations(r.source), carried))
    return tuple(defaults)


def _severity_order(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _sources(analysis: Analysis, citations: _Citations) -> tuple[Citation, ...]:
    """Every passage the report cites, once, in the order of the talk.

    A passage is a moment of the talk: two rules citing it under different titles, or the
    two write-ups of one statement (dated a few seconds apart), are one entry."""
    sources = {r.source for a in analysis.assessments for r in a.reasons}
    sources |= {f.source for f in analysis.findings}
    made = [c for c in map(citations, (*sorted(sources, key=_source_key), AHA, HABIT, VIRAL, UPGRADE))
            if c is not None]
    # Citations of one passage: the same moment of the talk, or the same principle.
    passages: list[list[Citation]] = []
    for citation in sorted(made, key=lambda c: (c.timestamp or "", c.principle, c.url or "")):
        same = next((p for p in passages if any(
            (c.timestamp and c.timestamp == citation.timestamp and c.url is not None
             and citation.url is not None) or c.principle == citation.principle for c in p
        )), None)
        if same is None:
            passages.append([citation])
        else:
            same.append(citation)
    # Of each passage, the fullest paraphrase (then the earliest moment) is its entry.
    return tuple(min(p, key=lambda c: (-len(c.quote or ""), c.timestamp or "")) for p in passages)


def _source_key(source: Source | None) -> tuple:
    if source is None:
        return ("",)
    return (source.timestamp or "", source.principle, source.seed or "", source.quote or "")

