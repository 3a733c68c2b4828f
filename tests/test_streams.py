"""Formats written piece by piece give the same bytes as the formatter's one string."""

from __future__ import annotations

import pytest

from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.formats import STREAMS, RenderOptions, formatter, streamer
from tests.conftest import EXAMPLES


@pytest.mark.parametrize("command, name", sorted(STREAMS))
@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
@pytest.mark.parametrize("color", [False, True])
def test_a_stream_is_the_formatters_text(command, name, example, color):
    analysis = analyze_file(str(EXAMPLES / example))
    options = RenderOptions(color=color, width=100)
    streamed = b"".join(streamer(command, name)(analysis, options)).decode("utf-8")
    assert streamed == formatter(command, name)(analysis, options)


def test_a_format_without_a_stream_is_written_whole():
    analysis = analyze_file(str(EXAMPLES / "whiteboard.yaml"), what_ifs=True)
    options = RenderOptions(color=False, width=100)
    assert (b"".join(streamer("report", "markdown")(analysis, options)).decode("utf-8")
            == formatter("report", "markdown")(analysis, options))
