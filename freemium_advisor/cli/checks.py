"""The ``checks`` commands: list and document the check catalog."""

from __future__ import annotations

import typer

from freemium_advisor.cli.app import EXIT_CODES_HELP, OUTPUT_OPTION, checks_app
from freemium_advisor.outputs import STDOUT, write_output


@checks_app.command("list", epilog=EXIT_CODES_HELP)
def checks_list() -> None:
    """List the checks: id, default severity, scope and title, one line each.

    Example: freemium-advisor checks list | grep error
    """
    from freemium_advisor.checkcatalog import load_checks

    for spec in load_checks():
        typer.echo(f"{spec.id:<28} {spec.severity:<8} {spec.scope:<8} {spec.title}")


@checks_app.command("docs", epilog=EXIT_CODES_HELP)
def checks_docs(output: str = OUTPUT_OPTION) -> None:
    """Write the Markdown check reference generated from the check files.

    The repository's docs/checks.md is this output.

    Example: freemium-advisor checks docs -o docs/checks.md
    """
    from freemium_advisor.formats.checks_view import render_docs

    write_output(render_docs(), output or STDOUT)
