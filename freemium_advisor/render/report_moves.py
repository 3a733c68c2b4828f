"""The report's top moves and the answers worth confirming.

A move is a change of placement worth making, with the reasons that separate the advice from
where the feature sits today; a change only the defaults speak for is not a move. An answer
worth confirming is, per feature, the unanswered signal whose answer would change the advice
most (the what-ifs of :mod:`.report_features`), ranked by how unsure the advice is.
"""

from __future__ import annotations

from freemium_advisor.base.record import record
from freemium_advisor.model.signals import (
    AUDIENCES,
    DEFAULT_CRITERION,
    RECOMMENDATIONS,
    SIGNAL_BY_NAME,
)
from freemium_advisor.render.report_features import FeatureReport, FlipView
from freemium_advisor.render.report_words import quoted, shell
from freemium_advisor.result import INFERRED, UNSET, Assessment, Flip, Reason

MAX_QUESTIONS = 5
CLAIM_WORDS = 4  # words a reason's claim needs to stand without its justification


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


# --- the moves -------------------------------------------------------------------------------

def separating_reasons(f: FeatureReport) -> list[Reason]:
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


def move_of(f: FeatureReport) -> Move | None:
    """The move a changed feature makes, or ``None`` when only the default speaks for it."""
    a = f.assessment
    separating = sorted(separating_reasons(f), key=lambda r: (-r.weight, r.inferred, r.rule))
    if separating:
        why = claim(separating[0].message)
        if len(separating) > 1:
            more = len(separating) - 1
            why += f" (and {more} more reason{'s' if more > 1 else ''})"
        guess = all(r.inferred for r in separating)
        if guess:
            words = _words(separating)
            basis = f.guesses.basis(separating) or "its type or metering"
            why += f"; a guess from the words {quoted(words)}" if words else f"; a guess from {basis}"
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


def claim(message: str) -> str:
    """A reason's claim: its message up to the colon or semicolon that starts the
    justification (the appendix gives the whole), when what comes before says enough."""
    message = " ".join(message.split()).rstrip(". ")
    cut = min((i for i in (message.find(": "), message.find("; ")) if i > 0), default=-1)
    if cut > 0 and len(message[:cut].split()) >= CLAIM_WORDS:
        return message[:cut]
    return message


def _words(reasons) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for r in reasons for e in r.evidence for w in e.words))


def move_order(move: Move) -> tuple:
    """Impact (free and gated swapped, a wall, a paid tier) weighed by confidence; an unknown
    confidence counts for less than the lowest measured band."""
    a = move.feature.assessment
    sure = a.confidence if a.known else 0.5
    return (-move.impact * sure, -move.impact, move.guess, -a.margin, move.feature.number)


# --- what to confirm ---------------------------------------------------------------------------

def confirmations(features: tuple[FeatureReport, ...], moves: set[int], path: str) -> tuple[Confirmation, ...]:
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
    command = f"freemium-advisor ask {shell(path)} --feature "
    return tuple(
        Confirmation(f, view, _question_text(f, view), command + shell(f.feature.id))
        for _, _, f, view in found[:MAX_QUESTIONS]
    )


def _biggest_change(recommendation: str) -> int:
    """The biggest change (:func:`.report_features._flip_view`) any answer can make of this recommendation."""
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
        now = f"We guessed {flip.signal} {shown}" + (f" from {quoted(words)}" if words else "") + "."
    else:
        now = f"Nobody answered {flip.signal}."
    return (f"{view.question} {now} If {flip.signal} is {flip.value}, the advice becomes "
            f"{view.outcome} (now {f.advised}).")
