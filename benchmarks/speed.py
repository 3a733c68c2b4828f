"""How fast is the advisor? (A script, not a test: it measures; tests assert behaviour.)

    python benchmarks/speed.py [--features N ...] [--repeat R]

Builds inventories of N features from the names and descriptions of the real pricings in
tests/data (cycled, with unique ids), then times each stage: parsing and validating the YAML,
loading the rules, evaluating, and rendering JSON and the table. Also times the CLI's start-up
(`freemium-advisor --version`) and a whole `analyze -f json` run in a fresh process.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from freemium_advisor.engine.analysis import analyze  # noqa: E402
from freemium_advisor.formats import RenderOptions, json_format, terminal  # noqa: E402
from freemium_advisor.reading.inventory_reader import parse_inventory  # noqa: E402
from freemium_advisor.reading.rulepacks import load_ruleset  # noqa: E402

DATA = ROOT / "tests" / "data" / "pricing2yaml"


@functools.cache
def corpus() -> tuple[tuple[str, str, str], ...]:
    """(name, description, category) of every feature in the latest pricing of each product
    (read once a process, with libyaml: the same data as yaml.safe_load, ten times sooner)."""
    from freemium_advisor.reading.importers import humanize

    found = []
    for product in sorted(p for p in DATA.iterdir() if p.is_dir()):
        latest = sorted(product.glob("*.yml"))[-1]
        pricing = yaml.load(latest.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for key, spec in (pricing["features"] or {}).items():
            found.append((humanize(key), str(spec.get("description") or ""), str(spec.get("type") or "")))
    return tuple(found)


def inventory_text(count: int, features: Sequence[tuple[str, str, str]], distinct: bool = False) -> str:
    """``count`` features cycled from ``features``; ``distinct``: each pass after the first
    numbers its names ("Time tracker 2"), so that no two features say the same, as in a real
    catalog (cycled ones repeat every few hundred, and each distinct feature is assessed once)."""
    items = [
        {"id": f"f{i}", "name": f"{name} {i // len(features) + 1}" if distinct and i >= len(features)
         else name, "description": description, "category": category}
        for i, (name, description, category) in zip(range(count), _cycle(features))
    ]
    return yaml.safe_dump(
        {"version": 1, "product": {"name": "Bench", "collaborative": True}, "features": items},
        sort_keys=False,
    )


def _cycle(items):
    while True:
        yield from items


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    features = corpus()
    ruleset = load_ruleset()
    print(f"python {sys.version.split()[0]}; {len(ruleset.rules)} rules; best of {args.repeat}")
    print(f"{'features':>9} {'parse':>8} {'rules':>8} {'evaluate':>9} {'json':>8} {'table':>8} {'total':>8} {'features/s':>11}")
    for count in args.features:
        text = inventory_text(count, features)
        inventory = parse_inventory(text, "bench.yaml")
        analysis = analyze(inventory, ruleset)
        t_parse = best(lambda text=text: parse_inventory(text, "bench.yaml"), args.repeat)
        t_rules = best(load_ruleset, args.repeat)
        t_eval = best(lambda inventory=inventory: analyze(inventory, ruleset), args.repeat)
        t_json = best(lambda analysis=analysis: json_format.render_analysis(analysis), args.repeat)
        t_table = best(lambda analysis=analysis: terminal.render_analysis(analysis, RenderOptions()),
                       args.repeat)
        total = t_parse + t_rules + t_eval + t_json
        print(f"{count:>9} {t_parse:>7.3f}s {t_rules:>7.3f}s {t_eval:>8.3f}s {t_json:>7.3f}s "
              f"{t_table:>7.3f}s {total:>7.3f}s {count / total:>11.0f}")

    exe = [sys.executable, "-m", "freemium_advisor"]
    startup = [best(lambda: subprocess.run([*exe, "--version"], check=True, capture_output=True), 1)
               for _ in range(args.repeat)]
    example = str(ROOT / "examples" / "whiteboard.yaml")
    whole = [best(lambda: subprocess.run([*exe, "analyze", example, "-f", "json"], check=True,
                                         capture_output=True), 1) for _ in range(args.repeat)]
    print(f"cli start-up (--version): median {statistics.median(startup):.3f}s")
    print(f"cli analyze example -f json: median {statistics.median(whole):.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
