"""Guesses never fail the gate by default: a finding that rests on a guess is a note.

A feature's finding rests on a guess when its check says the hit rests on inferred signals,
or when the advice it compares with rests on inferred evidence or none (``evidence`` of the
assessment, :mod:`freemium_advisor.engine.evidence`). Such a finding is reported at most as a
``note`` that says what was guessed and which answer would settle it; ``strict`` (``check
--strict``, ``strict: true`` in ``.freemium-advisor.yaml``) keeps every finding at its full
severity instead. The same feature with its signals answered keeps its full severity either way.
"""

from __future__ import annotations

from dataclasses import replace

from freemium_advisor.engine.checklogic import tier_from
from freemium_advisor.engine.evidence import ANSWERED, NO_EVIDENCE
from freemium_advisor.reading.checkcatalog import check_by_id
from freemium_advisor.model.rules import RuleSet
from freemium_advisor.model.signals import SIGNAL_BY_NAME
from freemium_advisor.result import AGREEING, INFERRED, SEVERITIES, Assessment, Finding

GUESS_SEVERITY = "note"
# A finding about the missing evidence itself reports a fact about the inventory, not a guess.
ABOUT_THE_EVIDENCE = frozenset({"no-signals-no-text"})


def settle_guesses(
    findings: tuple[Finding, ...], assessments: tuple[Assessment, ...], ruleset: RuleSet,
    strict: bool = False,
) -> tuple[Finding, ...]:
    """The findings with every guess at most a note (each saying what would settle it), or,
    with ``strict``, every finding at its check's full severity."""
    by_id = {a.feature.id: a for a in assessments}
    settled = []
    for finding in findings:
        a = by_id.get(finding.feature) if finding.feature is not None else None
        full = finding.severity  # find() gave it its check's severity in force
        if a is None or not rests_on_guess(finding, a):
            settled.append(finding)
        elif strict:
            settled.append(replace(finding, severity=full, inferred=True))
        else:
            # A finding that says it rests on a guess is marked as one, whichever guess it is.
            severity = max(full, GUESS_SEVERITY, key=SEVERITIES.index)
            settled.append(replace(finding, severity=severity, inferred=True,
                                   message=_with_note(finding.message, guess_note(a, ruleset, finding))))
    return tuple(settled)


def rests_on_guess(finding: Finding, assessment: Assessment) -> bool:
    """Whether a feature's finding rests on inferred signals or on advice that does."""
    if finding.check in ABOUT_THE_EVIDENCE:
        return False
    return finding.inferred or assessment.evidence != ANSWERED


def guess_note(assessment: Assessment, ruleset: RuleSet, finding: Finding | None = None) -> str:
    """``a guess: we guessed virality high from 'share'; answer virality to settle it``.

    A finding about the tier that its type says (``rests_on: advice.tier``) says so."""
    if assessment.evidence == NO_EVIDENCE:
        asked = assessment.questions
        if not asked:
            return "a guess: nothing but defaults speak for the advice"
        return f"a guess: nothing but defaults speak for the advice; answer {_some(asked)} to settle it"
    if finding is not None and _tier_from_type(finding, assessment):
        return "a guess: the tier is what its type says; answer audience to settle it"
    names = guessed_signals(assessment, ruleset)
    guessed = []
    for name in names:
        signal = assessment.signals[name]
        if signal.source != INFERRED:
            continue
        words = ", ".join(dict.fromkeys(f"'{w}'" for e in signal.evidence for w in e.words))
        value = SIGNAL_BY_NAME[name].display(signal.value)
        guessed.append(f"{name} {value} from {words}" if words else f"{name} {value}")
    said = "we guessed " + "; ".join(guessed) if guessed else "read from the feature's name, type or metering"
    return f"a guess: {said}; answer {_some(names)} to settle it" if names else f"a guess: {said}"


def guessed_signals(assessment: Assessment, ruleset: RuleSet) -> tuple[str, ...]:
    """The signals the guessed reasons for the advice read: answering them settles it."""
    agreeing = AGREEING[assessment.recommendation]
    names: dict[str, None] = {}
    for reason in assessment.reasons:
        if reason.inferred and reason.direction in agreeing:
            try:
                rule = ruleset.get(reason.rule)
            except KeyError:
                continue
            names.update((name, None) for name in rule.reads
                         if assessment.signals[name].source != "explicit")
    return tuple(names)


def _tier_from_type(finding: Finding, assessment: Assessment) -> bool:
    """Whether the finding is about a tier that only the feature's type says."""
    spec = check_by_id().get(finding.check)
    return (spec is not None and spec.rests_on == "advice.tier"
            and tier_from(assessment) == "type")


def _some(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _with_note(message: str, note: str) -> str:
    """The message, then the note as a sentence of its own (a message may end in a
    parenthesis of its own: two in a row read badly)."""
    return f"{message.rstrip('.')}. {note[0].upper()}{note[1:]}."
