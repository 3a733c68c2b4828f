"""Hostile and broken inventories: one clear line on stderr, exit 2, no traceback, quickly.

Every class of bad input the hardening issue lists has a case here, run through the real
command (``validate`` unless the class needs another one).
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import time

import pytest

from freemium_advisor.base.limits import MAX_DEPTH, MAX_TEXT

VALID = b"""version: 1
product:
  name: Boardly
  tiers: [free, pro]
features:
  - id: share
    name: Share boards
    limit: {metric: boards, free: 3}
    signals: {virality: high}
"""


def assert_bad_input(result, where: str, message: str) -> None:
    """Exit 2, exactly one line on stderr, starting with ``where`` and holding ``message``."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(where), result.stderr
    assert message in result.stderr, result.stderr
    assert result.stdout == ""


@pytest.fixture
def inventory(tmp_path):
    """Write bytes to ``inv.yaml`` and return its path."""

    def make(data: bytes, name: str = "inv.yaml") -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return make


CASES = [
    # malformed YAML
    ("malformed", b"product: {name: x\nfeatures: [\n", ":2:9: error: invalid YAML"),
    ("bad indentation", b"product:\n  name: x\n bad: 1\n", ":3:2: error: invalid YAML"),
    # empty file, comments only
    ("empty", b"", ":1:1: error: the inventory is empty"),
    ("only comments", b"# nothing here\n", ":1:1: error: the inventory is empty"),
    # top-level list or scalar
    ("top-level list", b"- a\n- b\n", ":1:1: error: the inventory must be a mapping, not a list"),
    ("top-level scalar", b"hello\n", ":1:1: error: the inventory must be a mapping, not text"),
    ("top-level number", b"42\n", ":1:1: error: the inventory must be a mapping, not a number"),
    # huge integers and floats
    ("huge integer", VALID.replace(b"free: 3", b"free: " + b"9" * 5000), ":8:35: error: number too large"),
    ("integer over the limit", VALID.replace(b"free: 3", b"free: 99999999999999999999"),
     ":8:35: error: number too large"),
    ("huge version", b"version: " + b"1" * 4400 + b"\n", ":1:10: error: number too large"),
    ("1e999", VALID.replace(b"free: 3", b"free: 1.0e999"), ":8:35: error: 'free' must be a finite number"),
    (".inf", VALID.replace(b"free: 3", b"free: .inf"), ":8:35: error: 'free' must be a finite number"),
    (".nan", VALID.replace(b"free: 3", b"free: .nan"), ":8:35: error: '.nan' (not a number)"),
    ("nan version", b"version: .NaN\n", ":1:10: error: '.nan' (not a number)"),
    # duplicate ids and keys
    ("duplicate id", VALID + b"  - id: share\n    name: Again\n",
     ":10:9: error: duplicate feature id 'share'"),
    ("duplicate key", VALID.replace(b"  name: Boardly\n", b"  name: Boardly\n  name: Other\n"),
     ":4:3: error: duplicate key 'name'"),
    # encodings
    ("non-UTF-8", VALID.replace(b"Boardly", b"Bo\xe4rdly"), ":3:11: error: not UTF-8 text (byte 0xe4)"),
    ("UTF-16 with BOM", codecs.BOM_UTF16_LE + VALID.decode().encode("utf-16-le"),
     ":1:1: error: UTF-16 or UTF-32 text"),
    ("UTF-16 without BOM", VALID.decode().encode("utf-16-be"), ":1:1: error: UTF-16 text"),
    ("UTF-32", codecs.BOM_UTF32_LE + VALID.decode().encode("utf-32-le"), ":1:1: error: UTF-16 or UTF-32"),
    ("NUL byte", VALID.replace(b"Boardly", b"Board\0ly"), ":3:14: error: NUL byte"),
    # An executable's NULs are not UTF-16: it never decodes to clean text.
    ("ELF binary", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\x10\x6d\0\0",
     ":1:8: error: NUL byte in the text (is it a binary file?)"),
    ("control character", VALID.replace(b"Boardly", b"Board\x07ly"), ":3:14: error: control character U+0007"),
    ("escape sequence", VALID.replace(b"Boardly", b'"\\e]0;pwned\\a"'), ":3:9: error: control character U+001B"),
    ("escape in a key", VALID + b'"\\x1b[2J": 1\n', ":10:1: error: control character U+001B"),
    ("C1 control", VALID.replace(b"Boardly", "Board\x9bly".encode()), ":3:14: error: control character U+009B"),
    # long text
    ("long value", VALID.replace(b"Boardly", b"x" * (MAX_TEXT + 1)), ":3:9: error: a value longer than"),
    ("long key", VALID + b"? " + b"x" * (MAX_TEXT + 1) + b"\n: 1\n", ":10:3: error: a key longer than"),
    # nesting
    ("nesting 10,000 deep (flow)", b"a: " + b"[" * 10_000 + b"]" * 10_000, ": error: invalid YAML"),
    ("nesting 10,000 deep (block)", b"a: " + b"- " * 10_000 + b"x\n", ": error: invalid YAML"),
    ("nesting 900 deep", b"a: " + b"[" * 900 + b"]" * 900, f":1:67: error: nested deeper than {MAX_DEPTH} levels"),
    ("nesting deep in mappings", b"a: " + b"{a: " * 500 + b"1" + b"}" * 500,
     f":1:256: error: nested deeper than {MAX_DEPTH} levels"),
    # unsafe tags
    ("python/object/apply", b"product: !!python/object/apply:os.system [echo hacked]\n",
     ":1:10: error: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    ("python/name", b"product: !!python/name:os.system ''\n",
     ":1:10: error: unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system'"),
    ("python/object on a mapping", b"product: !!python/object:os.Foo {a: 1}\n",
     ":1:10: error: unsupported YAML tag"),
    ("local tag", b"product: !secret x\n", ":1:10: error: unsupported YAML tag '!secret'"),
    ("binary", b"product: !!binary aGk=\n", ":1:10: error: unsupported YAML tag 'tag:yaml.org,2002:binary'"),
    ("explicit int that is not one", b"product: !!int ten\n",
     ":1:10: error: invalid YAML value: 'ten' is not a whole number"),
    ("set", b"product: !!set {a, b}\n", ":1:10: error: unsupported YAML tag 'tag:yaml.org,2002:set'"),
    ("omap", b"product: !!omap [a: 1]\n", ":1:10: error: unsupported YAML tag"),
    ("merge key", b"base: &b {name: x}\nproduct:\n  <<: *b\n", ":3:3: error: merge keys"),
    # aliases
    ("recursive alias", b"product: &a [*a]\n", ":1:14: error: recursive YAML alias"),
    ("undefined alias", b"product: *a\n", ":1:10: error: undefined YAML alias '*a'"),
    ("duplicate anchor", b"a: &a 1\nproduct: &a 2\n", ":2:10: error: duplicate YAML anchor '&a'"),
    ("alias as a key", b"a: &a x\nproduct: {*a : 1}\n", ":2:11: error: a mapping key must be plain text"),
    ("alias nested too deep", b"a: &a " + b"[" * 40 + b"]" * 40 + b"\nproduct: " + b"[" * 30 + b"*a" + b"]" * 30,
     f":2:40: error: nested deeper than {MAX_DEPTH} levels"),
    # multi-document
    ("two documents", VALID + b"---\nversion: 1\n", ":10:1: error: invalid YAML: a second document in one file"),
]


@pytest.mark.parametrize("data, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_inventory_is_one_line_exit_2(run, inventory, data, expected):
    path = inventory(data)
    where, _, message = expected.partition(" error: ")
    assert_bad_input(run("validate", path), path + where, "error: " + message)


WRONG_TYPES = [
    ("version: '1'", "unsupported inventory version '1'"),
    ("product: []", "'product' must be a mapping, not a list"),
    ("product: {name: [a]}", "'name' must be text, not a list"),
    ("product: {name: x, model: 3}", "unknown model '3'"),
    ("product: {name: x, model: trial, trial_days: '7'}", "'trial_days' must be a whole number"),
    ("product: {name: x, model: trial, trial_days: 1.5}", "'trial_days' must be a whole number"),
    ("product: {name: x, collaborative: 'yes'}", "'collaborative' must be true or false"),
    ("product: {name: x, tiers: free}", "'tiers' must be a non-empty list"),
    ("product: {name: x, tiers: [[a]]}", "'tier name' must be text, not a list"),
    ("product: {name: x, tiers: [{name: a, audience: [b]}]}", "unknown audience"),
    ("product: {name: x, description: {a: 1}}", "'description' must be text, not a mapping"),
]
FEATURE_WRONG_TYPES = [
    ("id: {a: 1}\n    name: b", "'id' must be text, not a mapping"),
    ("id: null\n    name: b", "'id' must be text, not null"),
    ("id: 'a b'\n    name: b", "invalid feature id 'a b'"),
    ("id: a\n    name: null", "'name' must be text, not null"),
    ("id: a\n    name: b\n    description: [x]", "'description' must be text, not a list"),
    ("id: a\n    name: b\n    category: {}", "'category' must be text, not a mapping"),
    ("id: a\n    name: b\n    current: [free]", "unknown tier \"['free']\" in 'current'"),
    ("id: a\n    name: b\n    addon: 'no'", "'addon' must be true or false, not 'no'"),
    ("id: a\n    name: b\n    limit: 3", "'limit' must be a mapping, not a number"),
    ("id: a\n    name: b\n    limit: {metric: []}", "'metric' must be text, not a list"),
    ("id: a\n    name: b\n    limit: {metric: x, free: 'ten'}", "'free' must be a number"),
    ("id: a\n    name: b\n    limit: {metric: x, free: -1}", "'free' must be a number"),
    ("id: a\n    name: b\n    limit: {metric: x, free: true}", "'free' must be a number"),
    ("id: a\n    name: b\n    signals: []", "'signals' must be a mapping, not a list"),
    ("id: a\n    name: b\n    signals: {virality: [high]}", "unknown level \"['high']\""),
    ("id: a\n    name: b\n    signals: {virality: 3}", "unknown level '3'"),
    ("id: a\n    name: b\n    signals: {audience: 3}", "unknown audience '3'"),
    ("id: a\n    name: b\n    signals: {production: 'yes'}", "'production' must be true or false"),
    ("id: a\n    name: b\n    signals: {virality: .nan}", "'.nan' (not a number)"),
]


@pytest.mark.parametrize("top, message", WRONG_TYPES, ids=[c[0] for c in WRONG_TYPES])
def test_wrong_types_at_top_and_product(run, inventory, top, message):
    text = f"{top}\n" if top.startswith("product") else f"{top}\nproduct: {{name: x}}\n"
    path = inventory((text + "features: []\n").encode())
    assert_bad_input(run("validate", path), path + ":", message)


@pytest.mark.parametrize("feature, message", FEATURE_WRONG_TYPES, ids=[c[0] for c in FEATURE_WRONG_TYPES])
def test_wrong_types_in_a_feature(run, inventory, feature, message):
    path = inventory(f"product: {{name: x}}\nfeatures:\n  - {feature}\n".encode())
    assert_bad_input(run("validate", path), path + ":", message)


@pytest.mark.parametrize("features", ["{a: 1}", "[1]", "'x'", "[[a]]"])
def test_features_of_the_wrong_type(run, inventory, features):
    path = inventory(f"product: {{name: x}}\nfeatures: {features}\n".encode())
    assert_bad_input(run("validate", path), path + ":", "must be a")


def test_a_leading_bom_is_dropped_and_positions_stay_right(run, inventory):
    path = inventory(codecs.BOM_UTF8 + VALID)
    assert run("validate", path).exit_code == 0
    path = inventory(codecs.BOM_UTF8 + VALID.replace(b"high", b"hihg"))
    assert_bad_input(run("validate", path), path + ":9:25:", "unknown level 'hihg'")


def test_alias_bomb_is_rejected_in_under_a_second(run, inventory):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = inventory(("\n".join(lines) + "\nproduct: *a9\n").encode())
    started = time.perf_counter()
    result = run("validate", path)
    assert time.perf_counter() - started < 1.0
    assert_bad_input(result, path + ":", "error: YAML aliases expand this document by more than")


def test_a_few_aliases_are_fine(run, inventory):
    text = VALID.replace(b"  tiers: [free, pro]\n", b"  tiers: &t [free, pro]\n")
    path = inventory(text + b"    category: *t\n")
    # The alias resolves (to a list, which 'category' rejects): aliases work, bombs do not.
    # The message points at the alias, where the list is used.
    assert_bad_input(run("validate", path), path + ":10:15:", "'category' must be text, not a list")


def test_a_problem_inside_an_alias_points_where_the_anchor_writes_it(run, inventory):
    text = VALID.replace(b"{virality: high}", b"&s {virality: hihg}")
    path = inventory(text + b"  - id: copy\n    name: Copy boards\n    signals: *s\n")
    result = run("validate", path)
    assert result.exit_code == 2
    # Both features' signals are the anchored mapping: both messages point into it.
    assert result.stderr == (
        f"{path}:9:28: error: unknown level 'hihg' for signal 'virality' (did you mean 'high'?)"
        "; expected none, low, medium or high (or true/false)\n"
    ) * 2


def test_a_100_mb_string_is_refused_without_reading_it(run, tmp_path):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as stream:
        stream.write(b"product:\n  name: ")
        stream.truncate(100 * 1024 * 1024)  # sparse: no 100 MB of disk, same size on stat
    started = time.perf_counter()
    result = run("validate", str(path))
    assert time.perf_counter() - started < 1.0
    assert_bad_input(result, f"{path}: error:", "larger than 64 MB")


def test_a_directory(run, tmp_path):
    assert_bad_input(run("analyze", str(tmp_path)), f"{tmp_path}: error:", "is a directory, not a file")


def test_a_directory_is_searched_by_validate_as_by_check(run, tmp_path):
    # validate reads what check reads: a folder is searched, and one without an inventory refused.
    for command in ("validate", "check"):
        assert_bad_input(run(command, str(tmp_path)), f"{tmp_path}: error:", "this folder holds no inventory")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_before_reading(run, tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # nobody writes: reading it would wait forever
    assert_bad_input(run("validate", str(fifo)), f"{fifo}: error:", "is a FIFO, not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused_before_reading(run):
    assert_bad_input(run("validate", "/dev/zero"), "/dev/zero: error:", "is a device, not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_endless_stdin_is_cut_off(tmp_path):
    with open("/dev/zero", "rb") as zero:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "freemium_advisor", "validate", "-"],
            stdin=zero, capture_output=True, text=True, timeout=60,
        )
    assert time.perf_counter() - started < 30
    assert result.returncode == 2
    assert result.stderr == "<stdin>: error: larger than 64 MB; is it the right file?\n"


def test_a_missing_file(run, tmp_path):
    missing = tmp_path / "nope.yaml"
    assert_bad_input(run("validate", str(missing)), f"{missing}: error:", "no such file")


def test_an_unreadable_file(run, inventory, monkeypatch):
    path = inventory(VALID)
    real_open = os.open

    def refuse(name, *args, **kwargs):
        if str(name) == path:
            raise PermissionError(13, "Permission denied", name)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    assert_bad_input(run("validate", path), f"{path}: error:", "cannot read: Permission denied")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_for_real(run, inventory):
    path = inventory(VALID)
    os.chmod(path, 0)
    assert_bad_input(run("validate", path), f"{path}: error:", "cannot read: Permission denied")


@pytest.mark.parametrize("command", [("analyze",), ("explain", "x"), ("validate",)])
def test_every_inventory_command_reports_the_same_way(run, inventory, command):
    path = inventory(b"product: !!python/object/apply:os.system [echo hacked]\n")
    assert_bad_input(run(command[0], path, *command[1:]), path + ":1:10:", "unsupported YAML tag")



def test_too_many_values_are_refused_at_the_first_one_too_many(run, inventory):
    # 16 MB of "1," would be 8 million values: refused long before the end of the file.
    path = inventory(b"product: {name: x}\nfeatures: [" + b"1," * (8 * 1024 * 1024 - 20) + b"1]\n")
    started = time.perf_counter()
    result = run("validate", path)
    assert time.perf_counter() - started < 5
    assert_bad_input(result, path + ":2:", "error: more than 250,000 values in one file")


def test_markup_in_names_is_printed_as_text(run, inventory):
    # Was: rich.errors.MarkupError (a traceback) for a product named "[/bold] x".
    path = inventory(b"product: {name: '[/bold] x', tiers: ['[/]', pro]}\nfeatures:\n"
                     b"  - {id: a, name: '[red]b[/red]', current: '[/]'}\n")
    result = run("analyze", path)
    assert result.exit_code == 0, result.stderr
    assert "[/bold] x: freemium advice" in result.stdout
    assert "[red]b[/red]" in result.stdout
    assert run("explain", path, "a").exit_code == 0


READERS = [
    ("validate", "{}"),
    ("analyze", "{}"),
    ("rules", "list", "-r", "{}"),
    ("import", "csv", "{}"),
    ("import", "pricing2yaml", "{}"),
    ("check", "INV", "--config", "{}"),
    ("check", "INV", "--baseline", "{}"),
    ("diff", "INV", "{}"),
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("command", READERS, ids=[" ".join(c[:2]) + " " + c[-2] for c in READERS])
def test_every_reader_refuses_what_is_not_a_regular_file(run, inventory, tmp_path, command):
    valid = inventory(VALID)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    missing = tmp_path / "missing.yaml"
    for target, message in ((fifo, "is a FIFO, not a regular file"), (missing, "no such file"),
                            (tmp_path, "is a directory")):
        if command[-2:] in (("-r", "{}"), ("validate", "{}")) and target == tmp_path:
            continue  # a folder is a valid rule pack argument, and validate searches one
        args = [valid if a == "INV" else str(target) if a == "{}" else a for a in command]
        result = run(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(f"{target}: error:"), result.stderr
        assert message in result.stderr, result.stderr
