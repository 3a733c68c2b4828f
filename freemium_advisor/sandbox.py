"""Rule conditions and messages: Jinja2's sandboxed expressions, never Python ``eval``.

A condition such as ``signals.virality >= high and product.collaborative`` is parsed once,
checked against the names a rule may read (a misspelled signal is an error when the pack
loads, not a silent ``false`` later), and compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment

from freemium_advisor.errors import did_you_mean, one_of
from freemium_advisor.signals import LEVELS, SIGNAL_BY_NAME

FEATURE_FIELDS = ("id", "name", "description", "category", "text", "metered", "name_words")
PRODUCT_FIELDS = ("name", "description", "model", "trial_days", "collaborative", "tiers")
LEVEL_CONSTANTS = {name: value for value, name in enumerate(LEVELS)}
CONDITION_NAMES = ("signals", "feature", "product", *LEVELS)
FIELDS_OF = {"signals": tuple(SIGNAL_BY_NAME), "feature": FEATURE_FIELDS, "product": PRODUCT_FIELDS}

_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


class ExpressionError(ValueError):
    """A condition or message that does not compile; the message says why."""


class Condition:
    """A compiled, checked boolean expression; ``reads`` lists the signals it looks at."""

    def __init__(self, source: str):
        self.source = source
        try:
            parser = Parser(_ENV, source, state="variable")
            tree = parser.parse_expression()
            if parser.stream.current.type != "eof":
                raise ExpressionError(
                    f"unexpected {parser.stream.current.value!r} in condition {source!r}"
                )
        except TemplateSyntaxError as exc:
            raise ExpressionError(f"invalid condition {source!r}: {exc.message}") from None
        self.reads = _check_names(tree, CONDITION_NAMES, f"condition {source!r}")
        self._compiled = _ENV.compile_expression(source, undefined_to_none=False)
        # Most conditions read a few signals and nothing else; their result is then a pure
        # function of those values, remembered so that thousands of features with the same
        # answers do not each pay for a Jinja2 context.
        self._results: dict[tuple, bool] | None = {} if _reads_only_named_signals(tree) else None

    def __call__(self, context: dict[str, Any]) -> bool:
        if self._results is not None:
            key = tuple(context["signals"][name] for name in self.reads)
            if key not in self._results:
                self._results[key] = self._evaluate(context)
            return self._results[key]
        return self._evaluate(context)

    def _evaluate(self, context: dict[str, Any]) -> bool:
        try:
            return bool(self._compiled(**context, **LEVEL_CONSTANTS))
        except Exception as exc:  # a user's expression may fail in any way: say which and where
            raise ExpressionError(f"condition {self.source!r} failed: {_reason(exc)}") from None


class MessageTemplate:
    """A compiled Jinja2 message; ``extra`` names the variables a rule kind adds."""

    def __init__(self, source: str, extra: tuple[str, ...] = ()):
        self.source = source
        try:
            tree = _ENV.parse(source)
        except TemplateSyntaxError as exc:
            raise ExpressionError(f"invalid message template: {exc.message}") from None
        allowed = ("signals", "feature", "product", *extra)
        for name in sorted(meta.find_undeclared_variables(tree)):
            if name not in allowed:
                raise ExpressionError(
                    f"unknown name '{name}' in message{did_you_mean(name, allowed)}"
                    f"; a message may use {one_of(allowed)}"
                )
        _check_names(tree, allowed, "message")
        self._template = _ENV.from_string(source)

    def render(self, context: dict[str, Any]) -> str:
        try:
            return " ".join(self._template.render(**context).split())
        except Exception as exc:  # a user's template may fail in any way: say which and where
            raise ExpressionError(f"message {self.source!r} failed: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _reads_only_named_signals(tree: nodes.Node) -> bool:
    """True when the expression reads nothing but ``signals.<name>`` fields and constants."""
    every = (tree, *tree.find_all(nodes.Node))
    owners = {
        id(node.node) for node in every if isinstance(node, (nodes.Getattr, nodes.Getitem))
        if isinstance(node.node, nodes.Name) and node.node.name == "signals"
        and (isinstance(node, nodes.Getattr) or isinstance(node.arg, nodes.Const))
    }
    for name in (n for n in every if isinstance(n, nodes.Name)):
        if name.name in ("feature", "product"):
            return False
        if name.name == "signals" and id(name) not in owners:
            return False
    return not any(isinstance(n, (nodes.Call, nodes.Filter, nodes.Test)) for n in every)


def _check_names(tree: nodes.Node, allowed: tuple[str, ...], where: str) -> tuple[str, ...]:
    """Reject unknown top-level names and unknown fields; return the signals read."""
    # find_all() walks the children only: a bare ``signals.aha`` is the root node itself.
    every = (tree, *tree.find_all(nodes.Node))
    assigned = {n.name for n in every if isinstance(n, nodes.Name) and n.ctx in ("store", "param")}
    for node in (n for n in every if isinstance(n, nodes.Name)):
        if node.ctx == "load" and node.name not in allowed and node.name not in assigned:
            raise ExpressionError(
                f"unknown name '{node.name}' in {where}{did_you_mean(node.name, allowed)}"
            )
    reads: dict[str, None] = {}
    for node in (n for n in every if isinstance(n, (nodes.Getattr, nodes.Getitem))):
        owner = node.node
        if not isinstance(owner, nodes.Name) or owner.name not in FIELDS_OF:
            continue
        if isinstance(node, nodes.Getattr):
            field = node.attr
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            field = node.arg.value
        else:
            continue
        fields = FIELDS_OF[owner.name]
        if field not in fields:
            noun = "signal" if owner.name == "signals" else f"{owner.name} field"
            raise ExpressionError(
                f"unknown {noun} '{field}' in {where}{did_you_mean(field, fields)}"
            )
        if owner.name == "signals":
            reads.setdefault(field, None)
    return tuple(reads)


def checked(compile_: Callable[[], Any], fail: Callable[[str], Exception]) -> Any:
    """Run a compile step, turning an :class:`ExpressionError` into ``fail(message)``."""
    try:
        return compile_()
    except ExpressionError as exc:
        raise fail(str(exc)) from None
