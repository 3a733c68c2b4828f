"""The rationale report as one self-contained HTML page (``report --format html``).

Rendered from ``templates/report.html.j2`` with autoescape; the charts are inline SVG drawn by
:mod:`freemium_advisor.formats.svg_charts`, so the page needs no script and fetches nothing,
and prints as it shows.
"""

from __future__ import annotations

from types import SimpleNamespace

from freemium_advisor.formats import svg_charts
from freemium_advisor.formats.markdown_report import report_context
from freemium_advisor.render.templating import render_template

TEMPLATE = "report.html.j2"


def charts(report) -> SimpleNamespace:
    """Every chart the page shows: the split, the tiers, the quadrant, and ``criteria(f)``
    for a feature's section (drawn only for the features the appendix details)."""
    scale = max([abs(v) for f in report.appendix for _, v in f.criteria] + [1.0])
    return SimpleNamespace(
        split=svg_charts.split_donut(report.summary),
        tiers=svg_charts.tier_bars(report.tiers),
        quadrant=svg_charts.quadrant(report.quadrant),
        criteria=lambda f: svg_charts.criteria_bars(f.criteria, scale, f.feature.id),
    )


def render_report(analysis, options=None) -> str:
    """The whole analysis as an HTML report a PM can forward or print."""
    context = report_context(analysis, options)
    return render_template(TEMPLATE, **context, charts=charts(context["report"]))
