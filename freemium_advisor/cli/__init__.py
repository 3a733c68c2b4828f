"""The command line: parse options, call the library, pick a format, set the exit code.

One module per command group, all registered on the one application in
:mod:`freemium_advisor.cli.app`; the options every command shares are written there once.
Exit codes, the same for every command: 0 done; 1 findings at or above the threshold (or
failing rule or check examples for ``rules test`` and ``checks test``); 2 bad input or usage.
"""

from __future__ import annotations

from freemium_advisor.cli import advice, authoring, checks, gate, imports, report, rules  # noqa: F401  (registers commands)
from freemium_advisor.cli.app import PROG, app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app(prog_name=PROG)
