"""Rule conditions and messages: compiled once, checked, sandboxed, remembered.

A condition such as ``signals.virality >= high and product.collaborative`` is parsed once,
checked against the names a rule may read (a misspelled signal is an error when the pack
loads, not a silent ``false`` later), and compiled. Rule packs are shared between teams, so
they are untrusted code: a plain condition or message (:mod:`freemium_advisor.model.plainexpr`)
compiles to a closure that can only read, compare and print the values it is given;
anything else is compiled in Jinja2's sandbox (:mod:`freemium_advisor.model.sandbox`), with its
limits, and every error message comes from there. Either way a condition's result, or a
message's text, is remembered by the values it reads.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from freemium_advisor.base.limits import MAX_EXPRESSION, MAX_VALUE
from freemium_advisor.model.plainexpr import (
    Names,
    PlainCondition,
    PlainTemplate,
    Unsupported,
    as_text,
)
from freemium_advisor.model.signals import LEVELS, SIGNAL_BY_NAME

FEATURE_FIELDS = ("id", "name", "description", "category", "text", "metered", "name_words")
PRODUCT_FIELDS = ("name", "description", "model", "trial_days", "collaborative", "tiers")
LEVEL_CONSTANTS = {name: value for value, name in enumerate(LEVELS)}
CONDITION_NAMES = ("signals", "feature", "product", *LEVELS)
FIELDS_OF = {"signals": tuple(SIGNAL_BY_NAME), "feature": FEATURE_FIELDS, "product": PRODUCT_FIELDS}
_CONDITION_NAMES = Names(FIELDS_OF, (), LEVEL_CONSTANTS)

Field = tuple  # ("signals", "aha"), ("feature", "id"), or ("words",) for a whole value


class ExpressionError(ValueError):
    """A condition or message that does not compile or fails; the message says why."""


class Condition:
    """A compiled, checked boolean expression; ``reads`` lists the signals it looks at and
    ``fields`` every value it reads (``None``: it may read anything).

    ``names`` are the names it may read (a rule's when not given); a condition over other
    names must be plain, since Jinja2's sandbox knows a rule's names only.
    """

    def __init__(self, source: str, names: Names | None = None):
        self.source = source
        self._own_names = names is not None
        check_length(source, "condition")
        self._jinja: Any = None
        try:
            plain = PlainCondition(source, names or _CONDITION_NAMES)
        except Unsupported:
            if self._own_names:
                raise ExpressionError(f"condition {source!r} is not in the expression language") from None
            self._plain = None
            self._jinja = _sandbox().JinjaCondition(source)
            self.reads, self.fields = self._jinja.reads, self._jinja.fields
        else:
            self._plain = plain.evaluate
            self.reads = tuple(f[1] for f in plain.fields if f[0] == "signals")
            self.fields = tuple(sorted(plain.fields))
        self.reads_feature_id = _reads_feature_id(self.fields)
        # A condition has no state and reaches nothing but what it is given, so its result
        # is a pure function of the fields it reads: remembered (for the ones Jinja2
        # evaluates; a plain one costs less than looking it up), so that thousands of
        # features with the same answers do not each evaluate it again.
        self._results = _Results(self.fields)

    def __call__(self, context: dict[str, Any]) -> bool:
        if self._plain is not None:
            try:
                return bool(self._plain(context))
            except Exception as exc:  # noqa: BLE001 - anything unusual: Jinja2 says what it is
                if self._own_names:
                    raise ExpressionError(f"condition {self.source!r} failed: {reason(exc)}") from None
        return self._results.cached(context, self._evaluate)

    def _evaluate(self, context: dict[str, Any]) -> bool:
        if self._jinja is None:
            self._jinja = _sandbox().JinjaCondition(self.source)
        return self._jinja(context)


class MessageTemplate:
    """A compiled message; ``extra`` names the variables a rule kind adds."""

    def __init__(self, source: str, extra: tuple[str, ...] = ()):
        self.source = source
        self.extra = extra
        check_length(source, "message")
        self._jinja: Any = None
        try:
            self._plain: PlainTemplate | None = PlainTemplate(
                source, Names(FIELDS_OF, extra), as_text,
            )
        except Unsupported:
            self._plain = None
            self._jinja = _sandbox().JinjaMessage(source, extra)
            self.fields = self._jinja.fields
        else:
            self.fields = tuple(sorted(self._plain.fields))
        self.reads_feature_id = _reads_feature_id(self.fields)
        # 52,000 renders of 10,000 features make a few dozen distinct sentences: each is
        # rendered once per distinct combination of the values the message reads.
        self._results = _Results(self.fields)

    def render(self, context: dict[str, Any]) -> str:
        """The message for ``context``, whitespace collapsed; failures are :class:`ExpressionError`."""
        return self._results.cached(context, self._render)

    def _render(self, context: dict[str, Any]) -> str:
        text = None
        if self._plain is not None:
            try:
                text = self._plain.render(context)
            except Exception:  # noqa: BLE001 - anything unusual: Jinja2 says what it is
                pass
        if text is None:
            if self._jinja is None:
                self._jinja = _sandbox().JinjaMessage(self.source, self.extra)
            text = self._jinja.render(context)
        if len(text) > MAX_VALUE:
            raise ExpressionError(
                f"message {self.source!r} renders more than {MAX_VALUE:,} characters"
            )
        return " ".join(text.split())


def _sandbox():
    from freemium_advisor.model import sandbox

    return sandbox


def reason(exc: Exception) -> str:
    """An exception as one line of a message."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def check_length(source: str, what: str) -> None:
    if len(source) > MAX_EXPRESSION:
        raise ExpressionError(f"a {what} longer than {MAX_EXPRESSION:,} characters")


def checked(compile_: Callable[[], Any], fail: Callable[[str], Exception]) -> Any:
    """Run a compile step, turning an :class:`ExpressionError` into ``fail(message)``."""
    try:
        return compile_()
    except ExpressionError as exc:
        raise fail(str(exc)) from None


def _reads_feature_id(fields: tuple[Field, ...] | None) -> bool:
    return fields is None or ("feature", "id") in fields


def _typed(value: Any) -> Any:
    """A hashable stand-in that tells ``1``, ``1.0`` and ``true`` apart (they print
    differently), or raises ``TypeError`` for a value that has none."""
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_typed(item) for item in value))
    if type(value) is float:  # -0.0 == 0.0, yet they print differently
        return (float, value.hex())
    hash(value)
    return (type(value), value)


class _Results:
    """Results remembered by the typed values an expression reads; a bounded number of them
    (a rule that reads a feature's id would otherwise keep one per feature)."""

    LIMIT = 4096

    def __init__(self, fields: tuple[Field, ...] | None):
        self.fields = fields
        self._found: dict[tuple, Any] = {}
        # Most conditions read signals only: their values in one C call.
        names = [f[1] for f in fields or () if len(f) == 2 and f[0] == "signals"]
        self._signals = (
            operator.itemgetter(*names, names[0]) if fields and len(names) == len(fields) else None
        )

    def cached(self, context: dict[str, Any], compute: Callable[[dict[str, Any]], Any]) -> Any:
        """``compute(context)``, remembered by the values it reads."""
        key = self._key(context)
        if key is None:
            return compute(context)
        found = self._found.get(key)
        if found is None:
            found = compute(context)
            if len(self._found) < self.LIMIT:
                self._found[key] = found
        return found

    def _key(self, context: dict[str, Any]) -> tuple | None:
        if self.fields is None:
            return None
        try:
            if self._signals is not None:
                values = self._signals(context["signals"])[:-1]
            else:
                values = [context[f[0]][f[1]] if len(f) == 2 else context[f[0]] for f in self.fields]
                for value in values:
                    if type(value) in (list, tuple):  # product.tiers: typed item by item
                        return tuple(map(_typed, values))
            types = tuple(map(type, values))
            if float in types:  # -0.0 == 0.0, yet they print differently
                values = tuple(v.hex() if type(v) is float else v for v in values)
            key = (*values, *types)
            hash(key)
            return key
        except (KeyError, TypeError):  # a value missing or unhashable: evaluate it as it is
            return None


