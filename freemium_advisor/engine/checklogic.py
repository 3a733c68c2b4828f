"""The logic of each check, keyed by the id of its file under ``checks/``.

A logic function reads the inventory and the advice (a :class:`Context`) and yields a
:class:`Hit` wherever its check fires: what the finding is about, where, the values its
message template shows, and, when it rests on inferred signals only, the words they were
inferred from. :mod:`freemium_advisor.engine.findings` turns hits into findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from freemium_advisor.model.inventory import Inventory
from freemium_advisor.result import Assessment, Reason
from freemium_advisor.model.signals import LEVELS

GROWTH_CRITERIA = ("virality", "aha", "habit")
# A confident recommendation: one whose band the real products agreed with at least 80% of the time.
CONFIDENT = ("high", "medium")
MEDIUM = LEVELS.index("medium")


@dataclass(frozen=True)
class Hit:
    """One place a check fires: its subject, location and the values its message shows."""

    subject: str
    feature: str | None
    position: tuple[int, int]
    values: dict[str, Any] = field(default_factory=dict)
    inferred: tuple[str, ...] | None = None  # the words an inferred-only finding rests on


@dataclass(frozen=True)
class Context:
    """What every check reads: the inventory and the advice for each of its features."""

    inventory: Inventory
    assessments: tuple[Assessment, ...]

    @property
    def free(self) -> str:
        return self.inventory.product.free_tier.name

    def paid(self, tier: str | None) -> bool:
        return tier is not None and tier != self.free

    @property
    def placed(self) -> bool:
        """Whether the inventory records where features sit today (any ``current``)."""
        return any(a.feature.current for a in self.assessments)


Logic = Callable[[Context], Iterator[Hit]]
LOGIC: dict[str, Logic] = {}


def logic(check_id: str) -> Callable[[Logic], Logic]:
    """Register a function as the logic of the catalog's check ``check_id``."""

    def register(function: Logic) -> Logic:
        LOGIC[check_id] = function
        return function

    return register


def _advice(a: Assessment) -> dict[str, Any]:
    reason = a.main_reason
    return {
        "recommendation": a.recommendation,
        "tier": a.tier,
        "wall": a.limit_metric,
        "confidence": f"{a.confidence:.2f}",
        "label": a.confidence_label,
        "why": reasons_text([reason]) if reason else "no rule fired",
    }


def some(ids: list[str], shown: int = 3) -> str:
    """``a, b, c and 4 more``: a list short enough for a one-line message."""
    if len(ids) <= shown:
        return ", ".join(ids)
    return f"{', '.join(ids[:shown])} and {len(ids) - shown} more"


def reasons_text(reasons) -> str:
    """``rule-id: message; other-rule: message``, for a finding's message."""
    return "; ".join(f"{r.rule}: {r.message.rstrip('.')}" for r in reasons)


def _feature_values(a: Assessment, **extra: Any) -> dict[str, Any]:
    f = a.feature
    return {"feature": {"id": f.id, "name": f.name, "current": f.current}, "advice": _advice(a), **extra}


def _inferred_words(reasons: list[Reason] | tuple[Reason, ...]) -> tuple[str, ...] | None:
    """The words behind ``reasons`` when every one of them read an inferred signal."""
    if not reasons or not all(r.inferred for r in reasons):
        return None
    return tuple(dict.fromkeys(w for r in reasons for e in r.evidence for w in e.words))


def _growth_reasons(a: Assessment) -> list[Reason]:
    return [r for r in a.reasons if r.criterion in GROWTH_CRITERIA and r.direction == "free"]


@logic("gated-growth-feature")
def gated_growth_feature(ctx: Context) -> Iterator[Hit]:
    for a in ctx.assessments:
        growth = _growth_reasons(a)
        if ctx.paid(a.feature.current) and a.recommendation != "gated" and growth:
            yield Hit(
                a.feature.id, a.feature.id, a.feature.position("current"),
                _feature_values(a, growth=reasons_text(growth)),
                _inferred_words(growth),
            )


@logic("placement-disagrees")
def placement_disagrees(ctx: Context) -> Iterator[Hit]:
    for a in ctx.assessments:
        if (ctx.paid(a.feature.current) and a.recommendation != "gated"
                and not _growth_reasons(a) and a.confidence_label in CONFIDENT):
            reason = a.main_reason
            yield Hit(a.feature.id, a.feature.id, a.feature.position("current"),
                      _feature_values(a), _inferred_words([reason] if reason else []))


@logic("costly-feature-unlimited")
def costly_feature_unlimited(ctx: Context) -> Iterator[Hit]:
    for a in ctx.assessments:
        f = a.feature
        if f.current == ctx.free and f.limit is None and a.recommendation == "free-limited":
            walls = [r for r in a.reasons if r.direction == "limit"]
            yield Hit(f.id, f.id, f.position("current"),
                      _feature_values(a, walls=reasons_text(walls) or _advice(a)["why"]),
                      _inferred_words(walls))


@logic("free-feature-without-reason")
def free_feature_without_reason(ctx: Context) -> Iterator[Hit]:
    for a in ctx.assessments:
        if a.feature.current == ctx.free and a.recommendation == "gated":
            gating = [r for r in a.reasons if r.direction != "free"]
            yield Hit(
                a.feature.id, a.feature.id, a.feature.position("current"),
                _feature_values(a, free_weight=f"{a.weights.free:g}",
                                gated_weight=f"{a.weights.gated + a.weights.limit:g}"),
                _inferred_words(gating),
            )


@logic("tier-mismatch")
def tier_mismatch(ctx: Context) -> Iterator[Hit]:
    for a in ctx.assessments:
        current = a.feature.current
        if ctx.paid(current) and a.recommendation == "gated" and a.tier != current:
            audience = a.signals["audience"]
            words = tuple(w for e in audience.evidence for w in e.words)
            yield Hit(
                a.feature.id, a.feature.id, a.feature.position("current"),
                _feature_values(a, audience=audience.value or "user"),
                words if audience.source == "inferred" else None,
            )


@logic("enterprise-control-in-free")
def enterprise_control_in_free(ctx: Context) -> Iterator[Hit]:
    for a in ctx.assessments:
        audience = a.signals["audience"]
        if a.feature.current == ctx.free and audience.value == "enterprise":
            words = tuple(w for e in audience.evidence for w in e.words)
            yield Hit(
                a.feature.id, a.feature.id, a.feature.position("current"),
                _feature_values(a, free=ctx.free), words if audience.source == "inferred" else None,
            )


@logic("no-signals-no-text")
def no_signals_no_text(ctx: Context) -> Iterator[Hit]:
    for a in ctx.assessments:
        if not a.feature.signals and all(s.source == "unset" for s in a.signals.values()):
            yield Hit(a.feature.id, a.feature.id, (a.feature.line, a.feature.column), _feature_values(a))


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


@logic("no-aha-in-free")
def no_aha_in_free(ctx: Context) -> Iterator[Hit]:
    yield from _missing_in_free(ctx, "aha")


@logic("no-habit-in-free")
def no_habit_in_free(ctx: Context) -> Iterator[Hit]:
    yield from _missing_in_free(ctx, "habit")


@logic("no-upgrade-trigger")
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


@logic("empty-tier")
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


@logic("time-bound-trial")
def time_bound_trial(ctx: Context) -> Iterator[Hit]:
    product = ctx.inventory.product
    if product.model in ("trial", "reverse-trial"):
        yield Hit("", None, product.position("model"),
                  {"model": product.model, "days": product.trial_days})


@logic("no-free-tier")
def no_free_tier(ctx: Context) -> Iterator[Hit]:
    product = ctx.inventory.product
    if product.model == "paid-only":
        free = sum(a.recommendation != "gated" for a in ctx.assessments)
        yield Hit("", None, product.position("model"),
                  {"free": free, "count": len(ctx.assessments)})


@logic("not-collaborative")
def not_collaborative(ctx: Context) -> Iterator[Hit]:
    product = ctx.inventory.product
    if not product.collaborative:
        viral = [a.feature.id for a in ctx.assessments if a.signals["virality"].value >= MEDIUM]
        yield Hit("", None, product.position("collaborative"),
                  {"viral": some(viral), "viral_count": len(viral)})


# The waiver checks are raised by apply_waivers, not by reading the advice.
@logic("expired-waiver")
def _expired_waiver(ctx: Context) -> Iterator[Hit]:
    return iter(())


@logic("stale-waiver")
def _stale_waiver(ctx: Context) -> Iterator[Hit]:
    return iter(())
