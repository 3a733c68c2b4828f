"""Commands that help write an inventory: ``init`` and ``schema``."""

from enum import Enum
from pathlib import Path

import typer

from freemium_advisor.cli.app import exit_codes, OUTPUT_OPTION, app
from freemium_advisor.base.errors import InputError
from freemium_advisor.base.escaping import text_line
from freemium_advisor.base.outputs import STDOUT, check_output_name, write_output, write_outputs


@app.command(epilog=exit_codes())
def init(
    path: str = typer.Argument(
        "features.yaml", help="Where to write the inventory ('-' for stdout).", metavar="PATH"
    ),
    name: str = typer.Option("My product", "--name", "-n", metavar="NAME", help="The product's name."),
    force: bool = typer.Option(False, "--force", help="Overwrite PATH if it exists."),
) -> None:
    """Write a commented starter inventory that passes validation, to edit into your own.

    Its first line points editors at inventory.schema.json beside it, which init writes
    there too unless it exists ('freemium-advisor schema -o' rewrites it).

    Example: freemium-advisor init features.yaml --name Boardly
    """
    from freemium_advisor.reading.schema import SCHEMA_FILE, schema_text
    from freemium_advisor.render.starter import starter_inventory

    check_output_name(path)  # a folder is no inventory, with --force or without
    if path != STDOUT and Path(path).exists() and not force:
        raise InputError(path, None, None, "already exists (use --force to overwrite it)")
    if path == STDOUT:
        write_output(starter_inventory(name, path), path)
        return
    schema_path = str(Path(path).parent / SCHEMA_FILE)
    outputs = [(starter_inventory(name, path), path)]
    if not Path(schema_path).exists():
        outputs.append((schema_text(), schema_path))
    write_outputs(outputs)
    wrote = " and ".join(p for _, p in outputs)
    typer.echo(text_line(f"Wrote {wrote}. Next: freemium-advisor analyze {path}"), err=True)


SCHEMA_KINDS = ("inventory", "result", "explain", "diff", "rules", "checks")
SchemaKind = Enum("SchemaKind", {kind: kind for kind in SCHEMA_KINDS}, type=str)


@app.command(epilog=exit_codes())
def schema(
    output: str = OUTPUT_OPTION,
    kind: SchemaKind = typer.Option(
        SchemaKind.inventory, "--kind", "-k", case_sensitive=False,
        help="Which document: the inventory, the JSON result of analyze and check, or the JSON "
        "of explain, diff, rules list or checks list.",
    ),
    result: bool = typer.Option(
        False, "--result", help="The schema of the JSON result ('analyze --format json'): --kind result.",
    ),
) -> None:
    """Print a JSON Schema: of the inventory format, or of a JSON output of the tool.

    Point an editor at the inventory schema with a first line such as
    "# yaml-language-server: $schema=inventory.schema.json"; validate what scripts read
    from 'analyze --format json' with the result schema, and from 'explain', 'diff',
    'rules list' and 'checks list' --format json with theirs (schema/KIND.schema.json).

    Example: freemium-advisor schema --kind explain -o explain.schema.json
    """
    from freemium_advisor.reading.schema import output_schema_text, schema_text

    if result and kind not in (SchemaKind.inventory, SchemaKind.result):
        raise InputError(None, None, None, f"give --result or --kind {kind.value}, not both")
    chosen = "result" if result else kind.value
    write_output(schema_text() if chosen == "inventory" else output_schema_text(chosen), output or STDOUT)
