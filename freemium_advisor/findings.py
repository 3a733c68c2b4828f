"""Findings: where today's placement (or the product's model) disagrees with the advice.

Each check is a small function registered in ``CHECKS`` with its id, severity and source;
the CI check will fail a change on the ``error`` findings (a growth feature behind a gate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from freemium_advisor.engine import Assessment
from freemium_advisor.inventory import Inventory

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Finding:
    """One disagreement, located in the inventory file."""

    check: str
    severity: str
    message: str
    feature: str | None
    line: int
    column: int
    source: str


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    title: str
    source: str
    run: Callable[[Inventory, tuple[Assessment, ...]], Iterator[tuple[str, str | None, tuple[int, int]]]]


def _paid(inventory: Inventory, tier: str | None) -> bool:
    return tier is not None and tier != inventory.product.free_tier.name


def _why(assessment: Assessment) -> str:
    reason = assessment.main_reason
    return f" ({reason.rule}: {reason.message})" if reason else ""


def gated_growth_feature(inventory, assessments):
    for a in assessments:
        if _paid(inventory, a.feature.current) and a.recommendation != "gated":
            yield (
                f"'{a.feature.name}' is gated in '{a.feature.current}' but promotes the growth "
                f"model: make it {a.recommendation}{_why(a)}",
                a.feature.id, a.feature.position("current"),
            )


def costly_feature_unlimited(inventory, assessments):
    free = inventory.product.free_tier.name
    for a in assessments:
        if a.feature.current == free and a.feature.limit is None and a.recommendation == "free-limited":
            metric = f" on {a.limit_metric}" if a.limit_metric else ""
            yield (
                f"'{a.feature.name}' is free without a usage wall; keep it free behind a "
                f"limit{metric}{_why(a)}",
                a.feature.id, a.feature.position("current"),
            )


def free_feature_without_reason(inventory, assessments):
    free = inventory.product.free_tier.name
    for a in assessments:
        if a.feature.current == free and a.recommendation == "gated":
            tier = f" in '{a.tier}'" if a.tier else ""
            yield (
                f"'{a.feature.name}' is free, but nothing about it promotes the growth model: "
                f"gate it{tier}{_why(a)}",
                a.feature.id, a.feature.position("current"),
            )


def tier_mismatch(inventory, assessments):
    for a in assessments:
        current = a.feature.current
        if _paid(inventory, current) and a.recommendation == "gated" and a.tier != current:
            yield (
                f"'{a.feature.name}' sits in '{current}'; its audience "
                f"({a.signals['audience'].value or 'user'}) points to '{a.tier}'",
                a.feature.id, a.feature.position("current"),
            )


def time_bound_trial(inventory, assessments):
    product = inventory.product
    if product.model in ("trial", "reverse-trial"):
        days = f"{product.trial_days}-day " if product.trial_days else ""
        yield (
            f"a {days}time-bound {product.model} can be too short for larger customers to "
            f"extract value; prefer usage-based freemium: free use without a time limit, "
            f"paid for production use",
            None, product.position("model"),
        )


def no_free_tier(inventory, assessments):
    product = inventory.product
    if product.model == "paid-only":
        free = sum(a.recommendation != "gated" for a in assessments)
        yield (
            f"there is a freemium case for almost every product: {free} of "
            f"{len(assessments)} features could make up a free tier",
            None, product.position("model"),
        )


def no_aha_in_free(inventory, assessments):
    if inventory.product.model != "freemium" or not assessments:
        return
    if not any(a.recommendation != "gated" and a.signals["aha"].value >= 2 for a in assessments):
        yield (
            "no feature recommended for the free tier is on the path to the aha moment; "
            "the free tier needs a proof of concept (set 'aha' on the features that deliver it)",
            None, inventory.product.position(""),
        )


CHECKS: tuple[Check, ...] = (
    Check("gated-growth-feature", "error", "A feature that promotes growth is gated",
          "Promote the growth model in free, gate what creates friction (00:51:09)",
          gated_growth_feature),
    Check("costly-feature-unlimited", "warning", "A costly feature is free without a wall",
          "Usage-based freemium (00:43:53)", costly_feature_unlimited),
    Check("free-feature-without-reason", "warning", "A feature is free without a strategic reason",
          "Freemium is not a conversion tactic (00:49:47)", free_feature_without_reason),
    Check("tier-mismatch", "note", "A gated feature sits in another tier than its audience's",
          "Build for users, sell to buyers (00:20:14)", tier_mismatch),
    Check("time-bound-trial", "warning", "A time-bound trial instead of usage-based freemium",
          "Superficial time-bound trials alienate larger customers (00:42:47)", time_bound_trial),
    Check("no-free-tier", "note", "The product has no free tier",
          "There is a freemium case for almost every product (00:45:59)", no_free_tier),
    Check("no-aha-in-free", "warning", "The free tier holds no aha moment",
          "Aha moment / proof of concept (00:50:51)", no_aha_in_free),
)


def find(inventory: Inventory, assessments: tuple[Assessment, ...]) -> tuple[Finding, ...]:
    """Run every check; findings come in check order, then inventory order."""
    found = []
    weak = {a.feature.id for a in assessments if a.by_words or not a.known}
    for check in CHECKS:
        for message, feature_id, (line, column) in check.run(inventory, assessments):
            severity = check.severity
            if feature_id in weak:
                # Advice resting on words, or on nothing, is a weaker claim than advice from
                # the PM's answers: its finding is one severity lower.
                severity = SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]
            found.append(Finding(check.id, severity, message, feature_id, line, column,
                                 check.source))
    return tuple(found)
