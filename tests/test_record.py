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


def _outcome(make, *args, **kwargs):
    """What calling ``make`` gives: its fields' values, or the kind of error it raises."""
    try:
        return dataclasses.astuple(make(*args, **kwargs))
    except TypeError:
        return TypeError


def test_a_record_takes_its_fields_as_its_dataclass_twin_does():
    made, twin = _twins()
    calls = [
        ((), {}), (("a",), {}), (("a", 2), {}), ((), {"name": "a"}),
        (("a",), {"note": "n", "count": 3}), (("a", 2, {"x": 1}, "n"), {}),
        (("a", 2, {}, "n", "extra"), {}), (("a",), {"name": "b"}), (("a",), {"other": 1}),
        ((), {"count": 1}),
    ]
    for args, kwargs in calls:
        assert _outcome(made, *args, **kwargs) == _outcome(twin, *args, **kwargs), (args, kwargs)
    # each record gets its own default from the factory, never a shared one
    assert made("a").where is not made("a").where


def test_a_record_names_what_is_wrong_with_its_arguments():
    made, _ = _twins()
    with pytest.raises(TypeError, match=r"Item.__init__\(\) missing 1 required argument: 'name'"):
        made()
    with pytest.raises(TypeError, match="got an unexpected keyword argument 'other'"):
        made("a", other=1)
    with pytest.raises(TypeError, match="got multiple values for argument 'name'"):
        made("a", name="b")
    with pytest.raises(TypeError, match="takes 5 positional arguments but 6 were given"):
        made("a", 1, {}, "n", "extra")


def test_a_record_calls_its_post_init_and_cannot_be_changed_or_emptied():
    seen = []
    made = record(type("Checked", (), {
        "__annotations__": {"value": "int"},
        "__post_init__": lambda self: seen.append(self.value),
    }))
    item = made(7)
    assert seen == [7]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'value'"):
        item.value = 8
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'value'"):
        del item.value
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.other = 1
    assert item.value == 7


def test_a_keyword_only_record_field_is_taken_by_name_only():
    made = record(kw_only=True)(type("Keyword", (), {"__annotations__": {"a": "int", "b": "int"}, "b": 2}))
    assert (made(a=1).a, made(a=1).b, made(b=3, a=1).b) == (1, 2, 3)
    with pytest.raises(TypeError, match="takes 1 positional argument but 2 were given"):
        made(1)
    with pytest.raises(TypeError, match="missing 1 required argument: 'a'"):
        made()


def test_a_required_field_after_one_with_a_default_is_refused_as_by_a_dataclass():
    body = {"__annotations__": {"a": "int", "b": "int"}, "a": 1}
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        record(type("Late", (), dict(body)))
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        dataclass(frozen=True)(type("Late", (), dict(body)))


def test_a_record_without_a_docstring_gets_its_dataclass_twins():
    made, twin = _twins()
    assert made.__doc__ == twin.__doc__ == "Item(name: 'str', count: 'int' = 0, where: 'dict' = <factory>, note: 'str' = '')"
    documented = record(type("Told", (), {"__doc__": "What it is.", "__annotations__": {"a": "int"}}))
    assert documented.__doc__ == "What it is."


@pytest.mark.parametrize("method", ["__setattr__", "__delattr__"])
def test_a_record_that_defines_its_own_setattr_or_delattr_is_refused(method):
    # A frozen dataclass refuses them too: the shared pair is what keeps a record frozen.
    body = {"__annotations__": {"a": "int"}, method: lambda self, *args: None}
    with pytest.raises(TypeError, match="record Own cannot define __setattr__ or __delattr__"):
        record(type("Own", (), dict(body)))
    with pytest.raises(TypeError, match=f"Cannot overwrite attribute {method} in class Own"):
        dataclass(frozen=True)(type("Own", (), dict(body)))
