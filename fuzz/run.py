"""Run the fuzz targets for a while with hypothesis: ``python -m fuzz.run --seconds 60``.

Inputs are seeds from ``fuzz/corpus`` changed in two ways: as bytes (tokens that matter to
YAML, CSV and the rule language inserted, replaced or dropped) and as data (a value anywhere
in the parsed seed replaced by a random value of any type). Any exception but ``InputError``
is a crash, and so is an input that takes more than a few seconds: hypothesis shrinks it and
prints it, and the run exits 1.
"""

from __future__ import annotations

import argparse
import csv as csv_module
import io
import json
import signal
import sys
import time

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from freemium_advisor.base.errors import InputError
from fuzz.targets import TARGETS, seeds

TIME_LIMIT = 5  # seconds one input may take: more is a hang
TOKENS = [
    b"&a ", b"*a", b"&b [*a, *a, *a]", b"!!python/object/apply:os.system ", b"!!set ", b"!x ",
    b"[", b"]", b"{", b"}", b": ", b"- ", b"\n", b"  ", b"---\n", b"...\n", b"? ", b"<<: ",
    b".nan", b".inf", b"-.inf", b"1.0e999", b"9" * 40, b"null", b"~", b"true", b"''", b'"',
    b"\x00", b"\xff", b"\xef\xbb\xbf", b"\t", b"\r", b"|", b">", b"#", b"%", b"@", b"`", b",",
    b";", b"=cmd|' /C calc'!A0", b"{{ ", b" }}", b"{% for x in feature.text %}", b"{% endfor %}",
    b"__class__", b"lipsum.__globals__", b"range(99999999)|list", b" * 99999999", b" ** 999",
    b"feature.text", b"signals.virality", b"product.tiers", b"|join('x')", b"plans: null\n",
    b"features: null\n", b"rules: null\n", b"value: ", b"price: ", b"linkedFeatures: [[a]]",
    b"availableFor: [{a: 1}]", b"weight: ", b"when: ", b"message: ", b"[/]", b"[bold]",
    b'"\\e[2J"', b'"\\x9b"', b"::error ", b"::stop-commands::", b'"\\e]8;;x\\e\\\\"', b"\\u202e",
    "\u202e".encode(), "\u2066".encode(), b"%0A", b"2027-W13-3", b"20270331", b"2027-02-30",
]
TEXT_TOKENS = [
    "[/]", "[bold]", "\x1b[2J", "{{ ", " }}", "{% ", " %}", "'", '"', "\n", "=cmd|", "__class__",
    "*", "%", "&", "\u202e", "\U0001f600", "   ", "-", ":", "#", " | ", "~", ".", "_",
    "::", "\n::error::", "\x1b]8;;x\x1b\\", "%0A", "\u2066", "\u2069", "\x85", "@team", "<b>",
]
KEYS = [
    "version", "product", "features", "name", "id", "description", "category", "current",
    "addon", "limit", "metric", "free", "signals", "virality", "audience", "production",
    "tiers", "model", "trial_days", "collaborative", "rules", "override", "disable", "policy",
    "kind", "criterion", "title", "when", "direction", "weight", "message", "source", "words",
    "unless", "fields", "sets", "examples", "fires", "silent", "plans", "usageLimits", "addOns",
    "price", "value", "defaultValue", "linkedFeatures", "availableFor", "valueType", "unit",
]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
    st.sampled_from(KEYS + ["high", "free", "enterprise", "{{ feature }}", "signals.aha >= high",
                            "[/]", "\x1b[2J", "=cmd|' /C calc'!A0"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def byte_mutants(draw, corpus: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        # Tokens that mean something: random bytes are rarely UTF-8 and stop at the decoder.
        token = draw(st.sampled_from(TOKENS))
        action = draw(st.sampled_from(["insert", "replace", "delete", "repeat"]))
        if action == "insert":
            data[at:at] = token
        elif action == "replace":
            data[at:at + len(token)] = token
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        else:
            data[at:at] = bytes(data[at:at + draw(st.integers(1, 40))]) * draw(st.integers(2, 50))
    return bytes(data)


@st.composite
def data_mutants(draw, corpus: list[bytes], target: str) -> bytes:
    seed = draw(st.sampled_from(corpus)).decode("utf-8")
    if target == "csv":
        delimiter = ";" if ";" in seed.split("\n")[0] else ","
        rows = [row for row in csv_module.reader(io.StringIO(seed), delimiter=delimiter) if row]
        for _ in range(draw(st.integers(1, 4))):
            # Mostly a data cell replaced: a header or row shape change stops at the first check.
            row = draw(st.integers(0, len(rows) - 1)) if draw(st.integers(0, 5)) == 0 else draw(
                st.integers(1, len(rows) - 1))
            cell = draw(st.integers(0, len(rows[row]) - 1))
            text = str(draw(scalars))
            if draw(st.integers(0, 5)) == 0:
                rows[row].insert(cell, text)
            else:
                rows[row][cell] = text
        out = io.StringIO()
        csv_module.writer(out).writerows(rows)
        return out.getvalue().encode("utf-8")
    if target == "baseline":
        data = json.loads(seed)
        for _ in range(draw(st.integers(1, 3))):
            data = _replace_somewhere(draw, data, draw(values), top=True)
        return json.dumps(data, default=str).encode("utf-8")
    data = yaml.safe_load(seed)
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            data = _replace_somewhere(draw, data, draw(values), top=True)
        else:
            data = _edit_text(draw, data)
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


def _edit_text(draw, data):
    """``data`` with a token inserted into one of its texts, found by walking down."""
    if isinstance(data, str):
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from(TEXT_TOKENS)) + data[at:]
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data, key=str)))
        return {**data, key: _edit_text(draw, data[key])}
    if isinstance(data, list) and data:
        index = draw(st.integers(0, len(data) - 1))
        return [*data[:index], _edit_text(draw, data[index]), *data[index + 1:]]
    return data


def _replace_somewhere(draw, data, new, top=False):
    """``data`` with one value (chosen by walking down from the top) replaced by ``new``."""
    if not isinstance(data, (dict, list)) or not data or (not top and draw(st.integers(0, 4)) == 0):
        return new
    if isinstance(data, dict):
        key = draw(st.sampled_from(sorted(data, key=str)))
        return {**data, key: _replace_somewhere(draw, data[key], new)}
    index = draw(st.integers(0, len(data) - 1))
    return [*data[:index], _replace_somewhere(draw, data[index], new), *data[index + 1:]]


def _on_alarm(signum, frame):
    raise TimeoutError(f"one input took more than {TIME_LIMIT} s")


def fuzz_test(target: str, examples: int):
    """A hypothesis test feeding ``examples`` inputs to one target."""
    corpus = seeds(target)
    function = TARGETS[target]

    @settings(
        max_examples=examples, deadline=None, database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
    )
    @given(st.one_of(byte_mutants(corpus), data_mutants(corpus, target)))
    def test(data: bytes) -> None:
        signal.alarm(TIME_LIMIT)
        try:
            function(data)
        except InputError:
            pass
        finally:
            signal.alarm(0)

    return test


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long to run (default 60)")
    parser.add_argument("--target", choices=sorted(TARGETS), action="append",
                        help="only this target (repeatable; default all)")
    args = parser.parse_args(argv)
    targets = args.target or list(TARGETS)
    signal.signal(signal.SIGALRM, _on_alarm)
    for target in targets:  # every seed must load or fail cleanly before any mutation
        for seed in seeds(target):
            try:
                TARGETS[target](seed)
            except InputError:
                pass
    end = time.monotonic() + args.seconds
    runs = dict.fromkeys(targets, 0)
    while time.monotonic() < end:
        for target in targets:
            fuzz_test(target, 25)()
            runs[target] += 25
    print("fuzz: no crash in " + ", ".join(f"{n} {t} inputs" for t, n in runs.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
