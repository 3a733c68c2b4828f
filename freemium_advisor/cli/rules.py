"""The ``rules`` commands: list, show, test and document the rules in force."""

import json
from typing import List, Optional

import typer

from freemium_advisor.cli.app import (
    CONFIG_OPTION,
    COLOR_OPTION,
    EXIT_EXAMPLES_FAIL,
    EXIT_FINDINGS,
    OUTPUT_OPTION,
    RULES_OPTION,
    format_choices,
    format_option,
    render_options,
    rules_app,
    exit_codes,
    rule_packs,
)
from freemium_advisor.base.errors import InputError, did_you_mean
from freemium_advisor.formats import formatter
from freemium_advisor.base.outputs import STDOUT, write_output

RulesListFormat = format_choices("rules list")


def complete_rule_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for RULE_ID: the ids of the rules in force."""
    from freemium_advisor.reading.rulepacks import load_ruleset

    try:
        ruleset = load_ruleset(ctx.params.get("rules") or ())
    except InputError:
        return []
    return [rule_id for rule_id in ruleset.ids() if rule_id.startswith(incomplete)]


@rules_app.command("list", epilog=exit_codes())
def rules_list(
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
    format: RulesListFormat = format_option(RulesListFormat),
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """List the rules in force: id, kind, criterion, direction, weight and source.

    Example: freemium-advisor rules list --rules my-rules.yaml
    """
    from freemium_advisor.reading.rulepacks import load_ruleset

    ruleset = load_ruleset(rule_packs(rules, config))
    write_output(formatter("rules list", format.value)(ruleset, render_options(color, STDOUT)), STDOUT)


@rules_app.command("show", epilog=exit_codes())
def rules_show(
    rule_id: str = typer.Argument(
        ..., help="The rule's id.", metavar="RULE_ID", autocompletion=complete_rule_id
    ),
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """Show one rule in full: condition or words, weight, message, source and examples.

    Example: freemium-advisor rules show virality-high
    """
    from freemium_advisor.formats import rules_view
    from freemium_advisor.reading.rulepacks import load_ruleset

    ruleset = load_ruleset(rule_packs(rules, config))
    try:
        rule = ruleset.get(rule_id)
    except KeyError:
        raise InputError(
            None, None, None, f"no rule '{rule_id}'{did_you_mean(rule_id, ruleset.ids())}"
        ) from None
    write_output(rules_view.render_rule(rule, render_options(color, STDOUT)), STDOUT)


@rules_app.command("test", epilog=exit_codes(EXIT_EXAMPLES_FAIL))
def rules_test(
    rules: Optional[List[str]] = RULES_OPTION, config: Optional[str] = CONFIG_OPTION,
) -> None:
    """Run every rule's examples (the features it must fire on and stay quiet on).

    Exits 1 if any example fails, so a rule pack can be tested in CI.

    Example: freemium-advisor rules test --rules my-rules/
    """
    from freemium_advisor.engine.examples import ruleset_examples
    from freemium_advisor.reading.rulepacks import load_ruleset

    results = ruleset_examples(load_ruleset(rule_packs(rules, config)))
    failures = [r for r in results if not r.passed]
    for failure in failures:
        expectation = "fire" if failure.outcome == "fires" else "stay silent"
        detail = f": {failure.error}" if failure.error else ""
        typer.echo(
            f"FAIL {failure.owner}: example {failure.outcome}[{failure.index}] should "
            f"{expectation} but does not{detail}: {json.dumps(failure.example, sort_keys=True)}"
        )
    typer.echo(f"{len(results) - len(failures)} of {len(results)} rule examples pass.")
    if failures:
        raise typer.Exit(EXIT_FINDINGS)


@rules_app.command("docs", epilog=exit_codes())
def rules_docs(
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
    output: str = OUTPUT_OPTION,
) -> None:
    """Write the rule reference (Markdown) generated from the rule files.

    The repository's docs/rules.md is this output for the built-in pack.

    Example: freemium-advisor rules docs -o docs/rules.md
    """
    from freemium_advisor.formats import rules_view
    from freemium_advisor.reading.rulepacks import load_ruleset

    ruleset = load_ruleset(rule_packs(rules, config))
    write_output(rules_view.render_docs(ruleset), output or STDOUT, inputs=ruleset.files)
