"""The command line: parse options, call the library, pick a format, set the exit code.

One module per command group, all registered on the one application in
:mod:`freemium_advisor.cli.app`; the options every command shares are written there once.
Exit codes mean the same for every command: 0 done; 1 findings at or above the threshold (or
failing rule or check examples for ``rules test`` and ``checks test``); 2 bad input or usage;
128 + a signal when interrupted (130: ``ask`` stopped by Ctrl-C). Each command's help lists
the codes it can return (:func:`freemium_advisor.cli.app.exit_codes`).

The modules that declare commands do not postpone their annotations (no ``from __future__
import annotations``): Typer reads every command's parameters each time the tool starts, and
annotations written as text it has to evaluate, twice per command, which costs more than the
rest of building the command line.
"""

from __future__ import annotations

import gc
import sys

from freemium_advisor.cli import advice, ask, authoring, checks, gate, imports, report, rules  # noqa: F401  (registers commands)
from freemium_advisor.cli.app import PROG, app
from freemium_advisor.cli.typer_adapter import only_command

# The variable shell completion sets for this program (click's name for it).
COMPLETE_VAR = "_" + PROG.replace("-", "_").upper() + "_COMPLETE"

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    # One run builds millions of small objects and frees them at exit; the cyclic garbage
    # collector would rescan them over and over (a third of the time at 100,000 features),
    # and the few cycles a run makes are not worth collecting before it ends.
    gc.disable()
    with only_command(app, sys.argv[1:], COMPLETE_VAR):
        app(prog_name=PROG)
