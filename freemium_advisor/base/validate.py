"""Strict validation of data with positions: one toolkit for every file the tool reads.

The inventory, rule packs, the configuration, importers and waivers all check plain data
against what they expect. A :class:`Checker` records every problem it finds, in file order,
with the line and column of the offending key or value and a did-you-mean hint, so that one
run shows every mistake; :meth:`Checker.done` raises them together as one
:class:`~freemium_advisor.base.errors.InputErrors`. A path names a value (``("features", 3,
"id")``); what the path points at in the file is the business of a :class:`Located`: a YAML
:class:`~freemium_advisor.base.yamlpos.Document`, a CSV sheet's rows and columns, or a rule
whose fields come from several files.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from freemium_advisor.base.errors import InputError, InputErrors, did_you_mean, one_of
from freemium_advisor.base.yamlpos import type_name

MAX_ERRORS = 50  # beyond this a file is not what it claims to be; more lines would only bury the first
T = TypeVar("T")


class Invalid(Exception):
    """The value being checked is unusable; its problem is already recorded."""


class Located(Protocol):
    """What a :class:`Checker` checks: a file's name, and the error for a path in it."""

    path: str

    def error(self, path: tuple, message: str, *, at_key: bool = False) -> InputError:
        """An error at the value (or the key) at ``path``."""


class Checker:
    """Checks values of one document, collecting every problem with its position."""

    def __init__(self, doc: Located, max_errors: int = MAX_ERRORS):
        self.doc = doc
        self.errors: list[InputError] = []
        self.max_errors = max_errors

    @property
    def path(self) -> str:
        return self.doc.path

    def report(self, path: tuple, message: str, *, at_key: bool = False) -> None:
        """Record a problem at the value (or key) ``path`` and carry on."""
        self.errors.append(self.doc.error(path, message, at_key=at_key))
        if len(self.errors) >= self.max_errors:
            self.done()

    def fail(self, path: tuple, message: str, *, at_key: bool = False) -> Invalid:
        """Record a problem and return :class:`Invalid` for the caller to raise."""
        self.report(path, message, at_key=at_key)
        return Invalid()

    @contextmanager
    def each(self) -> Iterator[None]:
        """Check one part; if it is unusable, skip it and go on with the next."""
        try:
            yield
        except Invalid:
            pass

    def attempt(self, check: Callable[[], T], default: T) -> T:
        """``check()``, or ``default`` when the value is unusable (the problem is recorded)."""
        try:
            return check()
        except Invalid:
            return default

    def done(self) -> None:
        """Raise every recorded problem at once (in file order), if there is any."""
        if self.errors:
            ordered = sorted(self.errors, key=lambda e: (e.line or 0, e.column or 0))
            raise InputErrors(ordered)

    # --- checks of single values -----------------------------------------------------------

    def mapping(self, value: Any, path: tuple, what: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"{what} must be a mapping, not {type_name(value)}")
        return value

    def keys(self, value: dict, path: tuple, allowed: tuple, required: tuple, what: str) -> None:
        """Report every unknown key (with a did-you-mean) and every missing required one.

        A missing key that an unknown key was taken for (``nmae`` for ``name``) is not
        reported twice.
        """
        suggested = set()
        for key in value:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                suggested.add(hint)
                self.report(
                    (*path, key),
                    f"unknown {what} key '{key}'{hint}; expected {one_of(allowed)}",
                    at_key=True,
                )
        for key in required:
            if key not in value and did_you_mean(key, [key]) not in suggested:
                self.report(path, f"{what} is missing '{key}'")

    def text(self, value: Any, path: tuple, what: str, *, allow_empty: bool = False) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(path, f"'{what}' must be text, not {type_name(value)}")
        result = str(value).strip()
        if not result and not allow_empty:
            raise self.fail(path, f"'{what}' must not be empty")
        return result

    def boolean(self, value: Any, path: tuple, what: str) -> bool:
        if not isinstance(value, bool):
            written = repr(value) if isinstance(value, str) else type_name(value)  # which word
            raise self.fail(path, f"'{what}' must be true or false, not {written}")
        return value

    def number(self, value: Any, path: tuple, what: str, *, minimum: float = 0) -> float | int:
        """A finite number, ``minimum`` or more (``.nan``, ``.inf`` and booleans are refused)."""
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(path, f"'{what}' must be a finite number, {minimum:g} or more")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise self.fail(path, f"'{what}' must be a number, {minimum:g} or more")
        return value

    def choice(self, value: Any, path: tuple, choices: tuple, what: str) -> str:
        if not isinstance(value, str) or value not in choices:
            raise self.fail(
                path,
                f"unknown {what} {str(value)!r}{did_you_mean(str(value), choices)}"
                f"; expected {one_of(choices)}",
            )
        return value
