"""The entry point of ``freemium-advisor`` and ``python -m freemium_advisor``.

It answers ``--version`` itself, as the application would, before the command line's modules
(Typer, the rules engine) are imported: a version check starts as fast as Python does.
Everything else goes to :func:`freemium_advisor.cli.main`.
"""

from __future__ import annotations

import sys

PROG = "freemium-advisor"


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from freemium_advisor import __version__

        sys.stdout.write(f"{PROG} {__version__}\n")
        return
    from freemium_advisor.cli import main as run

    run()
