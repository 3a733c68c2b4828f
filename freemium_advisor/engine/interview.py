"""The interview: which questions about the features are worth asking, and in which order.

A question asks one signal of one feature the PM has not answered. It is worth asking only when
some answer it offers changes the advice (the recommendation, or the tier a gated feature goes
to), computed by the same engine that gave the advice. It never offers answers that contradict
the feature's own words: for an audience the words name, only the guess and its neighbours
are offered (SSO is never asked about as a single user's feature). Questions come in
order of their value of information: the share of offered answers that change the advice,
weighed by how far the advice is from a measured promise (one minus its confidence), so that
a guess with no evidence is asked before a confident recommendation.
"""

from __future__ import annotations

from freemium_advisor.base.record import record
from freemium_advisor.engine.explain import offered_values
from freemium_advisor.engine.rule_engine import Engine, engine_for
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.model.rules import RuleSet, Source
from freemium_advisor.model.signals import (
    CRITERIA,
    SIGNAL_BY_NAME,
    SIGNALS,
)
from freemium_advisor.result import EXPLICIT, INFERRED, Assessment, Signal

# What each answer means, with an example, in the words a PM uses.
EXAMPLES: dict[str, dict[str, str]] = {
    "virality": {
        "none": "only the person using it ever sees it (a personal setting)",
        "low": "others see its result now and then, without being invited (an exported file)",
        "medium": "it is used with colleagues, who join to take part (comments, mentions)",
        "high": "using it invites people who are not users yet (share links, guests)",
    },
    "commoditized": {
        "none": "no competitor offers it (your own invention)",
        "low": "a few competitors offer it, in paid plans",
        "medium": "many competitors offer it; basic users expect it",
        "high": "every competitor gives it away (export, search, 2FA)",
    },
    "aha": {
        "none": "new users never need it to see the value (a billing setting)",
        "low": "it helps later, once the value is clear",
        "medium": "it speeds up the first moment of value (templates)",
        "high": "it is the first moment of value (creating the first board)",
    },
    "habit": {
        "none": "used once or rarely (a data import)",
        "low": "used now and then",
        "medium": "brings users back every week (a weekly digest)",
        "high": "brings users back every day (notifications, a chat channel)",
    },
    "friction": {
        "none": "giving it away costs the growth model nothing",
        "low": "a little friction (a small support load)",
        "medium": "some friction (abuse to police, a slower sign-up)",
        "high": "free use would hurt growth (spam, removing the product's branding)",
    },
    "cost_to_serve": {
        "none": "each free user costs next to nothing",
        "low": "a small cost per user (a little storage)",
        "medium": "a noticeable cost (file storage, email sending)",
        "high": "real money per use (AI calls, compute minutes)",
    },
    "data_value": {
        "none": "its free use teaches you nothing you sell",
        "low": "a little insight into how people work",
        "medium": "shows adjacent use cases and personas",
        "high": "its data powers another paid product (as LinkedIn's network powers Sales Navigator)",
    },
    "landing": {
        "none": "serves only segments you already sell to",
        "low": "a small new segment",
        "medium": "lands a segment that may grow into customers",
        "high": "lands a large segment you do not monetize yet, with room to expand",
    },
    "audience": {
        "user": "the person using it chooses it (a personal view)",
        "team": "a team values it together (shared projects, team analytics)",
        "admin": "whoever runs the workspace for others (permissions, user management)",
        "enterprise": "the enterprise buyer, who may never use it (SSO, audit logs)",
    },
    "production": {
        "true": "needed to run in production or at scale (uptime, backups, higher limits)",
        "false": "enough to evaluate and prototype with",
    },
}


# Why each signal matters to the advice, in the framework's terms: what `?` says in `ask`.
WHY: dict[str, str] = {
    "virality": "a feature that spreads acquires users for you: free, it pays through the "
                "people it brings in (indirect monetization); gated, it stops spreading",
    "commoditized": "the free tier must be sufficient for basic users: gating what every "
                    "competitor gives away sends them to the competitor",
    "aha": "free users must reach the first moment of value to understand the product: a gate "
           "before it means they never see the value",
    "habit": "habitual use keeps free users coming back until they convert or bring in others: "
             "a habit loop belongs where users can form it",
    "friction": "what would hurt the growth model if it were free (abuse, support load, losing "
                "the branding that spreads the product) belongs in a paid tier, however much "
                "users want it",
    "cost_to_serve": "unlimited free use of a feature that costs real money per user does not "
                     "scale: it goes behind a usage wall, or is paid",
    "data_value": "data from free use can incubate products you sell later: a strategic reason "
                  "to give a feature away",
    "landing": "landing a segment you do not monetize yet is a strategic reason for freemium, "
               "when that segment can grow into customers",
    "audience": "users bring the product in, buyers pay for what they control: what admins or "
                "the enterprise buyer value is what they pay for, and it decides the tier",
    "production": "evaluation belongs in free; running in production or at scale is where the "
                  "value is proven, and where customers pay",
}


@record
class Outcome:
    """What the advice becomes with one answer."""

    answer: str
    recommendation: str
    tier: str | None

    def advice(self) -> str:
        """``gated in 'pro'``, ``free``."""
        return f"{self.recommendation} in '{self.tier}'" if self.tier else self.recommendation


@record
class Question:
    """One signal of one feature, the answers offered and what each would make of the advice."""

    feature: str
    name: str
    signal: str
    text: str
    outcomes: tuple[Outcome, ...]
    now: Outcome
    guess: str | None  # ``virality high from 'share'`` when the words suggested it
    value: float  # the value of information the order is by
    source: Source | None  # the framework passage the signal's heaviest rule cites
    line: int

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(o.answer for o in self.outcomes)

    def changes(self) -> str:
        """``none: gated in 'pro'; high: free`` (the advice each answer gives)."""
        return "; ".join(f"{o.answer}: {o.advice()}" for o in self.outcomes)

    def example(self, answer: str) -> str:
        """What ``answer`` means, with an example, in the words a PM uses."""
        return EXAMPLES[self.signal][answer]

    @property
    def meaning(self) -> str:
        """What the signal is about (``using it brings in people who are not users yet``)."""
        return SIGNAL_BY_NAME[self.signal].help

    @property
    def why(self) -> str:
        """Why the signal matters to the advice, in the framework's terms."""
        return WHY[self.signal]


def questions(inventory: Inventory, assessments: tuple[Assessment, ...], ruleset: RuleSet,
              only: str | None = None) -> list[Question]:
    """Every question worth asking (of the feature ``only``, if given), most valuable first."""
    engine = engine_for(ruleset)
    product = inventory.product
    found = []
    for order, a in enumerate(assessments):
        if only is not None and a.feature.id != only:
            continue
        for spec in SIGNALS:
            question = _question(engine, ruleset, product, a, spec.name)
            if question is not None:
                found.append((order, SIGNALS.index(spec), question))
    found.sort(key=lambda item: (-item[2].value, item[0], item[1]))
    return [q for _, _, q in found]


def _question(engine: Engine, ruleset: RuleSet, product, a: Assessment, name: str) -> Question | None:
    current = a.signals[name]
    if current.source == EXPLICIT or not _read(ruleset, name):
        return None
    spec = SIGNAL_BY_NAME[name]
    now = Outcome(_display(spec, current), a.recommendation, a.tier)
    outcomes = []
    for value in offered_values(spec, current):
        changed = {**a.signals, name: Signal(name, value, EXPLICIT)}
        outcome = engine.assess(a.feature, product, changed)
        outcomes.append(Outcome(spec.display(value), outcome.recommendation, outcome.tier))
    changing = sum((o.recommendation, o.tier) != (now.recommendation, now.tier) for o in outcomes)
    if not changing:
        return None  # no answer it offers changes the advice: not worth asking
    guess = None
    if current.source == INFERRED:
        words = ", ".join(dict.fromkeys(f"'{w}'" for e in current.evidence for w in e.words))
        guess = f"{name} {spec.display(current.value)}" + (f" from {words}" if words else "")
    criterion = next(c for c in CRITERIA if c.id == spec.criterion)
    return Question(
        a.feature.id, a.feature.name, name, criterion.question, tuple(outcomes), now, guess,
        round(changing / len(outcomes) * (1 - a.confidence), 6), _source(ruleset, name),
        a.feature.line,
    )


def offered_answers(a: Assessment, name: str) -> tuple[str, ...]:
    """The answers ``ask`` offers for signal ``name`` of the assessed feature, as the
    inventory writes them: every answer, but for an audience its words name (see
    :func:`_offered`). ``ask --answers`` accepts no other."""
    spec = SIGNAL_BY_NAME[name]
    return tuple(spec.display(value) for value in offered_values(spec, a.signals[name]))


def _display(spec, signal: Signal) -> str:
    return "unanswered" if signal.source != INFERRED and signal.value == spec.unset else spec.display(signal.value)


def _read(ruleset: RuleSet, name: str) -> bool:
    return any(rule.when is not None and (rule.when.fields is None or ("signals", name) in rule.when.fields)
               for rule in ruleset.of_kind("score"))


def _source(ruleset: RuleSet, name: str) -> Source | None:
    """The passage cited by the heaviest score rule that reads the signal."""
    rules = [r for r in ruleset.of_kind("score") if name in r.reads]
    return max(rules, key=lambda r: r.weight).source if rules else None
