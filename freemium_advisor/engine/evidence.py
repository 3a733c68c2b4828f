"""Evidence: what a recommendation rests on, worked out by taking reasons away and deciding again.

Each reason that fired rests on one kind of evidence: ``answered`` (signals the PM answered,
and facts about the product the PM wrote), ``inferred`` (signals read from words, and the
feature's own name, type or metering) or ``none`` (the default, and conditions met only by
signals nobody set). A recommendation's evidence is that of its *decisive* reasons, those
without which it would change:

* ``answered`` when the answered reasons, with the default, already give the same
  recommendation: every guess could be taken away and the advice would stand;
* ``inferred`` when some guess is needed for it;
* ``none`` when only the default speaks for it and an answer nobody gave could change it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from freemium_advisor.model.rules import Policy, Rule
from freemium_advisor.model.signals import DEFAULT_CRITERION
from freemium_advisor.result import AGREEING, EXPLICIT, INFERRED, Reason, Signal, Weights

ANSWERED = "answered"
GUESSED = "inferred"
NO_EVIDENCE = "none"
EVIDENCE_KINDS = (ANSWERED, GUESSED, NO_EVIDENCE)

# What a feature says of itself that the engine reads as a guess: its words, the shape of its
# name, its type and its metering. Its id says nothing about the feature.
_READ_AS_GUESS = frozenset({"name", "description", "category", "text", "metered", "name_words"})


def reason_evidence(rule: Rule, signals: dict[str, Signal]) -> str:
    """The kind of evidence a score rule that fired rests on, from the values its condition
    reads: a guess if it reads any inferred signal or the feature's own words, name, type or
    metering; else an answer if it reads an answered signal or a product fact; else none."""
    if rule.criterion == DEFAULT_CRITERION.id or rule.when is None:
        return NO_EVIDENCE
    fields = rule.when.fields
    if fields is None:  # a condition that may read anything may read a guess
        return GUESSED
    kind = NO_EVIDENCE
    for field in fields:
        top = field[0]
        if top == "signals":
            source = signals[field[1]].source if len(field) > 1 else INFERRED
            if source == INFERRED:
                return GUESSED
            if source == EXPLICIT:
                kind = ANSWERED
        elif top == "feature":
            if len(field) == 1 or field[1] in _READ_AS_GUESS:
                return GUESSED
        elif top == "product":
            kind = ANSWERED
    return kind


def decision_evidence(
    reasons: Iterable[tuple[Reason, str]], recommendation: str, policy: Policy,
    decide: Callable[[Weights, Policy], object], answered: bool,
    open_question: Callable[[], bool],
) -> str:
    """The kind of evidence a recommendation rests on (see the module's docstring).

    ``reasons`` pairs each reason that fired with its kind; ``decide`` is the engine's
    decision; ``answered`` says whether the PM answered any signal, and ``open_question``
    whether an unanswered signal could change the advice (asked only when the default
    alone speaks for it: then the answers settle it only if no such signal is left).
    """
    reasons = list(reasons)
    agreeing = AGREEING[recommendation]
    speaks = [kind for reason, kind in reasons
              if reason.direction in agreeing and kind != NO_EVIDENCE]
    if ANSWERED in speaks:
        kept = [reason for reason, kind in reasons if kind != GUESSED]
        if decide(_weights(kept), policy).recommendation == recommendation:
            return ANSWERED
    if speaks:
        return GUESSED
    return ANSWERED if answered and not open_question() else NO_EVIDENCE


def net_reasons(reasons: Iterable[Reason], recommendation: str) -> int:
    """How many more reasons speak for the recommendation than against it, the default not
    counted: reasons that agree corroborate each other, one that disagrees takes one away
    (what a confidence band reads)."""
    agreeing = AGREEING[recommendation]
    return sum(1 if r.direction in agreeing else -1
               for r in reasons if r.criterion != DEFAULT_CRITERION.id)


def _weights(reasons: list[Reason]) -> Weights:
    return Weights.summed((reason.direction, reason.weight) for reason in reasons)
