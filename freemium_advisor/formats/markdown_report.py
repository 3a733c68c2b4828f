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
# Where Mermaid's 500-pixel view box ends, in the same units: it draws the quadrants from
# 31 px to 495 px, so a label may reach 31 px left of 0 and 5 px right of 1, and no further.
MERMAID_LEFT = -31 / 464
MERMAID_RIGHT = 469 / 464
SHORTEST_NAME = 12  # characters a shortened name keeps, "..." included: fewer say little


def mermaid_points(points) -> list[tuple[str, float, float]]:
    """The quadrant chart's points as Mermaid draws them: (label, x, y), in the report's
    order.

    Mermaid cannot move a label: it centres it under its point. So no label reaches past the
    view box, and no two overlap. The points holding top moves go first: each takes its
    shortest label (the moves' ranks, ``3``), then, a step at a time and the best-ranked
    first, longer ones while there is room (``moves 3, 4``, names shortened, whole names, then
    how many more features share the point). Then the other named points (up to 25 features,
    every point is named), the same way; then, where there is room, how many features share
    each point no label names."""
    order = sorted(range(len(points)), key=lambda i: (not points[i].label, points[i].priority))
    texts = {i: _label_texts(points[i], _room(points[i].x)) for i in order}
    chosen: dict[int, int] = {}  # point -> index of its label in texts[point], the most first
    boxes: dict[int, tuple[float, float, float, float]] = {}

    def fits(i: int, text: str) -> tuple | None:
        half = len(text) * MERMAID_CHARACTER / 2
        p = points[i]
        box = (p.x - half, p.y - MERMAID_LINE, p.x + half, p.y)
        clear = all(not (b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3])
                    for j, b in boxes.items() if j != i)
        return box if clear else None

    def label(group: list[int]) -> None:
        for i in group:  # the shortest label of each that fits
            for at in reversed(range(len(texts[i]))):
                box = fits(i, texts[i][at])
                if box is not None:
                    chosen[i], boxes[i] = at, box
                    break
        grown = True
        while grown:  # then longer ones, a step each in turn
            grown = False
            for i in group:
                at = chosen.get(i)
                if at:
                    box = fits(i, texts[i][at - 1])
                    if box is not None:
                        chosen[i], boxes[i], grown = at - 1, box, True

    label([i for i in order if points[i].ranks])
    label([i for i in order if points[i].label and not points[i].ranks])
    label([i for i in order if not points[i].label])
    return [(texts[i][chosen[i]] if i in chosen else " ", p.x, p.y) for i, p in enumerate(points)]


def unlabelled_moves(points, drawn) -> list[str]:
    """The top moves Mermaid's chart has no room to name (``4. Copilot SSO``), best first:
    the points whose label is blank or only a count."""
    left = []
    for point, (text, _, _) in zip(points, drawn):
        if point.ranks and (text == " " or text == f"({point.count})"):
            left += [(rank, name) for rank, name in zip(point.ranks, point.named)]
    return [f"{rank}. {name}" for rank, name in sorted(left)]


def _room(x: float) -> int:
    """How many characters a label centred at ``x`` may have inside the view box."""
    return int(2 * min(x - MERMAID_LEFT, MERMAID_RIGHT - x) / MERMAID_CHARACTER)


def _label_texts(point, room: int) -> list[str]:
    """What a point's label may say, the most first, each at most ``room`` characters: the
    names it gives with how many more features share the point, without, shortened alike;
    the ranks of the top moves it holds; else how many features share it."""
    if not point.label:
        candidates = [f"({point.count})"] if point.count > 1 else []
    else:
        names = [mermaid_label(n) for n in point.named]
        more = point.count - len(names)
        suffix = f" +{more}" if more else ""
        candidates = [", ".join(names) + suffix, ", ".join(names), _shortened(names, room)]
        if point.ranks:
            ranks = _ranks(point.ranks)
            candidates += [f"move{'s' if len(point.ranks) > 1 else ''} {ranks}", ranks]
        elif point.count > 1:
            candidates.append(f"({point.count})")
    return list(dict.fromkeys(t for t in candidates if t and len(t) <= room))


def _ranks(ranks: tuple[int, ...]) -> str:
    """``3``, ``3, 5``, ``4-6``: runs of ranks as ranges, in the least room."""
    runs: list[list[int]] = []
    for rank in ranks:
        if runs and rank == runs[-1][-1] + 1:
            runs[-1].append(rank)
        else:
            runs.append([rank])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _shortened(names: list[str], room: int) -> str:
    """``names`` joined in at most ``room`` characters, each cut alike (to
    :data:`SHORTEST_NAME` at the least), else ""."""
    each = (room - 2 * (len(names) - 1)) // max(len(names), 1)
    if each < SHORTEST_NAME:
        return ""
    return ", ".join(n if len(n) <= each else n[: each - 3].rstrip() + "..." for n in names)


def report_context(analysis, options=None) -> dict:
    """What the built-in report templates see: the report (with the options' ``detail``),
    the tool, ``cite``, and the Markdown template's ``html``, ``code``, ``mermaid_points``
    and ``unlabelled_moves``."""
    detail = options.detail if options is not None else "changed"
    return {"report": build_report(analysis, detail), "tool": analysis.tool, "cite": cite,
            "html": html_text, "code": code_span, "mermaid_points": mermaid_points,
            "unlabelled_moves": unlabelled_moves}


def render_report(analysis, options=None) -> str:
    """The whole analysis as a Markdown report a PM can forward."""
    return render_template(TEMPLATE, **report_context(analysis, options))
