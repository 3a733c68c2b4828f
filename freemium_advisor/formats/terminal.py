"""The terminal view for people: a rich table, a summary and the findings."""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

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
EVIDENCE_MEANS = {
    "answered": "the decisive reasons rest on your answers",
    "inferred": "the decisive reasons rest on guesses from the feature's words, name, type "
                "or metering",
    "none": "nothing but the default speaks for the advice",
}


def text_console(options) -> tuple[Console, io.StringIO]:
    """A rich console that renders into a string, in color only when ``options.color``."""
    buffer = io.StringIO()
    console = Console(
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
    return f"{value + 0.0:+g}"


def plural(count: int, noun: str) -> str:
    """``1 feature``, ``2 features``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


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
    console, buffer = text_console(options)
    if console.width < TABLE_MIN_WIDTH:
        _print_list(console, analysis)
    else:
        plain = None if options and options.color else _plain_table(analysis, console.width)
        if plain is None:
            _print_table(console, analysis)
        else:
            yield from plain
    _print_split(console, analysis)
    _print_findings(console, analysis, plain=not (options and options.color))
    yield buffer.getvalue()


def _table_columns(product, width: int) -> tuple[int, int]:
    """The widths of the tier columns' text and of the advice column."""
    tier_width = min(max(len(name) for name in product.tier_names()), 16)
    # The advice is what the reader came for: a fixed width that always holds its longest
    # word (and a wall's name on wider terminals), so the ratio columns (feature, reason) are
    # the ones that shrink.
    return tier_width, ADVICE_WIDE if width >= 100 else len("free-limited")


Cell = tuple[str, tuple[tuple[str, "str | None"], ...]]  # the cell's style, its (text, style) pieces


def _row_cells(a) -> tuple[Cell, ...]:
    """One table row: what each cell says, and in which style (the one description of a row,
    drawn by rich or as plain text)."""
    reason = a.main_reason
    if a.questions:
        why = [(f"no evidence; ask: {', '.join(a.questions)}", None)]
    else:
        why = [(reason.rule if reason else "-", None)]
    if a.evidence == "inferred":  # the decisive reasons rest on guesses
        why.append(("\n(inferred)", "dim"))
    advice = [(a.recommendation, None)]
    if a.limit_metric:
        advice.append((f"\nwall: {a.limit_metric}", None))
    if a.wall_advice and a.wall_advice != "keep":
        advice.append((f"\n({a.wall_advice} today's wall)", None))
    return (
        ("", ((a.feature.name, None),)),
        ("", ((a.feature.current or "-", None),)),
        (STYLE[a.recommendation], tuple(advice)),
        ("", ((a.tier or "-", None),)),
        ("", ((f"{a.confidence:.2f}" if a.known else a.confidence_label, None),)),
        ("", tuple(why)),
    )


def _text(style: str, pieces) -> Text:
    text = Text(style=style)
    for piece, piece_style in pieces:
        text.append(piece, style=piece_style)
    return text


def _row_texts(a) -> tuple[str, ...]:
    return tuple("".join(piece for piece, _ in pieces) for _, pieces in _row_cells(a))


def _plain_table(analysis, width: int) -> Iterator[str] | None:
    """The table as plain text (see :mod:`.plaintable`), or ``None`` where rich must draw it."""
    from freemium_advisor.formats import plaintable

    product = analysis.inventory.product
    title = f"{product.name}: freemium advice"
    rows = [_row_texts(a) for a in analysis.assessments]
    texts = [title, *(line for row in rows for cell in row for line in cell.split("\n"))]
    if not all(map(plaintable.plain_text, texts)):
        return None
    tier_width, advice_width = _table_columns(product, width)
    conf_width = max((plaintable.cell_len(row[4]) for row in rows), default=0)
    widths = plaintable.plain_widths(
        width, (max(tier_width, 7), advice_width, max(tier_width, 4)), max(conf_width, len("Conf.")),
    )
    if widths is None:
        return None
    return plaintable.table_lines(title, widths, iter(rows))


def _print_table(console: Console, analysis) -> None:
    product = analysis.inventory.product
    table = Table(title=f"{product.name}: freemium advice", title_justify="left", expand=True)
    table.add_column("Feature", ratio=3, min_width=12)
    tier_width, advice_width = _table_columns(product, console.width)
    table.add_column("Current", width=max(tier_width, 7))
    table.add_column("Advice", width=advice_width)
    table.add_column("Tier", width=max(tier_width, 4))
    table.add_column("Conf.", justify="right", no_wrap=True)
    table.add_column("Main reason", ratio=3, min_width=12, overflow="fold")
    for a in analysis.assessments:
        table.add_row(*(_text(style, pieces) for style, pieces in _row_cells(a)))
    console.print(table)


def _print_list(console: Console, analysis) -> None:
    """One block per feature: the name, then the advice first on its own line, so a narrow
    terminal wraps the reason and never cuts the advice."""
    console.print(Text(f"{analysis.inventory.product.name}: freemium advice", style="bold"))
    for a in analysis.assessments:
        console.print(Text(a.feature.name, style="bold"))
        line = Text("  ")
        line.append(a.recommendation, style=STYLE[a.recommendation])
        if a.tier:
            line.append(f" in {a.tier}")
        if a.limit_metric:
            line.append(f", wall: {a.limit_metric}")
        console.print(line)
        reason = a.main_reason
        conf = f"{a.confidence:.2f}" if a.known else a.confidence_label
        detail = f"  today {a.feature.current or '-'}; confidence {conf}"
        if reason:
            detail += f"; {reason.rule}" + (" (inferred)" if a.evidence == "inferred" else "")
        console.print(Text(detail, style="dim"))


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


def _print_split(console: Console, analysis) -> None:
    summary = analysis.summary()
    counts = ", ".join(f"{n} {name}" for name, n in summary.items())
    console.print(f"{plural(len(analysis.assessments), 'feature')}: {counts}.")
    if analysis.assessments:
        bar = Text()
        for name, cells in split_cells(summary, min(BAR_WIDTH, console.width - 2)).items():
            bar.append(BAR[name] * cells, style=STYLE[name])
        console.print(bar)
        legend = Text()
        for index, name in enumerate(summary):
            legend.append(", " if index else "")
            legend.append(BAR[name], style=STYLE[name])
            legend.append(f" {name}")
        console.print(legend)
    tiers = [
        f"{t.name} {sum(a.tier == t.name for a in analysis.assessments)}"
        for t in analysis.inventory.product.tiers
    ]
    console.print(Text(f"Advised per tier: {', '.join(tiers)}."))


def _print_findings(console: Console, analysis, *, plain: bool = False) -> None:
    """The findings, one line each; ``plain``: written as they are wherever rich would print
    them unchanged (no colors, printable text), thousands of lines without rich's layout."""
    from freemium_advisor.formats.plaintable import plain_text

    if analysis.suppressed:
        console.print(f"{plural(len(analysis.suppressed), 'finding')} waived in the inventory.")
    if not analysis.findings:
        console.print("No findings.")
        return
    console.print(f"{plural(len(analysis.findings), 'finding')}:")
    for f in analysis.findings:
        if plain:
            text = f"{f.file}:{f.line}:{f.column}: {f.severity} [{f.check}] {f.message}"
            if plain_text(text):
                console.file.write(text + "\n")
                continue
        line = Text(f"{f.file}:{f.line}:{f.column}: ")
        line.append(f.severity, style=SEVERITY_STYLE[f.severity])
        line.append(f" [{f.check}] {f.message}")
        # One line per finding, whatever the width: tools and people grep these.
        console.print(line, soft_wrap=True)


def render_explanation(explanation, options=None) -> str:
    """Every rule that fired, criteria totals, signals, margin and what would flip it."""
    console, buffer = text_console(options)
    a = explanation.assessment
    feature = a.feature
    console.print(Text(f"{feature.id}: {feature.name}", style="bold"))
    head = Text("Recommendation: ")
    head.append(a.recommendation, style=STYLE[a.recommendation])
    head.append(f" in '{a.tier}'" if a.tier else " (no paid tier to gate into)")
    if a.tier and a.tier_is_guess:
        head.append(" (a guess: no audience answered or inferred)")
    if a.limit_metric:
        head.append(f", usage wall on {a.limit_metric}")
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
        tier = f" in '{flip.tier}'" if flip.recommendation == "gated" and flip.tier else ""
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
