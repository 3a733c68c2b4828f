"""How the result's JSON is declared: each JSON object is a :class:`Shape`, an ordered list of
:class:`Out` fields (key, type, meaning, and where the value comes from).

One declaration gives three things: the plain dicts and lists the JSON is written from
(:meth:`Shape.to_json`), the JSON Schema (:func:`schema_of`) and, through the schema's
descriptions, the template reference (``docs/report-context.md``). Adding a field to the
output is one :class:`Out` in its shape.

A field's type is a :class:`Kind`: a scalar (``TEXT``, ``NUMBER``...), ``one_of`` a list of
values, a ``nullable`` kind, a ``list_of`` items, ``keyed`` (an object with a fixed list of
keys, all of one kind), or another :class:`Shape`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any


class Kind:
    """The type of a JSON value: its schema, and how a result value becomes JSON data."""

    def __init__(self, schema: dict[str, Any], convert: Callable[[Any, dict], Any] | None = None):
        self.schema = schema
        # None: the value is JSON data as it is (text, a number, true/false, null).
        self.convert = convert

    def schema_in(self, refs: dict[Kind, str]) -> dict[str, Any]:
        """The schema, with the shapes named in ``refs`` as ``$ref``."""
        return dict(self.schema)


TEXT = Kind({"type": "string"})
NUMBER = Kind({"type": "number"})
BOOLEAN = Kind({"type": "boolean"})
COUNT = Kind({"type": "integer", "minimum": 0})


def kind(**schema: Any) -> Kind:
    """A scalar kind written as its JSON Schema (``kind(type="integer", minimum=1)``)."""
    return Kind(schema)


def one_of(values: Iterable[Any]) -> Kind:
    """One of a fixed list of values."""
    return Kind({"enum": list(values)})


def const(value: Any) -> Kind:
    """Always ``value``."""
    return Kind({"const": value})


class _Nullable(Kind):
    def __init__(self, inner: Kind):
        self.inner = inner
        convert = inner.convert
        super().__init__({}, None if convert is None else
                         lambda value, memo: None if value is None else convert(value, memo))

    def schema_in(self, refs: dict[Kind, str]) -> dict[str, Any]:
        inner = _schema(self.inner, refs)
        if type(self.inner) is Kind and isinstance(inner.get("type"), str):  # a scalar type
            return {**inner, "type": [inner["type"], "null"]}
        return {"oneOf": [{"type": "null"}, inner]}


def nullable(inner: Kind) -> Kind:
    """``inner``, or null."""
    return _Nullable(inner)


OPTIONAL_TEXT = nullable(TEXT)


class ListOf(Kind):
    """A list of ``item`` (a tuple in the result)."""

    def __init__(self, item: Kind):
        self.item = item
        convert = item.convert
        super().__init__({}, (lambda value, memo: list(value)) if convert is None else
                         (lambda value, memo: [convert(v, memo) for v in value]))

    def schema_in(self, refs: dict[Kind, str]) -> dict[str, Any]:
        items = _schema(self.item, refs)
        if isinstance(self.item, Shape) and self.item not in refs:
            items = {"description": self.item.description, **items}
        return {"type": "array", "items": items}


def list_of(item: Kind) -> Kind:
    """A list of ``item`` (a tuple in the result)."""
    return ListOf(item)


class _Keyed(Kind):
    def __init__(self, keys: Sequence[str], value: Kind):
        self.keys, self.value = tuple(keys), value
        convert = value.convert
        super().__init__({}, (lambda data, memo: dict(data)) if convert is None else
                         (lambda data, memo: {k: convert(v, memo) for k, v in data.items()}))

    def schema_in(self, refs: dict[Kind, str]) -> dict[str, Any]:
        item = _schema(self.value, refs)
        return _object({k: item for k in self.keys})


def keyed(keys: Sequence[str], value: Kind) -> Kind:
    """An object whose keys are always ``keys`` (every criterion, every signal), each value a
    ``value``; the result holds it as a dict, in its own key order."""
    return _Keyed(keys, value)


class Out:
    """One field of a JSON object: its key, its kind, what it means, and how to read it from
    the result object (``get``; by default the attribute of the same name).

    ``per_feature``: in a shape with ``content``, the field reads what differs between
    features that share their advice (see :class:`Shape`).
    """

    def __init__(self, key: str, kind: Kind, description: str,
                 get: Callable[[Any], Any] | None = None, *, per_feature: bool = False):
        self.key, self.kind, self.description = key, kind, description
        self.get = get or operator.attrgetter(key)
        self.per_feature = per_feature

    def via(self, outer: Callable[[Any], Any]) -> Out:
        """This field, read from ``outer(obj)`` instead of ``obj``."""
        get = self.get
        return Out(self.key, self.kind, self.description, lambda obj: get(outer(obj)),
                   per_feature=self.per_feature)


class Shape(Kind):
    """A JSON object: its fields in output order.

    ``shared``: its objects are shared between features (an unset signal, a rule's source):
    each object is made JSON once per conversion. ``content``: what identifies an object's
    JSON but for its ``per_feature`` fields (the engine gives repeated features one
    assessment's parts): objects with the same content are made JSON once, and only their
    ``per_feature`` fields per object.
    """

    def __init__(self, description: str, *fields: Out, shared: bool = False,
                 content: Callable[[Any], tuple] | None = None):
        self.description = description
        self.fields = fields
        plan = tuple((f.key, f.get, f.kind.convert) for f in fields)

        def whole(obj: Any, memo: dict) -> dict[str, Any]:
            return {key: value if make is None else make(value, memo)
                    for key, get, make in plan for value in (get(obj),)}

        if content is not None:
            own = tuple((key, get, make) for (key, get, make), f in zip(plan, fields) if f.per_feature)
            convert = _by_content(self, whole, content, own)
        elif shared:
            convert = _by_identity(self, whole)
        else:
            convert = whole
        super().__init__({}, convert)

    def to_json(self, obj: Any, memo: dict | None = None) -> dict[str, Any]:
        """``obj`` as JSON data (dicts, lists, text, numbers, booleans, null). Conversions
        that share a ``memo`` make each shared object JSON once (the data is then shared too:
        read it, never change it)."""
        return self.convert(obj, {} if memo is None else memo)

    def schema_in(self, refs: dict[Kind, str]) -> dict[str, Any]:
        return _object({f.key: _field_schema(f, refs) for f in self.fields})


def _by_identity(shape: Shape, whole: Callable[[Any, dict], dict]) -> Callable[[Any, dict], dict]:
    def convert(obj: Any, memo: dict) -> dict[str, Any]:
        key = (shape, id(obj))
        found = memo.get(key)
        if found is None:  # the object is kept with its JSON: its id cannot be reused meanwhile
            found = memo[key] = (obj, whole(obj, memo))
        return found[1]
    return convert


def _by_content(shape: Shape, whole: Callable[[Any, dict], dict], content: Callable[[Any], tuple],
                own: tuple) -> Callable[[Any, dict], dict]:
    def convert(obj: Any, memo: dict) -> dict[str, Any]:
        parts = content(obj)
        key = (shape, *map(id, parts))
        found = memo.get(key)
        if found is None:  # the parts are kept with the JSON: their ids cannot be reused meanwhile
            data = whole(obj, memo)
            memo[key] = (parts, data)
            return data
        data = dict(found[1])  # the same keys in the same order, then the feature's own values
        for name, get, make in own:
            value = get(obj)
            data[name] = value if make is None else make(value, memo)
        return data
    return convert


def _schema(kind: Kind, refs: dict[Kind, str]) -> dict[str, Any]:
    if kind in refs:
        return {"$ref": refs[kind]}
    return kind.schema_in(refs)


def _field_schema(field: Out, refs: dict[Kind, str]) -> dict[str, Any]:
    return {"description": field.description, **_schema(field.kind, refs)}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": list(properties),
            "properties": properties}


def schema_of(shape: Shape, refs: dict[Kind, str] | None = None) -> dict[str, Any]:
    """The JSON Schema of a shape, with its own description; the shapes in ``refs`` are
    written as references (``{"$ref": ...}``)."""
    return {"description": shape.description, **shape.schema_in(refs or {})}
