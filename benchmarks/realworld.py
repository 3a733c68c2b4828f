"""The real-world benchmark: how often does the advice agree with where real SaaS products
placed their features? (A script, not a test: it measures; tests assert behaviour.)

    python benchmarks/realworld.py [FOLDER] [--all-years] [--rules PATH] [--json]

FOLDER holds one sub-folder per product with Pricing2Yaml files named by year (default:
../shared/datasets/pricing2yaml next to the repository, else the copy in tests/data). Each
file is blinded (every plan's features and limits removed, every default set to one
constant), imported, analyzed, and compared with the real placement.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from freemium_advisor.evaluation import Score, evaluate_pricing  # noqa: E402
from freemium_advisor.rulepacks import load_ruleset  # noqa: E402

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


def _cell(value) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.2f}"


def _row(label: str, score: Score) -> str:
    cells = [fmt.format(_cell(getattr(score, attr))) for _, attr, fmt in COLUMNS]
    return f"{label:<22}" + "  ".join(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", help="folder of product folders")
    parser.add_argument("--all-years", action="store_true", help="every year, not only the latest")
    parser.add_argument("--rules", action="append", default=[], help="an extra rule pack")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    folder = Path(args.folder) if args.folder else next(f for f in DEFAULT_FOLDERS if f.is_dir())
    ruleset = load_ruleset(args.rules)

    results = []
    for product in sorted(p for p in folder.iterdir() if p.is_dir()):
        files = sorted(product.glob("*.yml")) + sorted(product.glob("*.yaml"))
        for path in files if args.all_years else files[-1:]:
            name = f"{product.name}/{path.name}"
            has_free, score = evaluate_pricing(path.read_text(encoding="utf-8"), name, ruleset)
            results.append((name, has_free, score))

    with_free = [s for _, has_free, s in results if has_free]
    total = Score().merged(with_free)
    if args.json:
        data = {
            "products": {
                name: {attr: getattr(s, attr) for _, attr, _ in COLUMNS} | {"free_plan": has_free}
                for name, has_free, s in results
            },
            "total": {attr: getattr(total, attr) for _, attr, _ in COLUMNS},
        }
        print(json.dumps(data, indent=2))
        return 0
    header = f"{'product':<22}" + "  ".join(fmt.format(label) for label, _, fmt in COLUMNS)
    print(f"Rules: {len(ruleset.rules)}; data: {folder}")
    print(header)
    for name, has_free, score in results:
        if has_free:
            print(_row(name, score))
    print(_row("TOTAL (free plan)", total))
    macro = [s.balanced_accuracy for s in with_free if s.balanced_accuracy is not None]
    print(f"{'macro balanced':<22}{sum(macro) / len(macro):.2f} over {len(macro)} products")
    print()
    print("Products without a free plan (the advice says what a free tier could hold):")
    for name, has_free, score in results:
        if not has_free:
            free = sum(p.advice_free for p in score.placements)
            print(f"  {name:<22} {free} of {score.count} features advised free or free-limited;"
                  f" tier match {_cell(score.tier_match)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
