"""YAML built from parser events: the same data, positions and errors as composing it."""

from __future__ import annotations

import pytest

from freemium_advisor.base import yamlevents, yamlpos
from freemium_advisor.base.errors import InputError
from tests.conftest import EXAMPLES

DOCUMENTS = [
    "",
    "# only a comment\n",
    "a: 1\nb: [x, 'y', \"z\", 1.5, .inf, ~, null, true, no, 2001-12-14, 0x1F, 1_000]\n",
    "features:\n  - {id: a, name: A}\n  - id: b\n    name: B\n    signals: {aha: high}\n",
    "a: 1\na: 2\n",  # duplicate key
    "a: {b: 1, b: 2}\nc: [\n",  # a syntax error after a duplicate key: the syntax error wins
    "a: &x [1, 2]\nb: *x\n",  # aliases: composed
    "a: !!str 1\n",  # tags: composed
    "<<: {a: 1}\n",  # a merge key
    "? [a, b]\n: 1\n",  # a key that is not a plain value
    "a: .nan\n",
    "a: 123456789012345678901234567890123456789012345\n",
    "a: 9223372036854775808\n",
    "a: \"\\e\"\n",  # a control character written as an escape
    "\"\\e\": 1\n",
    "a: ok\nb: \"x\\x07y\"\nc: 'plain \\x07 is text'\n",  # an escape only where it is one
    "a: [\"\\u0085\", \"\\u009b\"]\n",  # NEL is a line break, CSI a control
    "a: b\x1bc\n",  # a raw control character (the file reader refuses it before this)
    "a: 1\n---\nb: 2\n",  # two documents
    "[" * 70 + "]" * 70 + "\n",  # too deep
    "a: " + "x" * 100_001 + "\n",
    "k" * 100_001 + ": 1\n",
    "- a\n- b: [1, {c: d}]\n-\n",
    "m: {" + ", ".join(f"k{i}: {i}" for i in range(100)) + "}\n",  # a large mapping's index
]


def composed(text: str):
    return yamlpos._load_yaml_composed(text, "doc.yaml")


def outcome(load, text: str):
    try:
        return load(text)
    except InputError as error:
        return str(error)


@pytest.mark.parametrize("text", DOCUMENTS + [p.read_text() for p in sorted(EXAMPLES.glob("*.yaml"))])
def test_events_give_what_composing_gives(text):
    fast = outcome(lambda t: yamlpos.load_yaml(t, "doc.yaml"), text)
    slow = outcome(composed, text)
    if isinstance(slow, str):
        assert fast == slow
        return
    assert repr(fast.data) == repr(slow.data)
    paths = list(slow._values) + list(slow._keys)
    for path in paths + [(*p, "missing") for p in paths] + [(*p, 0, "x") for p in paths]:
        assert fast.value_mark(path) == slow.value_mark(path), path
        assert fast.key_mark(path) == slow.key_mark(path), path


def test_plain_documents_take_the_event_path():
    assert isinstance(yamlpos.load_yaml(DOCUMENTS[3], "doc.yaml"), yamlpos.PackedDocument)
    assert yamlevents.load_events(DOCUMENTS[6], "doc.yaml", yamlpos._Builder) is None
