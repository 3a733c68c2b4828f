"""The rationale report in Markdown (``report``), rendered from ``templates/report.md.j2``.

GitHub renders its Mermaid blocks (a pie of the split, a quadrant chart of growth value
against friction and cost) as charts.
"""

from __future__ import annotations

from freemium_advisor.render.citations import cite
from freemium_advisor.render.report import build_report
from freemium_advisor.render.templating import render_template

TEMPLATE = "report.md.j2"


def report_context(analysis) -> dict:
    """What the built-in report templates see: the report, the tool, and ``cite``."""
    return {"report": build_report(analysis), "tool": analysis.tool, "cite": cite}


def render_report(analysis, options=None) -> str:
    """The whole analysis as a Markdown report a PM can forward."""
    return render_template(TEMPLATE, **report_context(analysis))
