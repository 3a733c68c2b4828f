"""The ``report`` command: the rationale report a PM forwards, in Markdown or HTML."""

from enum import Enum
from typing import List, Optional

import typer

from freemium_advisor.cli.app import (
    CONFIG_OPTION,
    exit_codes,
    OUTPUT_OPTION,
    RULES_OPTION,
    app,
    format_choices,
    format_option,
    rule_packs,
)
from freemium_advisor.formats import RenderOptions, formatter
from freemium_advisor.render import DETAIL_LEVELS
from freemium_advisor.base.escaping import document
from freemium_advisor.base.outputs import STDOUT, write_output

ReportFormat = format_choices("report")
Detail = Enum("Detail", {level: level for level in DETAIL_LEVELS}, type=str)


@app.command(epilog=exit_codes())
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
    detail: Detail = typer.Option(
        Detail.changed, "--detail", "-d", case_sensitive=False,
        help="Which features get a section in the appendix: changed (those whose advice "
        "differs from today), all, or none. In HTML the sections are collapsed; printed, they "
        "open only with all.",
    ),
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
) -> None:
    """Write the rationale report: the decision first, the evidence on demand.

    First the verdict on the free tier (aha moment, habit loop, viral loop, upgrade trigger),
    the top moves with why each change, what to confirm (with 'freemium-advisor ask'), and
    the plan: features by tier, today beside the advice. Then a summary, the growth against
    friction chart, and an appendix: per-feature sections (--detail), the findings and the
    sources. No timestamps: rerunning on the same input gives the same bytes.

    Example: freemium-advisor report examples/whiteboard.yaml --format html -o report.html
    """
    from freemium_advisor.engine.analysis import analyze_file

    # The built-in report searches the what-ifs of the features it shows, and those alone; a
    # template sees the JSON result, which has none.
    analysis = analyze_file(file, rule_packs(rules, config))
    if template:
        from freemium_advisor.result import analysis_to_dict
        from freemium_advisor.render.user_template import render_user_template

        text = render_user_template(template, analysis_to_dict(analysis), html=format.value == "html")
    else:
        text = formatter("report", format.value)(analysis, RenderOptions(detail=detail.value))
    inputs = (file, *analysis.ruleset.files, *((template,) if template else ()))
    # Names reach the page from files anyone edits: no control or bidirectional character
    # of theirs may reach a reader's viewer as it is.
    write_output(document(text), output or STDOUT, inputs=inputs)
