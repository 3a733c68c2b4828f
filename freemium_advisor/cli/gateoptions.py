"""The options ``check`` and ``validate`` share: both read the same inputs the same way
(:func:`freemium_advisor.cli.gate.read_gate`), so they are written once, here, where
:mod:`~freemium_advisor.cli.advice` (which registers ``validate`` beside ``analyze``) and
:mod:`~freemium_advisor.cli.gate` both find them."""

from __future__ import annotations

import typer

# What 'check' and 'validate' read when given no FILE and the settings file names none.
DEFAULT_FILE = "features.yaml"

FILES_ARGUMENT = typer.Argument(
    None, metavar="FILE", show_default=False,
    help="Inventory files, or folders to search for inventories ('-' reads stdin) [default: "
    "the settings file's 'files', else features.yaml].",
)
GATE_CONFIG_OPTION = typer.Option(
    None, "--config", metavar="FILE",
    help="Settings file [default: the nearest .freemium-advisor.yaml upwards]: rule packs, files, "
    "fail_on, format, baseline, strict, select, ignore and severity; options given here win.",
)
BASELINE_OPTION = typer.Option(
    None, "--baseline", metavar="FILE", help="Report only findings not recorded in this baseline.",
)
SELECT_OPTION = typer.Option(
    None, "--select", metavar="CHECKS",
    help="Report only these checks or severities (comma-separated, repeatable), e.g. "
    "'--select error,no-aha-in-free' [default: the settings file's 'select', else all].",
)
IGNORE_OPTION = typer.Option(
    None, "--ignore", metavar="CHECKS",
    help="Never report these checks or severities (comma-separated, repeatable) [default: "
    "the settings file's 'ignore'].",
)
