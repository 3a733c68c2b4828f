"""End-to-end speed and memory against PyYAML on the same machine, in one run.

    python benchmarks/perf.py [--features 1000 10000 100000] [--repeat 3] [--only ROW ...]
                              [--instructions]

Generates inventories of N features (names and descriptions of the real pricings in
tests/data, cycled, with unique ids) and, for each, runs in fresh processes:

* ``freemium-advisor analyze FILE --format json`` and the table view (``--format table``,
  written to a file, as in CI logs);
* a bare ``yaml.load(FILE, Loader=CSafeLoader)``: the reference, PyYAML's C loader merely
  reading the same file.

It prints the best CPU time (user + system, from ``os.wait4``) of each, the ratios to the
reference, the time ratio between sizes (linearity), and each run's peak memory (maximum
resident set). The generated features repeat every few hundred, and the advisor assesses each
distinct feature once; a last row measures 10,000 features of which no two say the same, which
is what a real catalog of that size costs. ``freemium-advisor report --format html`` is
compared with ``analyze --format json`` at each size up to 10,000 features, with the page's
size, on those inventories and on inventories of a real shape (benchmarks/shapes.py: every
feature distinct, in a tier, some walled or metered, a few signals answered).
``freemium-advisor check`` of 10,000 features is compared with ``yamllint`` (its default
rules) on the same file, and ``check --base`` of a pull request that changed 1% of 1,000 and
10,000 features of a real shape (benchmarks/shapes.py) with a plain ``check`` of the same file
(the goal: at most 1.2x). Start-up is compared with ``python -c "import typer, rich, yaml"``:
``freemium-advisor --version`` and ``analyze`` of a 300-feature inventory, the three run in
turn, round after round (at least 11 rounds); with ``--instructions``, also the instructions
the floor and that ``analyze`` execute, counted by valgrind (the same on every run). A
script, not a test: tests assert behaviour and never time anything. ``--only`` runs the rows
named (``sizes``, ``report``, ``report-realistic``, ``distinct``, ``check``, ``check-base``,
``start-up``) and no other.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The inventories are written by a child process. A child's peak memory (ru_maxrss) starts
# from its parent's peak: Linux carries the peak of the memory a process had before exec
# into the program it runs, and a subprocess starts as a copy of this script. Building a
# 100,000-feature inventory here would make every later child report this script's 330 MB.
GENERATE = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from benchmarks.speed import corpus, inventory_text; "
    "open(sys.argv[2], 'w', encoding='utf-8').write("
    "inventory_text(int(sys.argv[3]), corpus(), distinct=sys.argv[4] == 'distinct'))"
)
# A base and a pull request of a real shape: 1% of the features moved or re-answered.
GENERATE_CHANGE = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from benchmarks.shapes import changed, inventory_text, realistic_features; "
    "features = realistic_features(int(sys.argv[3])); "
    "open(sys.argv[2] + '/base.yaml', 'w', encoding='utf-8').write(inventory_text(features)); "
    "open(sys.argv[2] + '/head.yaml', 'w', encoding='utf-8').write(inventory_text(changed(features, 0.01)))"
)
# An inventory of a real shape (the report's and the gate's harder case).
GENERATE_REALISTIC = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from benchmarks.shapes import inventory_text, realistic_features; "
    "open(sys.argv[2], 'w', encoding='utf-8').write(inventory_text(realistic_features(int(sys.argv[3]))))"
)
REFERENCE = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
IMPORT_FLOOR = "import typer, rich, yaml"
# Start-up runs take a few tenths of a second, where a shared machine's noise is largest:
# that row takes the best of at least this many rounds.
START_UP_REPEAT = 11


# Bytecode caches as an installed package has them (pip compiles them when it installs): a
# machine that sets PYTHONDONTWRITEBYTECODE would otherwise time the compilation of every
# module of an editable install on every run, and of none of the libraries it is compared with.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(argv: list[str], codes: tuple[int, ...] = (0,), cwd: Path | None = None) -> tuple[float, float]:
    """CPU seconds (user + system) and peak resident memory in MB of one fresh process (in
    ``cwd``), which must exit with one of ``codes``."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=ENVIRONMENT, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) not in codes:
        raise SystemExit(f"{' '.join(argv)} failed: {stderr.strip()}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def best(argv: list[str], repeat: int, codes: tuple[int, ...] = (0,),
         cwd: Path | None = None) -> tuple[float, float]:
    """The least CPU time over ``repeat`` runs, and the largest peak memory."""
    results = [run(argv, codes, cwd) for _ in range(repeat)]  # the first run also writes bytecode caches
    return min(r[0] for r in results), max(r[1] for r in results)


def best_interleaved(commands: list[list[str]], repeat: int) -> list[tuple[float, float]]:
    """The least CPU time and the largest peak memory of each command over ``repeat``
    rounds, each round running every command once in turn: a machine that slows down for a
    while slows them all alike, instead of the ones that happened to run then."""
    seen: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(repeat):
        for argv, runs in zip(commands, seen):
            runs.append(run(argv))
    return [(min(r[0] for r in runs), max(r[1] for r in runs)) for runs in seen]


def generate(path: Path, count: int, distinct: bool = False) -> None:
    """Write an inventory of ``count`` features to ``path``, in a child process."""
    subprocess.run(
        [sys.executable, "-c", GENERATE, str(ROOT), str(path), str(count),
         "distinct" if distinct else "cycled"],
        check=True,
    )


def generate_realistic(path: Path, count: int) -> None:
    """Write an inventory of ``count`` features of a real shape to ``path``, in a child process."""
    subprocess.run([sys.executable, "-c", GENERATE_REALISTIC, str(ROOT), str(path), str(count)], check=True)


def report_against_json(path: Path, out: str, cli: list[str], repeat: int) -> str:
    """``report --format html`` (the default --detail) against ``analyze --format json`` of
    the same file: the report's budget is twice that time, and 5 MB of page at 10,000."""
    json_time, _ = best([*cli, "analyze", str(path), "-f", "json", "-o", out], repeat)
    report_time, report_mb = best([*cli, "report", str(path), "-f", "html", "-o", out], repeat)
    return (f"json {json_time:.2f}s, report --format html {report_time:.2f}s "
            f"({report_time / json_time:.2f}x), page {Path(out).stat().st_size / 1e6:.1f} MB, "
            f"{report_mb:.0f} MB")


def base_against_plain(folder: Path, cli: list[str], count: int, repeat: int) -> tuple[float, float]:
    """CPU time of ``check`` and of ``check --base HEAD`` on a git repository whose working
    copy changed 1% of ``count`` features since HEAD (both write a text report to a file)."""
    repo = folder / f"repo-{count}"
    repo.mkdir()
    subprocess.run([sys.executable, "-c", GENERATE_CHANGE, str(ROOT), str(repo), str(count)], check=True)
    quiet = {"cwd": repo, "check": True, "capture_output": True}
    (repo / "base.yaml").rename(repo / "features.yaml")
    subprocess.run(["git", "init", "-q"], **quiet)
    subprocess.run(["git", "add", "features.yaml"], **quiet)
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                    "commit", "-qm", "base"], **quiet)
    (repo / "head.yaml").replace(repo / "features.yaml")
    check = [*cli, "check", "features.yaml", "--fail-on", "never", "-o", "out.txt"]
    plain, _ = best(check, repeat, cwd=repo)
    based, _ = best([*check, "--base", "HEAD"], repeat, cwd=repo)
    return plain, based


ROWS = ("sizes", "report", "report-realistic", "distinct", "check", "check-base", "start-up")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--instructions", action="store_true",
                        help="also count the start-up row's instructions with valgrind")
    parser.add_argument("--only", nargs="+", choices=ROWS, default=list(ROWS),
                        help="run these rows alone")
    args = parser.parse_args(argv)
    rows = set(args.only)
    python = sys.executable
    cli = [python, "-m", "freemium_advisor"]
    print(f"python {sys.version.split()[0]}; {os.cpu_count()} cores; best CPU time of {args.repeat}")
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "out")
        if "sizes" in rows:
            sizes(Path(folder), cli, args.features, args.repeat)
        if "report" in rows:
            for count in (c for c in args.features if c <= 10000):
                path = Path(folder) / f"inventory-{count}.yaml"
                generate(path, count)
                print(f"report {count} features: {report_against_json(path, out, cli, args.repeat)}")
        if "report-realistic" in rows:
            for count in (c for c in args.features if c <= 10000):
                path = Path(folder) / f"realistic-{count}.yaml"
                generate_realistic(path, count)
                print(f"report {count} features of a real shape: "
                      f"{report_against_json(path, out, cli, args.repeat)}")
        count = 10000
        if "distinct" in rows:
            # What a real catalog costs: no two features say the same (the rows above cycle a
            # few hundred real features, and each distinct one is assessed once).
            path = Path(folder) / f"inventory-{count}-distinct.yaml"
            generate(path, count, distinct=True)
            reference, _ = best([python, "-c", REFERENCE, str(path)], args.repeat)
            json_time, json_mb = best([*cli, "analyze", str(path), "-f", "json", "-o", out], args.repeat)
            print(f"{count} distinct features: yaml.load {reference:.2f}s, json {json_time:.2f}s "
                  f"({json_time / reference:.2f}x), {json_mb:.0f} MB")
        if "check" in rows:
            # The CI gate against a YAML linter reading the same file: both exit 1 on findings.
            path = Path(folder) / f"inventory-{count}.yaml"
            generate(path, count)
            if importlib.util.find_spec("yamllint") is None:
                print("check: yamllint is not installed here (pip install yamllint) to compare with")
            else:
                lint, _ = best([python, "-m", "yamllint", "-f", "parsable", str(path)], args.repeat, (0, 1))
                check, check_mb = best([*cli, "check", str(path), "-o", out], args.repeat, (0, 1))
                print(f"check {count} features: yamllint {lint:.2f}s, check {check:.2f}s "
                      f"({check / lint:.2f}x), {check_mb:.0f} MB")
        if "check-base" in rows:
            for count in (1000, 10000):
                plain, based = base_against_plain(Path(folder), cli, count, args.repeat)
                print(f"check --base, 1% of {count} features changed: check {plain:.2f}s, "
                      f"--base {based:.2f}s ({based / plain:.2f}x)")
        if "start-up" in rows:
            small = Path(folder) / "inventory-300.yaml"
            generate(small, 300)
            run([*cli, "analyze", str(small), "-f", "json", "-o", out])  # writes bytecode caches
            (floor, _), (version, _), (analyze_small, _) = best_interleaved(
                [[python, "-c", IMPORT_FLOOR], [*cli, "--version"],
                 [*cli, "analyze", str(small), "-f", "json", "-o", out]],
                max(args.repeat, START_UP_REPEAT))
            print(f"start-up: import typer, rich, yaml {floor:.3f}s; --version {version:.3f}s "
                  f"({version / floor:.2f}x); analyze 300 features {analyze_small:.3f}s "
                  f"({analyze_small / floor:.2f}x)")
            if args.instructions and shutil.which("valgrind") is None:
                print("start-up in instructions: valgrind is not installed here")
            elif args.instructions:
                floor_ir, analyze_ir = (instructions(argv) for argv in (
                    [python, "-c", IMPORT_FLOOR], [*cli, "analyze", str(small), "-f", "json", "-o", out]))
                print(f"start-up in instructions: import typer, rich, yaml {floor_ir / 1e6:.0f}M; "
                      f"analyze 300 features {analyze_ir / 1e6:.0f}M ({analyze_ir / floor_ir:.2f}x)")
    return 0


def instructions(argv: list[str]) -> int:
    """The instructions one run of ``argv`` executes, counted by valgrind: the same on every
    run (within a few thousandths), where CPU time moves by a fifth on a shared machine. Not
    the guard, which is time, but what a change to the start-up did, without the noise."""
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/out", *argv],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENVIRONMENT, check=True)
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def sizes(folder: Path, cli: list[str], counts: list[int], repeat_all: int) -> None:
    """``analyze`` (json and table) of cycled inventories of each size against the bare load,
    and how the time grows with the size."""
    header = (f"{'features':>9} {'MB':>6} {'yaml.load':>10} {'json':>8} {'ratio':>6} "
              f"{'table':>8} {'ratio':>6} {'json MB':>8} {'table MB':>9}")
    print(header)
    out = str(folder / "out")
    previous: tuple[int, float] | None = None
    linear = []
    for count in counts:
        path = folder / f"inventory-{count}.yaml"
        generate(path, count)
        repeat = repeat_all if count <= 10000 else max(1, repeat_all - 1)
        run([*cli, "analyze", str(path), "-f", "json", "-o", out])  # writes bytecode caches
        (reference, _), (json_time, json_mb), (table_time, table_mb) = best_interleaved(
            [[sys.executable, "-c", REFERENCE, str(path)],
             [*cli, "analyze", str(path), "-f", "json", "-o", out],
             [*cli, "analyze", str(path), "-f", "table", "-o", out]], repeat)
        size = path.stat().st_size / 1e6
        print(f"{count:>9} {size:>6.1f} {reference:>9.2f}s {json_time:>7.2f}s "
              f"{json_time / reference:>5.2f}x {table_time:>7.2f}s {table_time / reference:>5.2f}x "
              f"{json_mb:>8.0f} {table_mb:>9.0f}")
        if previous:
            linear.append(f"{count}/{previous[0]} features: json time x{json_time / previous[1]:.1f}")
        previous = (count, json_time)
    for line in linear:
        print(line)


if __name__ == "__main__":
    sys.exit(main())
