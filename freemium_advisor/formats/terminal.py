"""The terminal views for people: ``analyze``'s table, split and findings, and ``explain``.

``analyze`` is laid out here as plain fixed-width text, a row at a time (word wrapping and
column widths by the cells a character takes on a terminal), with colours painted over the
laid-out text when the terminal has them: the same layout with colours or without. Below
80 columns the table would have to cut the advice, so it becomes a list. ``explain`` is
drawn by rich (a tree and two borderless tables).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from freemium_advisor.base.escaping import text_line
from freemium_advisor.formats.escaping_console import EscapingConsole
from freemium_advisor.model.signals import CRITERIA, DEFAULT_CRITERION, SIGNAL_BY_NAME

STYLE = {"free": "green", "free-limited": "yellow", "gated": "magenta"}
# Each recommendation has its own shade, so the split bar reads without color too.
BAR = {"free": "█", "free-limited": "▒", "gated": "░"}
BAR_WIDTH = 40
# Below this width the six-column table would have to cut the advice: a list instead.
TABLE_MIN_WIDTH = 80
ADVICE_WIDE = 14
DIRECTION_TITLES = {"free": "towards free", "limit": "towards a usage wall", "gated": "towards a gate"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}
# The ANSI codes of the styles above (Select Graphic Rendition).
SGR = {"bold": "1", "dim": "2", "italic": "3", "green": "32", "yellow": "33", "magenta": "35",
       "cyan": "36", "bold red": "1;31"}

HEADERS = ("Feature", "Current", "Advice", "Tier", "Conf.", "Main reason")
FEATURE, CURRENT, ADVICE, TIER, CONF, REASON = range(len(HEADERS))
PADDING = 2  # one space either side of every cell
BORDERS = len(HEADERS) + 1
# Whitespace that is not a space would move the columns: shown as a space. A newline in a
# name breaks the line within its cell.
_SPACES = re.compile("[\t\r\x0b\x0c\x85\u2028\u2029]")
_WORD = re.compile(r"\s*\S+\s*")
# A long table repeats rows (the same feature text): each distinct row is laid out once.
_ROW_MEMO = 4096

EVIDENCE_MEANS = {
    "answered": "the decisive reasons rest on your answers",
    "inferred": "the decisive reasons rest on guesses from the feature's words, name, type "
                "or metering",
    "none": "nothing but the default speaks for the advice",
}


def text_console(options) -> tuple[Console, io.StringIO]:
    """A rich console that renders into a string, in color only when ``options.color``."""
    buffer = io.StringIO()
    console = EscapingConsole(
        file=buffer,
        width=options.width if options else 100,
        force_terminal=bool(options and options.color),
        no_color=not (options and options.color),
        color_system="standard" if options and options.color else None,
        highlight=False,
        emoji=False,
        # Names, tiers and rule texts come from files anyone edits: "[/]" in one is text,
        # not rich markup (which would crash the render or restyle the output).
        markup=False,
        soft_wrap=False,
    )
    return console, buffer


def _signed(value: float) -> str:
    """``+3``, ``-2.5``; zero has no sign (``0``, never ``+0`` or ``-0``)."""
    return f"{value:+g}" if value else "0"


def plural(count: int, noun: str) -> str:
    """``1 feature``, ``2 features``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --- laying out text ------------------------------------------------------------------------

def wrap(text: str, width: int, *, fold: bool = True) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words; a word longer than
    a line is cut into pieces (``fold``) or left whole on its own line, for the caller to
    shorten. Trailing spaces are dropped; a newline in the text starts a new line."""
    lines: list[str] = []
    for part in _SPACES.sub(" ", text).split("\n"):
        line = ""
        for word in _WORD.findall(part) or [part]:
            body = cell_len(word.rstrip())
            if line and cell_len(line) + body > width:
                lines.append(line.rstrip())
                line = ""
            if fold and body > width:
                pieces = _chop(word, width)
                lines += (piece.rstrip() for piece in pieces[:-1])
                line = pieces[-1]
            else:
                line += word
        lines.append(line.rstrip())
    return lines


def _chop(word: str, width: int) -> list[str]:
    """``word`` cut into pieces of at most ``width`` cells (a wide character is never split)."""
    pieces, piece, size = [], "", 0
    for character in word:
        cells = cell_len(character)
        if piece and size + cells > width:
            pieces.append(piece)
            piece, size = "", 0
        piece += character
        size += cells
    return [*pieces, piece]


def _fit(line: str, width: int, *, ellipsis: bool, right: bool = False) -> str:
    """``line`` made exactly ``width`` cells: padded, or shortened (with ``…`` when
    ``ellipsis``) when it is longer."""
    length = cell_len(line)
    if length > width:
        line = set_cell_size(line, width - 1) + "…" if ellipsis else set_cell_size(line, width)
        length = cell_len(line)
    padding = " " * (width - length)
    return padding + line if right else line + padding


def paint(text: str, color: bool, *styles: str | None) -> str:
    """``text`` in ``styles`` when ``color`` (ANSI codes around it), else as it is."""
    codes = ";".join(SGR[style] for style in styles if style)
    if not (color and codes and text):
        return text
    return f"\x1b[{codes}m{text}\x1b[0m"


# --- analyze ----------------------------------------------------------------------------------

def render_analysis(analysis, options=None) -> str:
    """The analysis as a table (a list on narrow terminals), the split, and the findings."""
    return "".join(_analysis_parts(analysis, options))


def stream_analysis(analysis, options=None) -> Iterator[bytes]:
    """:func:`render_analysis` as UTF-8 pieces, the table a few hundred rows at a time."""
    batch: list[str] = []
    for part in _analysis_parts(analysis, options):
        batch.append(part)
        if len(batch) == 256:
            yield "".join(batch).encode("utf-8")
            batch = []
    yield "".join(batch).encode("utf-8")


def _analysis_parts(analysis, options) -> Iterator[str]:
    width = options.width if options else 100
    color = bool(options and options.color)
    if width < TABLE_MIN_WIDTH:
        yield from _list(analysis, width, color)
    else:
        yield from _table(analysis, width, color)
    yield from _split(analysis, width, color)
    yield from _findings(analysis, width, color)


# A cell: its style, and its pieces (text, style), each piece after the first on new lines.
Cell = tuple["str | None", tuple[tuple[str, "str | None"], ...]]


def _row_cells(a) -> tuple[Cell, ...]:
    """One table row: what each cell says, and in which style."""
    reason = a.main_reason
    if a.questions:
        why = [(f"no evidence; ask: {', '.join(a.questions)}", None)]
    else:
        why = [(reason.rule if reason else "-", None)]
    if a.evidence == "inferred":  # the decisive reasons rest on guesses
        why.append(("(inferred)", "dim"))
    advice = [(a.recommendation, None)]
    if a.limit_metric:
        advice.append((f"wall: {text_line(a.limit_metric)}", None))
    if a.wall_advice and a.wall_advice != "keep":
        advice.append((f"({a.wall_advice} today's wall)", None))
    return (
        # Names are one line each (text_line): a newline in one must not start a line of output.
        (None, ((text_line(a.feature.name), None),)),
        (None, ((text_line(a.feature.current or "-"), None),)),
        (STYLE[a.recommendation], tuple(advice)),
        (None, ((text_line(a.tier or "-"), None),)),
        (None, ((_confidence(a), None),)),
        (None, tuple(why)),
    )


def _confidence(a) -> str:
    return f"{a.confidence:.2f}" if a.known else a.confidence_label


def _column_widths(analysis, width: int) -> list[int]:
    """Each column's width in cells, without padding. The advice is what the reader came for:
    a fixed width that always holds its longest word (and a wall's name on wider terminals);
    the tier columns fit the tier names (up to 16 cells); Feature and Main reason share the
    rest equally."""
    tier = min(max(len(name) for name in analysis.inventory.product.tier_names()), 16)
    confidence = max((len(_confidence(a)) for a in analysis.assessments), default=0)
    fixed = [max(tier, 7), ADVICE_WIDE if width >= 100 else len("free-limited"), max(tier, 4),
             max(confidence, len(HEADERS[CONF]))]
    flexible = width - BORDERS - sum(fixed) - PADDING * len(HEADERS)
    return [(flexible + 1) // 2, *fixed, flexible // 2]


def _cell_lines(cell: Cell, width: int, column: int, color: bool) -> list[str]:
    style, pieces = cell
    lines = []
    for text, piece_style in pieces:
        if column == CONF:  # a number or a word: never wrapped, aligned right
            lines.append(paint(_fit(text.strip(), width, ellipsis=True, right=True), color, style, piece_style))
            continue
        for line in wrap(text, width, fold=column == REASON):
            fitted = _fit(line, width, ellipsis=column != REASON)
            words = fitted.rstrip(" ")  # the padding stays unpainted
            lines.append(paint(words, color, style, piece_style) + fitted[len(words):])
    return lines


def _row(cells: Sequence[Cell], widths: Sequence[int], bar: str, color: bool, *, bottom: bool = False) -> str:
    columns = [_cell_lines(cell, w, i, color) for i, (cell, w) in enumerate(zip(cells, widths))]
    height = max(map(len, columns))
    out = []
    for index in range(height):
        parts = []
        for lines, w in zip(columns, widths):
            # A header sits at the bottom of its row, a cell at the top.
            at = index - (height - len(lines)) if bottom else index
            parts.append(" " + (lines[at] if 0 <= at < len(lines) else " " * w) + " ")
        out.append(bar + bar.join(parts) + bar + "\n")
    return "".join(out)


def _rule(widths: Sequence[int], left: str, line: str, middle: str, right: str) -> str:
    return left + middle.join(line * (w + PADDING) for w in widths) + right + "\n"


def _table(analysis, width: int, color: bool) -> Iterator[str]:
    """The table, a row at a time: title, heavy header, rows, bottom rule."""
    product = analysis.inventory.product
    widths = _column_widths(analysis, width)
    total = sum(widths) + PADDING * len(widths) + BORDERS
    title = wrap(f"{text_line(product.name)}: freemium advice", total)
    yield "".join(paint(line, color, "italic") + " " * (total - cell_len(line)) + "\n" for line in title)
    yield _rule(widths, "┏", "━", "┳", "┓")
    yield _row([("bold", ((header, None),)) for header in HEADERS], widths, "┃", color, bottom=True)
    yield _rule(widths, "┡", "━", "╇", "┩")
    seen: dict[tuple, str] = {}
    for cells in map(_row_cells, analysis.assessments):
        row = seen.get(cells)
        if row is None:
            row = _row(cells, widths, "│", color)
            if len(seen) < _ROW_MEMO:
                seen[cells] = row
        yield row
    yield _rule(widths, "└", "─", "┴", "┘")


def _lines(text: str, width: int, style: str | None, color: bool) -> str:
    return "".join(paint(line, color, style) + "\n" for line in wrap(text, width))


def _list(analysis, width: int, color: bool) -> Iterator[str]:
    """One block per feature: the name, then the advice first on its own line, so a narrow
    terminal wraps the reason and never cuts the advice."""
    yield _lines(f"{text_line(analysis.inventory.product.name)}: freemium advice", width, "bold", color)
    for a in analysis.assessments:
        end = 2 + len(a.recommendation)
        lines = wrap(f"  {a.recommendation}" + (f" in {text_line(a.tier)}" if a.tier else "")
                     + (f", wall: {text_line(a.limit_metric)}" if a.limit_metric else ""), width)
        lines[0] = lines[0][:2] + paint(lines[0][2:end], color, STYLE[a.recommendation]) + lines[0][end:]
        reason = a.main_reason
        detail = f"  today {text_line(a.feature.current or '-')}; confidence {_confidence(a)}"
        if reason:
            detail += f"; {reason.rule}" + (" (inferred)" if a.evidence == "inferred" else "")
        yield (_lines(text_line(a.feature.name), width, "bold", color) + "".join(line + "\n" for line in lines)
               + _lines(detail, width, "dim", color))


def split_cells(summary: dict[str, int], width: int) -> dict[str, int]:
    """How many of ``width`` cells each recommendation gets: proportional (largest remainder),
    and at least one for any recommendation given at all, so a lone feature still shows."""
    total = sum(summary.values())
    if not total:
        return dict.fromkeys(summary, 0)
    exact = {name: width * n / total for name, n in summary.items()}
    cells = {name: max(int(value), 1 if summary[name] else 0) for name, value in exact.items()}
    by_remainder = sorted(summary, key=lambda name: (-(exact[name] - int(exact[name])), name))
    for name in by_remainder:
        if sum(cells.values()) >= width:
            break
        if summary[name]:
            cells[name] += 1
    while sum(cells.values()) > width:  # the minimum of one cell can overshoot
        largest = max(cells, key=lambda name: cells[name])
        cells[largest] -= 1
    return cells


def _split(analysis, width: int, color: bool) -> Iterator[str]:
    summary = analysis.summary()
    counts = ", ".join(f"{n} {name}" for name, n in summary.items())
    yield _lines(f"{plural(len(analysis.assessments), 'feature')}: {counts}.", width, None, color)
    if analysis.assessments:
        cells = split_cells(summary, min(BAR_WIDTH, width - 2))
        yield "".join(paint(BAR[name] * n, color, STYLE[name]) for name, n in cells.items()) + "\n"
        legend = _lines(", ".join(f"{BAR[name]} {name}" for name in summary), width, None, color)
        for name in summary:  # each shade in its colour
            legend = legend.replace(BAR[name], paint(BAR[name], color, STYLE[name]))
        yield legend
    tiers = [
        f"{text_line(t.name)} {sum(a.tier == t.name for a in analysis.assessments)}"
        for t in analysis.inventory.product.tiers
    ]
    yield _lines(f"Advised per tier: {', '.join(tiers)}.", width, None, color)


def _findings(analysis, width: int, color: bool) -> Iterator[str]:
    """The findings, one line each whatever the width: tools and people grep these."""
    if analysis.suppressed:
        yield _lines(f"{plural(len(analysis.suppressed), 'finding')} waived in the inventory.", width, None, color)
    if not analysis.findings:
        yield "No findings.\n"
        return
    yield f"{plural(len(analysis.findings), 'finding')}:\n"
    for f in analysis.findings:
        severity = paint(f.severity, color, SEVERITY_STYLE[f.severity])
        yield f"{text_line(f.file)}:{f.line}:{f.column}: {severity} [{f.check}] {text_line(f.message)}\n"


# --- explain ----------------------------------------------------------------------------------

def render_explanation(explanation, options=None) -> str:
    """Every rule that fired, criteria totals, signals, margin and what would flip it."""
    console, buffer = text_console(options)
    a = explanation.assessment
    feature = a.feature
    console.print(Text(f"{feature.id}: {text_line(feature.name)}", style="bold"))
    head = Text("Recommendation: ")
    head.append(a.recommendation, style=STYLE[a.recommendation])
    head.append(f" in '{text_line(a.tier)}'" if a.tier else " (no paid tier to gate into)")
    if a.tier and a.tier_is_guess:
        head.append(" (a guess: no audience answered or inferred)")
    if a.limit_metric:
        head.append(f", usage wall on {text_line(a.limit_metric)}")
    console.print(head)
    console.print(
        f"Score {_signed(a.score)} (free {a.weights.free:g}, limit {a.weights.limit:g}, "
        f"gated {a.weights.gated:g}); margin {a.margin:g}; confidence "
        + (f"{a.confidence:.2f} ({a.confidence_label})" if a.known else a.confidence_label)
    )
    console.print(f"Evidence: {a.evidence} ({EVIDENCE_MEANS[a.evidence]})")

    console.print()
    console.print(_reason_tree(a))

    console.print()
    console.print(Text("Criteria", style="bold"))
    titles = {c.id: c.title for c in CRITERIA}
    criteria = Table(show_header=False, box=None, pad_edge=False)
    criteria.add_column(justify="right", no_wrap=True)
    criteria.add_column()
    for criterion, total in a.criteria.items():
        if total:
            criteria.add_row(_signed(total), titles[criterion])
    if a.default:
        criteria.add_row(_signed(a.default), DEFAULT_CRITERION.title)
    console.print(criteria if criteria.row_count else "No criterion carried weight.")

    console.print()
    console.print(Text("Signals", style="bold"))
    signals = Table(show_header=False, box=None, pad_edge=False)
    signals.add_column(no_wrap=True)
    signals.add_column(no_wrap=True)
    signals.add_column(overflow="fold")
    for name, s in a.signals.items():
        if s.source == "unset":
            continue
        source = s.source
        if s.evidence:
            source += " from " + "; ".join(
                f"{', '.join(repr(w) for w in e.words)} ({e.rule})" for e in s.evidence
            )
        signals.add_row(name, SIGNAL_BY_NAME[name].display(s.value), source)
    console.print(signals if signals.row_count else "No signal answered or inferred.")
    if a.questions:
        console.print("The advice is the default. Answers to these questions would decide it:")
        questions = {c.id: c.question for c in CRITERIA}
        for name in a.questions:
            console.print(f"  {name}: {questions[SIGNAL_BY_NAME[name].criterion]}")

    console.print()
    console.print(Text("What would flip it", style="bold"))
    if not explanation.flips:
        console.print("No single signal change alters the recommendation.")
    for flip in explanation.flips:
        tier = f" in '{text_line(flip.tier)}'" if flip.recommendation == "gated" and flip.tier else ""
        console.print(
            f"  {flip.signal}: {flip.value} -> {flip.recommendation}{tier} "
            f"(score {_signed(flip.score)})"
        )
    return buffer.getvalue()


def _reason_tree(a) -> Tree:
    """The rules that fired as a tree: a branch per direction, heaviest rule first, and under
    each rule the words an inferred signal came from."""
    tree = Tree(Text("Rules that fired", style="bold"), guide_style="dim")
    if not a.reasons:
        tree.add("No rule fired.")
    for direction, title in DIRECTION_TITLES.items():
        reasons = sorted((r for r in a.reasons if r.direction == direction), key=lambda r: (-r.weight, r.rule))
        if not reasons:
            continue
        total = sum(r.weight for r in reasons)
        branch = tree.add(Text(f"{title}: {total:g}", style=STYLE.get(
            {"limit": "free-limited"}.get(direction, direction), "")))
        for reason in reasons:
            line = Text(f"{_signed(reason.contribution)} ")
            line.append(reason.rule, style="bold")
            line.append(f" ({reason.criterion}): {reason.message}")
            node = branch.add(line)
            for e in reason.evidence:
                node.add(Text(f"inferred by {e.rule} from {', '.join(repr(w) for w in e.words)}", style="dim"))
    return tree
