"""Calibrating the confidence labels on real pricings (benchmark code, not the installed tool).

A confidence band holds advice leaning free or gated with at least so many more reasons for it
than against it; its accuracy is the share of such advice the real products agreed with.
:func:`fit_bands` sets the bands from placements; leave one product out, each product's
placements are labelled with bands fitted on the other products only, so the table
:func:`calibration` prints measures the bands rather than fits them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from benchmarks.realworld_scoring import Placement, Score
from freemium_advisor.engine.decide import confidence
from freemium_advisor.engine.evidence import EVIDENCE_KINDS, NO_EVIDENCE
from freemium_advisor.model.rules import ConfidenceBand, Policy
from freemium_advisor.result import UNKNOWN

# Advice with more net reasons than this falls in the band of this many.
MOST_NET = 3
# A band is measured on at least this many placements, else its advice joins the band of one
# net reason fewer (and, below one net reason, gets no band: unknown).
MIN_PLACEMENTS = 20
LABELS = ("high", "medium", "low", UNKNOWN)


def leans(placement: Placement) -> str:
    return "free" if placement.advice_free else "gated"


def fit_bands(placements: Iterable[Placement]) -> tuple[ConfidenceBand, ...]:
    """The bands, most net reasons first, each with the accuracy measured on its placements
    less one standard error of that measure (rounded down to a hundredth): a band right 90% of
    the time on the products measured is as likely as not to fall short of it on the next
    product, so a label is earned only with room for the sample's error, never by a hair or
    by rounding."""
    placements = [p for p in placements if p.evidence != NO_EVIDENCE]
    bands = []
    for advice in ("gated", "free"):
        pool: list[Placement] = []
        for count in range(MOST_NET, 0, -1):
            pool += [p for p in placements
                     if leans(p) == advice and min(p.net_reasons, MOST_NET) == count]
            if len(pool) >= MIN_PLACEMENTS:
                share = sum(p.right for p in pool) / len(pool)
                error = math.sqrt(share * (1 - share) / len(pool))
                accuracy = math.floor(100 * (share - error)) / 100
                bands.append(ConfidenceBand(advice, count, accuracy))
                pool = []
    return tuple(bands)


def label(placement: Placement, policy: Policy) -> str:
    """The label the policy's bands give a placement's advice."""
    if placement.evidence == NO_EVIDENCE:
        return UNKNOWN
    return confidence(placement.advice, placement.net_reasons, policy)[1]


@dataclass(frozen=True)
class Row:
    label: str
    score: Score
    share: float


def calibration(train: dict[str, list[Placement]], test: dict[str, list[Placement]],
                policy: Policy) -> tuple[list[Row], dict[str, tuple[ConfidenceBand, ...]]]:
    """Leave one product out: each product of ``test`` labelled with the bands fitted on the
    other products of ``train``; the rows by label, and each product's bands."""
    labelled: dict[str, list[Placement]] = {name: [] for name in LABELS}
    fitted = {}
    for product, placements in test.items():
        others = [p for other, ps in train.items() if other != product for p in ps]
        fitted[product] = fit_bands(others)
        held_out = replace(policy, confidence_bands=fitted[product])
        for p in placements:
            labelled[label(p, held_out)].append(p)
    total = sum(len(ps) for ps in test.values()) or 1
    rows = [Row(name, Score(ps), len(ps) / total) for name, ps in labelled.items()]
    return rows, fitted


def promises_kept(rows: list[Row], policy: Policy) -> dict[str, bool]:
    """Whether each label's measured accuracy keeps its promise (a label nobody got keeps it)."""
    lowest = dict(policy.confidence_labels)
    return {row.label: row.score.accuracy is None or row.score.accuracy >= lowest[row.label]
            for row in rows if row.label in lowest}


def evidence_counts(placements: Iterable[Placement]) -> dict[str, int]:
    """How many placements rest on each kind of evidence (every kind listed, zero included):
    what the bands were measured on."""
    found = Counter(p.evidence for p in placements)
    return {kind: found[kind] for kind in EVIDENCE_KINDS}


@dataclass(frozen=True)
class Cell:
    """The placements with evidence whose advice leans one way with so many net reasons
    (``MOST_NET`` standing for that many or more), and how many distinct features of how
    many products they are: a product's years repeat its features, so a cell of placements
    may hold far fewer features than its count suggests."""

    advice: str
    net_reasons: int
    score: Score
    features: int
    products: int


def cells(placements: dict[str, list[Placement]]) -> list[Cell]:
    """The placements with evidence (by product) by lean and net reasons, gated first, most
    net first: where the labels' coverage comes from and where it is lost."""
    found: dict[tuple[str, int], list[tuple[str, Placement]]] = {}
    for product, ps in placements.items():
        for p in ps:
            if p.evidence != NO_EVIDENCE:
                found.setdefault((leans(p), min(p.net_reasons, MOST_NET)), []).append((product, p))
    order = sorted(found, key=lambda key: (key[0] != "gated", -key[1]))
    return [Cell(advice, net, Score([p for _, p in found[advice, net]]),
                 len({(product, p.feature) for product, p in found[advice, net]}),
                 len({product for product, _ in found[advice, net]}))
            for advice, net in order]


@dataclass(frozen=True)
class FoldRange:
    """One band over the folds: the lowest and highest accuracy the training products gave
    it, each with the product held out in that fold, and in how many folds it was fitted."""

    advice: str
    net_reasons: int
    lowest: tuple[float, str]
    highest: tuple[float, str]
    folds: int


def fold_ranges(fitted: dict[str, tuple[ConfidenceBand, ...]],
                products: Iterable[str]) -> list[FoldRange]:
    """Each band's accuracy over the folds of ``products`` (those with placements to score):
    a band whose range straddles a promise changes label with the product held out."""
    seen: dict[tuple[str, int], list[tuple[float, str]]] = {}
    for product in products:
        for band in fitted[product]:
            seen.setdefault((band.advice, band.net_reasons), []).append((band.accuracy, product))
    order = sorted(seen, key=lambda key: (key[0] != "gated", -key[1]))
    return [FoldRange(advice, net, min(seen[advice, net]), max(seen[advice, net]),
                      len(seen[advice, net]))
            for advice, net in order]
