"""YAML with positions: plain Python data plus the line and column of every key and value.

PyYAML's loaders throw positions away and silently keep the last of two duplicate keys. Here
the document is composed into nodes (by libyaml's C parser when it is installed) and walked
once, so that every later message can point at the exact spot, and a duplicate key is an error.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import yaml

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.limits import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
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


class Mark(NamedTuple):
    """A 1-based line and column in a source file."""

    line: int
    column: int


class Document:
    """Data loaded from YAML, with the position of every key and value in its source."""

    def __init__(self, data: Any, path: str, values: dict, keys: dict):
        self.data = data
        self.path = path
        self._values = values
        self._keys = keys

    def value_mark(self, path: PathKey) -> Mark:
        """Where the value at ``path`` starts (or its nearest enclosing value)."""
        return self._nearest(self._values, tuple(path))

    def key_mark(self, path: PathKey) -> Mark:
        """Where the key that ends ``path`` starts (the value's position for list items)."""
        path = tuple(path)
        if path in self._keys:
            return self._keys[path]
        return self.value_mark(path)

    def key_marks(self, path: PathKey, mapping: dict) -> list[Mark]:
        """Where each key of ``mapping``, the mapping at ``path``, is written, in its order."""
        return [self.key_mark((*path, key)) for key in mapping]

    def error(self, path: PathKey, message: str, *, at_key: bool = False) -> InputError:
        """An :class:`InputError` located at the value (or key) at ``path``."""
        mark = self.key_mark(path) if at_key else self.value_mark(path)
        return InputError(self.path, mark.line, mark.column, message)

    @staticmethod
    def _nearest(marks: dict, path: PathKey) -> Mark:
        while path not in marks and path:
            path = path[:-1]
        return marks.get(path, Mark(1, 1))


class PackedDocument(Document):
    """A :class:`Document` whose positions are packed integers, one array per mapping or
    list (``[own, key, value, key, value...]`` or ``[own, item, item...]``), as
    :mod:`freemium_advisor.base.yamlevents` builds them: a few bytes per value instead of a
    path and a mark each."""

    def __init__(self, data: Any, path: str, containers: dict, root: int | None):
        super().__init__(data, path, {}, {})
        self._containers = containers
        self._root = root
        self._indexes: dict[int, dict] = {}

    def value_mark(self, path: PathKey) -> Mark:
        path = tuple(path)
        while path:
            found = self._find(path, 1)
            if found is not None:
                return found
            path = path[:-1]
        return _unpack(self._root) if self._root is not None else Mark(1, 1)

    def key_mark(self, path: PathKey) -> Mark:
        path = tuple(path)
        if path:
            found = self._find(path, 0)
            if found is not None:
                return found
        return self.value_mark(path)

    def key_marks(self, path: PathKey, mapping: dict) -> list[Mark]:
        marks = self._containers.get(tuple(path))
        if marks is None or not self._holds(path, mapping):
            return super().key_marks(path, mapping)
        return [_unpack(marks[index]) for index in range(1, len(marks), 2)]

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




def _unpack(packed: int) -> Mark:
    return Mark(packed >> 32, packed & 0xFFFFFFFF)


def load_yaml(text: str, path: str) -> Document:
    """Parse one YAML document; duplicate keys, tags and merge keys are errors."""
    # Composing and walking creates many small objects and no reference cycles; the cyclic
    # garbage collector would keep rescanning them and make large files load in
    # quadratic-looking time, so it pauses while the document is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_yaml(text, path)
    finally:
        if collecting:
            gc.enable()


def _load_yaml(text: str, path: str) -> Document:
    from freemium_advisor.base.yamlevents import load_events

    document = load_events(text, path, _Builder)
    if document is not None:
        return document
    return _load_yaml_composed(text, path)


def _load_yaml_composed(text: str, path: str) -> Document:
    """Compose the document into nodes and walk them: what the event path leaves to it."""
    _check_node_count(text, path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at 1,000 levels
        raise InputError(
            path, None, None, f"invalid YAML: nested deeper than {MAX_DEPTH} levels"
        ) from None
    except yaml.reader.ReaderError as exc:
        line, column = _text_position(text, exc.position)
        raise InputError(path, line, column, f"invalid YAML: {exc.reason}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is None:
            raise InputError(path, None, None, f"invalid YAML: {problem}") from None
        raise InputError(
            path, mark.line + 1, mark.column + 1, f"invalid YAML: {problem}"
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every parser error is marked
        raise InputError(path, None, None, f"invalid YAML: {exc}") from None
    builder = _Builder(path)
    data = None if node is None else builder.build(node, ())
    return Document(data, path, builder.values, builder.keys)


class _Builder:
    """Turn composed nodes into plain data, recording every position on the way."""

    _constructor = yaml.constructor.SafeConstructor()

    def __init__(self, path: str):
        self.path = path
        self.values: dict[PathKey, Mark] = {}
        self.keys: dict[PathKey, Mark] = {}
        self._active: set[int] = set()  # the nodes being built: one seen again is a cycle
        self._built: set[int] = set()  # every node built once: one built again is an alias
        self._repeated = 0  # nodes built again through aliases

    def _error(self, node: yaml.Node, message: str) -> InputError:
        return InputError(
            self.path, node.start_mark.line + 1, node.start_mark.column + 1, message
        )

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        # Aliases share composed nodes, so the composed graph stays small even when the data
        # it stands for would fill the memory ("billion laughs"): building stops as soon as
        # aliases have repeated MAX_ALIAS_NODES values, and before Python's recursion limit.
        key = id(node)
        if key in self._active:
            raise self._error(node, "recursive YAML alias (a value that contains itself)")
        if len(path) >= MAX_DEPTH:
            raise self._error(node, f"nested deeper than {MAX_DEPTH} levels")
        if key in self._built:
            self._repeated += 1
            if self._repeated > MAX_ALIAS_NODES:
                raise self._error(
                    node,
                    f"YAML aliases expand this document by more than {MAX_ALIAS_NODES:,} values "
                    "(an alias bomb?); write the values out instead",
                )
        self._built.add(key)
        self.values[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self._active.add(key)
        try:
            if isinstance(node, yaml.MappingNode):
                if node.tag != _MAP:
                    raise self._error(node, f"unsupported YAML tag '{node.tag}'")
                return self._mapping(node, path)
            if node.tag != _SEQ:
                raise self._error(node, f"unsupported YAML tag '{node.tag}'")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self._active.discard(key)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._error(key_node, "merge keys ('<<') are not supported")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._error(key_node, "a mapping key must be a plain value")
            key = key_node.value
            if len(key) > MAX_TEXT:
                raise self._error(key_node, f"a key longer than {MAX_TEXT:,} characters")
            control = CONTROL.search(key)
            if control:  # written as an escape ("\e"): the text itself was checked when read
                raise self._error(key_node, control_message(control.group()))
            if key in first_seen:
                first = first_seen[key].start_mark.line + 1
                raise self._error(key_node, f"duplicate key '{key}' (first defined on line {first})")
            first_seen[key] = key_node
            self.keys[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if len(node.value) > MAX_TEXT:
            raise self._error(node, f"a value longer than {MAX_TEXT:,} characters")
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text: nothing here computes with them
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > 40:
            # Converting thousands of digits is slow (and refused by Python 3.11+).
            raise self._error(node, f"number too large (at most {MAX_INTEGER:,})")
        try:
            value = self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise self._error(node, f"unsupported YAML value: {exc.problem}") from None
        except ValueError as exc:  # e.g. a malformed explicit !!int or !!float
            raise self._error(node, f"invalid YAML value: {exc}") from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            raise self._error(node, f"number too large (at most {MAX_INTEGER:,})")
        if isinstance(value, str):
            control = CONTROL.search(value)
            if control:  # written as an escape ("\e"): the text itself was checked when read
                raise self._error(node, control_message(control.group()))
        if isinstance(value, float) and math.isnan(value):
            raise self._error(node, "'.nan' (not a number) is not a valid value")
        return value


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


# Every YAML node but a lone top-level scalar needs one of these next to it, so a file has at
# most 2 * (their count) + 1 nodes.
_NODE_INDICATORS = (",", ":", "-", "[", "{", "?", "\n", "\r")
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def _check_node_count(text: str, path: str) -> None:
    """Refuse more than MAX_NODES values before composing: a composed node costs
    hundreds of bytes, so 16 MB of ``[1,1,1,...`` would take gigabytes and minutes."""
    if 2 * sum(map(text.count, _NODE_INDICATORS)) + 1 <= MAX_NODES:
        return  # the cheap bound: the usual case, no second parse
    count = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > MAX_NODES:
                    raise too_many_values(path, event.start_mark, MAX_NODES)
    except yaml.YAMLError:
        return  # composing reports the syntax error, with its position


def too_many_values(path: str, mark: Any, limit: int, where: str = "") -> InputError:
    """The error for more than ``limit`` values (``where``: in one list, say), at the first
    one too many."""
    return InputError(
        path, mark.line + 1, mark.column + 1,
        f"more than {limit:,} values in one file{where}; split it or trim it",
    )


def _text_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


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
