"""The report's verdict on the free tier as a whole: does it have an aha moment, a habit
loop, a viral loop, an upgrade trigger? Each answered yes, no or unknown, with whether the
yes is a guess from words, and the passage of the talk behind the question.

The verdict judges today's free tier when the inventory says where features sit, else the
advised one; judging today's, it names what the advice adds.
"""

from __future__ import annotations

from freemium_advisor.base.record import record
from freemium_advisor.model.rules import Source
from freemium_advisor.render.citations import Citation, cite
from freemium_advisor.render.report_features import FeatureReport
from freemium_advisor.render.report_words import name_list
from freemium_advisor.result import INFERRED, UNSET

MEDIUM = 2  # a level of "medium" or more counts as present in the free-tier verdict


@record
class Verdict:
    """One question about the free tier as a whole, answered yes, no or unknown."""

    title: str
    answer: str  # yes | no | unknown
    guess: bool  # the yes rests on words only: nobody answered it
    line: str
    citation: Citation | None


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


def free_tier_verdicts(features: tuple[FeatureReport, ...], basis: str) -> tuple[Verdict, ...]:
    """The verdict on the free tier ``basis`` names (``today``'s or the ``advised`` one): the
    aha moment, the habit loop and the viral loop, then the upgrade trigger."""
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
            line = (f"{name_list([f.feature.name for f in having])} {verb} {does}, going by their words "
                    f"alone: a guess until someone answers {signal}.")
        elif having:
            answer, line = "yes", f"{name_list([f.feature.name for f in having])} {verb} {does}."
        else:
            unanswered = sum(f.assessment.signals[signal].source == UNSET for f in judged)
            if unanswered:
                answer = "unknown"
                line = (f"Nothing in {where} is known to {several} {does}: {signal} is unanswered "
                        f"for {unanswered} of its {len(judged)} features.")
            else:
                answer, line = "no", f"Nothing in {where} {one} {does}."
        if basis == "today" and added:
            line += f" The advice adds {name_list([f.feature.name for f in added])}."
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
        line = f"{name_list([f.feature.name for f in walls])} {verb} a usage wall that growing use hits."
        if guess:
            line += " A guess: no wall rests on an answer yet."
    else:
        line = f"{where[0].upper()}{where[1:]} has no usage wall: only gated features ask free users to pay."
    walled = {f.number for f in walls}
    added = [f for f in advised if f.number not in walled]
    if basis == "today" and added:
        line += f" The advice adds {'one' if len(added) == 1 else 'walls'} on {name_list([f.feature.name for f in added])}"
        line += " (a guess from words)." if all(f.assessment.evidence != "answered" for f in added) else "."
    return Verdict("Upgrade trigger", "yes" if walls else "no", guess, line, cite(UPGRADE))
