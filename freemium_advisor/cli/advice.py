"""The advice commands: ``analyze``, ``explain`` and ``validate`` (which reads as the CI
gate's ``check`` does, :mod:`freemium_advisor.cli.gate`)."""

from typing import List, Optional

import typer

from freemium_advisor.cli.gateoptions import (
    BASELINE_OPTION,
    FILES_ARGUMENT,
    GATE_CONFIG_OPTION,
    IGNORE_OPTION,
    SELECT_OPTION,
)
from freemium_advisor.cli.app import (
    CONFIG_OPTION,
    COLOR_OPTION,
    exit_codes,
    OUTPUT_OPTION,
    RULES_OPTION,
    app,
    format_choices,
    format_option,
    render_options,
    rule_packs,
)
from freemium_advisor.base.errors import InputError, did_you_mean
from freemium_advisor.formats import formatter, streamer
from freemium_advisor.base.outputs import STDOUT, write_chunks, write_output

AnalyzeFormat = format_choices("analyze")
ExplainFormat = format_choices("explain")

FILE_ARGUMENT = typer.Argument(..., help="The inventory YAML file ('-' reads stdin).", metavar="FILE")


def complete_feature_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for FEATURE_ID (and ``ask --feature``): the ids of the inventory
    named before it."""
    from freemium_advisor.reading.inventory_reader import load_inventory

    # While an option waits for its value (``ask FILE --feature <TAB>``), the command line
    # does not parse: FILE is among the arguments left over instead.
    path = ctx.params.get("file") or next(iter(ctx.args), None)
    if not path or path == STDOUT:
        return []
    try:
        inventory = load_inventory(path)
    except InputError:
        return []
    return [f.id for f in inventory.features if f.id.startswith(incomplete)]


@app.command(epilog=exit_codes())
def analyze(
    file: str = FILE_ARGUMENT,
    format: AnalyzeFormat = format_option(AnalyzeFormat),
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
    output: str = OUTPUT_OPTION,
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """Recommend free, free-limited or gated (and a tier) for every feature.

    The table shows each feature's current tier, the advice (with the tier it gates into,
    marked when that tier is a guess), the confidence's label (how often real products
    agreed with such advice, free or paid) and the main reason; it never cuts a word, and
    becomes a list when the terminal is too narrow for that. --format json prints the full result (signals, every rule that fired
    with its source, criteria totals, findings) for scripts, as described by
    'freemium-advisor schema --result'.

    Example: freemium-advisor analyze examples/whiteboard.yaml --format json -o advice.json
    """
    from freemium_advisor.engine.analysis import analyze_file

    output = output or STDOUT
    analysis = analyze_file(file, rule_packs(rules, config))
    chunks = streamer("analyze", format.value)(analysis, render_options(color, output))
    write_chunks(chunks, output, inputs=(file, *analysis.ruleset.files))


@app.command(epilog=exit_codes())
def explain(
    file: str = FILE_ARGUMENT,
    feature_id: str = typer.Argument(
        ..., help="The id of the feature to explain.", metavar="FEATURE_ID",
        autocompletion=complete_feature_id,
    ),
    format: ExplainFormat = format_option(ExplainFormat),
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """Explain one feature's recommendation and what would flip it.

    Shows every rule that fired and its weight, the criteria totals, the margin and
    confidence, the signals (answered or inferred, and from which words), and which single
    answer would change the recommendation.

    Example: freemium-advisor explain examples/whiteboard.yaml share-board
    """
    from freemium_advisor.engine.analysis import analyze_file
    from freemium_advisor.engine.explain import explain as explain_feature

    analysis = analyze_file(file, rule_packs(rules, config))
    try:
        explanation = explain_feature(analysis, feature_id)
    except KeyError:
        ids = [a.feature.id for a in analysis.assessments]
        raise InputError(
            analysis.path, None, None, f"no feature '{feature_id}'{did_you_mean(feature_id, ids)}",
        ) from None
    text = formatter("explain", format.value)(explanation, render_options(color, STDOUT))
    write_output(text, STDOUT)


@app.command(epilog=exit_codes())
def validate(
    files: Optional[List[str]] = FILES_ARGUMENT,
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = GATE_CONFIG_OPTION,
    baseline: Optional[str] = BASELINE_OPTION,
    select: Optional[List[str]] = SELECT_OPTION,
    ignore: Optional[List[str]] = IGNORE_OPTION,
) -> None:
    """Read inventories as 'check' does, without checking them: is anything refused?

    The same reader as 'check' with the same options: the settings file, rule packs, check
    choice, baseline, folders, inventories and their waivers. Prints "FILE: ok (N features)"
    for each inventory, or every problem found, one line each with its line and column
    (exit 2).

    Example: freemium-advisor validate features.yaml
    """
    from freemium_advisor.cli.gate import validate_inventories

    validate_inventories(files, rules, config, baseline, select, ignore)
