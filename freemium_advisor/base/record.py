"""Records: frozen dataclasses whose methods are written once and shared by every class.

``@record`` makes what ``@dataclass(frozen=True)`` makes: the same fields, an ``__init__`` that
takes them (positionally or by name, defaults and ``default_factory`` filled in,
``__post_init__`` called, ``kw_only`` honoured), immutability (``FrozenInstanceError``),
``dataclasses.fields``/``replace``/``asdict``, and equality, hash and repr that behave the same
(``field(compare=False)``, ``field(repr=False)`` and ``field(hash=...)`` are honoured; a
class's own ``__init__``, ``__eq__``, ``__hash__`` or ``__repr__`` is kept).

The difference is where the methods come from. A dataclass writes ``__init__``,
``__setattr__``, ``__delattr__``, ``__eq__``, ``__hash__`` and ``__repr__`` as source text for
each class and compiles them when its module is imported; every command imports dozens of
these classes before it reads a line of input, so that compilation was a good part of how
long the tool took to start. A record's methods are written once, below, and read what they
need (the names of the fields each class takes, compares, hashes and shows) from the class.
The dataclass underneath is made with nothing to generate, so ``dataclasses`` compiles
nothing; ``__dataclass_params__`` says ``frozen=False`` for that reason, while the instances
are as frozen as a frozen dataclass's.
"""

from __future__ import annotations

import dataclasses
import inspect
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")
_SHARED = ("__init__", "__eq__", "__hash__", "__repr__")


def record(cls: type[T] | None = None, /, **options: Any) -> Any:
    """``@record`` or ``@record(kw_only=True, ...)``: ``cls`` as a frozen dataclass (with
    ``options`` passed on) whose methods are the shared ones (see the module's docstring)."""
    if cls is None:
        return lambda cls: _make(cls, options)
    return _make(cls, options)


def _make(cls: type[T], options: dict[str, Any]) -> type[T]:
    own = {name for name in _SHARED if name in cls.__dict__}
    if "__setattr__" in cls.__dict__ or "__delattr__" in cls.__dict__:
        raise TypeError(f"record {cls.__qualname__} cannot define __setattr__ or __delattr__")
    undocumented = not cls.__doc__
    if undocumented:  # a dataclass would read its signature for one, through inspect: slow
        cls.__doc__ = cls.__name__
    made = dataclasses.dataclass(
        cls, init=False, repr=False, eq=False, frozen=False, **options)
    fields = dataclasses.fields(made)
    if undocumented:  # what a dataclass writes: the class's name and its fields
        made.__doc__ = f"{cls.__name__}({', '.join(_field_text(f) for f in fields if f.init)})"
    made.__record_compared__ = _values([f.name for f in fields if f.compare])
    made.__record_hashed__ = _values(
        [f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    made.__record_shown__ = tuple(f.name for f in fields if f.repr)
    made.__record_init__ = _Init(made, fields)
    for name, method in zip(_SHARED, (_init, _eq, _hash, _repr)):
        if name not in own:
            setattr(made, name, method)
    made.__setattr__ = _setattr
    made.__delattr__ = _delattr
    return made


class _Init:
    """What the shared ``__init__`` needs to know of one record class's fields."""

    __slots__ = ("name", "positional", "names", "count", "whole", "optional", "post_init")

    def __init__(self, cls: type, fields: tuple[dataclasses.Field, ...]):
        taken = [f for f in fields if f.init]
        self.name = f"{cls.__qualname__}.__init__()"
        self.positional = tuple(f.name for f in taken if not f.kw_only)
        self.names = frozenset(f.name for f in taken)
        self.count = len(taken)
        # How many positional arguments give every field (none when some are keyword-only).
        self.whole = self.count if len(self.positional) == self.count else -1
        # (name, default, factory) of the fields that may be left out, in field order.
        self.optional = tuple(
            (f.name, f.default, None if f.default_factory is dataclasses.MISSING else f.default_factory)
            for f in taken
            if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        self.post_init = hasattr(cls, "__post_init__")
        optional = {name for name, _, _ in self.optional}
        for before, after in zip(self.positional, self.positional[1:]):
            if before in optional and after not in optional:
                raise TypeError(f"non-default argument {after!r} follows default argument")


# Fields are set one by one as a frozen dataclass sets them, not through ``__dict__``: an
# instance whose dictionary was never asked for keeps its values inline, read faster.
_set = object.__setattr__


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    spec = self.__class__.__record_init__
    if len(args) == spec.whole and not kwargs:  # every field, in order: the usual call
        for name, value in zip(spec.positional, args):
            _set(self, name, value)
    else:
        for name, value in _arguments(spec, args, kwargs).items():
            _set(self, name, value)
    if spec.post_init:
        self.__post_init__()


def _arguments(spec: _Init, args: tuple, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Each field's value from a call's arguments, the defaults filled in; a call that
    Python would refuse for the dataclass is refused with the same words."""
    if len(args) > len(spec.positional):
        most = len(spec.positional) + 1
        raise TypeError(f"{spec.name} takes {most} positional argument{'s' if most > 1 else ''} "
                        f"but {len(args) + 1} were given")
    values = dict(zip(spec.positional, args))
    for name in kwargs:
        if name in values:
            raise TypeError(f"{spec.name} got multiple values for argument {name!r}")
        if name not in spec.names:
            raise TypeError(f"{spec.name} got an unexpected keyword argument {name!r}")
    values.update(kwargs)
    if len(values) < spec.count:
        for name, default, factory in spec.optional:
            if name not in values:
                values[name] = default if factory is None else factory()
        if len(values) < spec.count:
            missing = [name for name in (*spec.positional, *sorted(spec.names - set(spec.positional)))
                       if name not in values]
            raise TypeError(f"{spec.name} missing {len(missing)} required argument"
                            f"{'s' if len(missing) > 1 else ''}: "
                            + ", ".join(repr(name) for name in missing))
    return values


def _setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _field_text(field: dataclasses.Field) -> str:
    """A field as the signature a dataclass's docstring shows writes it."""
    kind = inspect.formatannotation(field.type)
    if field.default is not dataclasses.MISSING:
        return f"{field.name}: {kind} = {field.default!r}"
    if field.default_factory is not dataclasses.MISSING:
        return f"{field.name}: {kind} = <factory>"
    return f"{field.name}: {kind}"


def _values(names: list[str]) -> Callable[[Any], tuple]:
    """A function from a record to the tuple of these fields' values."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda item: (one(item),)
    return lambda item: ()


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    compared = self.__class__.__record_compared__
    return compared(self) == compared(other)


def _hash(self: Any) -> int:
    return hash(self.__class__.__record_hashed__(self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__class__.__record_shown__)
    return f"{self.__class__.__qualname__}({shown})"
