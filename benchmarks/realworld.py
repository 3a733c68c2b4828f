"""The real-world benchmark: how often does the advice agree with where real SaaS products
placed their features? (A script, not a test: it measures; tests assert behaviour.)

    python benchmarks/realworld.py [FOLDER] [--rules PATH] [--words] [--json]

FOLDER holds one sub-folder per product with Pricing2Yaml files named by year (default:
../shared/datasets/pricing2yaml next to the repository, else the copy in tests/data). Each
file is blinded (every plan's features and limits removed, every default set to one
constant), imported, analyzed, and compared with the real placement.

The report has four parts, so that tuning on these products cannot overfit quietly:

1. the latest year of each product;
2. every year of each product (older pricings, other feature names);
3. leave-one-product-out: each product scored without the word-list entries that only it
   supports (what the rules would say had that product never been seen); and with the one
   threshold chosen while looking at these products (``min_growth_for_wall``) picked on the
   other products from a grid, and the type audiences (what a feature's type says about its
   tier) picked on the other products too. The weights are set from the framework, not fitted;
4. word support: every word-list entry and the products whose features it finds something
   in. An entry only one product supports needs a ``# why ENTRY: REASON`` comment in its
   rule, a general reason in product language (``--words`` lists every entry);
5. confidence calibration, leave one product out: each product's advice labelled by bands
   fitted on the other products only (per label: share of features, accuracy, balanced
   accuracy), and the bands fitted on every product beside the ones the policy ships.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.realworld_calibration import (  # noqa: E402
    MIN_PLACEMENTS,
    MOST_NET,
    calibration,
    cells,
    evidence_counts,
    fit_bands,
    fold_ranges,
    promises_kept,
)
from benchmarks.realworld_scoring import (  # noqa: E402
    Score,
    evaluate_pricing,
    imported,
    word_support,
    without_entries,
)
from freemium_advisor.reading.rulepacks import load_ruleset  # noqa: E402

DEFAULT_FOLDERS = (ROOT.parent / "shared" / "datasets" / "pricing2yaml", ROOT / "tests" / "data" / "pricing2yaml")
COLUMNS = (
    ("n", "count", "{:>4}"),
    ("acc", "accuracy", "{:>5}"),
    ("free rec", "free_recall", "{:>8}"),
    ("gated rec", "gated_recall", "{:>9}"),
    ("balanced", "balanced_accuracy", "{:>8}"),
    ("tier", "tier_match", "{:>5}"),
    ("tier/all", "tier_match_all_gated", "{:>8}"),
    ("limited", "limited_agreement", "{:>7}"),
)
LABEL = 24
# The one decision threshold looked at with these products in view: leave one product out picks
# it on the other products from this grid, then scores the held-out one.
WALL_GRID = (1.5, 2.0, 2.5, 3.0)


def _cell(value) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.2f}"


def _row(label: str, score: Score) -> str:
    cells = [fmt.format(_cell(getattr(score, attr))) for _, attr, fmt in COLUMNS]
    return f"{label:<{LABEL}}" + "  ".join(cells)


def _header(title: str) -> str:
    return f"{title:<{LABEL}}" + "  ".join(fmt.format(label) for label, _, fmt in COLUMNS)


def _numbers(score: Score) -> dict:
    return {attr: getattr(score, attr) for _, attr, _ in COLUMNS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", help="folder of product folders")
    parser.add_argument("--rules", action="append", default=[], help="an extra rule pack")
    parser.add_argument("--words", action="store_true", help="list every word-list entry")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    folder = Path(args.folder) if args.folder else next(f for f in DEFAULT_FOLDERS if f.is_dir())
    ruleset = load_ruleset(args.rules)

    files = {}
    for product in sorted(p for p in folder.iterdir() if p.is_dir()):
        paths = sorted(product.glob("*.yml")) + sorted(product.glob("*.yaml"))
        files[product.name] = [(f"{product.name}/{p.name}", p.read_text(encoding="utf-8"))
                               for p in paths]
    inventories = {product: [imported(text, name) for name, text in texts]
                   for product, texts in files.items()}
    support = word_support(ruleset, inventories)

    def scores(rules, product):
        """(name, has_free_plan, score) of every year of a product."""
        return [(name, *evaluate_pricing(text, name, rules)) for name, text in files[product]]

    results = {product: scores(ruleset, product) for product in files}
    held_out = {}
    for product in files:
        only_here = {w.key for w in support if w.products == (product,)}
        held_out[product] = (scores(without_entries(ruleset, only_here), product)
                             if only_here else results[product])

    by_threshold = {}
    for value in WALL_GRID:
        rules = replace(ruleset, policy=replace(ruleset.policy, min_growth_for_wall=value))
        by_threshold[value] = {product: scores(rules, product) for product in files}

    def free_plan(rows, latest: bool):
        rows = rows[-1:] if latest else rows
        return [score for _, has_free, score in rows if has_free]

    def total(table, latest: bool) -> Score:
        return Score().merged(s for rows in table.values() for s in free_plan(rows, latest))

    def balanced(table, products, latest: bool) -> float:
        merged = Score().merged(s for p in products for s in free_plan(table[p], latest))
        return merged.balanced_accuracy or 0.0

    threshold_held_out, chosen = {}, {}
    for product in files:
        others = [p for p in files if p != product]
        chosen[product] = max(WALL_GRID, key=lambda v: (balanced(by_threshold[v], others, False), -v))
        threshold_held_out[product] = by_threshold[chosen[product]][product]

    # The type audiences (what a feature's type says about its tier) were also looked at with
    # these products in view: each held-out product is scored with the subset of them that
    # gives the best exact tier on the other products.
    shipped_types = ruleset.policy.type_audiences
    type_subsets = [c for n in range(len(shipped_types) + 1)
                    for c in itertools.combinations(shipped_types, n)]
    by_types = {}
    for subset in type_subsets:
        rules = replace(ruleset, policy=replace(ruleset.policy, type_audiences=subset))
        by_types[subset] = {product: scores(rules, product) for product in files}

    def tier(table, products) -> float:
        merged = Score().merged(s for p in products for s in free_plan(table[p], False))
        return merged.tier_match or 0.0

    types_held_out, types_chosen = {}, {}
    for product in files:
        others = [p for p in files if p != product]
        types_chosen[product] = max(type_subsets, key=lambda t: (tier(by_types[t], others), -len(t)))
        types_held_out[product] = by_types[types_chosen[product]][product]

    def placements(table) -> dict[str, list]:
        return {product: [p for s in free_plan(rows, False) for p in s.placements]
                for product, rows in table.items()}

    tested = placements(held_out)
    calibrated, fitted = calibration(placements(results), tested, ruleset.policy)
    scored = [p for ps in tested.values() for p in ps]
    kinds = evidence_counts(scored)
    by_cell = cells(tested)
    ranges = fold_ranges(fitted, [product for product, ps in tested.items() if ps])
    promises = promises_kept(calibrated, ruleset.policy)
    confident = Score().merged(r.score for r in calibrated if r.label in ("high", "medium"))
    confident_share = sum(r.share for r in calibrated if r.label in ("high", "medium"))
    shipped = fit_bands(p for ps in placements(results).values() for p in ps)

    single = [w for w in support if w.part == "words" and len(w.products) == 1]
    unless_single = [w for w in support if w.part == "unless" and len(w.products) == 1]
    counts = {}
    for w in support:
        if w.part == "words":
            bucket = str(min(len(w.products), 3)) if len(w.products) < 3 else "3+"
            counts[bucket] = counts.get(bucket, 0) + 1

    if args.json:
        print(json.dumps({
            "latest": {name: _numbers(s) | {"free_plan": f}
                       for rows in results.values() for name, f, s in rows[-1:]},
            "total_latest": _numbers(total(results, True)),
            "total_all_years": _numbers(total(results, False)),
            "leave_one_product_out_latest": _numbers(total(held_out, True)),
            "leave_one_product_out_all_years": _numbers(total(held_out, False)),
            "threshold_leave_one_product_out_latest": _numbers(total(threshold_held_out, True)),
            "threshold_leave_one_product_out_all_years": _numbers(
                total(threshold_held_out, False)),
            "threshold_chosen": chosen,
            "types_leave_one_product_out_latest": _numbers(total(types_held_out, True)),
            "types_leave_one_product_out_all_years": _numbers(total(types_held_out, False)),
            "types_chosen": {p: dict(t) for p, t in types_chosen.items()},
            "calibration_leave_one_product_out": {
                r.label: {"share": r.share, "count": r.score.count, "accuracy": r.score.accuracy,
                          "balanced_accuracy": r.score.balanced_accuracy,
                          "promise_kept": promises.get(r.label)}
                for r in calibrated
            },
            "evidence": kinds,
            "cells": [{"advice": c.advice, "net_reasons": c.net_reasons, "count": c.score.count,
                       "features": c.features, "products": c.products,
                       "accuracy": c.score.accuracy} for c in by_cell],
            "bands_over_folds": [
                {"advice": r.advice, "net_reasons": r.net_reasons, "lowest": r.lowest[0],
                 "lowest_held_out": r.lowest[1], "highest": r.highest[0],
                 "highest_held_out": r.highest[1], "folds": r.folds}
                for r in ranges
            ],
            "high_or_medium": {"share": confident_share,
                               "balanced_accuracy": confident.balanced_accuracy},
            "bands_fitted_on_every_product": [vars(b) for b in shipped],
            "bands_shipped": [vars(b) for b in ruleset.policy.confidence_bands],
            "word_entries_by_products": counts,
            "single_product_entries": [
                {"rule": w.rule, "part": w.part, "entry": w.entry, "product": w.products[0],
                 "reason": w.reason}
                for w in single + unless_single
            ],
        }, indent=2))
        return 0

    print(f"Rules: {len(ruleset.rules)}; data: {folder}")
    print()
    print("1. Latest year")
    print(_header("product"))
    for rows in results.values():
        for name, has_free, score in rows[-1:]:
            if has_free:
                print(_row(name, score))
    print(_row("TOTAL (free plan)", total(results, True)))

    print()
    print("2. All years")
    print(_header("product"))
    for product, rows in results.items():
        kept = free_plan(rows, False)
        if kept:
            print(_row(f"{product} ({len(kept)} years)", Score().merged(kept)))
    print(_row("TOTAL (free plan)", total(results, False)))

    print()
    print("3. Leave one product out (entries only the held-out product supports removed)")
    print(_header("held out"))
    for product, rows in held_out.items():
        kept = free_plan(rows, False)
        if kept:
            print(_row(f"{product} (all years)", Score().merged(kept)))
    print(_row("TOTAL latest year", total(held_out, True)))
    print(_row("TOTAL all years", total(held_out, False)))
    print()
    print(f"   and min_growth_for_wall chosen on the other products from {WALL_GRID} "
          f"(shipped: {ruleset.policy.min_growth_for_wall:g})")
    print("   chosen: " + ", ".join(f"{p} {v:g}" for p, v in chosen.items()))
    print(_row("TOTAL latest year", total(threshold_held_out, True)))
    print(_row("TOTAL all years", total(threshold_held_out, False)))
    print()
    print("   and the type audiences chosen on the other products (shipped: "
          + ", ".join(f"{k} {v}" for k, v in shipped_types) + ")")
    print("   chosen: " + ", ".join(
        f"{p} {'+'.join(k for k, _ in t) or 'none'}" for p, t in types_chosen.items()))
    print(_row("TOTAL latest year", total(types_held_out, True)))
    print(_row("TOTAL all years", total(types_held_out, False)))

    print()
    print("4. Word support (inference and metric word lists; products across all years)")
    print("entries by number of products they match: " + ", ".join(
        f"{k}: {counts.get(k, 0)}" for k in ("0", "1", "2", "3+")))
    reasoned = sum(w.reason is not None for w in single)
    unless_reasoned = sum(w.reason is not None for w in unless_single)
    print(f"single-product entries: {len(single)} ({reasoned} with a general reason); "
          f"single-product 'unless' entries: {len(unless_single)} ({unless_reasoned} with a "
          f"general reason)")
    for w in single + unless_single if not args.words else support:
        products = ", ".join(w.products) or "-"
        reason = f"  # {w.reason}" if w.reason else ("  # NO REASON" if len(w.products) == 1 else "")
        print(f"  {w.rule} {w.part}: {w.entry!r} [{products}]{reason}")

    print()
    print("5. Confidence calibration, leave one product out (all years; each product labelled "
          "by bands fitted on the other products)")
    lowest = dict(ruleset.policy.confidence_labels)
    print(f"{'label':<10}{'promise':>8}{'share':>7}{'n':>6}{'acc':>7}{'balanced':>10}  kept")
    for r in calibrated:
        promise = f"{lowest[r.label]:.2f}" if r.label in lowest else "-"
        print(f"{r.label:<10}{promise:>8}{r.share:>7.2f}{r.score.count:>6}"
              f"{_cell(r.score.accuracy):>7}{_cell(r.score.balanced_accuracy):>10}  "
              f"{'-' if r.label not in promises else 'yes' if promises[r.label] else 'NO'}")
    print(f"high or medium: {confident_share:.3f} of placements, balanced accuracy "
          f"{confident.balanced_accuracy or 0:.3f}; overall balanced accuracy "
          f"{total(held_out, False).balanced_accuracy or 0:.4f} all years, "
          f"{total(held_out, True).balanced_accuracy or 0:.4f} latest year")
    print("evidence of these placements: " + ", ".join(f"{k} {n}" for k, n in kinds.items())
          + " (bands are measured on the evidence present here; 'none' is always unknown)")
    print("advice with evidence by lean and net reasons (held-out advice, every product):")
    for c in by_cell:
        net = f"{c.net_reasons}+" if c.net_reasons == MOST_NET else str(c.net_reasons)
        print(f"    {c.advice:<6} net {net:<3}{c.score.count:>6} placements "
              f"({c.features:>3} features, {c.products:>2} products), "
              f"{_cell(c.score.accuracy)} right")
    print("each band over the folds (its accuracy on the training products; product held out):")
    for r in ranges:
        print(f"    {r.advice:<6} net {r.net_reasons}+: {r.lowest[0]:.2f} ({r.lowest[1]}) "
              f"to {r.highest[0]:.2f} ({r.highest[1]}), fitted in {r.folds} folds")
    same = shipped == ruleset.policy.confidence_bands
    print(f"bands fitted on every product (at least {MIN_PLACEMENTS} placements each)"
          f"{', as rules/policy.yaml ships them' if same else '; rules/policy.yaml differs:'}")
    for band in shipped:
        print(f"    - {{advice: {band.advice}, net_reasons: {band.net_reasons}, "
              f"accuracy: {band.accuracy:.2f}}}")

    print()
    print("Products without a free plan (the advice says what a free tier could hold):")
    for rows in results.values():
        for name, has_free, score in rows[-1:]:
            if not has_free:
                free = sum(p.advice_free for p in score.placements)
                print(f"  {name:<30} {free} of {score.count} features advised free or "
                      f"free-limited; tier match {_cell(score.tier_match)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
