"""The one error type the library raises for bad input: it knows where the problem is."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class InputError(Exception):
    """Bad input of any kind, located by file, line and column: the one error base type.

    Inventories, rule packs (``rule`` names the rule, and the position is its definition's),
    import sources, rule conditions that fail while evaluating, and output paths that
    cannot be written all raise it; the CLI prints it as one line and exits 2.

    ``str(error)`` is the one-line message the CLI prints:
    ``features.yaml:12:5: error: unknown signal 'viraltiy' (did you mean 'virality'?)``.
    Lines and columns are 1-based; either may be ``None`` when the problem has no position
    (an unreadable file, say), and the path too when no file is involved (an unknown rule id
    on the command line).
    """

    def __init__(
        self, path: str | None, line: int | None, column: int | None, message: str,
        *, rule: str | None = None,
    ):
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.rule = rule

    def __str__(self) -> str:
        if not self.path:
            return f"error: {self.message}"
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: error: {self.message}"


class InputErrors(InputError):
    """Several problems found in one pass (``validate`` lists them all); ``str`` is one per line."""

    def __init__(self, errors: list[InputError]):
        first = errors[0]
        super().__init__(first.path, first.line, first.column, first.message, rule=first.rule)
        self.errors = tuple(errors)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


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
