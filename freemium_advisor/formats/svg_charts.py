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

# Average advance of a character of the charts' sans-serif, in em: a little wide, so that an
# estimated label box holds the drawn one.
CHAR_WIDTH = 0.62


# Where a label may go, in lines above (negative) or below its dot: beside it first.
LABEL_SHIFTS = (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6)


def text_width(text: str, font_size: float) -> float:
    """An estimate of how wide ``text`` is drawn (no font metrics without a browser), on the
    generous side."""
    return len(text) * font_size * CHAR_WIDTH


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
    # As wide as the longest legend line, so a count of any size stays inside the view box.
    width = math.ceil(max([246 + text_width(f"{n} {name}", 15) + 8 for name, n in summary.items()] + [400]))
    return _svg("split", f"Advice for {total} features", width, 220, body)


def tier_bars(tiers) -> Markup:
    """Features per tier: advised (solid) against today (outlined), one pair of bars a tier."""
    top = max([max(t.advised, t.today) for t in tiers] + [1])
    # The names' column is as wide as the longest name (cut past 24 characters), so none is
    # cut by the view box.
    names = [_clip(t.name, 24) for t in tiers]
    label_width = math.ceil(max([text_width(name, 13) for name in names] + [100]) + 12)
    bar_width, row = 230, 44
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
            f"{escape(names[index])}</text>"
        )
        for offset, value, solid in ((0, tier.advised, True), (18, tier.today, False)):
            width = bar_width * value / top
            style = f'fill="{INK}"' if solid else f'fill="none" stroke="{INK}"'
            body.append(f'<rect x="{label_width}" y="{y + offset}" width="{_n(width)}" height="14" {style}/>')
            body.append(f'<text x="{_n(label_width + width + 6)}" y="{y + offset + 12}" fill="{INK}">{value}</text>')
    return _svg("tiers", "Features per tier: advised and today", label_width + bar_width + 50, height, body)


def quadrant(points) -> Markup:
    """Growth value (up) against friction and cost (right): a dot per place, sized by how many
    features share it, named as :attr:`~freemium_advisor.render.report_chart.ChartPoint.label` says.

    ``points`` are :class:`~freemium_advisor.render.report_chart.ChartPoint` (x and y in 0..1).
    Labels sit beside their dot, on the side with room, moved up or down past labels already
    drawn, and cut to fit the view box, so no name is clipped or drawn over another; a label
    with no room left is left out (the dot's tooltip still names its features).
    """
    left, top, size, font = 70, 30, 360, 12
    width, height = left + size + 20, top + size + 56
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
    dots: list[tuple[float, float, float, float]] = []
    labels = []
    for point in points:
        cx, cy = left + point.x * size, top + (1 - point.y) * size
        radius = min(6 + 3 * math.sqrt(point.count - 1), 18)
        names = ", ".join(f.feature.name for f in point.features[:8])
        if point.count > 8:
            names += f" and {point.count - 8} more"
        body.append(
            f'<g data-point="{point.count}"><title>{escape(names)}: {point.recommendation}</title>'
            f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius)}" fill="{COLORS[point.recommendation]}" '
            f'fill-opacity="0.85" stroke="#fff"/>'
            + (f'<text x="{_n(cx)}" y="{_n(cy + 3.5)}" text-anchor="middle" font-size="10" '
               f'font-weight="bold" fill="#fff">{point.count}</text>' if point.count > 1 else "")
            + "</g>"
        )
        dots.append((cx - radius, cy - radius, cx + radius, cy + radius))
        if point.label:
            labels.append((point.label, cx, cy, radius))
    # What no label may cover: the axis titles and the quadrants' names around the plot.
    placed_boxes: list[tuple[float, float, float, float]] = [
        (0, top, 30, top + size), (left, 0, left + size, top), (left, top + size, width, height),
    ]
    for label, cx, cy, radius in labels:
        # Whole and clear of every dot if it can be; else cut to fit; else over dots, clear
        # of the other labels at least.
        placed = next((found for boxes, cut in ((dots + placed_boxes, False), (dots + placed_boxes, True),
                                                (placed_boxes, False), (placed_boxes, True))
                       if (found := _place_label(label, cx, cy, radius, font, width, height, boxes, cut))), None)
        if placed is None:
            continue
        x, y, anchor, text, box = placed
        placed_boxes.append(box)
        if abs(y - (cy + font * 0.35)) > 1:  # moved off its dot: a leader line shows whose it is
            body.append(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y - font * 0.35)}" '
                        f'stroke="{GRID}" stroke-width="0.8"/>')
        # A white halo keeps a label readable where it has to cross a dot.
        body.append(f'<text data-label="1" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" '
                    f'font-size="{font}" fill="{INK}" stroke="#fff" stroke-width="3" '
                    f'paint-order="stroke">{escape(text)}</text>')
    return _svg("quadrant", "Growth value against friction and cost, per feature", width, height, body)


def _place_label(label: str, cx: float, cy: float, radius: float, font: float, width: float,
                 height: float, taken: list, cut: bool) -> tuple | None:
    """Where a label goes, clear of the boxes ``taken``: beside its dot (the side with more
    room first), else moved up or down; whole, or with ``cut`` cut to the room the view box
    has. (x, baseline, anchor, text, box), or ``None`` when nowhere fits."""
    margin = 4
    sides = ("start", "end") if cx < width / 2 else ("end", "start")
    for dy in LABEL_SHIFTS:
        dy *= font + 2
        baseline = cy + font * 0.35 + dy
        if baseline - font < margin or baseline + font * 0.3 > height - margin:
            continue
        for anchor in sides:
            x = cx + radius + 3 if anchor == "start" else cx - radius - 3
            room = (width - margin - x) if anchor == "start" else (x - margin)
            text = _fit(label, room, font) if cut else label
            if not text or text_width(text, font) > room:
                continue
            w = text_width(text, font)
            left = x if anchor == "start" else x - w
            box = (left, baseline - font, left + w, baseline + font * 0.3)
            if not any(_overlap(box, other) for other in taken):
                return x, baseline, anchor, text, box
    return None


def _fit(text: str, room: float, font: float) -> str:
    """``text`` cut (with an ellipsis) to what fits in ``room`` pixels; ``""`` if too little."""
    if text_width(text, font) <= room:
        return text
    keep = int(room / (font * CHAR_WIDTH)) - 1
    return text[:keep].rstrip() + "…" if keep >= 6 else ""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def criteria_bars(criteria: list[tuple[str, float]], scale: float, feature_id: str) -> Markup:
    """One feature's criteria scores as bars either side of zero (free right, gated left).

    ``scale`` is the largest absolute score in the whole report, so bars compare across
    features. The titles' column is as wide as the longest title, so none is cut.
    """
    half, row = 150, 24
    label_width = max([text_width(title, 13) for title, _ in criteria] + [60]) + 14
    zero = label_width + half + 10
    height = 10 + row * max(len(criteria), 1)
    body = [f'<line x1="{_n(zero)}" y1="4" x2="{_n(zero)}" y2="{height - 4}" stroke="{GRID}"/>']
    for index, (title, value) in enumerate(criteria):
        y = 8 + index * row
        width = half * abs(value) / (scale or 1)
        x = zero if value > 0 else zero - width
        color = COLORS["free"] if value > 0 else COLORS["gated"]
        body.append(f'<text x="{_n(label_width - 6)}" y="{y + 12}" text-anchor="end" fill="{INK}">{escape(title)}</text>')
        body.append(f'<rect x="{_n(x)}" y="{y}" width="{_n(width)}" height="16" fill="{color}"/>')
        # Values in a column of their own, so a long bar never runs into a title.
        body.append(f'<text x="{_n(zero + half + 55)}" y="{y + 12}" text-anchor="end" fill="{INK}">{value:+g}</text>')
    return _svg(f"criteria-{feature_id}", "Criteria scores (free to the right, gated to the left)",
                math.ceil(zero + half + 60), height, body)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
