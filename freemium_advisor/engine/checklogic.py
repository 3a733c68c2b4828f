"""What makes each check fire.

A feature check's ``when`` is read for every feature against the names of
:data:`~freemium_advisor.reading.checkcatalog.CHECK_NAMES`, which :class:`FeatureNames` works
out from the advice. A catalog check names in its ``logic`` one of the functions registered
here with :func:`logic`, each reading the whole inventory and its advice (a :class:`Context`).
Either way a check yields a :class:`Hit` wherever it fires: what the finding is about, where,
the values its message template shows and, when it rests on inferred signals only, the words
they were inferred from. :mod:`freemium_advisor.engine.findings` turns hits into findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from functools import cached_property
from typing import Any

from freemium_advisor.base.record import record
from freemium_advisor.base.errors import did_you_mean
from freemium_advisor.model.expressions import ExpressionError
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.model.signals import DEFAULT_CRITERION, LEVELS, SIGNAL_BY_NAME
from freemium_advisor.reading.checkcatalog import CheckSpec
from freemium_advisor.result import INFERRED, UNSET, Assessment, Reason

GROWTH_CRITERIA = ("virality", "aha", "habit")
MEDIUM = LEVELS.index("medium")


@record
class Hit:
    """One place a check fires: its subject, location and the values its message shows."""

    subject: str
    feature: str | None
    position: tuple[int, int]
    values: dict[str, Any] = field(default_factory=dict)
    inferred: tuple[str, ...] | None = None  # the words an inferred-only finding rests on


@record
class Context:
    """What every check reads: the inventory and the advice for each of its features."""

    inventory: Inventory
    assessments: tuple[Assessment, ...]

    @cached_property
    def free(self) -> str:
        return self.inventory.product.free_tier.name

    def paid(self, tier: str | None) -> bool:
        return tier is not None and tier != self.free

    @property
    def placed(self) -> bool:
        """Whether the inventory records where features sit today (any ``current``)."""
        return any(a.feature.current for a in self.assessments)

    @cached_property
    def product(self) -> dict[str, Any]:
        """The product as a check's condition reads it (as a rule's does)."""
        p = self.inventory.product
        return {"name": p.name, "description": p.description, "model": p.model,
                "trial_days": p.trial_days, "collaborative": p.collaborative,
                "tiers": p.tier_names()}

    @cached_property
    def features(self) -> tuple[FeatureNames, ...]:
        """The names each feature check reads, one set per feature, shared by the checks."""
        return tuple(FeatureNames(a, self) for a in self.assessments)


Logic = Callable[[Context], Iterator[Hit]]
LOGIC: dict[str, Logic] = {}


def logic(function: Logic) -> Logic:
    """Register a function under its name, for a check's ``logic`` to name."""
    LOGIC[function.__name__] = function
    return function


def bind(specs: Iterable[CheckSpec]) -> None:
    """Refuse a check whose ``logic`` names a function that is not registered."""
    for spec in specs:
        if spec.logic is not None and spec.logic not in LOGIC:
            raise spec.error("logic", f"no logic function '{spec.logic}'{did_you_mean(spec.logic, LOGIC)}")


def hits(spec: CheckSpec, ctx: Context) -> Iterator[Hit]:
    """Where ``spec`` fires: for each feature its ``when`` holds for, or as its logic says.

    (A waiver check has neither: the waivers raise it.)
    """
    if spec.logic is not None:
        yield from LOGIC[spec.logic](ctx)
    elif spec.when is not None:
        for names in ctx.features:
            try:
                fired = spec.when(names)
            except ExpressionError as exc:
                raise spec.error("when", str(exc)) from None
            if fired:
                yield names.hit(spec)


class FeatureNames(dict):
    """The names a feature check reads for one feature, each worked out the first time a
    condition reads it: most features fail the first test of most conditions, and the
    reasons' texts are needed only where a check fires."""

    def __init__(self, assessment: Assessment, ctx: Context):
        super().__init__()
        self.assessment = assessment
        self.ctx = ctx

    def __missing__(self, name: str) -> Any:
        value = self[name] = _VALUES[name](self.assessment, self.ctx)
        return value

    def hit(self, spec: CheckSpec) -> Hit:
        """The hit of ``spec`` on this feature: the names its message reads (the signals as
        written), located at the feature key ``spec.at`` or at the feature itself."""
        feature = self.assessment.feature
        values = {name: self[name] for name in spec.shows}
        if "signals" in values:
            values["signals"] = {n: SIGNAL_BY_NAME[n].display(s.value)
                                 for n, s in self.assessment.signals.items()}
        position = feature.position(spec.at) if spec.at else (feature.line, feature.column)
        inferred = _GROUNDS[spec.rests_on](self.assessment) if spec.rests_on else None
        return Hit(feature.id, feature.id, position, values, inferred)


def some(ids: list[str], shown: int = 3) -> str:
    """``a, b, c and 4 more``: a list short enough for a one-line message."""
    if len(ids) <= shown:
        return ", ".join(ids)
    return f"{', '.join(ids[:shown])} and {len(ids) - shown} more"


def reasons_text(reasons: Iterable[Reason]) -> str:
    """``rule-id: message; other-rule: message``, for a finding's message."""
    return "; ".join(f"{r.rule}: {r.message.rstrip('.')}" for r in reasons)


def _growth(a: Assessment) -> list[Reason]:
    return [r for r in a.reasons if r.criterion in GROWTH_CRITERIA and r.direction == "free"]


def _walls(a: Assessment) -> list[Reason]:
    return [r for r in a.reasons if r.direction == "limit"]


def _charging(a: Assessment) -> list[Reason]:
    # The default says nothing about the feature ("Default, not evidence"): never a reason to
    # charge for it, only what decides when no reason speaks.
    return [r for r in a.reasons if r.direction != "free" and r.criterion != DEFAULT_CRITERION.id]


def tier_from(a: Assessment) -> str | None:
    """What the tier of gated advice rests on: ``audience`` (an answered or inferred audience),
    ``type`` (what the feature's type says) or ``default`` (nothing: the cheapest paid tier);
    ``None`` when the advice is not gated or the product has no paid tier."""
    if a.recommendation != "gated" or a.tier is None:
        return None
    if a.signals["audience"].source != UNSET:
        return "audience"
    return "type" if a.type_audience is not None else "default"


def _audience(a: Assessment) -> str | None:
    """Who buys it, as the tier reads it: the audience signal, else its type's; else none."""
    signal = a.signals["audience"]
    return signal.value if signal.source != UNSET else a.type_audience


def _main(a: Assessment) -> list[Reason]:
    reason = a.main_reason
    return [reason] if reason else []


def _feature(a: Assessment, ctx: Context) -> dict[str, Any]:
    f = a.feature
    return {
        "id": f.id, "name": f.name, "current": f.current,
        "paid": f.current is not None and f.current != ctx.free,
        "limit": f.limit.metric if f.limit else None, "answered": len(f.signals),
        "inferred": sum(s.source == INFERRED for s in a.signals.values()),
        "type": f.category.split(":")[0].strip() or None,
    }


def _advice(a: Assessment, ctx: Context) -> dict[str, Any]:
    return {
        "recommendation": a.recommendation, "tier": a.tier, "wall": a.limit_metric,
        "confidence": f"{a.confidence:.2f}" if a.known else None, "label": a.confidence_label,
        "why": reasons_text(_main(a)) or "no rule fired",
        "evidence": a.evidence, "tier_from": tier_from(a),
        "free_weight": f"{a.weights.free:g}",
        "gated_weight": f"{round(sum(r.weight for r in _charging(a)), 3) + 0.0:g}",
    }


# How each name of CHECK_NAMES is worked out for one feature.
_VALUES: dict[str, Callable[[Assessment, Context], Any]] = {
    "feature": _feature,
    "advice": _advice,
    "signals": lambda a, ctx: {name: s.value for name, s in a.signals.items()},
    "product": lambda a, ctx: ctx.product,
    "free": lambda a, ctx: ctx.free,
    "audience": lambda a, ctx: _audience(a),
    "growth": lambda a, ctx: reasons_text(_growth(a)),
    "walls": lambda a, ctx: reasons_text(_walls(a)),
    "charging": lambda a, ctx: reasons_text(_charging(a)),
}


def _inferred_words(reasons: list[Reason]) -> tuple[str, ...] | None:
    """The words behind ``reasons`` when every one of them read an inferred signal."""
    if not reasons or not all(r.inferred for r in reasons):
        return None
    return tuple(dict.fromkeys(w for r in reasons for e in r.evidence for w in e.words))


def _signal_words(name: str) -> Callable[[Assessment], tuple[str, ...] | None]:
    def words(a: Assessment) -> tuple[str, ...] | None:
        signal = a.signals[name]
        if signal.source != INFERRED:
            return None
        return tuple(w for e in signal.evidence for w in e.words)

    return words


def _tier_words(a: Assessment) -> tuple[str, ...] | None:
    """The words the tier of gated advice rests on when it is a guess: those of an inferred
    audience (and of an inferred production use that raises it), none when the feature's
    type says it; ``None`` when the PM answered the audience or nothing says it."""
    audience, production = a.signals["audience"], a.signals["production"]
    if audience.source == UNSET:
        return () if tier_from(a) == "type" else None
    if audience.source != INFERRED:
        return None
    raised = production.source == INFERRED and production.value
    return tuple(dict.fromkeys(w for s in ((audience, production) if raised else (audience,))
                               for e in s.evidence for w in e.words))


# What each ``rests_on`` of CHECK_NAMES' GROUNDS reads: the words a finding rests on, or
# ``None`` when anything but inferred signals speaks for it.
_GROUNDS: dict[str, Callable[[Assessment], tuple[str, ...] | None]] = {
    "advice.why": lambda a: _inferred_words(_main(a)),
    "advice.tier": _tier_words,
    "growth": lambda a: _inferred_words(_growth(a)),
    "walls": lambda a: _inferred_words(_walls(a)),
    "charging": lambda a: _inferred_words(_charging(a)),
    **{f"signals.{name}": _signal_words(name) for name in SIGNAL_BY_NAME},
}


def _free_tier_features(ctx: Context) -> tuple[str, list[Assessment]]:
    """What sits in the free tier: today's placement when recorded, else the advice."""
    if ctx.placed:
        return "today", [a for a in ctx.assessments if a.feature.current == ctx.free]
    return "in the advice", [a for a in ctx.assessments if a.recommendation != "gated"]


def _missing_in_free(ctx: Context, signal: str) -> Iterator[Hit]:
    if ctx.inventory.product.model != "freemium" or not ctx.assessments:
        return
    basis, free = _free_tier_features(ctx)
    if any(a.signals[signal].value >= MEDIUM for a in free):
        return
    if not free and ctx.placed:
        return  # an empty free tier is empty-tier's finding; saying it twice adds nothing
    # Name the features that could fill the gap, so the message says what to do.
    candidates = [a.feature.id for a in ctx.assessments if a.signals[signal].value >= MEDIUM]
    yield Hit("", None, ctx.inventory.product.position(""), {
        "basis": basis, "count": len(free), "free": ctx.free, "candidates": some(candidates),
    })


@logic
def no_aha_in_free(ctx: Context) -> Iterator[Hit]:
    yield from _missing_in_free(ctx, "aha")


@logic
def no_habit_in_free(ctx: Context) -> Iterator[Hit]:
    yield from _missing_in_free(ctx, "habit")


@logic
def no_upgrade_trigger(ctx: Context) -> Iterator[Hit]:
    product = ctx.inventory.product
    if product.model == "paid-only" or not product.paid_tiers or not ctx.assessments:
        return
    if ctx.placed:
        if any(ctx.paid(a.feature.current) or a.feature.limit for a in ctx.assessments):
            return
        basis = "today"
    else:
        if any(a.recommendation != "free" for a in ctx.assessments):
            return
        basis = "in the advice"
    yield Hit("", None, product.position("tiers"), {"basis": basis, "free": ctx.free,
                                                     "count": len(ctx.assessments)})


@logic
def empty_tier(ctx: Context) -> Iterator[Hit]:
    product = ctx.inventory.product
    if not ctx.placed:
        return
    used = {a.feature.current for a in ctx.assessments}
    for index, tier in enumerate(product.tiers):
        if tier.name in used or (index == 0 and product.model == "paid-only"):
            continue
        yield Hit(f"tier:{tier.name}", None, product.position(f"tiers.{tier.name}"),
                  {"tier": tier.name, "audience": tier.audience, "free": index == 0})


@logic
def no_paid_tier(ctx: Context) -> Iterator[Hit]:
    product = ctx.inventory.product
    if product.paid_tiers or not ctx.assessments:
        return
    gated = [a.feature.id for a in ctx.assessments if a.recommendation == "gated"]
    walled = [a.feature.id for a in ctx.assessments if a.recommendation == "free-limited"]
    yield Hit("", None, product.position("tiers"), {
        "free": ctx.free, "gated": len(gated), "gated_ids": some(gated),
        "walled": len(walled), "walled_ids": some(walled),
    })


@logic
def time_bound_trial(ctx: Context) -> Iterator[Hit]:
    product = ctx.inventory.product
    if product.model in ("trial", "reverse-trial"):
        yield Hit("", None, product.position("model"),
                  {"model": product.model, "days": product.trial_days})


@logic
def no_free_tier(ctx: Context) -> Iterator[Hit]:
    product = ctx.inventory.product
    if product.model == "paid-only":
        free = sum(a.recommendation != "gated" for a in ctx.assessments)
        yield Hit("", None, product.position("model"),
                  {"free": free, "count": len(ctx.assessments)})


@logic
def not_collaborative(ctx: Context) -> Iterator[Hit]:
    product = ctx.inventory.product
    if not product.collaborative:
        viral = [a.feature.id for a in ctx.assessments if a.signals["virality"].value >= MEDIUM]
        yield Hit("", None, product.position("collaborative"),
                  {"viral": some(viral), "viral_count": len(viral)})
