"""Jinja2's sandbox for a user's report template, with every value it builds bounded.

A report template (``report --template PATH``) is code from whoever wrote it: Jinja2's
immutable sandbox keeps it from Python's internals and from changing the context, and this
module keeps it from exhausting memory. Jinja2's time limit cannot do that: one call such as
``name.ljust(10**9)`` or ``big|join`` is a single C call, never interrupted, that allocates
all it asks for. So the arguments of every operation that can make a value larger than what
it starts from are checked *before* the call:

* ``*``, ``+``, ``~``, ``**`` and the string methods ``center``, ``ljust``, ``rjust``,
  ``zfill``, ``expandtabs``, ``replace``, ``join``, ``translate``, ``format`` (and
  ``format_map``) and ``int.to_bytes``, and ``dict.fromkeys``;
* the filters that can grow text or lists (``center``, ``replace``, ``join``, ``format``,
  ``indent``, ``wordwrap``, ``urlize``, ``batch``, ``slice``, ``tojson``, ``sum``);
* the case-changing string methods and filters (``upper``, ``lower``, ``title``,
  ``capitalize``, ``casefold``, ``swapcase``): one character may become three (``ß`` is
  ``SS``, ``ﬃ`` is ``FFI``), so their result, at most three times what they start from, is
  checked *after* the call;
* every value printed or turned into text, and the whole output.

No operation builds a value of more than :data:`MAX_VALUE` characters or items (nested lists
counted in full) unless it is no larger than what it started from; ``%`` formatting is
refused; an exponent is at most :data:`MAX_EXPONENT` and a number at most
:data:`MAX_POWER_BITS` bits; nothing printed, and no output, exceeds :data:`MAX_RENDER`.
Its work is bounded too, in steps (:meth:`BoundedSandbox.charge`): every item a loop draws,
every call and every filter costs steps, so that a template looping too much fails in about a
second, long before the caller's time limit.

A template that breaks a bound fails at once with a :class:`SecurityError` saying which.
"""

from __future__ import annotations

import functools
import inspect
import operator
import re
from itertools import chain
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from markupsafe import Markup

from freemium_advisor.base.limits import MAX_EXPONENT, MAX_INDENT, MAX_POWER_BITS, MAX_RENDER, MAX_VALUE

_LEAF = 16  # what a number, a boolean or none prints as, about (a float's repr is up to 24)
_CONTAINERS = (list, tuple, dict, set, frozenset)


def _size(value: Any, limit: int, leaf: int = 1) -> int:
    """The characters of the texts in ``value`` and ``leaf`` for each other item, every use
    of a shared list counted (``[[x] * 1000] * 1000`` is a million items, as printing it would
    write them). Counting stops past ``limit``."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, _CONTAINERS):
        return leaf
    seen: dict[int, int] = {}

    def size(item: Any) -> int:
        if isinstance(item, (str, bytes)):
            return len(item)
        if not isinstance(item, _CONTAINERS):
            return leaf
        key = id(item)
        if key not in seen:
            seen[key] = limit + 1  # a list inside itself: too big
            total = len(item)
            # A dict's keys and values, never its items: a transient pair's id is reused.
            for part in (chain(item.keys(), item.values()) if isinstance(item, dict) else item):
                total += size(part)
                if total > limit:
                    break
            seen[key] = total
        return seen[key]

    return size(value)


def _too_big(by: str = "") -> SecurityError:
    return SecurityError(f"a value longer than {MAX_VALUE:,} would be built{by and f' by {by!r}'}")


def _grows(result: int, start: int, by: str = "") -> None:
    """Refuse a result of ``result`` characters or items built from ``start``: past
    ``MAX_VALUE`` when it is larger than what it started from, and past ``MAX_RENDER`` in
    any case (a list may name one long text many times: joined, each is written out)."""
    if result > MAX_RENDER or (result > MAX_VALUE and result > start):
        raise _too_big(by)


def _printable(value: Any, by: str) -> None:
    """Refuse to turn ``value`` into text when that would write more than ``MAX_RENDER``."""
    if isinstance(value, _CONTAINERS) and _size(value, MAX_RENDER, _LEAF) > MAX_RENDER:
        raise SecurityError(f"{by} would write more than {MAX_RENDER:,} characters")


def _bounded(value: Any) -> Any:
    if isinstance(value, (str, bytes, *_CONTAINERS)) and _size(value, MAX_VALUE) > MAX_VALUE:
        raise _too_big()
    return value


def _text_length(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes)) else _size(value, MAX_RENDER)


# Case mappings that may turn one character into up to three (Unicode's SpecialCasing).
_CASE_METHODS = frozenset({"upper", "lower", "title", "capitalize", "casefold", "swapcase"})


def _case_changed(result: Any, start: Any, by: str) -> Any:
    """Refuse the result of a case mapping that grew ``start`` past the bound."""
    if isinstance(result, str) and isinstance(start, str):
        _grows(len(result), len(start), by)
    return result


def _number(value: Any) -> int:
    """An integer argument as a size (``True`` is 1); anything else counts as none."""
    return value if isinstance(value, int) else 0


# --- methods --------------------------------------------------------------------------------


def _argument(args: tuple, kwargs: dict, index: int, name: str, default: Any) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _check_text_method(owner: str | bytes, name: str, args: tuple, kwargs: dict) -> tuple:
    """Check a call of a string method that can grow its string; returns ``args`` (a
    ``join`` reads its items first, so they are handed on as a list)."""
    length = len(owner)
    if name in ("center", "ljust", "rjust", "zfill"):
        _grows(_number(_argument(args, kwargs, 0, "width", 0)), length, name)
    elif name == "expandtabs":
        tabsize = _number(_argument(args, kwargs, 0, "tabsize", 8))
        _grows(length + owner.count("\t" if isinstance(owner, str) else b"\t") * max(tabsize, 0), length, name)
    elif name == "replace":
        old, new = _argument(args, kwargs, 0, "old", ""), _argument(args, kwargs, 1, "new", "")
        count = _number(_argument(args, kwargs, 2, "count", -1))
        kind = str if isinstance(owner, str) else bytes
        if isinstance(old, kind) and isinstance(new, kind) and len(new) > len(old):
            found = owner.count(old) if old else length + 1
            found = min(found, count) if count >= 0 else found
            _grows(length + found * (len(new) - len(old)), length, name)
    elif name == "join" and args:
        items = list(args[0])
        texts = [item for item in items if isinstance(item, (str, bytes))]
        _grows(sum(map(len, texts)) + length * max(len(items) - 1, 0),
               sum(map(len, texts)), name)
        args = (items, *args[1:])
    elif name == "translate" and args and isinstance(owner, str):
        table = args[0]
        values = table.values() if isinstance(table, Mapping) else table if isinstance(table, (list, tuple)) else ()
        longest = max((len(v) for v in values if isinstance(v, str)), default=1)
        _grows(length * longest, length, name)
    return args


def _check_call(obj: Any, args: tuple, kwargs: dict) -> tuple:
    """Check a method call from a template before it runs; returns the arguments to use."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, (str, bytes)):
        return _check_text_method(owner, name, args, kwargs)
    if isinstance(owner, int) and name == "to_bytes":
        _grows(_number(_argument(args, kwargs, 0, "length", 1)), 0, name)
    elif name == "fromkeys" and (owner is dict or isinstance(owner, dict)):
        keys = list(args[0]) if args else []
        value = _argument(args, kwargs, 1, "value", None)
        _grows(len(keys) * _size(value, MAX_VALUE), 0, name)
        args = (keys, *args[1:])
    return args


class _BoundedFormatting:
    """Mixed into Jinja2's sandboxed formatters: ``str.format`` with no width or precision
    past the bound, and no more than ``MAX_VALUE`` characters of fields in all."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._written = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        for digits in re.findall(r"\d+", format_spec):
            if len(digits) > 7 or int(digits) > MAX_VALUE:
                raise _too_big("format")
        _printable(value, "format")
        text = super().format_field(value, format_spec)  # type: ignore[misc]
        self._written += len(text)
        if self._written > MAX_VALUE:
            raise _too_big("format")
        return text


class _Formatter(_BoundedFormatting, SandboxedFormatter):
    pass


class _EscapeFormatter(_BoundedFormatting, SandboxedEscapeFormatter):
    pass


# --- filters --------------------------------------------------------------------------------

# A printf conversion: %[(key)][flags][width][.precision][length]type
_PRINTF = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d*))?[hlL]?(?P<type>.)", re.DOTALL)


def _check_printf(text: str, args: tuple, mapping: Mapping | None) -> None:
    """``text % args`` (the ``format`` filter) is one C call: refuse it when its widths,
    precisions or repeated fields could build more than ``MAX_VALUE`` characters."""
    positional = iter(args)
    estimate = len(text)
    start = len(text) + sum(_size(a, MAX_RENDER) for a in (*args, *(mapping or {}).values()))
    for match in _PRINTF.finditer(text):
        if match["type"] == "%":
            continue
        numbers = []
        for part in ("width", "precision"):
            spec = match[part]
            if spec == "*":
                numbers.append(_number(next(positional, 0)))
            elif spec:
                if len(spec) > 7:
                    raise _too_big("format")
                numbers.append(int(spec))
        if match["key"] is not None and mapping is not None:
            value = mapping.get(match["key"], "")
        else:
            value = next(positional, "")
        _printable(value, "format")
        printed = _size(value, MAX_RENDER) if match["type"] in "sra" else 330  # %f of 1e308
        estimate += sum(numbers) + printed
    _grows(estimate, start, "format")


def _filter_checks(env: ImmutableSandboxedEnvironment) -> dict[str, Callable[[dict], None]]:
    """For each filter that can grow a value, a check of its (bound) arguments, which may
    replace an iterable argument by the list it read."""

    def center(a: dict) -> None:
        _printable(a["value"], "center")
        _grows(_number(a["width"]), _text_length(a["value"]), "center")

    def replace(a: dict) -> None:
        _printable(a["s"], "replace")
        text, old, new = str(a["s"]), str(a["old"]), str(a["new"])
        count = _number(a["count"]) if a["count"] is not None else -1
        found = text.count(old) if old else len(text) + 1
        found = min(found, count) if count >= 0 else found
        _grows(len(text) + found * max(len(new) - len(old), 0), len(text), "replace")

    def join(a: dict) -> None:
        items = list(a["value"])
        a["value"] = items
        if a["attribute"] is not None:
            items = list(map(make_attrgetter(env, a["attribute"]), items))
        for item in items:
            _printable(item, "join")
        total = sum(_text_length(item) for item in items)
        _grows(total + len(str(a["d"])) * max(len(items) - 1, 0), total, "join")

    def format_(a: dict) -> None:
        _printable(a["value"], "format")
        _check_printf(str(a["value"]), a["args"], a["kwargs"] or None)

    def indent(a: dict) -> None:
        _printable(a["s"], "indent")
        text, width = str(a["s"]), a["width"]
        per_line = len(width) if isinstance(width, str) else max(_number(width), 0)
        _grows(len(text) + (text.count("\n") + 1) * per_line, len(text), "indent")

    def wordwrap(a: dict) -> None:
        _printable(a["s"], "wordwrap")
        text, wrap = str(a["s"]), a["wrapstring"]
        if isinstance(wrap, str) and len(wrap) > 1:  # a line break at most doubles the text
            _grows(len(text) + (len(text) + 1) * len(wrap), len(text), "wordwrap")

    def urlize(a: dict) -> None:
        _printable(a["value"], "urlize")
        text = str(a["value"])
        extra = len(str(a["target"] or "")) + len(str(a["rel"] or ""))
        if extra:
            _grows(len(text) + (len(text.split()) + 1) * extra, len(text), "urlize")

    def batch(a: dict) -> None:
        if a["fill_with"] is not None:
            _grows(_number(a["linecount"]), 0, "batch")

    def slice_(a: dict) -> None:
        _grows(_number(a["slices"]), 0, "slice")

    def tojson(a: dict) -> None:
        _printable(a["value"], "tojson")
        indent = a["indent"]
        if (len(indent) if isinstance(indent, str) else _number(indent)) > MAX_INDENT:
            raise SecurityError(f"'tojson' indents by at most {MAX_INDENT}")

    def sum_(a: dict) -> None:
        # Adding lists is quadratic and runs in C, out of reach of the time limit.
        items = list(a["iterable"])
        a["iterable"] = items
        if a["attribute"] is not None:
            items = list(map(make_attrgetter(env, a["attribute"]), items))
        if not all(isinstance(x, (int, float)) for x in (*items, a["start"])):
            raise SecurityError("'sum' adds numbers only")

    def printing(parameter: str, name: str) -> Callable[[dict], None]:
        return lambda a: _printable(a[parameter], name)

    checks: dict[str, Callable[[dict], None]] = {
        "center": center, "replace": replace, "join": join, "format": format_,
        "indent": indent, "wordwrap": wordwrap, "urlize": urlize, "batch": batch,
        "slice": slice_, "tojson": tojson, "sum": sum_,
    }
    for name, parameter in (
        ("capitalize", "s"), ("lower", "s"), ("upper", "s"), ("title", "s"), ("trim", "value"),
        ("striptags", "value"), ("wordcount", "s"), ("truncate", "s"), ("pprint", "value"),
        ("string", "s"), ("e", "s"), ("escape", "s"), ("forceescape", "value"),
        ("urlencode", "value"), ("xmlattr", "d"),
    ):
        checks[name] = printing(parameter, name)
    return checks


def _first_printable(function: Callable, name: str) -> Callable[[dict], None]:
    first = next(iter(inspect.signature(function).parameters))
    return lambda arguments: _printable(arguments[first], name)


# What Jinja2's filters call the context, environment or evaluation context it passes first.
_PASSED = ("eval_ctx", "environment", "env", "context")


def _checked_filter(original: Callable, check: Callable[[dict], None], name: str = "") -> Callable:
    signature = inspect.signature(original)
    # Jinja2 passes a filter marked with jinja_pass_arg one argument first, which the
    # signature shown lacks where an async variant wraps the filter (slice, list...).
    first = next(iter(signature.parameters), None)
    skip = 1 if getattr(original, "jinja_pass_arg", None) and first not in _PASSED else 0

    @functools.wraps(original)  # keeps jinja_pass_arg
    def bounded(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args[skip:], **kwargs)
        except TypeError:
            return original(*args, **kwargs)  # wrong arguments: Jinja2's own error
        bound.apply_defaults()
        check(bound.arguments)
        result = original(*args[:skip], *bound.args, **bound.kwargs)
        if name in _CASE_METHODS:
            return _case_changed(result, bound.arguments[first], name)
        return result

    return bounded


# --- the environment ------------------------------------------------------------------------

# What a call and a filter cost, in steps of about what drawing a loop item costs (0.15 us):
# a macro call takes about 8 us, a filter whose arguments are bound about 2 us.
_CALL_STEPS = 50
_FILTER_STEPS = 15


class _CodeGenerator(CodeGenerator):
    """Jinja2's code generator, with ``~`` joining through the environment, which bounds it,
    and every ``for`` loop drawing its items through the environment, which counts them."""

    def visit_For(self, node: nodes.For, frame) -> None:  # noqa: N802 - Jinja2's visitor name
        node.iter = nodes.Call(nodes.EnvironmentAttribute("counted"), [node.iter], [], None, None)
        if node.recursive:
            # loop(children) iterates without going through node.iter: count in the body.
            step = nodes.Call(nodes.EnvironmentAttribute("step"), [], [], None, None)
            node.body = [nodes.ExprStmt(step), *node.body]
        super().visit_For(node, frame)

    @optimizeconst
    def visit_Concat(self, node, frame) -> None:  # noqa: N802 - Jinja2's visitor name
        self.write("environment.join_text((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("), context.eval_ctx.autoescape)")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with every operation that can grow a value bounded.

    Intercepted operators are also never folded at compile time, so ``'x' * 10**9`` fails
    when it runs instead of hanging while the template loads.
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _CodeGenerator

    def __init__(self, *, steps: int, **options: Any):
        """``steps``: how many steps the template may take (see :meth:`charge`)."""
        super().__init__(finalize=self._finalize, **options)
        self.steps = steps
        self._left = steps
        # lipsum writes any amount of random text; nothing else is taken away.
        self.globals.pop("lipsum", None)
        for name, check in _filter_checks(self).items():
            if name in self.filters:
                self.filters[name] = _checked_filter(self.filters[name], check, name)
        for name, function in self.filters.items():
            self.filters[name] = self._charged_filter(function)

    def add_filters(self, filters: Mapping[str, Callable]) -> None:
        """Add filters of one's own; what each turns into text is bounded like the rest."""
        for name, function in filters.items():
            self.filters[name] = self._charged_filter(
                _checked_filter(function, _first_printable(function, name)))

    # Time: each loop item, call and filter costs steps, so that a template doing too much
    # fails in well under a second, long before the time limit (a backstop for single slow
    # C calls): a nested range(100000) loop is 10**10 steps.

    def charge(self, steps: int = 1) -> None:
        """Spend ``steps``: one per item a loop draws (filtered out or not), per call and per
        filter, plus one per item of a list a call or filter reads (a text: per 64
        characters)."""
        self._left -= steps
        if self._left < 0:
            raise SecurityError(f"the template would take more than {self.steps:,} steps "
                                "(loop items, calls and items read by filters)")

    def step(self) -> str:
        """One step (a recursive loop's body); writes nothing."""
        self.charge()
        return ""

    def counted(self, iterable: Any) -> Iterator[Any]:
        """The items of a loop's ``iterable``, each charged one step as it is drawn."""
        for item in iterable:
            self.charge()
            yield item

    def _cost(self, value: Any) -> int:
        if isinstance(value, (str, bytes)):
            return 1 + len(value) // 64
        if isinstance(value, _CONTAINERS + (range,)):
            return 1 + len(value)
        return 1

    def _charged_filter(self, function: Callable) -> Callable:
        passed = 1 if getattr(function, "jinja_pass_arg", None) else 0

        @functools.wraps(function)  # keeps jinja_pass_arg
        def charged(*args: Any, **kwargs: Any) -> Any:
            if len(args) > passed:
                value = args[passed]
                self.charge(_FILTER_STEPS - 1 + self._cost(value))
                if isinstance(value, Iterator):  # a lazy map or select: charged per item
                    args = (*args[:passed], self.counted(value), *args[passed + 1:])
            else:
                self.charge(_FILTER_STEPS)
            return function(*args, **kwargs)

        return charged

    @staticmethod
    def _finalize(value: Any) -> Any:
        _printable(value, "printing a value")
        return value

    def concat(self, pieces: Iterable[str]) -> str:  # type: ignore[override]
        """Join output pieces (of the template, a block or a macro), up to ``MAX_RENDER``."""
        written: list[str] = []
        size = 0
        for piece in pieces:
            size += len(piece)
            if size > MAX_RENDER:
                raise SecurityError(f"the output would be longer than {MAX_RENDER:,} characters")
            written.append(piece)
        return "".join(written)

    def join_text(self, values: tuple, autoescape: bool) -> str:
        """``a ~ b``: the values as text, joined, within ``MAX_VALUE``."""
        for value in values:
            _printable(value, "'~'")
        texts = [value if isinstance(value, str) else str(value) for value in values]
        if sum(map(len, texts)) > MAX_VALUE:
            raise _too_big("~")
        return markup_join(texts) if autoescape else str_join(texts)

    def call(self, context, obj, /, *args: Any, **kwargs: Any) -> Any:  # noqa: D102
        owner = getattr(obj, "__self__", None)
        if owner is self:  # counted() or step(), which the code generator calls
            return obj(*args)
        self.charge(_CALL_STEPS + sum(self._cost(value) - 1 for value in (owner, *args, *kwargs.values())))
        result = super().call(context, obj, *_check_call(obj, args, kwargs), **kwargs)
        name = getattr(obj, "__name__", "")
        if isinstance(owner, str) and name in _CASE_METHODS:
            return _case_changed(result, owner, name)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map``, as Jinja2's sandbox runs them, bounded."""
        if super().wrap_str_format(value) is None:
            return None
        owner = value.__self__
        is_format_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            formatter = (_EscapeFormatter(self, escape=owner.escape) if isinstance(owner, Markup)
                         else _Formatter(self))
            return type(owner)(formatter.vformat(owner, args, kwargs))

        return functools.update_wrapper(bounded, value)

    def call_binop(self, context, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, bytes, list, tuple)) and isinstance(count, int):
                    if _size(sized, MAX_VALUE) * max(count, 0) > MAX_VALUE:
                        raise _too_big()
            if (isinstance(left, int) and isinstance(right, int)
                    and left.bit_length() + right.bit_length() > MAX_POWER_BITS):
                raise SecurityError(f"a number of more than {MAX_POWER_BITS:,} bits")
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
            if isinstance(left, (str, bytes)):
                raise SecurityError("'%' formatting is not allowed; write the text out")
            return operator.mod(left, right)
        return _bounded(operator.add(left, right))
