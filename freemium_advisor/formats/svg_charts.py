"""Charts for the HTML report, drawn here as inline SVG: no JavaScript, no CDN, nothing fetched.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``data-chart`` name (the
browser test finds them by it), sized by its ``viewBox`` so it scales to the page and prints
sharp. Colors are paired with text (counts, names, numbers), so a grayscale print still
reads. All text is escaped; numbers are formatted to two decimals so output is byte-stable.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

COLORS = {"free": "#2e7d32", "free-limited": "#b26a00", "gated": "#6a1b9a"}
INK = "#222"
GRID = "#999"


def _n(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never ``-0``."""
    text = f"{round(value, 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _svg(name: str, title: str, width: int, height: int, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" data-chart="{escape(name)}" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="13">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def split_donut(summary: dict[str, int]) -> Markup:
    """A donut of how many features get each recommendation, with a legend of counts."""
    total = sum(summary.values())
    radius, stroke = 70, 34
    circumference = 2 * math.pi * radius
    body = [f'<circle cx="110" cy="110" r="{radius}" fill="none" stroke="#eee" stroke-width="{stroke}"/>']
    start = 0.0
    for name, count in summary.items():
        if not count:
            continue
        length = circumference * count / total
        # A dashed circle draws one slice; starting at 12 o'clock (rotate -90).
        body.append(
            f'<circle data-slice="{name}" cx="110" cy="110" r="{radius}" fill="none" '
            f'stroke="{COLORS[name]}" stroke-width="{stroke}" '
            f'stroke-dasharray="{_n(length)} {_n(circumference - length)}" '
            f'stroke-dashoffset="{_n(-start)}" transform="rotate(-90 110 110)"/>'
        )
        start += length
    body.append(f'<text x="110" y="108" text-anchor="middle" font-size="28" font-weight="bold" fill="{INK}">{total}</text>')
    body.append(f'<text x="110" y="128" text-anchor="middle" fill="{INK}">features</text>')
    for row, (name, count) in enumerate(summary.items()):
        y = 70 + row * 34
        body.append(f'<rect x="220" y="{y - 13}" width="18" height="18" fill="{COLORS[name]}"/>')
        body.append(f'<text x="246" y="{y + 1}" fill="{INK}" font-size="15">{count} {escape(name)}</text>')
    return _svg("split", f"Advice for {total} features", 400, 220, body)


def tier_bars(tiers) -> Markup:
    """Features per tier: advised (solid) against today (outlined), one pair of bars a tier."""
    top = max([max(t.advised, t.today) for t in tiers] + [1])
    label_width, bar_width, row = 120, 230, 44
    height = 30 + row * len(tiers)
    body = [
        f'<rect x="{label_width}" y="6" width="14" height="10" fill="{INK}"/>'
        f'<text x="{label_width + 20}" y="15" fill="{INK}">advised</text>'
        f'<rect x="{label_width + 100}" y="6" width="14" height="10" fill="none" stroke="{INK}"/>'
        f'<text x="{label_width + 120}" y="15" fill="{INK}">today</text>'
    ]
    for index, tier in enumerate(tiers):
        y = 30 + index * row
        body.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(tier.name, 15))}</text>"
        )
        for offset, value, solid in ((0, tier.advised, True), (18, tier.today, False)):
            width = bar_width * value / top
            style = f'fill="{INK}"' if solid else f'fill="none" stroke="{INK}"'
            body.append(f'<rect x="{label_width}" y="{y + offset}" width="{_n(width)}" height="14" {style}/>')
            body.append(f'<text x="{_n(label_width + width + 6)}" y="{y + offset + 12}" fill="{INK}">{value}</text>')
    return _svg("tiers", "Features per tier: advised and today", 400, height, body)


def quadrant(points) -> Markup:
    """Growth value (up) against friction and cost (right), one numbered dot per feature.

    ``points`` are (feature report, x, y) with x and y in 0..1, as
    :meth:`freemium_advisor.render.report.Report.quadrant` gives them; the number is the feature's
    section number in the report.
    """
    left, top, size = 70, 30, 360
    body = [
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="#fafafa" stroke="{GRID}"/>',
        f'<line x1="{left + size / 2}" y1="{top}" x2="{left + size / 2}" y2="{top + size}" stroke="{GRID}" stroke-dasharray="4 4"/>',
        f'<line x1="{left}" y1="{top + size / 2}" x2="{left + size}" y2="{top + size / 2}" stroke="{GRID}" stroke-dasharray="4 4"/>',
    ]
    # Quadrant names outside the plot, where no dot can cover them.
    for text, x, y, anchor in (
        ("Give it away", left, top - 8, "start"),
        ("Free behind a wall", left + size, top - 8, "end"),
        ("Little at stake", left, top + size + 18, "start"),
        ("Gate it", left + size, top + size + 18, "end"),
    ):
        body.append(f'<text x="{x}" y="{y}" text-anchor="{anchor}" fill="#555" font-style="italic">{text}</text>')
    body.append(
        f'<text x="{left + size / 2}" y="{top + size + 42}" text-anchor="middle" fill="{INK}">'
        "Friction and cost (weight towards a wall or a gate) →</text>"
    )
    body.append(
        f'<text x="20" y="{top + size / 2}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 20 {top + size / 2})">Growth value (weight towards free) →</text>'
    )
    for report, x, y in points:
        cx, cy = left + x * size, top + (1 - y) * size
        color = COLORS[report.assessment.recommendation]
        body.append(
            f'<g data-feature="{escape(report.feature.id)}"><title>{report.number}. '
            f"{escape(report.feature.name)}: {report.assessment.recommendation}</title>"
            f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="11" fill="{color}"/>'
            f'<text x="{_n(cx)}" y="{_n(cy + 4.5)}" text-anchor="middle" font-size="12" '
            f'font-weight="bold" fill="#fff">{report.number}</text></g>'
        )
    return _svg("quadrant", "Growth value against friction and cost, per feature", 460, 450, body)


def criteria_bars(criteria: list[tuple[str, float]], scale: float, feature_id: str) -> Markup:
    """One feature's criteria scores as bars either side of zero (free right, gated left).

    ``scale`` is the largest absolute score in the whole report, so bars compare across
    features.
    """
    label_width, half, row = 290, 150, 24
    zero = label_width + half + 10
    height = 10 + row * max(len(criteria), 1)
    body = [f'<line x1="{zero}" y1="4" x2="{zero}" y2="{height - 4}" stroke="{GRID}"/>']
    for index, (title, value) in enumerate(criteria):
        y = 8 + index * row
        width = half * abs(value) / (scale or 1)
        x = zero if value > 0 else zero - width
        color = COLORS["free"] if value > 0 else COLORS["gated"]
        body.append(f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end" fill="{INK}">{escape(title)}</text>')
        body.append(f'<rect x="{_n(x)}" y="{y}" width="{_n(width)}" height="16" fill="{color}"/>')
        # Values in a column of their own, so a long bar never runs into a title.
        body.append(f'<text x="{zero + half + 55}" y="{y + 12}" text-anchor="end" fill="{INK}">{value:+g}</text>')
    return _svg(f"criteria-{feature_id}", "Criteria scores (free to the right, gated to the left)",
                zero + half + 60, height, body)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
