"""Records: frozen dataclasses whose equality, hash and repr are shared by every class.

``@record`` makes what ``@dataclass(frozen=True)`` makes: the same fields, ``__init__``,
immutability, ``dataclasses.fields``/``replace``/``asdict``, and equality, hash and repr that
behave the same (``field(compare=False)``, ``field(repr=False)`` and ``field(hash=...)`` are
honoured; a class's own ``__eq__``, ``__hash__`` or ``__repr__`` is kept).

The difference is where equality, hash and repr come from. A dataclass writes them as source
text for each class and compiles them when its module is imported; every command imports
dozens of these classes before it reads a line of input, so that compilation is a good part
of how long the tool takes to start. A record's three methods are written once, below, and
read the names of the fields each class compares, hashes and shows from that class.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")
_SHARED = ("__eq__", "__hash__", "__repr__")


def record(cls: type[T] | None = None, /, **options: Any) -> Any:
    """``@record`` or ``@record(kw_only=True, ...)``: ``cls`` as a frozen dataclass (with
    ``options`` passed on) whose equality, hash and repr are the shared ones."""
    if cls is None:
        return lambda cls: _make(cls, options)
    return _make(cls, options)


def _make(cls: type[T], options: dict[str, Any]) -> type[T]:
    own = {name for name in _SHARED if name in cls.__dict__}
    made = dataclasses.dataclass(cls, frozen=True, eq=False, repr=False, **options)
    fields = dataclasses.fields(made)
    made.__record_compared__ = _values([f.name for f in fields if f.compare])
    made.__record_hashed__ = _values(
        [f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    made.__record_shown__ = tuple(f.name for f in fields if f.repr)
    for name, method in zip(_SHARED, (_eq, _hash, _repr)):
        if name not in own:
            setattr(made, name, method)
    return made


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
