"""The rationale report in Markdown (``report``), rendered from ``templates/report.md.j2``.

GitHub renders its Mermaid blocks (a pie of the split, a quadrant chart of growth value
against friction and cost) as charts, and its ``<details>`` sections as collapsed ones.
"""

from __future__ import annotations

import re

from markupsafe import escape

from freemium_advisor.base.escaping import mermaid_label, text_line
from freemium_advisor.render.citations import cite
from freemium_advisor.render.report import build_report
from freemium_advisor.render.templating import render_template

TEMPLATE = "report.md.j2"


def html_text(value) -> str:
    """``value`` as one line of text inside the raw HTML of a Markdown page (a ``<summary>``):
    GitHub reads no Markdown there, so HTML escapes rather than backslashes, and no
    @mention."""
    return str(escape(text_line(" ".join(str(value).split())))).replace("@", "@&#8203;")


def code_span(value) -> str:
    """``value`` as one Markdown code span: fenced by more backticks than it holds, on one
    line."""
    text = text_line(" ".join(str(value).split()))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# Mermaid writes a point's label centred under it, about this wide a character and this tall
# a line in the chart's 0..1 units (a 500-pixel chart, 12-pixel text).
MERMAID_CHARACTER = 0.015
MERMAID_LINE = 0.045


def mermaid_points(points) -> list[tuple[str, float, float]]:
    """The quadrant chart's points as Mermaid draws them: (label, x, y), in the report's
    order. Mermaid cannot move a label, so a name that would be drawn over another point's
    label (a more important one, placed first) is left to the HTML chart and the appendix;
    the point keeps how many features share it when more than one do, else a blank label."""
    labels: dict[int, str] = {}
    boxes: list[tuple[float, float, float, float]] = []
    for index, point in sorted(enumerate(points), key=lambda item: (not item[1].label, item[1].priority)):
        for text in (mermaid_label(point.label) if point.label else "",
                     f"({point.count})" if point.count > 1 else ""):
            if not text:
                continue
            half = len(text) * MERMAID_CHARACTER / 2
            box = (point.x - half, point.y - MERMAID_LINE, point.x + half, point.y)
            if not any(b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3] for b in boxes):
                boxes.append(box)
                labels[index] = text
                break
    return [(labels.get(i, " "), p.x, p.y) for i, p in enumerate(points)]


def report_context(analysis, options=None) -> dict:
    """What the built-in report templates see: the report (with the options' ``detail``),
    the tool, ``cite``, and the Markdown template's ``html``, ``code`` and
    ``mermaid_points``."""
    detail = options.detail if options is not None else "changed"
    return {"report": build_report(analysis, detail), "tool": analysis.tool, "cite": cite,
            "html": html_text, "code": code_span, "mermaid_points": mermaid_points}


def render_report(analysis, options=None) -> str:
    """The whole analysis as a Markdown report a PM can forward."""
    return render_template(TEMPLATE, **report_context(analysis, options))
