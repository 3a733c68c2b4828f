"""The rule language: conditions and messages of rules and checks, compiled once.

A condition (``signals.virality >= high and product.collaborative``) or a message
(``Virality {{ signals.virality }}{% if product.collaborative %} in a team{% endif %}``) is
parsed when its pack loads, checked against the names it may read (a misspelled signal is an
error then, not a silent ``false`` later) and compiled to Python closures. The language is
small on purpose, and docs/rule-language.md lists all of it: text, numbers, ``true``,
``false``, ``none``, lists, fields, level names, comparisons, ``in``, ``and``/``or``/``not``,
the filters ``lower``, ``upper`` and ``title``; in messages ``{{ ... }}`` and ``{% if %}``.
Anything else is refused when the pack loads, with a message naming it.

Rule packs are shared between teams, so they are untrusted code: nothing in the language
calls, loops, assigns or reaches past the values it is given, no value it computes is larger
than what it reads, and a message stops at :data:`~freemium_advisor.base.limits.MAX_VALUE`
characters. A message's text is remembered by the values it reads.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any

from freemium_advisor.base.record import record
from freemium_advisor.base.errors import did_you_mean, one_of
from freemium_advisor.base.limits import MAX_EXPRESSION, MAX_VALUE
from freemium_advisor.model.signals import LEVELS, SIGNAL_BY_NAME

FEATURE_FIELDS = ("id", "name", "description", "category", "text", "metered", "name_words")
PRODUCT_FIELDS = ("name", "description", "model", "trial_days", "collaborative", "tiers")
FIELDS_OF = {"signals": tuple(SIGNAL_BY_NAME), "feature": FEATURE_FIELDS, "product": PRODUCT_FIELDS}
# ``none`` is the literal "no value" (an audience nobody answered), as in the messages; the
# level none is below ``low``.
LEVEL_CONSTANTS = {name: value for value, name in enumerate(LEVELS) if name != "none"}
FILTERS = ("lower", "upper", "title")
SEE = "see docs/rule-language.md"
MAX_NESTING = 32  # parentheses, lists and ``not`` inside each other

Field = tuple  # ("signals", "aha"), ("feature", "id"), or ("words",) for a whole value
Getter = Callable[[dict], Any]


class ExpressionError(ValueError):
    """A condition or message that does not compile or fails; the message says why."""


@record
class Names:
    """What an expression may read.

    ``fields`` maps each name read field by field (``feature.name``) to its fields; ``None``
    lets any name and any field through (a check's message reads whatever its logic hands
    it, which only the logic knows). ``whole`` are names read as one value (``words``), and
    ``constants`` names that stand for a value (``high``).
    """

    fields: Mapping[str, tuple[str, ...]] | None = None
    whole: tuple[str, ...] = ()
    constants: Mapping[str, Any] = field(default_factory=dict)

    def known(self) -> tuple[str, ...]:
        return (*(self.fields or ()), *self.whole, *self.constants)


RULE_CONDITION = Names(FIELDS_OF, (), LEVEL_CONSTANTS)
ANY_NAME = Names(None)


def message_names(extra: tuple[str, ...] = ()) -> Names:
    """What a rule's message reads: signals (by level name), feature, product and ``extra``."""
    return Names(FIELDS_OF, extra)


class Condition:
    """A compiled, checked condition: ``condition(context)`` is ``True`` or ``False``.

    ``reads`` lists the signals it looks at, in the order it names them, and ``fields``
    every value it reads, sorted. ``names`` says what it may read (the rules' names by
    default: ``signals``, ``feature``, ``product`` and the levels).
    """

    def __init__(self, source: str, names: Names = RULE_CONDITION):
        self.source = source
        check_length(source, "condition")
        where = _Where("condition", f"condition {source!r}")
        tokens, _ = _tokens(source, 0, where, in_tag=False)
        parser = _Parser(tokens, names, where)
        self._evaluate = _runnable(parser.expression())
        parser.expect_end()
        self.fields = tuple(sorted(parser.fields))
        self.reads = tuple(f[1] for f in parser.fields if f[0] == "signals" and len(f) == 2)
        self.reads_feature_id = ("feature", "id") in self.fields

    def __call__(self, context: dict[str, Any]) -> bool:
        try:
            return bool(self._evaluate(context))
        except Exception as exc:  # noqa: BLE001 - untrusted code: any failure is the rule's
            raise ExpressionError(f"condition {self.source!r} failed: {reason(exc)}") from None


class MessageTemplate:
    """A compiled message: text, ``{{ value }}`` and ``{% if %}`` blocks.

    ``extra`` names the whole values a rule kind adds (``words``); ``names`` overrides what
    it may read (:data:`ANY_NAME` for a check's message). ``fields`` lists every value it reads.
    """

    def __init__(self, source: str, extra: tuple[str, ...] = (), names: Names | None = None):
        self.source = source
        self.extra = extra
        check_length(source, "message")
        fields: dict[Field, None] = {}
        self._parts = _Template(source, names or message_names(extra), fields).parts
        self.fields = tuple(sorted(fields))
        self.reads_feature_id = ("feature", "id") in self.fields
        # Thousands of features make a few dozen distinct sentences: each is
        # rendered once per distinct combination of the values the message reads.
        self._results = _Results(self.fields)

    def render(self, context: dict[str, Any]) -> str:
        """The message for ``context``, whitespace collapsed; failures are :class:`ExpressionError`."""
        return self._results.cached(context, self._render)

    def _render(self, context: dict[str, Any]) -> str:
        out: list[str] = []
        try:
            _render(self._parts, context, out, [0])
        except Exception as exc:  # noqa: BLE001 - untrusted code: any failure is the rule's
            raise ExpressionError(f"message {self.source!r} failed: {reason(exc)}") from None
        return " ".join("".join(out).split())


def reason(exc: Exception) -> str:
    """An exception as one line of a message."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def check_length(source: str, what: str) -> None:
    """Refuse a condition or message longer than ``MAX_EXPRESSION`` characters."""
    if len(source) > MAX_EXPRESSION:
        raise ExpressionError(f"a {what} longer than {MAX_EXPRESSION:,} characters")


def checked(compile_: Callable[[], Any], fail: Callable[[str], Exception]) -> Any:
    """Run a compile step, turning an :class:`ExpressionError` into ``fail(message)``."""
    try:
        return compile_()
    except ExpressionError as exc:
        raise fail(str(exc)) from None


def as_text(value: Any) -> str:
    """What ``{{ ... }}`` prints: text, nothing for ``none``, ``true``/``false``, a number, or
    a list of text and numbers joined by commas; never a Python repr."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    if (kind is list or kind is tuple) and all(
        type(item) in (str, int, float) for item in value
    ):
        return ", ".join(map(str, value))
    raise TypeError(f"a message may print text, numbers and lists of them, not {kind.__name__}")


# --- reading the source ---------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<space>\s+)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<number>[0-9][\w.]*)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<trim>[-+](?:\}\}|%\}))
    | (?P<end>\}\}|%\})
    | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|\.|\|)
    | (?P<bad>\*\*|//|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_NOT_ALLOWED = {
    "+": "arithmetic ('+')", "-": "arithmetic ('-')", "*": "arithmetic ('*')",
    "/": "arithmetic ('/')", "%": "arithmetic ('%')", "~": "joining with '~'",
    "{": "a mapping ('{...}')", "}": "a mapping ('{...}')", "=": "assignment ('=')",
    ":": "a slice or a mapping (':')", "\\": "a backslash", "**": "arithmetic ('**')",
    "//": "arithmetic ('//')",
}
_CONSTANTS = {"true": True, "True": True, "false": False, "False": False, "none": None, "None": None}
_KEYWORDS = frozenset({"and", "or", "not", "in", "is", "if", "else", "elif", "endif"})
_COMPARE = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}


@record
class _Where:
    """Where an error happened, as its messages say it: ``kind`` (condition or message) and
    ``name`` (``condition 'x > 1'``, or ``message``)."""

    kind: str
    name: str

    def invalid(self, detail: str) -> ExpressionError:
        source = self.name[len(self.kind):]  # " 'x > 1'" for a condition, "" for a message
        return ExpressionError(f"invalid {self.kind}{source}: {detail}")

    def refused(self, what: str, hint: str = "") -> ExpressionError:
        place = self.name if self.kind == "condition" else "a message"
        return ExpressionError(f"{what} is not allowed in {place}; {hint}{'; ' if hint else ''}{SEE}")


def _tokens(source: str, pos: int, where: _Where, in_tag: bool) -> tuple[list[tuple[str, Any]], int]:
    """The tokens of one expression from ``pos``: to the end of ``source``, or (``in_tag``)
    to the closing ``}}`` or ``%}``, whose end position is returned."""
    tokens: list[tuple[str, Any]] = []
    length = len(source)
    while pos < length:
        match = _TOKEN.match(source, pos)
        pos = match.end()
        kind = match.lastgroup
        text = match.group(kind)
        if kind == "space":
            continue
        if kind == "bad" and text in "'\"":
            raise where.invalid(f"text opened with {text} is never closed")
        if kind == "trim":
            tokens.append(("bad", f"whitespace control ('{text}')"))
            kind, text = "end", text[1:]
        if kind == "end":
            if not in_tag:
                raise where.invalid(f"unexpected '{text}'")
            tokens.append(("end", text))
            return tokens, pos
        if kind == "number":
            if not _NUMBER.fullmatch(text):
                raise where.invalid(
                    f"'{text}' is not a number; write a whole number or a decimal, as 3 or 2.5"
                )
            tokens.append(("const", float(text) if "." in text else int(text)))
        elif kind == "string":
            if "\\" in text:
                raise where.refused("a backslash in text")
            tokens.append(("const", text[1:-1]))
        elif kind == "bad":
            tokens.append(("bad", _NOT_ALLOWED.get(text, f"the character {text!r}")))
        else:
            tokens.append((kind, text))
    if in_tag:
        raise where.invalid("a '{{' or '{%' is never closed")
    return tokens, pos


class _Const:
    """A value known when the expression compiles."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


def _runnable(node: Any) -> Getter:
    if isinstance(node, _Const):
        value = node.value
        return lambda ctx: value
    return node


class _Parser:
    """Recursive descent over one expression: ``or``, ``and``, ``not``, a comparison, then a
    value with its filters. Each rule returns a closure over the context, or a :class:`_Const`."""

    def __init__(self, tokens: list[tuple[str, Any]], names: Names, where: _Where):
        self.tokens = tokens
        self.at = 0
        self.names = names
        self.where = where
        self.fields: dict[Field, None] = {}  # what it reads, in the order it names it
        self.depth = 0
        for index, (kind, text) in enumerate(tokens):  # first: no way to Python's internals
            if kind == "name" and text.startswith("_"):
                after_dot = index > 0 and tokens[index - 1] == ("op", ".")
                raise where.refused(f"{'attribute' if after_dot else 'name'} '{text}'")

    def peek(self, offset: int = 0) -> tuple[str, Any]:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else ("eof", None)

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        self.at += 1
        return token

    def is_word(self, word: str, offset: int = 0) -> bool:
        return self.peek(offset) == ("name", word)

    def expect_end(self) -> None:
        if self.peek()[0] != "eof":
            self.unexpected()

    def unexpected(self) -> None:
        """Refuse the token at this point, which cannot stand here."""
        token = self.peek()
        if token[0] == "bad":
            raise self.where.refused(token[1])
        if token == ("name", "if"):
            raise self.where.refused("an inline if ('... if ... else ...')")
        if token == ("name", "is"):
            raise self.where.refused("a test ('is ...')")
        if token[0] == "eof":
            raise self.where.invalid(f"a value should follow {_shown(*self.tokens[self.at - 1])}"
                                     if self.at else "it is empty")
        raise self.where.invalid(f"unexpected {_shown(*token)}")

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.where.invalid("nested too deeply")

    def expression(self) -> Any:
        node = self.and_()
        while self.is_word("or"):
            self.take()
            left, right = _runnable(node), _runnable(self.and_())
            node = lambda ctx, left=left, right=right: left(ctx) or right(ctx)
        return node

    def and_(self) -> Any:
        node = self.not_()
        while self.is_word("and"):
            self.take()
            left, right = _runnable(node), _runnable(self.not_())
            node = lambda ctx, left=left, right=right: left(ctx) and right(ctx)
        return node

    def not_(self) -> Any:
        if self.is_word("not") and not self.is_word("in", 1):
            self.take()
            self.nested()
            inner = _runnable(self.not_())
            self.depth -= 1
            return lambda ctx: not inner(ctx)
        return self.compare()

    def compare(self) -> Any:
        left = self.value()
        operator_ = self.comparison()
        if operator_ is None:
            return left
        right = self.value()
        if self.comparison() is not None:
            raise self.where.refused("a chained comparison ('a < b < c')", "write 'a < b and b < c'")
        compare = _COMPARE[operator_]
        if isinstance(right, _Const):
            get, constant = _runnable(left), right.value
            return lambda ctx: compare(get(ctx), constant)
        first, second = _runnable(left), _runnable(right)
        return lambda ctx: compare(first(ctx), second(ctx))

    def comparison(self) -> str | None:
        """The comparison operator at this point, taken, or ``None``."""
        kind, text = self.peek()
        if kind == "op" and text in _COMPARE:
            self.take()
            return text
        if self.is_word("in"):
            self.take()
            return "in"
        if self.is_word("not") and self.is_word("in", 1):
            self.at += 2
            return "not in"
        return None

    def value(self) -> Any:
        node = self.primary()
        while self.peek() == ("op", "|"):
            self.take()
            kind, name = self.take()
            if kind != "name":
                raise self.where.invalid("a filter's name should follow '|'")
            if name not in FILTERS:
                raise self.where.refused(
                    f"the filter '{name}'{did_you_mean(name, FILTERS)}",
                    f"the filters are {', '.join(FILTERS[:-1])} and {FILTERS[-1]}"
                    + ("; a list prints as 'a, b' without one" if name == "join" else ""),
                )
            if self.peek() == ("op", "("):
                raise self.where.refused(f"a filter with arguments ('{name}(...)')")
            node = _text_filter(_runnable(node), name)
        self.no_call_or_index()
        if self.peek() == ("op", "."):
            raise self.where.refused("a field of a field")
        return node

    def no_call_or_index(self) -> None:
        if self.peek() == ("op", "("):
            raise self.where.refused("a call")
        if self.peek() == ("op", "["):
            raise self.where.refused("an index ('[...]')")

    def primary(self) -> Any:
        kind, text = self.peek()
        if kind == "const":
            self.take()
            return _Const(text)
        if kind == "op" and text in ("(", "["):
            self.take()
            return self.sequence(text)
        if kind != "name" or text in _KEYWORDS:
            self.unexpected()
        self.take()
        if text in _CONSTANTS:
            if self.peek() == ("op", "."):
                raise self.where.refused("a field of a field")
            return _Const(_CONSTANTS[text])
        return self.name(text)

    def name(self, name: str) -> Any:
        names = self.names
        if name in names.constants:
            if self.peek() == ("op", "."):
                raise self.where.refused("a field of a field")
            return _Const(names.constants[name])
        if self.peek() == ("op", ".") and name in names.whole:
            raise self.where.refused(f"a field of '{name}'", f"'{name}' is one value")
        if self.peek() == ("op", "."):
            self.take()
            kind, field_name = self.take()
            if kind != "name":
                raise self.where.invalid(f"a field name should follow '{name}.'")
            if names.fields is not None:
                if name not in names.fields:
                    raise self._unknown(name)
                if field_name not in names.fields[name]:
                    noun = "signal" if name == "signals" else f"{name} field"
                    raise ExpressionError(
                        f"unknown {noun} '{field_name}' in {self.where.name}"
                        f"{did_you_mean(field_name, names.fields[name])}"
                    )
            self.fields.setdefault((name, field_name), None)
            return _field(name, field_name)
        self.no_call_or_index()
        if names.fields is not None and name in names.fields:
            example = f"{name}.{names.fields[name][0]}" if names.fields[name] else name
            raise self.where.refused(f"'{name}' without a field", f"name one, as {example}")
        if name in names.whole or names.fields is None:
            self.fields.setdefault((name,), None)
            return _whole(name)
        raise self._unknown(name)

    def _unknown(self, name: str) -> ExpressionError:
        known = self.names.known()
        tail = f"; a message may use {one_of(known)}" if self.where.kind == "message" else ""
        return ExpressionError(
            f"unknown name '{name}' in {self.where.name}{did_you_mean(name, known)}{tail}"
        )

    def sequence(self, opening: str) -> Any:
        closing = ")" if opening == "(" else "]"
        self.nested()
        items: list[Any] = []
        is_list = opening == "["
        while self.peek() != ("op", closing):
            if self.peek()[0] == "eof":
                raise self.where.invalid(f"'{opening}' is never closed")
            if items:
                if self.peek() != ("op", ","):
                    self.unexpected()
                self.take()
                is_list = True
                if self.peek() == ("op", closing):
                    break
            items.append(self.expression())
        self.take()
        self.depth -= 1
        if opening == "(" and not is_list:
            if not items:
                raise self.where.invalid("empty parentheses")
            return items[0]  # parentheses around one expression
        kind = list if opening == "[" else tuple
        if all(isinstance(item, _Const) for item in items):
            return _Const(kind(item.value for item in items))
        getters = [_runnable(item) for item in items]
        return lambda ctx: kind(get(ctx) for get in getters)


def _shown(kind: str, text: Any) -> str:
    """A token as an error message quotes it."""
    if kind == "eof":
        return "the end"
    return repr(text) if kind == "const" else f"'{text}'"


class _Failure(Exception):
    """A name or field that is not in the context."""


def _field(name: str, field_name: str) -> Getter:
    def get(ctx: dict) -> Any:
        try:
            return ctx[name][field_name]
        except (KeyError, TypeError, IndexError):
            if name not in ctx:
                raise _Failure(f"'{name}' is undefined") from None
            raise _Failure(f"'{name}' has no field '{field_name}'") from None

    return get


def _whole(name: str) -> Getter:
    def get(ctx: dict) -> Any:
        try:
            return ctx[name]
        except KeyError:
            raise _Failure(f"'{name}' is undefined") from None

    return get


_WORD_START = re.compile(r"([-\s({\[<]+)")


def _title(text: str) -> str:
    """Each word capitalized, the rest lower-case (``they're`` stays one word)."""
    return "".join(part[0].upper() + part[1:].lower() for part in _WORD_START.split(text) if part)


_TEXT_FILTERS = {"lower": str.lower, "upper": str.upper, "title": _title}


def _text_filter(node: Getter, name: str) -> Getter:
    method = _TEXT_FILTERS[name]
    return lambda ctx: method(as_text(node(ctx)))


# --- messages -------------------------------------------------------------------------------

_TAG = re.compile(r"\{[{%#]")


class _Template:
    """A message parsed into parts: text, a getter (``{{ value }}``) or an if block
    (``(branches, otherwise)``, each branch a condition and its parts)."""

    def __init__(self, source: str, names: Names, fields: dict[Field, None]):
        self.source = source
        self.names = names
        self.fields = fields
        self.where = _Where("message", "message")
        self.parts, _, closing = self._block(0)
        if closing is not None:
            raise self.where.invalid(f"{{% {closing[0]} %}} without {{% if %}}")

    def _block(self, pos: int) -> tuple[list[Any], int, tuple[str, _Parser] | None]:
        """Parts up to the end of the source, or up to an ``elif``, ``else`` or ``endif``
        tag, which is returned with the parser standing after its keyword."""
        source = self.source
        parts: list[Any] = []
        while True:
            tag = _TAG.search(source, pos)
            if tag is None:
                if pos < len(source):
                    parts.append(source[pos:])
                return parts, len(source), None
            if tag.start() > pos:
                parts.append(source[pos:tag.start()])
            opening = tag.group()
            if opening == "{#":
                raise self.where.refused("a comment ('{# ... #}')")
            if source[tag.end():tag.end() + 1] in ("-", "+"):
                raise self.where.refused(f"whitespace control ('{opening}{source[tag.end()]}')")
            tokens, pos = _tokens(source, tag.end(), self.where, in_tag=True)
            closing = "}}" if opening == "{{" else "%}"
            if tokens[-1][1] != closing:
                raise self.where.invalid(f"'{opening}' closed by '{tokens[-1][1]}'")
            parser = _Parser(tokens[:-1], self.names, self.where)
            if opening == "{{":
                if len(tokens) == 1:
                    raise self.where.invalid("an empty '{{ }}'")
                parts.append(_runnable(parser.expression()))
                parser.expect_end()
                self.fields.update(parser.fields)
                continue
            kind, keyword = parser.take()
            if kind != "name":
                raise self.where.invalid("a tag starts with if, elif, else or endif")
            if keyword == "if":
                block, pos = self._if(pos, parser)
                parts.append(block)
                continue
            if keyword in ("elif", "else", "endif"):
                return parts, pos, (keyword, parser)
            raise self.where.refused(f"{{% {keyword} %}}", "a message has {% if %} only")

    def _if(self, pos: int, parser: _Parser) -> tuple[tuple, int]:
        branches = []
        otherwise: list[Any] = []
        while True:
            condition = _runnable(parser.expression())
            parser.expect_end()
            self.fields.update(parser.fields)
            body, pos, closing = self._block(pos)
            if closing is None:
                raise self.where.invalid("{% if %} without {% endif %}")
            keyword, parser = closing
            branches.append((condition, body))
            if keyword == "elif":
                continue
            if keyword == "else":
                self._bare(parser, "else")
                otherwise, pos, closing = self._block(pos)
                if closing is None:
                    raise self.where.invalid("{% if %} without {% endif %}")
                keyword, parser = closing
                if keyword != "endif":
                    raise self.where.invalid(f"{{% {keyword} %}} after {{% else %}}")
            self._bare(parser, "endif")
            return (tuple(branches), otherwise), pos

    def _bare(self, parser: _Parser, keyword: str) -> None:
        if parser.peek()[0] not in ("eof", "end"):
            raise self.where.invalid(f"unexpected {_shown(*parser.peek())} in {{% {keyword} %}}")


def _render(parts: list, context: dict, out: list[str], size: list[int]) -> None:
    """Append the text of ``parts`` to ``out``; ``size[0]`` counts it, so that no message grows
    past ``MAX_VALUE`` characters before it is refused."""
    for part in parts:
        if type(part) is str:
            text = part
        elif type(part) is tuple:
            branches, otherwise = part
            for condition, body in branches:
                if condition(context):
                    _render(body, context, out, size)
                    break
            else:
                _render(otherwise, context, out, size)
            continue
        else:
            text = as_text(part(context))
        size[0] += len(text)
        if size[0] > MAX_VALUE:
            raise ValueError(f"it renders more than {MAX_VALUE:,} characters")
        out.append(text)


# --- remembered results ---------------------------------------------------------------------


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

    def __init__(self, fields: tuple[Field, ...]):
        self.fields = fields
        self._found: dict[tuple, Any] = {}
        # Most messages read signals only: their values in one C call.
        names = [f[1] for f in fields if len(f) == 2 and f[0] == "signals"]
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
        except (KeyError, TypeError, IndexError):  # missing or unhashable: rendered as it is
            return None
