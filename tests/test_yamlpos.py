"""YAML with positions: the data, where each key and value is written, and every refusal."""

from __future__ import annotations

import pytest

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.yamlpos import Mark, load_yaml


def load(text: str):
    return load_yaml(text, "doc.yaml")


def error_of(text: str) -> str:
    with pytest.raises(InputError) as caught:
        load(text)
    return str(caught.value)


def test_values_convert_as_yaml_says_and_dates_stay_text():
    doc = load("a: 1\nb: [x, 'y', \"z\", 1.5, .inf, ~, null, true, no, 2001-12-14, 0x1F, 1_000, '']\n")
    assert doc.data == {"a": 1, "b": ["x", "y", "z", 1.5, float("inf"), None, None, True, False,
                                      "2001-12-14", 31, 1000, ""]}


def test_a_plain_merge_or_value_sign_that_is_not_a_key_is_text():
    assert load("a: <<\nb: =\nc: !!null x\n").data == {"a": "<<", "b": "=", "c": None}


def test_keys_are_the_text_written():
    assert load("1: a\ntrue: b\n~: c\n'q': d\n").data == {"1": "a", "true": "b", "~": "c", "q": "d"}


@pytest.mark.parametrize("text, data", [("", None), ("# only a comment\n", None), ("---\n", None),
                                        ("- a\n- b: [1, {c: d}]\n-\n", ["a", {"b": [1, {"c": "d"}]}, None])])
def test_empty_and_top_level_lists(text, data):
    assert load(text).data == data


def test_positions_of_values_and_keys():
    doc = load("features:\n  - {id: a, name: A}\n  - id: b\n    name: B\n    signals: {aha: high}\n")
    assert doc.value_mark(()) == Mark(1, 1)
    assert doc.value_mark(("features",)) == Mark(2, 3)
    assert doc.value_mark(("features", 0)) == Mark(2, 5)
    assert doc.value_mark(("features", 0, "name")) == Mark(2, 19)
    assert doc.key_mark(("features", 0, "name")) == Mark(2, 13)
    assert doc.value_mark(("features", 1, "signals", "aha")) == Mark(5, 20)
    assert doc.key_mark(("features", 1, "signals", "aha")) == Mark(5, 15)
    # A list item's key is the item; a missing path falls back to its nearest enclosing value.
    assert doc.key_mark(("features", 1)) == Mark(3, 5)
    assert doc.value_mark(("features", 1, "missing", "deeper")) == Mark(3, 5)
    assert doc.value_mark(("features", 7)) == Mark(2, 3)
    assert doc.key_marks(("features", 1), doc.data["features"][1]) == [Mark(3, 5), Mark(4, 5), Mark(5, 5)]
    assert str(doc.error(("features", 1, "name"), "bad")) == "doc.yaml:4:11: error: bad"
    assert str(doc.error(("features", 1, "name"), "bad", at_key=True)) == "doc.yaml:4:5: error: bad"


def test_key_positions_in_a_large_mapping():
    doc = load("m: {" + ", ".join(f"k{i}: {i}" for i in range(100)) + "}\n")
    marks = doc.key_marks(("m",), doc.data["m"])
    assert marks[0] == Mark(1, 5) and marks[99] == doc.key_mark(("m", "k99"))
    assert doc.value_mark(("m", "k99")) == Mark(marks[99].line, marks[99].column + 5)
    # Another mapping than the one at the path: each key looked up by name.
    assert doc.key_marks(("m",), {"k1": 0, "nope": 0}) == [doc.key_mark(("m", "k1")), doc.value_mark(("m",))]


def test_an_alias_is_the_anchored_value_and_positions_inside_it_are_the_anchors():
    doc = load("a: &x [1, {b: 2}]\nc: {d: *x}\ne: &s hi\nf: *s\n")
    assert doc.data == {"a": [1, {"b": 2}], "c": {"d": [1, {"b": 2}]}, "e": "hi", "f": "hi"}
    assert doc.value_mark(("c", "d")) == Mark(2, 8)  # the alias
    assert doc.value_mark(("c", "d", 1, "b")) == Mark(1, 15)  # inside: where the anchor writes it
    assert doc.key_mark(("c", "d", 1, "b")) == Mark(1, 12)
    assert doc.value_mark(("f",)) == Mark(4, 4)


ERRORS = [
    ("a: 1\na: 2\n", "2:1: error: duplicate key 'a' (first defined on line 1)"),
    ("a: {b: 1, b: 2}\nc: [\n", "1:11: error: duplicate key 'b' (first defined on line 1)"),
    ("a: [\n", "2:1: error: invalid YAML: did not find expected node content"),
    ("a: b: c\n", "1:5: error: invalid YAML: mapping values are not allowed in this context"),
    ("a: é\ufffe\n", "1:5: error: invalid YAML: control characters are not allowed"),
    ("a: 1\n---\nb: 2\n", "2:1: error: invalid YAML: a second document in one file (after '---')"),
    ("a: !!str 1\nb: !!int x\n", "2:4: error: invalid YAML value: 'x' is not a whole number"),
    ("a: !!bool maybe\n", "1:4: error: invalid YAML value: 'maybe' is not true or false"),
    ("a: !!int\n", "1:4: error: invalid YAML value: '' is not a whole number"),
    ("a: !!float ''\n", "1:4: error: invalid YAML value: '' is not a number"),
    ("a: !!set {x}\n", "1:4: error: unsupported YAML tag 'tag:yaml.org,2002:set'"),
    ("a: !!binary aGk=\n", "1:4: error: unsupported YAML tag 'tag:yaml.org,2002:binary'"),
    ("a: !!map [x]\n", "1:4: error: unsupported YAML tag 'tag:yaml.org,2002:map'"),
    ("!!int a: 1\n", "1:1: error: unsupported YAML tag 'tag:yaml.org,2002:int'"),
    ("<<: {a: 1}\n", "1:1: error: merge keys ('<<') are not supported; write the keys out"),
    ("? [a, b]\n: 1\n", "1:3: error: a mapping key must be a plain value"),
    ("a: &k x\n*k : 1\n", "2:1: error: a mapping key must be plain text, not an alias"),
    ("a: *x\n", "1:4: error: undefined YAML alias '*x' (no anchor '&x' before it)"),
    ("a: &x [1, *x]\n", "1:11: error: recursive YAML alias (a value that contains itself)"),
    ("a: &x 1\nb: &x 2\n", "2:4: error: duplicate YAML anchor '&x'"),
    ("a: .nan\n", "1:4: error: '.nan' (not a number) is not a valid value"),
    ("a: 123456789012345678901234567890123456789012345\n",
     "1:4: error: number too large (at most 9,223,372,036,854,775,807)"),
    ("a: 9223372036854775808\n", "1:4: error: number too large (at most 9,223,372,036,854,775,807)"),
    ("a: \"\\e\"\n", "1:4: error: control character U+001B in the text"),
    ("\"\\e\": 1\n", "1:1: error: control character U+001B in the text"),
    ("a: [\"\\u0085\", \"\\u009b\"]\n", "1:15: error: control character U+009B in the text"),
    ("[" * 70 + "]" * 70 + "\n", "1:65: error: nested deeper than 64 levels"),
    ("a: " + "x" * 100_001 + "\n", "1:4: error: a value longer than 100,000 characters"),
    ("? " + "k" * 100_001 + "\n: 1\n", "1:3: error: a key longer than 100,000 characters"),
]


@pytest.mark.parametrize("text, message", ERRORS, ids=[e[1].split("error: ")[1][:40] for e in ERRORS])
def test_refused_with_its_position(text, message):
    assert error_of(text) == "doc.yaml:" + message


def test_escapes_are_control_characters_only_where_they_are_escapes():
    assert load("a: ok\nc: 'plain \\x07 is text'\nd: \"\\u0085\"\n").data == {
        "a": "ok", "c": "plain \\x07 is text", "d": "\x85"}


def test_an_alias_bomb_is_refused_at_the_alias_that_goes_too_far():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    message = error_of("\n".join(lines) + "\n")
    assert message.startswith("doc.yaml:5:")
    assert message.endswith("error: YAML aliases expand this document by more than 10,000 values "
                            "(an alias bomb?); write the values out instead")
