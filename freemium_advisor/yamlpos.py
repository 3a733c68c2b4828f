"""YAML with positions: plain Python data plus the line and column of every key and value.

PyYAML's loaders throw positions away and silently keep the last of two duplicate keys. Here
the document is composed into nodes (by libyaml's C parser when it is installed) and walked
once, so that every later message can point at the exact spot, and a duplicate key is an error.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from freemium_advisor.errors import InputError

try:  # libyaml's C parser is several times faster; fall back to the pure-Python one.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

STDIN = "-"
STDIN_NAME = "<stdin>"

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

    def error(self, path: PathKey, message: str, *, at_key: bool = False) -> InputError:
        """An :class:`InputError` located at the value (or key) at ``path``."""
        mark = self.key_mark(path) if at_key else self.value_mark(path)
        return InputError(self.path, mark.line, mark.column, message)

    @staticmethod
    def _nearest(marks: dict, path: PathKey) -> Mark:
        while path not in marks and path:
            path = path[:-1]
        return marks.get(path, Mark(1, 1))


def read_text(path: str) -> tuple[str, str]:
    """Read a UTF-8 text file (or stdin for ``-``); return ``(display_name, text)``."""
    if path == STDIN:
        name = STDIN_NAME
        raw = sys.stdin.buffer.read()
    else:
        name = path
        try:
            raw = Path(path).read_bytes()
        except IsADirectoryError:
            raise InputError(name, None, None, "is a directory, not a file") from None
        except FileNotFoundError:
            raise InputError(name, None, None, "no such file") from None
        except OSError as exc:
            raise InputError(name, None, None, f"cannot read: {exc.strerror}") from None
    return name, decode_utf8(raw, name)


def decode_utf8(raw: bytes, name: str) -> str:
    """Decode UTF-8 (a leading BOM is dropped); a bad byte is reported by line and column."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            name, line, column, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"
        ) from None


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
    try:
        node = yaml.compose(text, Loader=_Loader)
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
        self._active: set[int] = set()

    def _error(self, node: yaml.Node, message: str) -> InputError:
        return InputError(
            self.path, node.start_mark.line + 1, node.start_mark.column + 1, message
        )

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.values[path] = _mark(node)
        if id(node) in self._active:
            raise self._error(node, "recursive YAML alias")
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            return self._scalar(node)
        finally:
            self._active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._error(key_node, "merge keys ('<<') are not supported")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._error(key_node, "a mapping key must be a plain value")
            key = key_node.value
            if key in first_seen:
                first = first_seen[key].start_mark.line + 1
                raise self._error(key_node, f"duplicate key '{key}' (first defined on line {first})")
            first_seen[key] = key_node
            self.keys[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text: nothing here computes with them
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise self._error(node, f"unsupported YAML value: {exc.problem}") from None


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
