"""From weighted reasons to a recommendation, a tier, a margin and a confidence.

The framework's rule of thumb (00:51:09): what promotes the growth model goes free, what
creates friction for it is gated. Between the two sits usage-based freemium (00:43:53): a
feature worth giving away that costs real money to serve, or that production use depends on,
stays free behind a usage wall (``free-limited``), as MongoDB's free shared cluster does.
"""

from __future__ import annotations

from dataclasses import dataclass

from freemium_advisor.model.inventory import Product, Tier
from freemium_advisor.result import Weights
from freemium_advisor.model.rules import Policy
from freemium_advisor.model.signals import AUDIENCES


CONFIDENCE_LABELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Decision:
    recommendation: str
    margin: float
    confidence: float
    confidence_label: str


def decide(weights: Weights, policy: Policy) -> Decision:
    """Decide free / free-limited / gated, and how far the decision is from flipping.

    * Leaning free (score > 0): ``free``, or ``free-limited`` when any usage reason fired.
    * Leaning gated, but with growth value that outweighs the feature-gating reasons and is
      either strong (at least ``min_growth_for_wall``) or at least as large as the usage
      reasons, so that only usage reasons tip it: ``free-limited``. Moderate growth value
      with a moderate cost gets a wall, not a gate; moderate growth value against production
      use stays paid (MongoDB: any production use case requires the paid model, 00:43:57).
    * Otherwise ``gated`` (a tie too: freemium needs a strategic reason, 00:49:47).

    The margin is how much weight would have to move to change the outcome; the confidence
    is that margin as a share of all the weight that fired (0 on the edge, 1 when nothing
    disagrees).
    """
    score = weights.score
    outweighs_gates = weights.free > weights.gated
    enough_growth = max(weights.free - policy.min_growth_for_wall, weights.free - weights.limit)
    if score > 0:
        recommendation = "free-limited" if weights.limit > 0 else "free"
        margin = score
    elif weights.limit > 0 and outweighs_gates and enough_growth >= 0:
        recommendation = "free-limited"
        margin = min(enough_growth, weights.free - weights.gated)
    else:
        recommendation = "gated"
        margin = -score
    confidence = _unsigned(min(margin / weights.total, 1.0), 2) if weights.total else 0.0
    return Decision(recommendation, _unsigned(margin, 3), confidence,
                    confidence_label(confidence, policy))


def confidence_label(confidence: float, policy: Policy, *, steps_down: int = 0) -> str:
    """``high`` / ``medium`` / ``low`` by the policy's cut-offs, ``steps_down`` labels lower.

    A label steps down when the reasons that decided were inferred from words rather than
    answered by the PM: the words are weaker evidence than the answer.
    """
    rank = 2 if confidence >= policy.confidence_high else 1 if confidence >= policy.confidence_medium else 0
    return CONFIDENCE_LABELS[max(rank - steps_down, 0)]


def _unsigned(value: float, digits: int) -> float:
    """``value`` rounded, with a negative zero made plain zero (a tie prints 0, never -0)."""
    return round(value, digits) + 0.0


def needed_audience(audience: str | None, production: bool = False,
                    type_audience: str | None = None) -> str:
    """The smallest buyer a gated feature must be sold to, from all its evidence.

    The audience says who values it, else what the feature's type says
    (``type_audience``, from the policy's ``type_audiences``), else single users (the
    cheapest paid tier, a guess). Production use raises an admin control
    to the enterprise: a control over many people's use, in its advanced, granular or custom
    variant, is what the enterprise contract that aggregated users lead to pays for
    (00:29:01), bought by a buyer who may never use it (00:17:51), not a first admin's need.
    """
    if production and audience == "admin":
        return "enterprise"
    if audience is None:
        return type_audience or "user"
    return audience


def choose_tier(recommendation: str, audience: str | None, product: Product,
                production: bool = False, type_audience: str | None = None) -> Tier | None:
    """The free tier for free features; else the cheapest paid tier whose audience fits.

    The audience needed is :func:`needed_audience`. A feature valued by admins or the
    enterprise buyer goes no lower than the tier sold to them (SSO and audit logs to the top
    tier); one valued by single users goes to the cheapest paid tier. ``None`` when the
    product has no paid tier to gate into.
    """
    if recommendation != "gated":
        return product.free_tier
    needed = AUDIENCES.index(needed_audience(audience, production, type_audience))
    paid = product.paid_tiers
    for tier in paid:
        if AUDIENCES.index(tier.audience) >= needed:
            return tier
    return paid[-1] if paid else None
