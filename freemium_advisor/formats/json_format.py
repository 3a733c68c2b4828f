"""JSON output: the stable, versioned contract that CI checks and reports build on.

Keys never disappear within a ``format_version``; features keep the inventory's order;
numbers are rounded so the same input gives byte-identical output. The data comes from the
result's declared shapes (:mod:`freemium_advisor.result`), the same dicts a report template
sees.

The text is written by orjson (a C encoder; ``indent=`` makes the standard library's ``json``
encode in pure Python), indented by two spaces: what ``json.dumps(data, indent=2,
ensure_ascii=False)`` writes, byte for byte, but for one form of number. A float whose
magnitude is at least 1e-9 and below 1e-4 is written ``1.5e-7`` or ``0.00001`` where ``json``
writes ``1.5e-07`` and ``1e-05``. Only a rule pack's ``weight`` can be such a number: every
number the engine computes is rounded to at most three decimals. Both forms are valid JSON
and read back as the same number, and the output is the same bytes on every run.

An analysis is written a field at a time, its features and findings one at a time
(:func:`stream_analysis`), so a 100,000-feature result never sits in memory as one string.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from freemium_advisor.base.escaping import json_document_bytes
from freemium_advisor.result import CHECK_RUN, Analysis, Explanation
from freemium_advisor.result.shape import ListOf, Shape

# How many features are joined into one piece of the stream.
_BATCH = 256


def _dumps(data: Any, level: int = 0) -> bytes:
    """``data`` as indented JSON, for a place ``level`` objects deep (JSON text holds no raw
    newline but between its lines, so indenting the lines indents the value)."""
    # Controls a viewer of the file would act on (bidirectional, C1) are written as \u escapes.
    text = json_document_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    return text.replace(b"\n", b"\n" + b"  " * level) if level else text


def stream_analysis(analysis: Analysis, options=None) -> Iterator[bytes]:
    """The whole analysis as UTF-8 JSON, a field at a time and the features and findings one
    at a time: the same bytes as :func:`render_analysis`."""
    memo: dict = {}  # shared parts (an unset signal, a repeated feature) made JSON once
    separator = b"{\n  "
    for field in Analysis.JSON.fields:
        value = field.get(analysis)
        head = separator + orjson.dumps(field.key) + b": "
        separator = b",\n  "
        kind = field.kind
        if not (isinstance(kind, ListOf) and isinstance(kind.item, Shape) and value):
            yield head + _dumps(value if kind.convert is None else kind.convert(value, memo), 1)
            continue
        # A list of objects (the features, the findings): an item at a time.
        convert = kind.item.convert
        batch = [head, b"["]
        for count, item in enumerate(value, 1):
            batch += (b"\n    " if count == 1 else b",\n    ", _dumps(convert(item, memo), 2))
            if count % _BATCH == 0:
                yield b"".join(batch)
                batch = []
        batch.append(b"\n  ]")
        yield b"".join(batch)
    yield b"\n}\n"


def render_analysis(analysis: Analysis, options=None) -> str:
    """The whole analysis as JSON."""
    return b"".join(stream_analysis(analysis, options)).decode("utf-8")


def render_explanation(explanation: Explanation, options=None) -> str:
    """One feature's assessment as JSON, plus the what-if answers that flip it."""
    return (_dumps(Explanation.JSON.to_json(explanation)) + b"\n").decode("utf-8")


def render_check(run, options=None) -> str:
    """The CI gate's result: the verdict and counts, then every file's full analysis."""
    return (_dumps(CHECK_RUN.to_json(run)) + b"\n").decode("utf-8")
