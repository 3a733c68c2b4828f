"""The benchmark's calibration arithmetic: bands fitted from placements, and the tables that
say what the bands were measured on (evidence kinds, cells, the bands over the folds)."""

from __future__ import annotations

from benchmarks.realworld_calibration import (
    MIN_PLACEMENTS,
    MOST_NET,
    cells,
    evidence_counts,
    fit_bands,
    fold_ranges,
)
from benchmarks.realworld_scoring import Placement
from freemium_advisor.model.rules import ConfidenceBand


def placement(feature: str, advice: str, real_free: bool, net: int,
              evidence: str = "inferred") -> Placement:
    return Placement(feature, "pro", real_free, False, advice, None, evidence, net)


def test_a_band_pools_down_until_it_has_enough_placements_and_rounds_down():
    # 15 gated advice with 3 net reasons are too few alone: they join the 10 with 2, and the
    # 25 make one band at 2; 2 of them wrong is 0.92, less its standard error
    # sqrt(0.92 * 0.08 / 25) = 0.054 is 0.866; 3 of 35 wrong below is 0.914 less 0.047, 0.867:
    # each rounded down.
    strong = [placement(f"a{i}", "gated", False, 3) for i in range(15)]
    middle = [placement(f"b{i}", "gated", i < 2, 2) for i in range(10)]
    weak = [placement(f"c{i}", "gated", i < 3, 1) for i in range(35)]
    # Advice only the default speaks for is never measured, however much of it there is.
    default = [placement(f"d{i}", "gated", True, 0, "none") for i in range(40)]
    assert len(strong + middle) >= MIN_PLACEMENTS > len(strong)
    assert fit_bands(strong + middle + weak + default) == (
        ConfidenceBand("gated", 2, 0.86),
        ConfidenceBand("gated", 1, 0.86),
    )


def test_a_band_right_every_time_keeps_its_whole_accuracy():
    # No miss, no error to allow for: 20 right of 20 is 1.0.
    perfect = [placement(f"p{i}", "free", True, 2) for i in range(MIN_PLACEMENTS)]
    assert fit_bands(perfect) == (ConfidenceBand("free", 2, 1.0),)


def test_too_few_placements_below_one_net_reason_make_no_band():
    few = [placement(f"f{i}", "free", True, 1) for i in range(MIN_PLACEMENTS - 1)]
    assert fit_bands(few) == ()


def test_evidence_counts_name_every_kind_even_when_none_was_measured():
    found = [placement("a", "free", True, 1), placement("b", "gated", False, 0, "none")]
    assert evidence_counts(found) == {"answered": 0, "inferred": 1, "none": 1}


def test_cells_count_placements_and_the_distinct_features_behind_them():
    years = {
        # The same feature over three years is three placements and one feature.
        "notes": [placement("share", "free", True, 1) for _ in range(3)]
        + [placement("sso", "gated", False, MOST_NET + 2),
           placement("guess", "gated", True, 0, "none")],
        "chat": [placement("share", "free", False, 1)],
    }
    found = [(c.advice, c.net_reasons, c.score.count, c.features, c.products, c.score.accuracy)
             for c in cells(years)]
    assert found == [
        ("gated", MOST_NET, 1, 1, 1, 1.0),
        ("free", 1, 4, 2, 2, 0.75),
    ]


def test_fold_ranges_name_the_product_held_out_at_each_end():
    fitted = {
        "notes": (ConfidenceBand("gated", 1, 0.79), ConfidenceBand("free", 2, 0.86)),
        "chat": (ConfidenceBand("gated", 1, 0.86), ConfidenceBand("free", 2, 0.84)),
        "paid-only": (ConfidenceBand("gated", 1, 0.5),),  # no placements: not a fold
    }
    found = [(r.advice, r.net_reasons, r.lowest, r.highest, r.folds)
             for r in fold_ranges(fitted, ["notes", "chat"])]
    assert found == [
        ("gated", 1, (0.79, "notes"), (0.86, "chat"), 2),
        ("free", 2, (0.84, "chat"), (0.86, "notes"), 2),
    ]
