"""Rule conditions and messages: Jinja2's sandboxed expressions, never Python ``eval``.

A condition such as ``signals.virality >= high and product.collaborative`` is parsed once,
checked against the names a rule may read (a misspelled signal is an error when the pack
loads, not a silent ``false`` later), and compiled.

Rule packs are shared between teams, so they are untrusted code. On top of Jinja2's sandbox:
only expressions, ``if`` and text are allowed (no loops, calls, assignments, macros or
includes, so evaluation takes time in proportion to the rule's size); no name or attribute
starting with ``_``; a short list of filters; ``*``, ``**``, ``%`` and ``+`` checked so that no
value grows past :data:`~freemium_advisor.base.limits.MAX_VALUE`; and a message renders only text.
"""

from __future__ import annotations

import operator
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment

from freemium_advisor.base.errors import did_you_mean, one_of
from freemium_advisor.model.expressions import CONDITION_NAMES, FIELDS_OF, LEVEL_CONSTANTS, ExpressionError
from freemium_advisor.model.expressions import check_length as _check_length
from freemium_advisor.model.expressions import reason as _reason
from freemium_advisor.base.limits import MAX_EXPONENT, MAX_POWER_BITS, MAX_VALUE

FILTERS = (
    "abs", "capitalize", "count", "d", "default", "first", "float", "int", "join", "last",
    "length", "lower", "round", "title", "trim", "upper",
)
# Everything else (for, set, macro, call, include, import, with, filter blocks, dicts...) is
# refused: these are enough for a condition or a sentence, and none can loop or recurse.
ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.Name, nodes.Const,
    nodes.Getattr, nodes.Getitem, nodes.Slice, nodes.Compare, nodes.Operand, nodes.And,
    nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.CondExpr, nodes.Concat, nodes.Filter,
    nodes.Test, nodes.List, nodes.Tuple, nodes.Add, nodes.Sub, nodes.Mul, nodes.Div,
    nodes.FloorDiv, nodes.Mod, nodes.Pow, nodes.Keyword,
)


def _size(value: Any, seen: dict[int, int] | None = None) -> int:
    """Characters and items in ``value``, nested lists included (each shared list once per
    use: ``[[1] * 1000] * 1000`` is a million, which is what printing it would make)."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, (list, tuple)):
        return 1
    seen = {} if seen is None else seen
    if id(value) not in seen:
        seen[id(value)] = MAX_VALUE + 1  # a list inside itself: too big
        seen[id(value)] = len(value) + sum(_size(item, seen) for item in value)
    return seen[id(value)]


def _too_big() -> SecurityError:
    return SecurityError(f"a value longer than {MAX_VALUE:,} would be built")


def _bounded(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and _size(value) > MAX_VALUE:
        raise _too_big()
    return value


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with the operators that can grow values checked.

    Intercepted operators are also never folded at compile time, so ``'x' * 10**9`` fails
    when it runs instead of hanging while the pack loads.
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call_binop(self, context, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int):
                    if _size(sized) * max(count, 0) > MAX_VALUE:
                        raise _too_big()
            return operator.mul(left, right)
        if op == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"an exponent above {MAX_EXPONENT}")
            # ((x ** 64) ** 64) ** 64 multiplies the digits by 64 at each step.
            if (isinstance(left, int) and isinstance(right, int)
                    and left.bit_length() * right > MAX_POWER_BITS):
                raise SecurityError(f"a power of more than {MAX_POWER_BITS:,} bits")
            return operator.pow(left, right)
        if op == "%":
            if isinstance(left, str):
                raise SecurityError("'%' formatting is not allowed; write the text out")
            return operator.mod(left, right)
        return _bounded(operator.add(left, right))


def _as_text(value: Any) -> str:
    """What a ``{{ ... }}`` in a message prints: text, never a Python repr."""
    if isinstance(value, str):
        return _bounded(value)
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()  # StrictUndefined: says what was missing
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)) and all(
        isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in value
    ):
        return _bounded(", ".join(str(item) for item in value))
    raise SecurityError(
        f"a message may print text, numbers and lists of them, not {type(value).__name__}"
    )


def _join(value: Any, separator: str = "", attribute: Any = None) -> str:
    if attribute is not None:
        raise SecurityError("'join' takes no attribute in a rule")
    if isinstance(value, str):
        value = list(value)
    if not isinstance(value, (list, tuple)):
        raise SecurityError(f"'join' needs a list, not {type(value).__name__}")
    items = [_as_text(item) for item in value]
    size = sum(map(len, items)) + len(str(separator)) * max(len(items) - 1, 0)
    if size > MAX_VALUE:
        raise _too_big()
    return str(separator).join(items)


@contextmanager
def time_limit(seconds: float, message: str) -> Iterator[None]:
    """Raise ``TimeoutError(message)`` in the block after ``seconds`` (where SIGALRM exists and
    this is the main thread; elsewhere the block runs unbounded)."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not in_main_thread:
        yield
        return

    def expire(signum, frame):
        raise TimeoutError(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _on_text(text_filter: Callable[..., str]) -> Callable[..., str]:
    """A string filter that reads its value as a message prints it (a list as ``a, b``),
    where Jinja2's own would print a list's Python repr."""

    def apply(value: Any, *args: Any, **kwargs: Any) -> str:
        return text_filter(_as_text(value), *args, **kwargs)

    return apply


def _environment(**options: Any) -> BoundedSandbox:
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=False, **options)
    env.globals.clear()  # range, dict, lipsum, cycler, joiner, namespace: none is needed
    env.filters = {name: env.filters[name] for name in FILTERS}
    for name in ("capitalize", "lower", "title", "trim", "upper"):
        env.filters[name] = _on_text(env.filters[name])
    env.filters["join"] = _join
    return env


_ENV = _environment()
_TEXT_ENV = _environment(finalize=_as_text)


class JinjaCondition:
    """A condition compiled and checked in Jinja2's sandbox; ``reads`` lists the signals it
    looks at, ``fields`` every value it reads (``None``: it may read anything)."""

    def __init__(self, source: str):
        self.source = source
        _check_length(source, "condition")
        try:
            self._compile(source)
        except RecursionError:  # Jinja2's parser and Python's compiler recurse per level
            raise ExpressionError(f"invalid condition {source!r}: nested too deeply") from None

    def _compile(self, source: str) -> None:
        try:
            parser = Parser(_ENV, source, state="variable")
            tree = parser.parse_expression()
            if parser.stream.current.type != "eof":
                raise ExpressionError(
                    f"unexpected {parser.stream.current.value!r} in condition {source!r}"
                )
        except TemplateSyntaxError as exc:
            raise ExpressionError(f"invalid condition {source!r}: {exc.message}") from None
        _check_constructs(tree, f"condition {source!r}")
        self.reads = _check_names(tree, CONDITION_NAMES, f"condition {source!r}")
        self._compiled = _compile(lambda: _ENV.compile_expression(source, undefined_to_none=False))
        self.fields = fields_read(tree, ())

    def __call__(self, context: dict[str, Any]) -> bool:
        try:
            return bool(self._compiled(**context, **LEVEL_CONSTANTS))
        except Exception as exc:  # noqa: BLE001 - untrusted code: any failure is the rule's
            raise ExpressionError(f"condition {self.source!r} failed: {_reason(exc)}") from None


class JinjaMessage:
    """A message compiled and checked in Jinja2's sandbox; ``extra`` names the variables a
    rule kind adds, ``fields`` every value it reads (``None``: it may read anything)."""

    def __init__(self, source: str, extra: tuple[str, ...] = ()):
        self.source = source
        _check_length(source, "message")
        try:
            self._compile(source, extra)
        except RecursionError:  # Jinja2's parser and Python's compiler recurse per level
            raise ExpressionError("invalid message template: nested too deeply") from None

    def _compile(self, source: str, extra: tuple[str, ...]) -> None:
        try:
            tree = _TEXT_ENV.parse(source)
        except TemplateSyntaxError as exc:
            raise ExpressionError(f"invalid message template: {exc.message}") from None
        _check_constructs(tree, "message")
        if any(True for _ in tree.find_all(nodes.Concat)):
            # '~' turns a list into its Python repr; side by side, {{ a }}{{ b }} prints text.
            raise ExpressionError("'~' is not allowed in a message; write {{ a }}{{ b }} instead")
        allowed = ("signals", "feature", "product", *extra)
        for name in sorted(meta.find_undeclared_variables(tree)):
            if name not in allowed:
                raise ExpressionError(
                    f"unknown name '{name}' in message{did_you_mean(name, allowed)}"
                    f"; a message may use {one_of(allowed)}"
                )
        _check_names(tree, allowed, "message")
        self._template = _compile(lambda: _TEXT_ENV.from_string(source))
        self.fields = fields_read(tree, extra)

    def render(self, context: dict[str, Any]) -> str:
        """The message for ``context``, as rendered (whitespace as written)."""
        try:
            return self._template.render(**context)
        except Exception as exc:  # noqa: BLE001 - untrusted code: any failure is the rule's
            raise ExpressionError(f"message {self.source!r} failed: {_reason(exc)}") from None


def _compile(compile_: Callable[[], Any]) -> Any:
    try:
        return compile_()
    except TemplateSyntaxError as exc:  # an unknown test, say, found while compiling
        raise ExpressionError(exc.message or str(exc)) from None


def _check_constructs(tree: nodes.Node, where: str) -> None:
    """Refuse what could loop, call, assign or reach Python internals."""
    for node in (tree, *tree.find_all(nodes.Node)):
        if not isinstance(node, ALLOWED_NODES):
            raise ExpressionError(
                f"{_describe(node)} is not allowed in a {where.split()[0]}; a rule may use "
                "names, fields, comparisons, arithmetic, filters and if"
            )
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            raise ExpressionError(f"attribute '{node.attr}' is not allowed in {where}")
        if (
            isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str) and node.arg.value.startswith("_")
        ):
            raise ExpressionError(f"attribute '{node.arg.value}' is not allowed in {where}")
        if isinstance(node, nodes.Name) and node.name.startswith("_"):
            raise ExpressionError(f"name '{node.name}' is not allowed in {where}")
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            raise ExpressionError(
                f"filter '{node.name}' is not allowed in {where}{did_you_mean(node.name, FILTERS)}"
                f"; a rule may use {one_of(FILTERS)}"
            )
        if isinstance(node, nodes.Test) and node.name not in _ENV.tests:
            raise ExpressionError(f"unknown test '{node.name}' in {where}")


def _describe(node: nodes.Node) -> str:
    kinds = {
        "For": "a {% for %} loop", "Call": "a call", "Assign": "{% set %}",
        "AssignBlock": "{% set %}", "Macro": "a macro", "CallBlock": "{% call %}",
        "Include": "{% include %}", "Import": "{% import %}", "FromImport": "{% import %}",
        "Extends": "{% extends %}", "Block": "{% block %}", "With": "{% with %}",
        "FilterBlock": "a {% filter %} block", "Dict": "a mapping literal",
    }
    return kinds.get(type(node).__name__, f"'{type(node).__name__}'")


Field = tuple  # ("signals", "aha"), ("feature", "id"), or ("words",) for a whole value


def fields_read(tree: nodes.Node, extra: tuple[str, ...]) -> tuple[Field, ...] | None:
    """Every value an expression reads, in a fixed order, or ``None`` when it reads a whole
    mapping (``signals | length``) and so could depend on anything in it.

    ``signals``, ``feature`` and ``product`` are read one field at a time; the names a rule
    kind adds (``words``) as whole values. Level names are constants.
    """
    every = (tree, *tree.find_all(nodes.Node))
    if any(isinstance(n, nodes.Test) and n.name == "sameas" for n in every):
        return None  # identity: equal values need not be the same object
    owners: dict[int, str] = {}
    for node in every:
        if (isinstance(node, (nodes.Getattr, nodes.Getitem)) and isinstance(node.node, nodes.Name)
                and node.node.name in FIELDS_OF):
            if isinstance(node, nodes.Getattr):
                owners[id(node.node)] = node.attr
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                owners[id(node.node)] = node.arg.value
    found: dict[Field, None] = {}
    for name in (n for n in every if isinstance(n, nodes.Name)):
        if name.name in FIELDS_OF:
            if id(name) not in owners:
                return None
            found[(name.name, owners[id(name)])] = None
        elif name.name in extra:
            found[(name.name,)] = None
        elif name.name not in LEVEL_CONSTANTS:
            return None
    return tuple(sorted(found))


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
