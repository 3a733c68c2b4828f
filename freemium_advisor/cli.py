"""The command line: parse options, call the library, pick a format, set the exit code.

Exit codes, the same for every command: 0 done; 1 findings (the checks that fail a build:
failing rule examples for ``rules test``); 2 bad input or usage.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer

from freemium_advisor import __version__
from freemium_advisor.errors import InputError, did_you_mean
from freemium_advisor.formats import OutputFormat, RenderOptions, formatter
from freemium_advisor.outputs import STDOUT, write_output
from freemium_advisor.textfile import forget_reads

MAX_WIDTH = 1_000  # columns of a table, whatever COLUMNS says
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2

EXIT_CODES_HELP = (
    "Exit codes: 0 done, 1 findings (failing rule examples for 'rules test'), "
    "2 bad input or usage."
)

app = typer.Typer(
    name="freemium-advisor",
    help=(
        "Decide, feature by feature, what to give away free, what to keep free behind a "
        "usage wall and what to gate (and in which tier), with a rationale that cites Elena "
        "Verna's B2B growth framework.\n\n"
        "Start with 'freemium-advisor init', then 'freemium-advisor analyze features.yaml'."
    ),
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
rules_app = typer.Typer(
    help="List, show, test and document the rules (built-in and your own packs).",
    no_args_is_help=True,
    epilog=EXIT_CODES_HELP,
)
import_app = typer.Typer(
    help="Turn an existing pricing page or spreadsheet into a feature inventory.",
    no_args_is_help=True,
    epilog=EXIT_CODES_HELP,
)
app.add_typer(rules_app, name="rules")
app.add_typer(import_app, name="import")

RULES_OPTION = typer.Option(
    None, "--rules", "-r",
    help="A rule pack (YAML file or folder) to load after the built-in rules; repeatable.",
    metavar="PATH",
)
OUTPUT_OPTION = typer.Option(
    STDOUT, "--output", "-o", help="Write to this file instead of stdout ('-' is stdout).", metavar="FILE"
)
COLOR_OPTION = typer.Option(
    None, "--color/--no-color",
    help="Force colors on or off (default: on for a terminal, off if NO_COLOR is set).",
    show_default=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"freemium-advisor {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Freemium and paywall design advisor."""
    forget_reads()  # each run guards its own inputs against being overwritten


@contextmanager
def _input_errors():
    """Turn bad input into its one-line message on stderr and exit code 2."""
    try:
        yield
    except InputError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _render_options(color: bool | None, output: str) -> RenderOptions:
    to_terminal = output == STDOUT and sys.stdout.isatty()
    if color is None:
        # no-color.org: a NO_COLOR that is set and not empty turns colors off.
        color = to_terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    if to_terminal:
        width = shutil.get_terminal_size((100, 24)).columns
    else:
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() else 100
    # COLUMNS=100000000 would have the table drawn that wide: minutes and gigabytes.
    return RenderOptions(color=bool(color), width=min(width, MAX_WIDTH))


@app.command(epilog=EXIT_CODES_HELP)
def analyze(
    file: str = typer.Argument(..., help="The inventory YAML file ('-' reads stdin).", metavar="FILE"),
    format: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="Output format.", case_sensitive=False
    ),
    rules: Optional[List[str]] = RULES_OPTION,
    output: str = OUTPUT_OPTION,
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """Recommend free, free-limited or gated (and a tier) for every feature.

    The table shows each feature's current tier, the advice, the tier, the confidence and
    the main reason; --format json prints the full result (signals, every rule that fired,
    criteria totals, findings) for scripts.

    Example: freemium-advisor analyze examples/whiteboard.yaml --format json -o advice.json
    """
    from freemium_advisor.analysis import analyze_file

    output = output or STDOUT
    with _input_errors():
        analysis = analyze_file(file, rules or ())
        text = formatter(format).render(analysis, _render_options(color, output))
        write_output(text, output, inputs=(file, *(rules or ())))


@app.command(epilog=EXIT_CODES_HELP)
def explain(
    file: str = typer.Argument(..., help="The inventory YAML file ('-' reads stdin).", metavar="FILE"),
    feature_id: str = typer.Argument(..., help="The id of the feature to explain.", metavar="FEATURE_ID"),
    format: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="Output format ('table' is the text view).",
        case_sensitive=False,
    ),
    rules: Optional[List[str]] = RULES_OPTION,
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """Explain one feature's recommendation and what would flip it.

    Shows every rule that fired and its weight, the criteria totals, the margin and
    confidence, the signals (answered or inferred, and from which words), and which single
    answer would change the recommendation.

    Example: freemium-advisor explain examples/whiteboard.yaml share-board
    """
    from freemium_advisor.analysis import analyze_file
    from freemium_advisor.explain import explain as explain_feature

    with _input_errors():
        analysis = analyze_file(file, rules or ())
        try:
            explanation = explain_feature(analysis, feature_id)
        except KeyError:
            ids = [a.feature.id for a in analysis.assessments]
            raise InputError(
                analysis.inventory.path, None, None,
                f"no feature '{feature_id}'{did_you_mean(feature_id, ids)}",
            ) from None
        write_output(
            formatter(format).render_explanation(explanation, _render_options(color, STDOUT)), STDOUT
        )


@app.command(epilog=EXIT_CODES_HELP)
def validate(
    file: str = typer.Argument(..., help="The inventory YAML file ('-' reads stdin).", metavar="FILE"),
) -> None:
    """Check an inventory against the format, without analyzing it.

    Prints "FILE: ok (N features)" or the first problem with its line and column.

    Example: freemium-advisor validate features.yaml
    """
    from freemium_advisor.inventory import load_inventory

    with _input_errors():
        inventory = load_inventory(file)
    typer.echo(f"{inventory.path}: ok ({len(inventory.features)} features)")


@app.command(epilog=EXIT_CODES_HELP)
def init(
    path: str = typer.Argument("features.yaml", help="Where to write the inventory ('-' for stdout).", metavar="PATH"),
    name: str = typer.Option("My product", "--name", "-n", help="The product's name."),
    force: bool = typer.Option(False, "--force", help="Overwrite PATH if it exists."),
) -> None:
    """Write a commented starter inventory that passes validation, to edit into your own.

    Example: freemium-advisor init features.yaml --name Boardly
    """
    from freemium_advisor.starter import starter_inventory

    with _input_errors():
        if path != STDOUT and Path(path).exists() and not force:
            raise InputError(path, None, None, "already exists (use --force to overwrite it)")
        write_output(starter_inventory(name, path), path)
    if path != STDOUT:
        typer.echo(f"Wrote {path}. Next: freemium-advisor analyze {path}", err=True)


@app.command(epilog=EXIT_CODES_HELP)
def schema(output: str = OUTPUT_OPTION) -> None:
    """Print the JSON Schema of the inventory format, for editors and CI validation.

    Point an editor at it with a first line such as
    "# yaml-language-server: $schema=inventory.schema.json".

    Example: freemium-advisor schema -o inventory.schema.json
    """
    from freemium_advisor.schema import schema_text

    with _input_errors():
        write_output(schema_text(), output or STDOUT)


@rules_app.command("list", epilog=EXIT_CODES_HELP)
def rules_list(
    rules: Optional[List[str]] = RULES_OPTION,
    format: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="Output format.", case_sensitive=False
    ),
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """List the rules in force: id, kind, criterion, direction, weight and source.

    Example: freemium-advisor rules list --rules my-rules.yaml
    """
    from freemium_advisor.formats import rules_view
    from freemium_advisor.rules import load_ruleset

    with _input_errors():
        ruleset = load_ruleset(rules or ())
        write_output(rules_view.render_list(ruleset, format, _render_options(color, STDOUT)), STDOUT)


@rules_app.command("show", epilog=EXIT_CODES_HELP)
def rules_show(
    rule_id: str = typer.Argument(..., help="The rule's id.", metavar="RULE_ID"),
    rules: Optional[List[str]] = RULES_OPTION,
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """Show one rule in full: condition or words, weight, message, source and examples.

    Example: freemium-advisor rules show virality-high
    """
    from freemium_advisor.formats import rules_view
    from freemium_advisor.rules import load_ruleset

    with _input_errors():
        ruleset = load_ruleset(rules or ())
        try:
            rule = ruleset.get(rule_id)
        except KeyError:
            raise InputError(
                None, None, None, f"no rule '{rule_id}'{did_you_mean(rule_id, ruleset.ids())}"
            ) from None
        write_output(rules_view.render_rule(rule, _render_options(color, STDOUT)), STDOUT)


@rules_app.command("test", epilog=EXIT_CODES_HELP)
def rules_test(
    rules: Optional[List[str]] = RULES_OPTION,
) -> None:
    """Run every rule's examples (the features it must fire on and stay quiet on).

    Exits 1 if any example fails, so a rule pack can be tested in CI.

    Example: freemium-advisor rules test --rules my-rules/
    """
    from freemium_advisor.rulecheck import check_ruleset
    from freemium_advisor.rules import load_ruleset

    with _input_errors():
        results = check_ruleset(load_ruleset(rules or ()))
    failures = [r for r in results if not r.passed]
    for failure in failures:
        expectation = "fire" if failure.outcome == "fires" else "stay silent"
        detail = f": {failure.error}" if failure.error else ""
        typer.echo(
            f"FAIL {failure.rule}: example {failure.outcome}[{failure.index}] should "
            f"{expectation} but does not{detail}: {json.dumps(failure.example, sort_keys=True)}"
        )
    typer.echo(f"{len(results) - len(failures)} of {len(results)} rule examples pass.")
    if failures:
        raise typer.Exit(EXIT_FINDINGS)


@rules_app.command("docs", epilog=EXIT_CODES_HELP)
def rules_docs(
    rules: Optional[List[str]] = RULES_OPTION,
    output: str = OUTPUT_OPTION,
) -> None:
    """Write the rule reference (Markdown) generated from the rule files.

    The repository's docs/rules.md is this output for the built-in pack.

    Example: freemium-advisor rules docs -o docs/rules.md
    """
    from freemium_advisor.formats import rules_view
    from freemium_advisor.rules import load_ruleset

    with _input_errors():
        write_output(rules_view.render_docs(load_ruleset(rules or ())), output or STDOUT)


@import_app.command("pricing2yaml", epilog=EXIT_CODES_HELP)
def import_pricing2yaml(
    file: str = typer.Argument(..., help="A Pricing2Yaml file ('-' reads stdin).", metavar="FILE"),
    output: str = OUTPUT_OPTION,
) -> None:
    """Convert a Pricing2Yaml pricing (syntax 2.x) into a feature inventory.

    Tiers are the plans, cheapest first; each feature's current tier is the cheapest plan
    that includes it. Plan membership never becomes a signal: the advice reads only what a
    feature is, not where it sits today.

    Example: freemium-advisor import pricing2yaml slack.yml -o features.yaml
    """
    from freemium_advisor.importers import dump_inventory
    from freemium_advisor.importers.pricing2yaml import import_pricing2yaml as convert
    from freemium_advisor.yamlpos import read_text

    with _input_errors():
        name, text = read_text(file)
        write_output(dump_inventory(convert(text, name)), output or STDOUT, inputs=(file,))


@import_app.command("csv", epilog=EXIT_CODES_HELP)
def import_csv(
    file: str = typer.Argument(..., help="A CSV file with a header row ('-' reads stdin).", metavar="FILE"),
    output: str = OUTPUT_OPTION,
) -> None:
    """Convert a spreadsheet (CSV with a header row) into a feature inventory.

    Columns: id, name, description, category, current, addon, limit_metric, limit_free, and
    one column per signal (virality, commoditized, aha, habit, friction, cost_to_serve,
    data_value, landing, audience, production). Empty cells mean "not answered".

    Example: freemium-advisor import csv features.csv -o features.yaml
    """
    from freemium_advisor.importers import dump_inventory
    from freemium_advisor.importers.csv_table import import_csv as convert
    from freemium_advisor.yamlpos import read_text

    with _input_errors():
        name, text = read_text(file)
        write_output(dump_inventory(convert(text, name)), output or STDOUT, inputs=(file,))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="freemium-advisor")
