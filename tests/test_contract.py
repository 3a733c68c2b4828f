"""The error contract: every expected failure of every command is one line and exit 2.

Exit 1 is reserved for findings at or above the threshold and failing rule examples; a
crash that exits 1 would make a broken input look like a policy failure in CI.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import EXAMPLES

WHITEBOARD = str(EXAMPLES / "whiteboard.yaml")

BAD_CONDITION_PACK = """\
rules:
  - id: compares-text-with-a-number
    criterion: virality
    title: Broken at run time
    when: "feature.name > 3"
    direction: free
    weight: 1
    message: never
    source: {principle: Test}
"""
SANDBOX_PACK = """\
rules:
  - id: reads-a-dunder
    criterion: virality
    title: Sandbox refusal at run time
    when: "feature.name.__class__"
    direction: free
    weight: 1
    message: never
    source: {principle: Test}
"""
BROKEN_MESSAGE_PACK = """\
rules:
  - id: bad-message
    criterion: virality
    title: Message fails at run time
    when: "true"
    direction: free
    weight: 1
    message: "{% if feature.name > 2 %}x{% endif %}"
    source: {principle: Test}
"""


def failure_cases(tmp_path):
    """(label, argv) pairs: each is bad input or bad usage for some command."""
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("product: [\n", encoding="utf-8")
    bad_template = tmp_path / "broken.j2"
    bad_template.write_text("{{ product.name }}\n{{ no_such_name }}\n", encoding="utf-8")
    packs = {}
    for name, text in (("cond", BAD_CONDITION_PACK), ("sandbox", SANDBOX_PACK),
                       ("message", BROKEN_MESSAGE_PACK)):
        packs[name] = tmp_path / f"{name}.yaml"
        packs[name].write_text(text, encoding="utf-8")
    missing_folder = str(tmp_path / "no" / "such" / "out.txt")
    existing = tmp_path / "exists.yaml"
    existing.write_text("x", encoding="utf-8")
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o500)
    cases = [
        ("analyze missing file", ["analyze", str(tmp_path / "nope.yaml")]),
        ("analyze malformed YAML", ["analyze", str(bad_yaml)]),
        ("analyze -o a directory", ["analyze", WHITEBOARD, "-o", str(tmp_path)]),
        ("analyze -o missing folder", ["analyze", WHITEBOARD, "-o", missing_folder]),
        ("analyze condition fails", ["analyze", WHITEBOARD, "-r", str(packs["cond"])]),
        ("analyze sandbox refusal", ["analyze", WHITEBOARD, "-r", str(packs["sandbox"])]),
        ("analyze message fails", ["analyze", WHITEBOARD, "-r", str(packs["message"])]),
        ("analyze unknown option", ["analyze", WHITEBOARD, "--formt", "json"]),
        ("analyze bad format", ["analyze", WHITEBOARD, "--format", "sarif"]),
        ("analyze missing argument", ["analyze"]),
        ("explain unknown feature", ["explain", WHITEBOARD, "share-bord"]),
        ("explain condition fails", ["explain", WHITEBOARD, "share-board", "-r", str(packs["cond"])]),
        ("explain bad format", ["explain", WHITEBOARD, "share-board", "--format", "table"]),
        ("report bad format", ["report", WHITEBOARD, "--format", "pdf"]),
        ("report -o a directory", ["report", WHITEBOARD, "-f", "html", "-o", str(tmp_path)]),
        ("report missing template", ["report", WHITEBOARD, "--template", str(tmp_path / "no.j2")]),
        ("report broken template", ["report", WHITEBOARD, "--template", str(bad_template)]),
        ("validate malformed YAML", ["validate", str(bad_yaml)]),
        ("validate a directory", ["validate", str(tmp_path)]),
        ("init into a directory", ["init", str(tmp_path), "--force"]),
        ("init over a file", ["init", str(existing)]),
        ("schema -o missing folder", ["schema", "-o", missing_folder]),
        ("rules list bad pack", ["rules", "list", "-r", str(bad_yaml)]),
        ("rules list bad format", ["rules", "list", "--format", "text"]),
        ("rules show unknown rule", ["rules", "show", "virality-hihg"]),
        ("rules test bad pack", ["rules", "test", "-r", str(bad_yaml)]),
        ("rules docs -o a directory", ["rules", "docs", "-o", str(tmp_path)]),
        ("import pricing2yaml malformed", ["import", "pricing2yaml", str(bad_yaml)]),
        ("import csv missing file", ["import", "csv", str(tmp_path / "nope.csv")]),
        ("unknown command", ["analyse", WHITEBOARD]),
    ]
    if os.geteuid() != 0:  # root writes anywhere: the unwritable case cannot be made
        cases.append(("analyze -o unwritable", ["analyze", WHITEBOARD, "-o", str(readonly / "o.txt")]))
    return cases


def test_every_failure_is_one_line_and_exit_2(run, tmp_path):
    failures = []
    for label, argv in failure_cases(tmp_path):
        result = run(*argv)
        lines = result.stderr.splitlines()
        if result.exit_code != 2 or len(lines) != 1 or "Traceback" in result.stderr or result.stdout:
            failures.append((label, result.exit_code, result.stderr, result.stdout[:200]))
    assert failures == []


@pytest.mark.parametrize("pack,rule,where", [
    (BAD_CONDITION_PACK, "compares-text-with-a-number", "2:5"),
    # An underscore attribute is refused when the pack loads, at the condition itself.
    (SANDBOX_PACK, "reads-a-dunder", "5:11"),
    (BROKEN_MESSAGE_PACK, "bad-message", "2:5"),
])
def test_a_rule_that_fails_at_run_time_names_itself_and_its_definition(run, tmp_path, pack, rule, where):
    path = tmp_path / "pack.yaml"
    path.write_text(pack, encoding="utf-8")
    result = run("analyze", WHITEBOARD, "-r", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:{where}: error: rule '{rule}': ")


def test_usage_errors_are_one_line_with_a_pointer_to_help(run):
    result = run("analyze", WHITEBOARD, "--formt", "json")
    assert result.exit_code == 2
    assert result.stderr == (
        "freemium-advisor analyze: error: No such option: --formt (did you mean '--format'?); "
        "see 'freemium-advisor analyze --help'\n"
    )


@pytest.mark.parametrize("args,message", [
    (["analyze", WHITEBOARD, "extra"], "unexpected extra argument: extra"),
    (["analyze", WHITEBOARD, "extra", "more"], "unexpected extra arguments: extra more"),
    (["analyze"], "Missing argument 'FILE'"),
    (["analyze", WHITEBOARD, "--colr"], "No such option: --colr (did you mean '--color' or '--no-color'?)"),
    (["ask", WHITEBOARD, "--limit", "x"], "Invalid value for '--limit' / '-n': 'x' is not a whole number"),
    (["ask", WHITEBOARD, "--limit", "0"], "Invalid value for '--limit' / '-n': must be 1 or more, not 0"),
])
def test_usage_errors_have_one_parenthetical_at_most(run, args, message):
    result = run(*args)
    command = " ".join(["freemium-advisor", *args[:1]])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"{command}: error: {message}; see '{command} --help'\n",
    )


def test_a_bad_format_lists_the_commands_own_choices(run):
    result = run("explain", WHITEBOARD, "share-board", "--format", "table")
    assert result.exit_code == 2
    assert "'text'" in result.stderr and "'json'" in result.stderr and "'table'" in result.stderr
    assert "sarif" not in result.stderr


def test_output_into_a_directory_writes_nothing(run, tmp_path):
    before = sorted(os.listdir(tmp_path))
    result = run("analyze", WHITEBOARD, "-o", str(tmp_path))
    assert (result.exit_code, result.stderr) == (2, f"{tmp_path}: error: is a directory; name a file to write\n")
    assert sorted(os.listdir(tmp_path)) == before
