"""Bounded time and memory: hostile files fail within seconds and under 200 MB beyond the
file itself, measured in a child process running the real command."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from freemium_advisor.base.limits import MAX_NODES, MAX_TEXT
from tests.conftest import ROOT

MEASURE = """
import json, resource, sys
from freemium_advisor.cli import main
sys.argv = ["freemium-advisor", *sys.argv[2:]]
try:
    main()
except SystemExit as exit:
    code = exit.code
with open(OUT, "w") as out:
    json.dump({"code": code, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, out)
"""


def peak(tmp_path, *args: str) -> tuple[int, float, float]:
    """Exit code, peak memory (MB) and seconds of ``freemium-advisor ARGS`` in a child."""
    report = tmp_path / "report.json"
    script = f"OUT = {str(report)!r}\n" + MEASURE
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, "-", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    seconds = time.perf_counter() - started
    # 'validate' lists every problem (up to its cap), one line each; never a traceback.
    assert all(": error: " in line for line in done.stderr.splitlines()), done.stderr[:500]
    data = json.loads(report.read_text())
    return data["code"], data["peak_mb"], seconds


@pytest.fixture(scope="module")
def baseline_mb(tmp_path_factory) -> float:
    """The peak of validating a tiny inventory: the interpreter and the imports."""
    folder = tmp_path_factory.mktemp("base")
    small = folder / "small.yaml"
    small.write_text("product: {name: x}\nfeatures: []\n")
    code, mb, _ = peak(folder, "validate", str(small))
    assert code == 0
    return mb


def hostile(kind: str) -> bytes:
    if kind == "16 MB of tiny values":
        return b"product: {name: x}\nfeatures: [" + b"1," * (8 * 1024 * 1024 - 20) + b"1]\n"
    if kind == "just under the value limit":
        return b"product: {name: x}\nfeatures: [" + b"1," * (MAX_NODES - 10) + b"1]\n"
    if kind == "16 MB of long values":
        value = b"x" * (MAX_TEXT - 10)
        return b"product: {name: x}\nfeatures:\n" + b"".join(
            b"  - {id: f%d, name: %s}\n" % (i, value) for i in range(160)
        )
    if kind == "alias bomb":
        lines = [b'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [b"a%d: &a%d [%s]" % (i, i, b",".join([b"*a%d" % (i - 1)] * 9)) for i in range(1, 10)]
        return b"\n".join(lines) + b"\nproduct: *a9\n"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind, expected", [
    ("16 MB of tiny values", 2), ("just under the value limit", 2),
    ("16 MB of long values", 0),  # valid, if odd: 160 features with 100,000-character names
    ("alias bomb", 2),
])
def test_hostile_files_stay_within_time_and_memory(tmp_path, baseline_mb, kind, expected):
    path = tmp_path / "inv.yaml"
    data = hostile(kind)
    path.write_bytes(data)
    code, mb, seconds = peak(tmp_path, "validate", str(path))
    assert code == expected
    assert seconds < 20
    assert mb - baseline_mb < 200 + len(data) / 2**20, f"{kind}: {mb - baseline_mb:.0f} MB"
