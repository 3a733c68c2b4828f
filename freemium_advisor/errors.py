"""The one error type the library raises for bad input: it knows where the problem is."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class InputError(Exception):
    """Bad input (inventory, rule pack, import source), located by file, line and column.

    ``str(error)`` is the one-line message the CLI prints:
    ``features.yaml:12:5: error: unknown signal 'viraltiy' (did you mean 'virality'?)``.
    Lines and columns are 1-based; either may be ``None`` when the problem has no position
    (an unreadable file, say), and the path too when no file is involved (an unknown rule id
    on the command line).
    """

    def __init__(self, path: str | None, line: int | None, column: int | None, message: str):
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        if not self.path:
            return f"error: {self.message}"
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: error: {self.message}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    matches = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def one_of(choices: Iterable[str]) -> str:
    """Render a closed set of choices for a message: ``none, low, medium or high``."""
    items = [str(c) for c in choices]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
