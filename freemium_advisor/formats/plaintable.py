"""The analysis table as plain fixed-width text, written row by row.

Rich lays out a table by measuring, wrapping and styling every cell through several layers
of objects: about a third of a millisecond per row, seconds for a long inventory. Without
colors the same table is a matter of column widths and word wrapping, done here with rich's
own word-wrapping and cell-width functions, so that the text is the same, byte for byte, as
:func:`freemium_advisor.formats.terminal.render_analysis` prints through rich (a test
compares both). :func:`plain_widths` returns ``None`` where the layout would need rich's
narrow-terminal logic (columns that do not fit), and :func:`plain_text` ``False`` for text
that rich would change (control characters, tabs): the caller then uses rich.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from math import ceil

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size

# (overflow, justify) of each column, as terminal._print_table declares them.
FEATURE, CURRENT, ADVICE, TIER, CONF, REASON = range(6)
COLUMNS = (("ellipsis", "left"), ("ellipsis", "left"), ("ellipsis", "left"),
           ("ellipsis", "left"), ("ellipsis", "right"), ("fold", "left"))
HEADERS = ("Feature", "Current", "Advice", "Tier", "Conf.", "Main reason")
PADDING = 2  # one space either side of every cell
BORDERS = len(COLUMNS) + 1


def plain_text(text: str) -> bool:
    """Whether rich prints ``text`` as it is (no control characters, tabs or newlines)."""
    return text.isprintable()


def plain_widths(width: int, fixed: Sequence[int | None], conf_width: int) -> list[int] | None:
    """Each column's width with its padding, as rich's expanding table computes them, or
    ``None`` when they do not fit (rich then shrinks columns its own way).

    ``fixed`` holds the declared widths of Current, Advice and Tier; Feature and Main reason
    share what is left in equal ratio.
    """
    room = width - BORDERS
    widths: list[int] = [0, fixed[0] + PADDING, fixed[1] + PADDING, fixed[2] + PADDING,
                         conf_width + PADDING, 0]
    flexible = room - sum(widths)
    feature = max(1 + PADDING, ceil(3 * flexible / 6))
    reason = max(1 + PADDING, ceil(3 * (flexible - feature) / 3))
    widths[FEATURE], widths[REASON] = feature, reason
    if sum(widths) > room:
        return None
    return widths


def _cell(text: str, width: int, column: int) -> list[str]:
    """A cell's lines (without padding), each exactly ``width`` cells, as rich wraps them."""
    overflow, justify = COLUMNS[column]
    lines: list[str] = []
    for part in text.split("\n"):
        if column == CONF:  # no_wrap
            pieces = [part]
        else:
            offsets = divide_line(part, width, fold=overflow == "fold")
            bounds = [0, *offsets, len(part)]
            pieces = [_rstrip_end(part[a:b], width) for a, b in zip(bounds, bounds[1:])]
        for piece in pieces:
            length = cell_len(piece)
            if justify == "right":
                piece = piece.rstrip()
                piece = _truncate(piece, width, overflow)
                piece = " " * (width - cell_len(piece)) + piece
            else:
                piece = _truncate(piece, width, overflow)
                if length < width:
                    piece += " " * (width - length)
            lines.append(_truncate(piece, width, overflow))
    return lines


def _rstrip_end(text: str, size: int) -> str:
    if len(text) > size:
        stripped = text.rstrip()
        return text[: len(text) - min(len(text) - len(stripped), len(text) - size)]
    return text


def _truncate(text: str, width: int, overflow: str) -> str:
    if cell_len(text) > width:
        if overflow == "ellipsis":
            return set_cell_size(text, width - 1) + "…"
        return set_cell_size(text, width)
    return text


def _rule(widths: Sequence[int], left: str, line: str, middle: str, right: str) -> str:
    return left + middle.join(line * w for w in widths) + right + "\n"


def _row(cells: Sequence[str], widths: Sequence[int], bar: str, *, bottom: bool = False) -> str:
    columns = [_cell(text, width - PADDING, index) for index, (text, width) in enumerate(zip(cells, widths))]
    height = max(len(lines) for lines in columns)
    if bottom:  # rich aligns a header to the bottom of its row
        columns = [[" " * (w - PADDING)] * (height - len(lines)) + lines for lines, w in zip(columns, widths)]
    out = []
    for line in range(height):
        parts = [
            " " + (lines[line] if line < len(lines) else " " * (widths[index] - PADDING)) + " "
            for index, lines in enumerate(columns)
        ]
        out.append(bar + bar.join(parts) + bar + "\n")
    return "".join(out)


def title_lines(title: str, width: int) -> str:
    """The table's title, wrapped and padded to the table's width as rich does."""
    return "".join(line + "\n" for line in _title(title, width))


def _title(title: str, width: int) -> Iterator[str]:
    offsets = divide_line(title, width, fold=True)
    bounds = [0, *offsets, len(title)]
    for a, b in zip(bounds, bounds[1:]):
        piece = _rstrip_end(title[a:b], width)
        length = cell_len(piece)
        piece = _truncate(piece, width, "fold")
        if length < width:
            piece += " " * (width - length)
        yield _truncate(piece, width, "fold")


def table_lines(title: str, widths: Sequence[int], rows: Iterator[Sequence[str]]) -> Iterator[str]:
    """The whole table, a row at a time: title, heavy header, rows, bottom rule."""
    yield title_lines(title, sum(widths) + BORDERS)
    yield _rule(widths, "┏", "━", "┳", "┓")
    yield _row(HEADERS, widths, "┃", bottom=True)
    yield _rule(widths, "┡", "━", "╇", "┩")
    seen: dict[Sequence[str], str] = {}  # repeated features make the same row: wrap it once
    for cells in rows:
        row = seen.get(cells)
        if row is None:
            row = _row(cells, widths, "│")
            if len(seen) < 4096:
                seen[cells] = row
        yield row
    yield _rule(widths, "└", "─", "┴", "┘")
