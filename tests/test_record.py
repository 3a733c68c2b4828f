"""A record behaves as the frozen dataclass it replaces: equality, hash, repr, immutability."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from freemium_advisor.base.record import record
from freemium_advisor.model.inventory import Limit, Product, Tier


def _twins():
    """The same class body as a record and as a frozen dataclass."""
    def body():
        return {
            "__annotations__": {"name": "str", "count": "int", "where": "dict", "note": "str"},
            "count": 0,
            "where": field(default_factory=dict, compare=False),
            "note": field(default="", repr=False),
        }
    return (record(type("Item", (), body())), dataclass(frozen=True)(type("Item", (), body())))


def test_a_record_shows_compares_and_hashes_as_its_dataclass_twin():
    made, twin = _twins()
    for args in [("a",), ("a", 2), ("a", 2, {"x": 1}, "hidden"), ("it's", -1, {}, "n")]:
        one, other = made(*args), twin(*args)
        assert repr(one) == repr(other)
        assert dataclasses.astuple(one) == dataclasses.astuple(other)
        assert hash(made(args[0], *args[1:2])) == hash(twin(args[0], *args[1:2]))
    assert repr(made("a", 2, {}, "hidden")) == "Item(name='a', count=2, where={})"


def test_equality_reads_the_compared_fields_of_the_same_class_only():
    made, twin = _twins()
    assert made("a", 1, {"x": 1}) == made("a", 1, {"y": 2})  # where: compare=False
    assert made("a", 1) != made("a", 2)
    assert made("a", 1, {}, "one") != made("a", 1, {}, "two")  # repr=False still compares
    assert made("a", 1) != twin("a", 1)  # another class: never equal
    assert made("a").__eq__(twin("a")) is NotImplemented
    assert len({made("a", 1, {"x": 1}), made("a", 1, {"y": 2}), made("b", 1)}) == 2


def test_a_record_is_frozen_and_a_dataclass():
    made, _ = _twins()
    item = made("a", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.count = 2
    assert dataclasses.is_dataclass(item)
    assert dataclasses.replace(item, count=3) == made("a", 3)
    assert [f.name for f in dataclasses.fields(item)] == ["name", "count", "where", "note"]


def test_a_record_of_one_field_or_none():
    one = record(type("One", (), {"__annotations__": {"value": "int"}}))
    empty = record(type("Empty", (), {}))
    assert one(1) == one(1) and one(1) != one(2) and hash(one(1)) == hash((1,))
    assert empty() == empty() and hash(empty()) == hash(()) and repr(empty()) == "Empty()"


def test_a_class_keeps_its_own_methods_and_options_pass_on():
    def shown(self):
        return "own"
    kept = record(type("Kept", (), {"__annotations__": {"value": "int"}, "__repr__": shown}))
    assert repr(kept(1)) == "own"
    keyword = record(kw_only=True)(type("Keyword", (), {"__annotations__": {"value": "int"}}))
    with pytest.raises(TypeError):
        keyword(1)
    assert keyword(value=1).value == 1


def test_a_record_that_holds_itself_is_shown_without_end():
    made, _ = _twins()
    where: dict = {}
    item = made("loop", 1, where)
    where["self"] = item
    assert repr(item) == "Item(name='loop', count=1, where={'self': ...})"


def test_the_products_records_compare_by_value_and_not_by_position():
    limit = Limit("boards", 3)
    assert limit == Limit("boards", 3) and hash(limit) == hash(Limit("boards", 3))
    assert repr(limit) == "Limit(metric='boards', free=3)"
    tiers = (Tier("free", "user"), Tier("pro", "team"))
    one = Product("Board", "", "freemium", None, True, tiers, positions={"name": (2, 3)})
    other = Product("Board", "", "freemium", None, True, tiers, positions={"name": (9, 1)})
    assert one == other and hash(one) == hash(other)
    assert one != Product("Board", "", "freemium", 14, True, tiers)
