"""The terminal view for people: a rich table, a summary and the findings."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from freemium_advisor.signals import CRITERIA, DEFAULT_CRITERION, SIGNAL_BY_NAME, display_value

STYLE = {"free": "green", "free-limited": "yellow", "gated": "magenta"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}


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
        soft_wrap=False,
    )
    return console, buffer


def _signed(value: float) -> str:
    return f"{value:+g}"


def render(analysis, options=None) -> str:
    """The analysis as a table with a summary line and the findings below it."""
    console, buffer = text_console(options)
    product = analysis.inventory.product
    table = Table(title=f"{product.name}: freemium advice", title_justify="left", expand=True)
    table.add_column("Feature", ratio=3, min_width=12)
    tier_width = min(max(len(name) for name in product.tier_names()), 16)
    table.add_column("Current", width=max(tier_width, 7))
    table.add_column("Advice", ratio=2, min_width=12)
    table.add_column("Tier", width=max(tier_width, 4))
    table.add_column("Conf.", justify="right", no_wrap=True)
    table.add_column("Main reason", ratio=3, min_width=12, overflow="fold")
    for a in analysis.assessments:
        reason = a.main_reason
        reason_text = Text(reason.rule) if reason else Text("-")
        if a.questions:
            reason_text = Text(f"no evidence; ask: {', '.join(a.questions)}")
        if reason and reason.inferred:
            reason_text.append("\n(inferred)", style="dim")
        advice = a.recommendation
        if a.limit_metric:
            advice += f"\nwall: {a.limit_metric}"
        if a.wall_advice and a.wall_advice != "keep":
            advice += f"\n({a.wall_advice} today's wall)"
        table.add_row(
            Text(a.feature.name),
            Text(a.feature.current or "-"),
            Text(advice, style=STYLE[a.recommendation]),
            Text(a.tier or "-"),
            Text(f"{a.confidence:.2f}" if a.known else a.confidence_label),
            reason_text,
        )
    console.print(table)
    summary = analysis.summary()
    counts = ", ".join(f"{n} {name}" for name, n in summary.items())
    console.print(f"{len(analysis.assessments)} features: {escape(counts)}.")
    _print_findings(console, analysis)
    return buffer.getvalue()


def _print_findings(console: Console, analysis) -> None:
    if not analysis.findings:
        console.print("No findings.")
        return
    console.print(f"{len(analysis.findings)} finding(s):")
    path = analysis.inventory.path
    for f in analysis.findings:
        line = Text(f"{path}:{f.line}:{f.column}: ")
        line.append(f.severity, style=SEVERITY_STYLE[f.severity])
        line.append(f" [{f.check}] {f.message}")
        console.print(line)


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
        f"gated {a.weights.gated:g}); margin {a.margin:g}; "
        f"confidence {a.confidence:.2f} ({a.confidence_label})"
    )

    console.print()
    console.print(Text("Rules that fired", style="bold"))
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("Weight", justify="right", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Why", overflow="fold")
    for reason in sorted(a.reasons, key=lambda r: (-r.weight, r.rule)):
        why = Text(reason.message)
        for e in reason.evidence:
            why.append(f"\n  inferred by {e.rule} from {', '.join(repr(w) for w in e.words)}",
                       style="dim")
        table.add_row(_signed(reason.contribution), f"{reason.rule}\n({reason.criterion})", why)
    console.print(table)

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
        signals.add_row(name, display_value(SIGNAL_BY_NAME[name], s.value), source)
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
