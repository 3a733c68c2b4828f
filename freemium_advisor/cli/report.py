"""The ``report`` command: the rationale report a PM forwards, in Markdown or HTML."""

from __future__ import annotations

from typing import List, Optional

import typer

from freemium_advisor.cli.app import (
    CONFIG_OPTION,
    EXIT_CODES_HELP,
    OUTPUT_OPTION,
    RULES_OPTION,
    app,
    format_choices,
    format_option,
    rule_packs,
)
from freemium_advisor.formats import RenderOptions, formatter
from freemium_advisor.base.escaping import document
from freemium_advisor.base.outputs import STDOUT, write_output

ReportFormat = format_choices("report")


@app.command(epilog=EXIT_CODES_HELP)
def report(
    file: str = typer.Argument(..., help="The inventory YAML file ('-' reads stdin).", metavar="FILE"),
    output: str = OUTPUT_OPTION,
    format: ReportFormat = format_option(
        ReportFormat, help="markdown (GitHub renders its Mermaid charts) or html (one self-contained page)."
    ),
    template: Optional[str] = typer.Option(
        None, "--template", "-t", metavar="PATH",
        help="Your own Jinja2 template, rendered in a sandbox with the JSON result as its "
        "context (see docs/report-context.md); html autoescapes it.",
    ),
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
) -> None:
    """Write the rationale report: the advice for every feature and why, with citations.

    The report holds the tiers and who each serves, a summary (counts, advice that differs
    from today, findings), the free tier judged as a whole, what we still need to know
    (the questions whose answers would change the advice most), one section per feature, and
    charts. No timestamps: rerunning on the same input gives the same bytes.

    Example: freemium-advisor report examples/whiteboard.yaml --format html -o report.html
    """
    from freemium_advisor.engine.analysis import analyze_file

    # A template sees the JSON result, which has no what-ifs: only the built-in report reads them.
    analysis = analyze_file(file, rule_packs(rules, config), what_ifs=not template)
    if template:
        from freemium_advisor.result import analysis_to_dict
        from freemium_advisor.render.user_template import render_user_template

        text = render_user_template(template, analysis_to_dict(analysis), html=format.value == "html")
    else:
        text = formatter("report", format.value)(analysis, RenderOptions())
    inputs = (file, *analysis.ruleset.files, *((template,) if template else ()))
    # Names reach the page from files anyone edits: no control or bidirectional character
    # of theirs may reach a reader's viewer as it is.
    write_output(document(text), output or STDOUT, inputs=inputs)
