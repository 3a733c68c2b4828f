"""YAML with positions: plain Python data plus the line and column of every key and value.

PyYAML's loaders throw positions away and silently keep the last of two duplicate keys. Here
the data is built straight from the parser's events (libyaml's, when PyYAML has it) as they
come, and every position is kept as a packed integer, one small array per mapping or list:
every later message can point at the exact spot, a duplicate key is an error, and a
100,000-feature inventory costs little more than libyaml's own parse.

What a file may hold, construct by construct:

- Anchors and aliases work: an alias is the anchored value itself (shared, not copied). Its
  position is the alias's, and positions inside it are where the anchored value writes them.
  An alias to a value that contains it, to no anchor, or aliases that would repeat more than
  :data:`~freemium_advisor.base.limits.MAX_ALIAS_NODES` values (an "alias bomb") are refused.
- Tags: only those of YAML's core schema, which restate or choose a plain type (``!!str``,
  ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!timestamp`` on a value, ``!!map`` and
  ``!!seq`` on a mapping and a list); any other (``!!python/...``, ``!!set``, ``!local``) is
  refused.
- Merge keys (``<<``), a key that is not plain text, a second document, ``.nan``, whole numbers
  beyond :data:`~freemium_advisor.base.limits.MAX_INTEGER`, control characters written as
  escapes, and anything past the bounds in :mod:`freemium_advisor.base.limits` are refused.

Every problem, the parser's and the scanner's included, is one
:class:`~freemium_advisor.base.errors.InputError` with the line and column it was found at.
More than :data:`~freemium_advisor.base.limits.MAX_NODES` values in one list or mapping, or
:data:`~freemium_advisor.base.limits.MAX_FILE_NODES` in all, are refused at the first one too
many, before the rest is read.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Sequence
from typing import Any, NamedTuple

import yaml

from freemium_advisor.base.collector import collector_paused
from freemium_advisor.base.errors import InputError
from freemium_advisor.base.limits import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_FILE_NODES,
    MAX_INTEGER,
    MAX_NODES,
    MAX_TEXT,
)
from freemium_advisor.base.textfile import CONTROL, control_message
from freemium_advisor.base.textfile import STDIN, STDIN_NAME, read_text  # noqa: F401 - re-exported

try:  # libyaml's C parser is several times faster; fall back to the pure-Python one.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PathKey = tuple  # a path into the document: ("features", 3, "signals", "virality")

_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_INT = _CORE + "int"
_FLOAT = _CORE + "float"
# A number with an exponent but no point or no sign in it (1e3, 1.4e1), which YAML 1.1's
# resolver leaves as text.
_EXPONENT = re.compile(r"[-+]?[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+")
_TIMESTAMP = _CORE + "timestamp"
_MAP = _CORE + "map"
_SEQ = _CORE + "seq"
_MEANING = {_CORE + "int": "a whole number", _CORE + "float": "a number",
            _CORE + "bool": "true or false", _CORE + "null": "null"}
_SCALAR_TAGS = frozenset(_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp"))
_SHIFT = 32  # a position is (line << 32) | column, both 1-based


class Mark(NamedTuple):
    """A 1-based line and column in a source file."""

    line: int
    column: int


class Document:
    """Data loaded from YAML, with the position of every key and value in its source.

    Positions are packed integers, one array per mapping or list, keyed by the path to it:
    ``[own, key, value, key, value...]`` for a mapping, ``[own, item, item...]`` for a list.
    """

    def __init__(self, data: Any, path: str, containers: dict, root: int | None):
        self.data = data
        self.path = path
        self._containers = containers
        self._root = root
        self._indexes: dict[int, dict] = {}

    def value_mark(self, path: PathKey) -> Mark:
        """Where the value at ``path`` starts (or its nearest enclosing value)."""
        path = tuple(path)
        while path:
            found = self._find(path, 1)
            if found is not None:
                return found
            path = path[:-1]
        return _unpack(self._root) if self._root is not None else Mark(1, 1)

    def key_mark(self, path: PathKey) -> Mark:
        """Where the key that ends ``path`` starts (the value's position for list items)."""
        path = tuple(path)
        if path:
            found = self._find(path, 0)
            if found is not None:
                return found
        return self.value_mark(path)

    def key_marks(self, path: PathKey, mapping: dict) -> list[Mark]:
        """Where each key of ``mapping``, the mapping at ``path``, is written, in its order."""
        marks = self._containers.get(tuple(path))
        if marks is None or not self._holds(path, mapping):
            return [self.key_mark((*path, key)) for key in mapping]
        return [_unpack(marks[index]) for index in range(1, len(marks), 2)]

    def error(self, path: PathKey, message: str, *, at_key: bool = False) -> InputError:
        """An :class:`InputError` located at the value (or key) at ``path``."""
        mark = self.key_mark(path) if at_key else self.value_mark(path)
        return InputError(self.path, mark.line, mark.column, message)

    def _index(self, mapping: dict, key: Any) -> int:
        """Where ``key`` is in ``mapping``'s order (an index kept for large mappings, so that
        asking for every key of one is not quadratic)."""
        if len(mapping) <= 32:
            return list(mapping).index(key)
        found = self._indexes.get(id(mapping))
        if found is None:
            found = self._indexes[id(mapping)] = {k: i for i, k in enumerate(mapping)}
        return found[key]

    def _holds(self, path: PathKey, mapping: dict) -> bool:
        """Whether ``mapping`` is the very mapping this document holds at ``path``."""
        container = self.data
        try:
            for step in path:
                container = container[step]
        except (KeyError, IndexError, TypeError):
            return False
        return container is mapping

    def _find(self, path: PathKey, value: int) -> Mark | None:
        """The mark of the value (``value=1``) or key (``0``) at ``path``, if it is there."""
        marks = self._containers.get(path[:-1])
        if marks is None:
            return None
        container = self.data
        for step in path[:-1]:
            container = container[step]
        last = path[-1]
        if isinstance(container, dict):
            if last not in container:
                return None
            return _unpack(marks[1 + 2 * self._index(container, last) + value])
        if value and isinstance(last, int) and 0 <= last < len(container):
            return _unpack(marks[1 + last])
        return None


def load_yaml(text: str, path: str) -> Document:
    """Parse one YAML document into data with positions; every problem is an
    :class:`~freemium_advisor.base.errors.InputError` at its line and column."""
    loader = _Loader(text)
    try:
        with collector_paused():
            return _Builder(path, CONTROL.search(text) is None).document(loader)
    except yaml.reader.ReaderError as exc:
        line, column = _reader_position(text, exc.position)
        raise InputError(path, line, column, f"invalid YAML: {exc.reason}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not YAML"
        if mark is None:  # pragma: no cover - libyaml marks every problem
            raise InputError(path, None, None, f"invalid YAML: {problem}") from None
        raise InputError(path, mark.line + 1, mark.column + 1, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - every parser error is marked
        raise InputError(path, None, None, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


class _Builder:
    """Plain data from the parser's events, with every position packed as it goes by."""

    def __init__(self, path: str, clean: bool):
        self.path = path
        # No control character in the text: only a double-quoted value's escapes can make one.
        self.clean = clean
        self.containers: dict[tuple, array] = {}
        self.count = 0  # keys and values read
        self.repeated = 0  # values aliases have repeated
        self._names: dict[str, str] = {}  # each key's text once, however often it is used
        self._scalars: dict[tuple, Any] = {}  # numbers, booleans, nulls: converted once each
        # Anchors: name -> (value, path, values in it, its depth, its containers by path).
        self._anchors: dict[str, tuple] = {}
        self._open: set[str] = set()  # anchored mappings and lists not yet finished
        # While an anchored value is open: every container registered, to be repeated by
        # the aliases of that value.
        self._registered: list[tuple[tuple, array]] = []

    def error(self, mark: Any, message: str) -> InputError:
        return InputError(self.path, mark.line + 1, mark.column + 1, message)

    def too_many(self, event: Any, container: Any = None) -> InputError:
        """More than MAX_FILE_NODES values in all, or MAX_NODES in ``container``."""
        if container is None:
            limit, where = MAX_FILE_NODES, ""
        else:
            limit = MAX_NODES
            where = " (in one list)" if isinstance(container, list) else " (in one mapping)"
        return self.error(
            event.start_mark, f"more than {limit:,} values in one file{where}; split it or trim it"
        )

    def document(self, loader: Any) -> Document:
        get = loader.get_event
        get()  # StreamStartEvent
        if isinstance(loader.peek_event(), yaml.StreamEndEvent):
            return Document(None, self.path, {}, None)
        get()  # DocumentStartEvent
        root = _pack(loader.peek_event().start_mark)
        data = self.value(loader)
        get()  # DocumentEndEvent
        after = get()
        if not isinstance(after, yaml.StreamEndEvent):
            raise self.error(
                after.start_mark, "invalid YAML: a second document in one file (after '---')"
            )
        return Document(data, self.path, self.containers, root)

    def value(self, loader: Any) -> Any:
        """Build the value that starts with the next event (iteratively, any depth)."""
        get = loader.get_event
        # A frame: [container, marks, path, is mapping, pending key, anchor or None]
        stack: list[list] = []
        resolve = loader.resolve
        implicit_first = _implicit_first(loader)
        scalar_event, search, names, clean = yaml.ScalarEvent, CONTROL.search, self._names, self.clean
        mapping_end, sequence_end, mapping_start = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.MappingStartEvent
        alias_event, scalar_node, exponent = yaml.AliasEvent, yaml.ScalarNode, _EXPONENT.fullmatch
        while True:
            event = get()
            kind = type(event)
            if kind is mapping_end or kind is sequence_end:
                frame = stack.pop()
                finished = frame[0]
                if frame[5] is not None:
                    self._close_anchor(frame)
                if not stack:
                    return finished
                self._place(stack[-1], finished, frame[1][0])
                continue
            parent = stack[-1] if stack else None
            if parent is not None and parent[3] and parent[4] is None:
                # A mapping waits for its next key: the usual plain key here, the rest in _key.
                key = event.value if kind is scalar_event else None
                if (key is not None and event.anchor is None and event.tag is None
                        and self.count < MAX_FILE_NODES and len(parent[0]) < MAX_NODES
                        and key != "<<" and len(key) <= MAX_TEXT and key not in parent[0]
                        and (clean and event.style != '"' or not search(key))):
                    self.count += 1
                    mark = event.start_mark
                    parent[1].append(((mark.line + 1) << _SHIFT) | (mark.column + 1))
                    parent[4] = names.setdefault(key, key)
                else:
                    parent[4] = self._key(event, parent)
                continue
            self.count += 1
            if self.count > MAX_FILE_NODES:
                raise self.too_many(event)
            if parent is not None and not parent[3] and len(parent[0]) >= MAX_NODES:
                raise self.too_many(event, parent[0])
            depth = len(parent[2]) + 1 if parent is not None else 0
            if depth >= MAX_DEPTH:
                raise self.error(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
            start = event.start_mark
            mark = ((start.line + 1) << _SHIFT) | (start.column + 1)
            if kind is scalar_event:
                text, style = event.value, event.style
                if event.tag is not None:
                    tag = self._scalar_tag(event)
                elif not style and event.implicit[0] and (
                    implicit_first is None or text[:1] in implicit_first
                ):
                    tag = resolve(scalar_node, text, event.implicit)
                    if tag == _STR and exponent(text):
                        tag = _FLOAT  # 1e3: a number in JSON and YAML 1.2, text to YAML 1.1
                else:
                    tag = _STR
                if tag == _STR and len(text) <= MAX_TEXT and (
                    clean and style != '"' or not search(text)
                ):
                    value: Any = text
                else:
                    value = self._scalar(event, tag)
                if event.anchor is not None:
                    self._anchor(event, value, (), 1, 0, ())
            elif kind is alias_event:
                value = self._alias(event, self._here(parent), depth)
            else:
                here = self._here(parent)
                if kind is mapping_start:
                    if event.tag is not None and event.tag != _MAP:
                        raise self.error(start, f"unsupported YAML tag '{event.tag}'")
                    stack.append([{}, array("q", (mark,)), here, True, None, None])
                else:
                    if event.tag is not None and event.tag != _SEQ:
                        raise self.error(start, f"unsupported YAML tag '{event.tag}'")
                    stack.append([[], array("q", (mark,)), here, False, None, None])
                frame = stack[-1]
                self.containers[here] = frame[1]
                if event.anchor is not None:
                    self._open_anchor(event, frame)
                if self._open:
                    self._registered.append((here, frame[1]))
                continue
            if parent is None:
                return value
            if parent[3]:
                parent[0][parent[4]] = value
                parent[4] = None
            else:
                parent[0].append(value)
            parent[1].append(mark)

    @staticmethod
    def _here(parent: list | None) -> tuple:
        """The path of the value about to be placed in ``parent``."""
        if parent is None:
            return ()
        return (*parent[2], parent[4]) if parent[3] else (*parent[2], len(parent[0]))

    @staticmethod
    def _place(frame: list, value: Any, mark: int) -> None:
        if frame[3]:
            frame[0][frame[4]] = value
            frame[4] = None
        else:
            frame[0].append(value)
        frame[1].append(mark)

    def _key(self, event: Any, frame: list) -> str:
        """A mapping's key, when it is not the usual plain one: every check, every message."""
        start = event.start_mark
        if type(event) is yaml.AliasEvent:
            raise self.error(start, "a mapping key must be plain text, not an alias")
        if type(event) is not yaml.ScalarEvent:
            raise self.error(start, "a mapping key must be a plain value")
        if event.tag is not None and event.tag != _STR:
            raise self.error(start, f"unsupported YAML tag '{event.tag}'")
        self.count += 1
        if self.count > MAX_FILE_NODES:
            raise self.too_many(event)
        if len(frame[0]) >= MAX_NODES:
            raise self.too_many(event, frame[0])
        key = event.value
        if key == "<<" and not event.style and event.tag is None:
            raise self.error(start, "merge keys ('<<') are not supported; write the keys out")
        if len(key) > MAX_TEXT:
            raise self.error(start, f"a key longer than {MAX_TEXT:,} characters")
        control = CONTROL.search(key)
        if control:  # written as an escape ("\e"): the text itself was checked when read
            raise self.error(start, control_message(control.group()))
        mapping = frame[0]
        if key in mapping:
            first = frame[1][1 + 2 * list(mapping).index(key)] >> _SHIFT
            raise self.error(start, f"duplicate key '{key}' (first defined on line {first})")
        if event.anchor is not None:
            self._anchor(event, key, (), 1, 0, ())
        frame[1].append(_pack(start))
        return self._names.setdefault(key, key)

    def _scalar_tag(self, event: Any) -> str:
        tag = event.tag
        if tag not in _SCALAR_TAGS:
            raise self.error(event.start_mark, f"unsupported YAML tag '{tag}'")
        return tag

    def _scalar(self, event: Any, tag: str) -> Any:
        """Anything but short clean text: checked, and converted by PyYAML's safe constructor."""
        text = event.value
        if len(text) > MAX_TEXT:
            raise self.error(event.start_mark, f"a value longer than {MAX_TEXT:,} characters")
        # Dates stay text: nothing here computes with them. So does a plain '<<' or '=' that
        # is not a key (YAML 1.1 resolves them to merge and value tags, meaningless there).
        if tag == _STR or tag == _TIMESTAMP or tag not in _SCALAR_TAGS:
            control = CONTROL.search(text)
            if control:  # written as an escape ("\e"): the text itself was checked when read
                raise self.error(event.start_mark, control_message(control.group()))
            return text
        key = (tag, text)
        found = self._scalars.get(key, self)
        if found is not self:
            return found
        if tag == _INT and len(text) > 40:
            # Converting thousands of digits is slow (and refused by Python 3.11+).
            raise self.error(event.start_mark, f"number too large (at most {MAX_INTEGER:,})")
        node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
        try:
            value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except (ValueError, KeyError, IndexError):  # an explicit !!int, !!float or !!bool that is not one
            raise self.error(
                event.start_mark, f"invalid YAML value: {text!r} is not {_MEANING[tag]}"
            ) from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            raise self.error(event.start_mark, f"number too large (at most {MAX_INTEGER:,})")
        if isinstance(value, float) and math.isnan(value):
            raise self.error(event.start_mark, "'.nan' (not a number) is not a valid value")
        if len(self._scalars) < 4096:
            self._scalars[key] = value
        return value

    def _anchor(self, event: Any, value: Any, path: tuple, size: int, height: int,
                containers: Sequence) -> None:
        name = event.anchor
        if name in self._anchors or name in self._open:
            raise self.error(event.start_mark, f"duplicate YAML anchor '&{name}'")
        self._anchors[name] = (value, path, size, height, tuple(containers))

    def _open_anchor(self, event: Any, frame: list) -> None:
        name = event.anchor
        if name in self._anchors or name in self._open:
            raise self.error(event.start_mark, f"duplicate YAML anchor '&{name}'")
        self._open.add(name)
        # Its containers are those registered from here on (this one first) until it ends.
        frame[5] = (event, self.count + self.repeated, len(self._registered))

    def _close_anchor(self, frame: list) -> None:
        event, started, first = frame[5]
        self._open.discard(event.anchor)
        containers = self._registered[first:]
        if not self._open:
            del self._registered[:]
        path = frame[2]
        height = max(len(p) for p, _ in containers) - len(path) + 1
        size = self.count + self.repeated - started + 1
        self._anchor(event, frame[0], path, size, height, containers)

    def _alias(self, event: Any, here: tuple, depth: int) -> Any:
        """The anchored value an alias at ``here`` stands for; its positions are repeated
        under ``here``, so that messages inside it point where it is written."""
        name = event.anchor
        anchor = self._anchors.get(name)
        if anchor is None:
            if name in self._open:
                raise self.error(event.start_mark, "recursive YAML alias (a value that contains itself)")
            raise self.error(event.start_mark, f"undefined YAML alias '*{name}' (no anchor '&{name}' before it)")
        value, path, size, height, containers = anchor
        self.repeated += size
        if self.repeated > MAX_ALIAS_NODES:
            raise self.error(
                event.start_mark,
                f"YAML aliases expand this document by more than {MAX_ALIAS_NODES:,} values "
                "(an alias bomb?); write the values out instead",
            )
        if depth + height >= MAX_DEPTH:
            raise self.error(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
        cut = len(path)
        for inside, marks in containers:
            copied = (*here, *inside[cut:])
            self.containers[copied] = marks
            if self._open:
                self._registered.append((copied, marks))
        return value


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _implicit_first(loader: Any) -> frozenset | None:
    """The first characters with which a plain scalar may be something other than text
    (``None``: any, when a resolver matches whatever the first character)."""
    resolvers = loader.yaml_implicit_resolvers
    return None if None in resolvers else frozenset(resolvers)


def _pack(mark: Any) -> int:
    return ((mark.line + 1) << _SHIFT) | (mark.column + 1)


def _unpack(packed: int) -> Mark:
    return Mark(packed >> _SHIFT, packed & 0xFFFFFFFF)


def _reader_position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a reader error's offset, which libyaml
    counts in UTF-8 bytes and the pure-Python reader in characters."""
    if _Loader.__module__ == "yaml.cyaml":
        before = text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore")
    else:  # pragma: no cover - depends on how PyYAML was built
        before = text[:offset]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def type_name(value: Any) -> str:
    """The YAML name of a value's type, for messages (``a list``, ``a number``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__
