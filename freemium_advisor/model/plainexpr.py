"""Plain conditions and messages, compiled to Python closures without Jinja2.

Nearly every rule condition and message is plain: fields compared with constants and joined
by ``and``, ``or`` and ``not`` (``signals.aha >= high and product.collaborative``), text with
``{{ signals.friction }}`` in it, an ``{% if %}``. This module compiles exactly that subset;
anything else (arithmetic, tests, calls, filters other than ``lower`` and ``upper``, names
starting with ``_``, whitespace control...) raises :class:`Unsupported`, and
:mod:`freemium_advisor.model.sandbox` compiles it in Jinja2's sandbox, where every refusal and
every error message comes from.

A plain expression reads only the mappings it is given, by key, and compares, joins and
lower-cases what it finds: it cannot call anything, loop or grow a value. It gives what
Jinja2 would give; whenever evaluating it meets anything else (a missing name, a value that is
not plain text, a number or a list of them, any error) it raises :class:`Unusual` and the
caller evaluates the same source in Jinja2's sandbox instead, so that errors read the same
whichever way an expression was compiled. Jinja2 is imported only when an expression needs
it: a run of the built-in rules never does.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from freemium_advisor.base.limits import MAX_VALUE

Getter = Callable[[dict], Any]


class Unsupported(Exception):
    """The source is not plain: Jinja2's sandbox compiles it (and refuses what it refuses)."""


class Unusual(Exception):
    """Evaluating met something a plain expression does not handle: ask Jinja2's sandbox."""


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<name>[A-Za-z][A-Za-z0-9_]*)
    | (?P<float>[0-9]+\.[0-9]+)(?![\w.])
    | (?P<int>0|[1-9][0-9]*)(?![\w.])
    | '(?P<single>[^'\\\r\n]*)'
    | "(?P<double>[^"\\\r\n]*)"
    | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|\.|\|)
    | (?P<end>\}\}|%\})
    )""",
    re.VERBOSE,
)
_SPACE = re.compile(r"\s*")
_CONSTANTS = {"true": True, "True": True, "false": False, "False": False, "none": None, "None": None}
_KEYWORDS = frozenset({"and", "or", "not", "in", "is", "if", "else"})
_COMPARE = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
    "in": lambda a, b: a in b, "notin": lambda a, b: a not in b,
}
_FILTERS = ("lower", "upper")
_TAG = re.compile(r"\{[{%#]")
MAX_NESTING = 32  # parentheses, lists and ``not`` inside each other; deeper goes to Jinja2


class Names:
    """What names an expression may read and how: the mappings read one field at a time
    (``fields_of``, ``None``: any field of any name, as a check's message reads its
    variables), whole values (``extra``) and constants (level names)."""

    def __init__(self, fields_of: dict[str, tuple[str, ...]] | None,
                 extra: tuple[str, ...] = (), constants: dict[str, Any] | None = None):
        self.fields_of = fields_of
        self.extra = extra
        self.constants = constants or {}
        # ``lower`` and ``upper`` as rules have them (a list prints as text): only for rules.
        self.filters = _FILTERS if fields_of is not None else ()


def _tokens(source: str, pos: int, stop_at_end: bool) -> tuple[list[tuple[str, Any]], int]:
    """The tokens of one expression from ``pos``: to the end of ``source``, or (in a
    template) to the closing ``}}`` or ``%}``, whose end position is returned."""
    tokens: list[tuple[str, Any]] = []
    while True:
        match = _TOKEN.match(source, pos)
        if match is None:
            if _SPACE.match(source, pos).end() == len(source) and not stop_at_end:
                return tokens, len(source)
            raise Unsupported()
        pos = match.end()
        kind = match.lastgroup
        if kind == "end":
            if not stop_at_end:
                raise Unsupported()
            tokens.append(("end", match.group(kind)))
            return tokens, pos
        if kind in ("single", "double"):
            tokens.append(("string", match.group(kind)))
        elif kind == "int":
            tokens.append(("const", int(match.group(kind))))
        elif kind == "float":
            tokens.append(("const", float(match.group(kind))))
        else:
            tokens.append((kind, match.group(kind)))


class _Parser:
    """Recursive descent over one expression, with Jinja2's precedence: ``or``, ``and``,
    ``not``, comparisons, then a value with its field and filters."""

    def __init__(self, tokens: list[tuple[str, Any]], names: Names):
        self.tokens = tokens
        self.at = 0
        self.names = names
        self.fields: dict[tuple, None] = {}  # what it reads, in the order it reads it
        self.depth = 0

    def peek(self, offset: int = 0) -> tuple[str, Any]:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else ("eof", None)

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        self.at += 1
        return token

    def expect(self, kind: str, value: Any = None) -> None:
        token = self.take()
        if token[0] != kind or (value is not None and token[1] != value):
            raise Unsupported()

    def is_name(self, word: str, offset: int = 0) -> bool:
        return self.peek(offset) == ("name", word)

    def expression(self) -> Getter:
        node = self.or_()
        if self.is_name("if"):
            raise Unsupported()  # a conditional expression
        return node

    def or_(self) -> Getter:
        node = self.and_()
        while self.is_name("or"):
            self.take()
            left, right = node, self.and_()
            node = lambda ctx, left=left, right=right: left(ctx) or right(ctx)
        return node

    def and_(self) -> Getter:
        node = self.not_()
        while self.is_name("and"):
            self.take()
            left, right = node, self.not_()
            node = lambda ctx, left=left, right=right: left(ctx) and right(ctx)
        return node

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise Unsupported()

    def not_(self) -> Getter:
        if self.is_name("not"):
            self.take()
            self.nested()
            inner = self.not_()
            self.depth -= 1
            return lambda ctx: not inner(ctx)
        return self.compare()

    def compare(self) -> Getter:
        node = self.value()
        operators = []
        while True:
            kind, text = self.peek()
            if kind == "op" and text in _COMPARE:
                self.take()
                operators.append((_COMPARE[text], self.value()))
            elif self.is_name("in"):
                self.take()
                operators.append((_COMPARE["in"], self.value()))
            elif self.is_name("not") and self.is_name("in", 1):
                self.at += 2
                operators.append((_COMPARE["notin"], self.value()))
            else:
                break
        if not operators:
            return node
        if len(operators) > 1:
            raise Unsupported()  # a chained comparison
        (compare, right), left = operators[0], node
        return lambda ctx: compare(left(ctx), right(ctx))

    def value(self) -> Getter:
        node = self.primary()
        while self.peek() == ("op", "|"):
            self.take()
            kind, name = self.take()
            if kind != "name" or name not in self.names.filters or self.peek() == ("op", "("):
                raise Unsupported()
            node = _text_filter(node, name)
        kind, text = self.peek()
        if kind == "name" and text == "is" or (kind == "op" and text in ("(", "[", ".")):
            raise Unsupported()  # a test, a call, a subscript or a field of a field
        return node

    def primary(self) -> Getter:
        kind, text = self.take()
        if kind == "string":
            if self.peek()[0] == "string":
                raise Unsupported()  # adjacent strings, which Jinja2 joins
            return lambda ctx: text
        if kind == "const":
            return lambda ctx: text
        if kind == "op" and text in ("(", "["):
            return self.sequence(text)
        if kind != "name" or text in _KEYWORDS:
            raise Unsupported()
        if text in _CONSTANTS:
            value = _CONSTANTS[text]
            return lambda ctx: value
        return self.name(text)

    def name(self, name: str) -> Getter:
        names = self.names
        if self.peek() == ("op", "."):
            self.take()
            kind, field = self.take()
            if kind != "name":
                raise Unsupported()
            if names.fields_of is None:
                if name in names.constants or hasattr(dict, field):
                    raise Unsupported()
            elif field not in names.fields_of.get(name, ()):
                raise Unsupported()  # an unknown name or field: Jinja2's sandbox says which
            self.fields.setdefault((name, field), None)
            return _field(name, field)
        if name in names.constants:
            value = names.constants[name]
            return lambda ctx: value
        if name in names.extra or (names.fields_of is None and name not in names.constants):
            self.fields.setdefault((name,), None)
            return _whole(name)
        raise Unsupported()

    def sequence(self, opening: str) -> Getter:
        closing = ")" if opening == "(" else "]"
        self.nested()
        items: list[Getter] = []
        tuple_ = opening == "["
        while self.peek() != ("op", closing):
            if items:
                self.expect("op", ",")
                tuple_ = True
                if self.peek() == ("op", closing):
                    break
            items.append(self.expression())
        self.take()
        self.depth -= 1
        if opening == "(" and not tuple_ and len(items) == 1:
            return items[0]  # parentheses around one expression
        kind = list if opening == "[" else tuple
        return lambda ctx: kind(item(ctx) for item in items)


def _field(name: str, field: str) -> Getter:
    def get(ctx: dict) -> Any:
        owner = ctx[name]
        if type(owner) is not dict:
            raise Unusual()
        return owner[field]

    return get


def _whole(name: str) -> Getter:
    return lambda ctx: ctx[name]


def _text_filter(node: Getter, name: str) -> Getter:
    method = str.lower if name == "lower" else str.upper
    return lambda ctx: method(as_text(node(ctx)))


def as_text(value: Any) -> str:
    """What a rule's ``{{ ... }}`` prints (as :func:`freemium_advisor.model.sandbox.as_text`) for
    the plain values: text, nothing, a boolean, a number or a list of text and numbers."""
    kind = type(value)
    if kind is str:
        if len(value) > MAX_VALUE:
            raise Unusual()
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    if (kind is list or kind is tuple) and all(type(i) in (str, int, float) for i in value):
        text = ", ".join(map(str, value))
        if len(text) > MAX_VALUE:
            raise Unusual()
        return text
    raise Unusual()


def as_str(value: Any) -> str:
    """What ``{{ ... }}`` prints in a template without a finalizer: ``str()`` of a plain value."""
    if type(value) in (str, int, float, bool) or value is None:
        return str(value)
    raise Unusual()


class PlainCondition:
    """A plain condition: ``evaluate(context)`` and the fields it reads, in order."""

    def __init__(self, source: str, names: Names):
        tokens, _ = _tokens(source, 0, stop_at_end=False)
        parser = _Parser(tokens, names)
        self.evaluate = parser.expression()
        if parser.peek()[0] != "eof":
            raise Unsupported()
        self.fields = tuple(parser.fields)


class PlainTemplate:
    """A plain message template: text, ``{{ value }}`` and ``{% if %}`` blocks."""

    def __init__(self, source: str, names: Names, output: Callable[[Any], str]):
        self._output = output
        self._names = names
        fields: dict[tuple, None] = {}
        self._parts, _, _ = self._block(source, 0, fields, top=True)
        self.fields = tuple(fields)

    def _block(self, source: str, pos: int, fields: dict, top: bool = False):
        """Parts up to the end of ``source`` (top level) or to an ``elif``/``else``/``endif``."""
        parts: list[Any] = []
        while True:
            tag = _TAG.search(source, pos)
            if tag is None:
                if not top:
                    raise Unsupported()  # an unclosed {% if %}: Jinja2 says so
                if pos < len(source):
                    parts.append(source[pos:])
                return parts, len(source), None
            if tag.start() > pos:
                parts.append(source[pos:tag.start()])
            opening = tag.group()
            if opening == "{#" or source[tag.end():tag.end() + 1] in ("-", "+"):
                raise Unsupported()  # a comment or whitespace control
            tokens, pos = _tokens(source, tag.end(), stop_at_end=True)
            if tokens[-1][1] != ("}}" if opening == "{{" else "%}"):
                raise Unsupported()
            parser = _Parser(tokens[:-1], self._names)
            if opening == "{{":
                parts.append(parser.expression())
                if parser.peek()[0] != "eof":
                    raise Unsupported()
                fields.update(parser.fields)
                continue
            keyword = parser.take()
            if keyword == ("name", "if"):
                block, pos = self._if(source, pos, parser, fields)
                parts.append(block)
                continue
            if top or keyword[0] != "name" or keyword[1] not in ("elif", "else", "endif"):
                raise Unsupported()
            return parts, pos, (keyword[1], parser)

    def _if(self, source: str, pos: int, parser: _Parser, fields: dict):
        branches = []
        otherwise: list[Any] = []
        while True:
            condition = parser.expression()
            if parser.peek()[0] != "eof":
                raise Unsupported()
            fields.update(parser.fields)
            body, pos, (closing, parser) = self._block(source, pos, fields)
            branches.append((condition, body))
            if closing == "elif":
                continue
            if closing == "else":
                if parser.peek()[0] != "eof":
                    raise Unsupported()
                otherwise, pos, (closing, parser) = self._block(source, pos, fields)
                if closing != "endif":
                    raise Unsupported()
            if parser.peek()[0] != "eof":
                raise Unsupported()  # {% endif junk %}
            return (tuple(branches), otherwise), pos

    def render(self, context: dict) -> str:
        out: list[str] = []
        self._render(self._parts, context, out)
        return "".join(out)

    def _render(self, parts: list, context: dict, out: list[str]) -> None:
        for part in parts:
            if type(part) is str:
                out.append(part)
            elif type(part) is tuple:
                branches, otherwise = part
                for condition, body in branches:
                    if condition(context):
                        self._render(body, context, out)
                        break
                else:
                    self._render(otherwise, context, out)
            else:
                out.append(self._output(part(context)))
