"""The ``import`` commands: a Pricing2Yaml pricing or a spreadsheet to an inventory."""

from typing import Optional

import typer

from freemium_advisor.cli.app import exit_codes, OUTPUT_OPTION, import_app
from freemium_advisor.base.errors import InputError
from freemium_advisor.base.escaping import text_line
from freemium_advisor.base.outputs import STDOUT, write_output


@import_app.command("pricing2yaml", epilog=exit_codes())
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
    from freemium_advisor.reading.importers import dump_inventory
    from freemium_advisor.reading.importers.pricing2yaml import import_pricing2yaml as convert
    from freemium_advisor.base.yamlpos import read_text

    name, text = read_text(file)
    notes: list[str] = []
    write_output(dump_inventory(convert(text, name, notes)), output or STDOUT, inputs=(file,))
    for note in notes:
        typer.echo(text_line(f"{name}: note: {note}"), err=True)


@import_app.command("csv", epilog=exit_codes())
def import_csv(
    file: str = typer.Argument(..., help="A CSV file with a header row ('-' reads stdin).", metavar="FILE"),
    output: str = OUTPUT_OPTION,
    name: Optional[str] = typer.Option(
        None, "--name", "-n", metavar="NAME", help="The product's name (default: from the file name).",
    ),
    tiers: Optional[str] = typer.Option(
        None, "--tiers", metavar="T1,T2,...",
        help="The tier ladder, cheapest first, comma-separated (default: the tiers the sheet "
        "uses, ordered by plan name, which is a guess).",
    ),
) -> None:
    """Convert a spreadsheet (CSV with a header row) into a feature inventory.

    Columns: id, name, description, category, current, addon, limit_metric, limit_free, and
    one column per signal (virality, commoditized, aha, habit, friction, cost_to_serve,
    data_value, landing, audience, production). Empty cells mean "not answered".

    Example: freemium-advisor import csv features.csv --tiers free,plus,business -o features.yaml
    """
    from freemium_advisor.reading.importers import dump_inventory
    from freemium_advisor.reading.importers.csv_table import import_csv as convert
    from freemium_advisor.base.yamlpos import read_text

    ladder = [t.strip() for t in tiers.split(",") if t.strip()] if tiers is not None else None
    if ladder is not None and not ladder:
        raise InputError(None, None, None, "--tiers needs at least one tier name")
    source, text = read_text(file)
    notes: list[str] = []
    inventory = convert(text, source, name=name, tiers=ladder, notes=notes)
    write_output(dump_inventory(inventory), output or STDOUT, inputs=(file,))
    for note in notes:
        typer.echo(text_line(f"{source}: note: {note}"), err=True)
