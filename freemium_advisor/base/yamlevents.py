"""The fast way to YAML with positions: data built straight from libyaml's parser events.

:func:`freemium_advisor.base.yamlpos.load_yaml` composes the whole document into nodes and walks
them; composing costs hundreds of bytes and a Python call per value, which is most of the
time and memory of a 100,000-feature inventory. Here the data is built from the parser's
events as they come, and positions are kept as packed integers, one small array per mapping
or list. The result is the same data, the same positions and the same errors, in the same
order (the whole document is parsed before a problem in it is reported, as composing does).

Documents that use what the event path does not handle (anchors, aliases and tags, or a
syntax error) are left to the composing loader: :func:`load_events` returns ``None`` for
them. More than :data:`~freemium_advisor.base.limits.MAX_NODES` values in one list or mapping,
or :data:`~freemium_advisor.base.limits.MAX_FILE_NODES` in all, are refused at the first one too
many, before the rest is read.
"""

from __future__ import annotations

from array import array
from typing import Any

import yaml

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.limits import MAX_DEPTH, MAX_FILE_NODES, MAX_NODES, MAX_TEXT
from freemium_advisor.base.textfile import CONTROL, control_message

try:  # the same parser the composing loader uses
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_SHIFT = 32  # a position is (line << 32) | column, both 1-based


class _Unusual(Exception):
    """The document needs the composing loader (anchors, aliases, tags, too many values)."""


class _Problem(Exception):
    """A problem the composing loader reports once the whole document has parsed."""


class _At:
    """Stands in for a node where the composing loader's messages read its position."""

    def __init__(self, mark: Any):
        self.start_mark = mark


def load_events(text: str, path: str, builder_type: type) -> Any:
    """The :class:`~freemium_advisor.base.yamlpos.Document` of ``text``, or ``None`` when the
    composing loader must read it. ``builder_type`` is that loader's builder, whose checks
    and messages are used for every problem found here."""
    loader = _Loader(text)
    events = _Events(path, builder_type(path), CONTROL.search(text) is None)
    try:
        try:
            return events.run(loader)
        except _Problem:
            # Composing parses the whole document first: a syntax error further on wins.
            while loader.check_event():
                loader.get_event()
            raise events.problem from None
    except (_Unusual, yaml.YAMLError):
        return None
    finally:
        loader.dispose()


class _Events:
    def __init__(self, path: str, checks: Any, clean: bool = False):
        self.path = path
        # No control character in the text: only a double-quoted value's escapes can make one.
        self.clean = clean
        self.checks = checks  # the composing loader's builder: its messages, its scalars
        self.containers: dict[tuple, array] = {}
        self.count = 0
        self.problem: InputError | None = None
        self._names: dict[str, str] = {}  # each key's text once, however often it is used
        self._scalars: dict[tuple, Any] = {}  # numbers, booleans, nulls: converted once each

    def too_many(self, event: Any, container: Any = None) -> InputError:
        from freemium_advisor.base.yamlpos import too_many_values

        if container is None:
            return too_many_values(self.path, event.start_mark, MAX_FILE_NODES)
        where = " (in one list)" if isinstance(container, list) else " (in one mapping)"
        return too_many_values(self.path, event.start_mark, MAX_NODES, where)

    def fail(self, error: InputError) -> _Problem:
        self.problem = error
        return _Problem()

    def run(self, loader: Any) -> Any:
        get = loader.get_event
        get()  # StreamStartEvent
        if isinstance(loader.peek_event(), yaml.StreamEndEvent):
            get()
            return _documents(None, self.path, {}, None)
        get()  # DocumentStartEvent
        root_mark = loader.peek_event().start_mark
        data = self.value(loader, ())
        get()  # DocumentEndEvent
        if not isinstance(get(), yaml.StreamEndEvent):
            raise _Unusual()  # a second document: composing says so
        return _documents(data, self.path, self.containers, _pack(root_mark))

    def value(self, loader: Any, path: tuple) -> Any:
        """Build the value that starts with the next event (iteratively, any depth)."""
        get = loader.get_event
        stack: list[list] = []  # [container, marks, path, is mapping, pending key]
        resolve = loader.resolve
        implicit_first = _implicit_first(loader)
        scalar_event, search, names, clean = yaml.ScalarEvent, CONTROL.search, self._names, self.clean
        while True:
            event = get()
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                finished = frame[0]
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
            if event.anchor is not None or kind is yaml.AliasEvent:
                raise _Unusual()
            self.count += 1
            if self.count > MAX_FILE_NODES:
                raise self.too_many(event)
            if parent is not None and not parent[3] and len(parent[0]) >= MAX_NODES:
                raise self.too_many(event, parent[0])
            if (len(parent[2]) + 1 if parent is not None else len(path)) >= MAX_DEPTH:
                raise self.fail(self.checks._error(_At(event.start_mark), f"nested deeper than {MAX_DEPTH} levels"))
            start = event.start_mark
            mark = ((start.line + 1) << _SHIFT) | (start.column + 1)
            if kind is scalar_event:
                if event.tag is not None:
                    raise _Unusual()
                text, style = event.value, event.style
                if not style and event.implicit[0] and (
                    implicit_first is None or text[:1] in implicit_first
                ):
                    tag = resolve(yaml.ScalarNode, text, event.implicit)
                else:
                    tag = _STR
                if tag == _STR and len(text) <= MAX_TEXT and (
                    clean and style != '"' or not search(text)
                ):
                    value: Any = text
                else:
                    value = self._scalar(event, tag)
                if parent is None:
                    return value
                if parent[3]:
                    parent[0][parent[4]] = value
                    parent[4] = None
                else:
                    parent[0].append(value)
                parent[1].append(mark)
                continue
            if event.tag is not None:
                raise _Unusual()
            here = path if parent is None else (
                (*parent[2], parent[4]) if parent[3] else (*parent[2], len(parent[0]))
            )
            if kind is yaml.MappingStartEvent:
                stack.append([{}, array("q", (mark,)), here, True, None])
            else:
                stack.append([[], array("q", (mark,)), here, False, None])
            self.containers[here] = stack[-1][1]

    def _place(self, frame: list, value: Any, mark: int) -> None:
        if frame[3]:
            frame[0][frame[4]] = value
            frame[4] = None
        else:
            frame[0].append(value)
        frame[1].append(mark)

    def _key(self, event: Any, frame: list) -> str:
        if type(event) is not yaml.ScalarEvent:
            if type(event) is yaml.AliasEvent or event.anchor is not None or event.tag is not None:
                raise _Unusual()
            raise self.fail(self.checks._error(_At(event.start_mark), "a mapping key must be a plain value"))
        if event.anchor is not None or event.tag is not None:
            raise _Unusual()
        self.count += 1
        if self.count > MAX_FILE_NODES:
            raise self.too_many(event)
        if len(frame[0]) >= MAX_NODES:
            raise self.too_many(event, frame[0])
        key = event.value
        if key == "<<" and not event.style:
            raise self.fail(self.checks._error(_At(event.start_mark), "merge keys ('<<') are not supported"))
        if len(key) > MAX_TEXT:
            raise self.fail(self.checks._error(_At(event.start_mark), f"a key longer than {MAX_TEXT:,} characters"))
        control = CONTROL.search(key)
        if control:
            raise self.fail(self.checks._error(_At(event.start_mark), control_message(control.group())))
        mapping = frame[0]
        if key in mapping:
            marks = frame[1]
            first = marks[1 + 2 * list(mapping).index(key)] >> _SHIFT
            raise self.fail(self.checks._error(
                _At(event.start_mark), f"duplicate key '{key}' (first defined on line {first})",
            ))
        frame[1].append(_pack(event.start_mark))
        return self._names.setdefault(key, key)

    def _scalar(self, event: Any, tag: str) -> Any:
        """Anything but short clean text: the composing loader's own checks and conversions."""
        key = (tag, event.value)
        found = self._scalars.get(key, self)
        if found is not self:
            return found
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.checks._scalar(node)
        except InputError as error:
            raise self.fail(error) from None
        finally:
            # PyYAML's constructor remembers every node it built: a million values would stay.
            self.checks._constructor.constructed_objects.pop(node, None)
        if len(self._scalars) < 4096:
            self._scalars[key] = value
        return value


def _implicit_first(loader: Any) -> frozenset | None:
    """The first characters with which a plain scalar may be something other than text
    (``None``: any, when a resolver matches whatever the first character)."""
    resolvers = loader.yaml_implicit_resolvers
    return None if None in resolvers else frozenset(resolvers)


def _pack(mark: Any) -> int:
    return ((mark.line + 1) << _SHIFT) | (mark.column + 1)


def _documents(data: Any, path: str, containers: dict, root: int | None) -> Any:
    from freemium_advisor.base.yamlpos import PackedDocument

    return PackedDocument(data, path, containers, root)

