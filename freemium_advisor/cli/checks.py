"""The ``checks`` commands: list, test and document the check catalog."""

from typing import List, Optional

import typer

from freemium_advisor.cli.app import (
    CONFIG_OPTION,
    EXIT_EXAMPLES_FAIL,
    EXIT_FINDINGS,
    OUTPUT_OPTION,
    RULES_OPTION,
    checks_app,
    exit_codes,
    format_choices,
    format_option,
    rule_packs,
)
from freemium_advisor.base.outputs import STDOUT, write_output
from freemium_advisor.formats import formatter


ChecksListFormat = format_choices("checks list")


@checks_app.command("list", epilog=exit_codes())
def checks_list(
    format: ChecksListFormat = format_option(ChecksListFormat),
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
) -> None:
    """List the checks: id, severity (as the rule packs set it), scope and title, one line
    each; --format json for scripts.

    Example: freemium-advisor checks list --rules my-rules.yaml
    """
    from freemium_advisor.engine.findings import catalog, severities
    from freemium_advisor.reading.rulepacks import load_ruleset

    levels = severities(load_ruleset(rule_packs(rules, config)))
    listed = [(spec, levels[spec.id]) for spec in catalog()]
    write_output(formatter("checks list", format.value)(listed), STDOUT)


@checks_app.command("test", epilog=exit_codes(EXIT_EXAMPLES_FAIL))
def checks_test(
    rules: Optional[List[str]] = RULES_OPTION, config: Optional[str] = CONFIG_OPTION,
) -> None:
    """Run every check's examples (inventories it must fire on, and stay quiet on).

    Exits 1 if any example fails: run it after changing rule weights in a pack, to see
    which checks the change affects.

    Example: freemium-advisor checks test --rules my-rules/
    """
    from freemium_advisor.engine.examples import check_examples
    from freemium_advisor.engine.findings import catalog
    from freemium_advisor.reading.rulepacks import load_ruleset

    ruleset = load_ruleset(rule_packs(rules, config))
    results = [r for spec in catalog() for r in check_examples(spec, ruleset)]
    failures = [r for r in results if not r.passed]
    for failure in failures:
        expectation = "fire" if failure.outcome == "fails" else "stay quiet"
        found = failure.error or "; ".join(failure.found) or "no finding"
        typer.echo(f"FAIL {failure.owner}: example {failure.outcome}[{failure.index}] should "
                   f"{expectation} but gave: {found}")
    typer.echo(f"{len(results) - len(failures)} of {len(results)} check examples pass.")
    if failures:
        raise typer.Exit(EXIT_FINDINGS)


@checks_app.command("docs", epilog=exit_codes())
def checks_docs(output: str = OUTPUT_OPTION) -> None:
    """Write the Markdown check reference generated from the check files.

    The repository's docs/checks.md is this output.

    Example: freemium-advisor checks docs -o docs/checks.md
    """
    from freemium_advisor.formats.checks_view import render_docs

    write_output(render_docs(), output or STDOUT)
