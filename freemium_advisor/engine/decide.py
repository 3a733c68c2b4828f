"""From weighted reasons to a recommendation, a tier, a margin and a confidence.

The framework's rule of thumb (00:51:09): what promotes the growth model goes free, what
creates friction for it is gated. Between the two sits usage-based freemium (00:43:53): a
feature worth giving away that costs real money to serve, or that production use depends on,
stays free behind a usage wall (``free-limited``), as MongoDB's free shared cluster does.
"""

from __future__ import annotations

from freemium_advisor.base.record import record
from freemium_advisor.model.inventory import Product, Tier
from freemium_advisor.result import UNKNOWN, Weights
from freemium_advisor.model.rules import Policy
from freemium_advisor.model.signals import AUDIENCES


@record
class Decision:
    recommendation: str
    margin: float


def decide(weights: Weights, policy: Policy) -> Decision:
    """Decide free / free-limited / gated, and how far the decision is from flipping.

    * Leaning free (score > 0): ``free``, or ``free-limited`` when any usage reason fired.
    * Leaning gated, but with growth value that outweighs the feature-gating reasons and is
      either strong (at least ``min_growth_for_wall``) or at least as large as the usage
      reasons, so that only usage reasons tip it: ``free-limited``. Moderate growth value
      with a moderate cost gets a wall, not a gate; moderate growth value against production
      use stays paid (MongoDB: any production use case requires the paid model, 00:43:57).
    * Otherwise ``gated`` (a tie too: freemium needs a strategic reason, 00:49:47).

    The margin is how much weight would have to move to change the outcome.
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
    return Decision(recommendation, _unsigned(margin, 3))


def confidence(recommendation: str, net_reasons: int, policy: Policy) -> tuple[float, str]:
    """The measured accuracy of the first confidence band the advice falls in, and the label
    that accuracy earns: ``(0.0, "unknown")`` when no band holds it or it earns no label.

    A band holds advice that leans its way (``free``: free or free-limited) with at least
    its number of reasons more for it than against it. The label is the highest one whose promise the band's
    measured accuracy keeps, so a number and its label never disagree.
    """
    leans = "gated" if recommendation == "gated" else "free"
    for band in policy.confidence_bands:
        if band.advice == leans and net_reasons >= band.net_reasons:
            return band_confidence(band.accuracy, policy)
    return 0.0, UNKNOWN


def band_confidence(accuracy: float, policy: Policy) -> tuple[float, str]:
    """A measured accuracy and the highest label it keeps the promise of, or ``unknown``."""
    for label, lowest in policy.confidence_labels:
        if accuracy >= lowest:
            return accuracy, label
    return 0.0, UNKNOWN


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
