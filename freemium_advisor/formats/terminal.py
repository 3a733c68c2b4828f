"""The terminal views for people: ``analyze``'s table, split and findings, and ``explain``.

``analyze`` is laid out here as plain fixed-width text, a row at a time (word wrapping and
column widths by the cells a character takes on a terminal), with colours painted over the
laid-out text when the terminal has them: the same layout with colours or without. The table
never cuts or breaks a word: when its longest words do not fit the terminal's width, it
becomes a list, which says the same. ``explain`` is drawn by rich (a tree and two
borderless tables).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence

from rich.cells import cell_len
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
# A gated feature's tier that no audience supports: the cheapest paid one, a guess.
GUESS = "(guess)"
DIRECTION_TITLES = {"free": "towards free", "limit": "towards a usage wall", "gated": "towards a gate"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}
# The ANSI codes of the styles above (Select Graphic Rendition).
SGR = {"bold": "1", "dim": "2", "italic": "3", "green": "32", "yellow": "33", "magenta": "35",
       "cyan": "36", "bold red": "1;31"}

HEADERS = ("Feature", "Current", "Advice", "Conf.", "Main reason")
FEATURE, CURRENT, ADVICE, CONF, REASON = range(len(HEADERS))
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
    "none": "nothing but defaults speak for the advice",
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
    rows = [_row_cells(a) for a in analysis.assessments]
    widths = _column_widths(dict.fromkeys(rows), width)
    if widths is None:  # some word would not fit its column: a list never cuts one
        yield from _list(analysis, width, color)
    else:
        yield from _table(analysis, rows, widths, color)
    yield from _legend(analysis, width, color, widths is not None)
    yield from _split(analysis, width, color)
    yield from _findings(analysis, width, color)


# A cell: its style, and its paragraphs, each starting on a line of its own, made of pieces
# (text, style) that flow on together: "audience-admin (inferred)" breaks only where it must.
Piece = tuple[str, "str | None"]
Cell = tuple["str | None", tuple[tuple[Piece, ...], ...]]


def _advice_text(a) -> str:
    """``gated in business``, ``free-limited``: the advice with the tier it gates into."""
    return f"{a.recommendation} in {text_line(a.tier)}" if a.recommendation == "gated" and a.tier else a.recommendation


def _reason_text(a) -> str:
    """The main reason's rule, or what the advice lacks: never the default, which is no
    reason (``no evidence; ask: virality, aha``)."""
    reason = a.main_reason
    if a.questions:
        return f"no evidence; ask: {', '.join(a.questions)}"
    if reason is None or reason.criterion == DEFAULT_CRITERION.id:
        return "no evidence"
    return reason.rule


def _row_cells(a) -> tuple[Cell, ...]:
    """One table row: what each cell says, and in which style."""
    why: tuple[Piece, ...] = ((_reason_text(a), None),)
    if a.evidence == "inferred":  # the decisive reasons rest on guesses
        why += (("(inferred)", "dim"),)
    advice: tuple[Piece, ...] = ((_advice_text(a), None),)
    if a.tier_is_guess:
        advice += ((GUESS, "dim"),)
    paragraphs = [advice]
    if a.limit_metric:
        paragraphs.append(((f"wall: {text_line(a.limit_metric)}", None),))
    if a.wall_advice and a.wall_advice != "keep":
        paragraphs.append(((f"({a.wall_advice} today's wall)", None),))
    return (
        # Names are one line each (text_line): a newline in one must not start a line of output.
        (None, (((text_line(a.feature.name), None),),)),
        (None, (((text_line(a.feature.current or "-"), None),),)),
        (STYLE[a.recommendation], tuple(paragraphs)),
        (None, (((a.confidence_label, None),),)),
        (None, (why,)),
    )


def _words(paragraph: tuple[Piece, ...]) -> list[Piece]:
    """A paragraph's words, each with its piece's style and the space that follows it."""
    words = []
    for text, style in paragraph:
        if words:  # pieces flow on with a space between them
            words[-1] = (words[-1][0].rstrip() + " ", words[-1][1])
        words += ((word, style) for word in _WORD.findall(_SPACES.sub(" ", text)) or [text])
    return words


def _measure(cell: Cell) -> tuple[int, int]:
    """The narrowest width a cell fits in without breaking a word, and the width it takes
    on one line per paragraph."""
    narrowest = widest = 0
    for paragraph in cell[1]:
        words = _words(paragraph)
        narrowest = max(narrowest, *(cell_len(word.rstrip()) for word, _ in words))
        widest = max(widest, cell_len("".join(word for word, _ in words).rstrip()))
    return narrowest, widest


def _column_widths(rows: Iterable[tuple[Cell, ...]], width: int) -> list[int] | None:
    """Each column's width in cells, without padding, or ``None`` when some word would not
    fit in its column (the table never cuts a word, nor breaks one).

    Every column gets its longest word; the short ones (Current, Conf.) all they need; the
    rest goes, a cell at a time, to whichever of Feature, Advice and Main reason lacks the
    most for nine rows in ten to take one line per paragraph, then for every row to; what is
    left after that widens Feature and Main reason. (A few long rows, "no evidence; ask:
    ..." say, would otherwise take the room every other row's names need.)"""
    narrowest, typical, widest = [], [], []
    rows = list(rows)
    for column, header in enumerate(_header_cells()):
        # Most cells repeat (a tier, a label, a rule id): each distinct one is measured once.
        sizes = {cell: _measure(cell) for cell in {row[column] for row in rows}}
        measured = [_measure(header)] + [sizes[row[column]] for row in rows]
        narrowest.append(max(n for n, _ in measured))
        lines = sorted(w for _, w in measured)
        typical.append(lines[(len(lines) - 1) * 9 // 10])
        widest.append(lines[-1])
    room = width - BORDERS - PADDING * len(HEADERS)
    widths = list(narrowest)
    if sum(widths) > room:
        return None
    for column in (CURRENT, CONF):
        widths[column] += min(widest[column] - widths[column], room - sum(widths))
    for wanted in (typical, widest):
        while sum(widths) < room:
            lacking = max((FEATURE, ADVICE, REASON), key=lambda c: wanted[c] - widths[c])
            if wanted[lacking] <= widths[lacking]:
                break
            widths[lacking] += 1
    spare = room - sum(widths)
    widths[FEATURE] += (spare + 1) // 2
    widths[REASON] += spare // 2
    return widths


def _header_cells() -> tuple[Cell, ...]:
    return tuple(("bold", (((header, None),),)) for header in HEADERS)


def _wrap_pieces(paragraph: tuple[Piece, ...], width: int) -> list[list[Piece]]:
    """A paragraph in lines of at most ``width`` cells, broken between words (the widths
    leave room for every word); each line a list of (words, style) runs."""
    lines: list[list[Piece]] = [[]]
    size = 0
    for word, style in _words(paragraph):
        body = cell_len(word.rstrip())
        if lines[-1] and size + body > width:
            lines.append([])
            size = 0
        line = lines[-1]
        if line and line[-1][1] == style:
            line[-1] = (line[-1][0] + word, style)
        else:
            line.append((word, style))
        size += cell_len(word)
    return lines


def _cell_lines(cell: Cell, width: int, color: bool) -> list[str]:
    style, paragraphs = cell
    lines = []
    for paragraph in paragraphs:
        for runs in _wrap_pieces(paragraph, width):
            text = "".join(run for run, _ in runs).rstrip(" ")
            # Painted run by run; the padding stays unpainted.
            painted = []
            left = len(text)
            for run, run_style in runs:
                part = run[:left]
                left -= len(part)
                words = part.rstrip(" ")
                painted.append(paint(words, color, style, run_style) + part[len(words):])
            padding = " " * (width - cell_len(text))
            line = "".join(painted)
            lines.append(line + padding)
    return lines


def _row(cells: Sequence[Cell], widths: Sequence[int], bar: str, color: bool, *, bottom: bool = False,
         laid: dict | None = None) -> str:
    """A row of the table; ``laid`` keeps the lines of each cell laid out so far (a tier, a
    label, a rule id repeat from row to row)."""
    columns = []
    for cell, w in zip(cells, widths):
        lines = laid.get((cell, w)) if laid is not None else None
        if lines is None:
            lines = _cell_lines(cell, w, color)
            if laid is not None and len(laid) < _ROW_MEMO:
                laid[cell, w] = lines
        columns.append(lines)
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


def _table(analysis, rows: list[tuple[Cell, ...]], widths: list[int], color: bool) -> Iterator[str]:
    """The table, a row at a time: title, heavy header, rows, bottom rule."""
    product = analysis.inventory.product
    total = sum(widths) + PADDING * len(widths) + BORDERS
    title = wrap(f"{text_line(product.name)}: freemium advice", total)
    yield "".join(paint(line, color, "italic") + " " * (total - cell_len(line)) + "\n" for line in title)
    yield _rule(widths, "┏", "━", "┳", "┓")
    yield _row(_header_cells(), widths, "┃", color, bottom=True)
    yield _rule(widths, "┡", "━", "╇", "┩")
    seen: dict[tuple, str] = {}
    laid: dict = {}
    for cells in rows:
        row = seen.get(cells)
        if row is None:
            row = _row(cells, widths, "│", color, laid=laid)
            if len(seen) < _ROW_MEMO:
                seen[cells] = row
        yield row
    yield _rule(widths, "└", "─", "┴", "┘")


def _lines(text: str, width: int, style: str | None, color: bool, indent: int = 0) -> str:
    """``text`` wrapped to ``width``, every line (the wrapped ones too) indented by ``indent``."""
    margin = " " * indent
    return "".join(margin + paint(line, color, style) + "\n" for line in wrap(text, max(width - indent, 1)))


def _list(analysis, width: int, color: bool) -> Iterator[str]:
    """One block per feature: the name, then the advice on its own line, then today's tier,
    the confidence and the main reason: what the table says, wrapped, so a narrow terminal
    never cuts a word."""
    yield _lines(f"{text_line(analysis.inventory.product.name)}: freemium advice", width, "bold", color)
    for a in analysis.assessments:
        advice = _advice_text(a)
        lines = wrap(advice + (f" {GUESS}" if a.tier_is_guess else "")
                     + (f", wall: {text_line(a.limit_metric)}" if a.limit_metric else "")
                     + (f" ({a.wall_advice} today's wall)" if a.wall_advice and a.wall_advice != "keep" else ""),
                     max(width - 2, 1))
        end = len(a.recommendation)
        lines[0] = paint(lines[0][:end], color, STYLE[a.recommendation]) + lines[0][end:]
        detail = (f"today {text_line(a.feature.current or '-')}; confidence {a.confidence_label}; "
                  f"{_reason_text(a)}" + (" (inferred)" if a.evidence == "inferred" else ""))
        yield (_lines(text_line(a.feature.name), width, "bold", color) + "".join(f"  {line}\n" for line in lines)
               + _lines(detail, width, "dim", color, indent=2))


def _legend(analysis, width: int, color: bool, table: bool) -> Iterator[str]:
    """What the confidence promises (free or paid, never the tier) and, when some tier is a
    guess, what the mark means."""
    name = "Conf." if table else "Confidence"
    yield _lines(f"{name}: how often real products agreed with advice like this, free or paid; "
                 "it does not measure the tier.", width, "dim", color)
    if any(a.tier_is_guess for a in analysis.assessments):
        yield _lines(f"{GUESS}: no audience answered or inferred, so the tier is the cheapest "
                     "paid one.", width, "dim", color)


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
        f"gated {a.weights.gated:g}); margin {a.margin:g}"
    )
    console.print(f"Confidence: {_confidence_said(a)}")
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


def _confidence_said(a) -> str:
    """The confidence as its label, its number and what it promises: free or paid, as real
    products agreed with advice like this, never the tier."""
    if not a.known:
        return "unknown (no measured promise holds for advice like this)"
    tier = ", which is a guess" if a.tier_is_guess else ""
    return (f"{a.confidence_label} ({a.confidence:.2f}): how often real products agreed with "
            f"advice like this, free or paid; it does not measure the tier{tier}")


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
