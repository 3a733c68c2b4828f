"""``.freemium-advisor.yaml`` is read by every command that reads rules, not by ``check``
alone: the advice a PM reads in a terminal is the advice CI gates on. ``--rules`` wins over
the file's rule packs, ``--config FILE`` names another file, and a bad file is one located
line per problem, exit 2, whatever the command."""

from __future__ import annotations

import json

import pytest

from tests.test_gate import INVENTORY  # a viral feature in a paid tier, and an editor


@pytest.fixture(autouse=True)
def in_a_repository(write, tmp_path, monkeypatch):
    """A repository whose settings disable one built-in rule, run from a folder below it."""
    write("features.yaml", INVENTORY)
    write("pack.yaml", "disable: [virality-high]\n")
    write("other.yaml", "override:\n  aha-high: {weight: 2}\n")
    write(".freemium-advisor.yaml", "rules: [pack.yaml]\n")
    write("plain.yaml", "fail_on: note\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def fired(run, *args: str) -> list[str]:
    """The rules that fired for 'share', from ``analyze --format json``."""
    result = run("analyze", "../features.yaml", "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    features = {f["id"]: f for f in json.loads(result.stdout)["features"]}
    return [r["rule"] for r in features["share"]["reasons"]]


def packs(run, *args: str) -> list[str]:
    result = run("analyze", "../features.yaml", "-f", "json", *args)
    return json.loads(result.stdout)["rules"]["packs"]


def test_analyze_loads_the_rule_packs_of_the_nearest_settings_file(run, tmp_path):
    assert "virality-high" not in fired(run)
    assert packs(run) == ["builtin", str(tmp_path / "pack.yaml")]


def test_rules_on_the_command_line_win_over_the_settings_file(run, tmp_path):
    assert "virality-high" in fired(run, "--rules", "../other.yaml")
    assert packs(run, "--rules", "../other.yaml") == ["builtin", "../other.yaml"]


def test_config_names_another_settings_file(run):
    assert "virality-high" in fired(run, "--config", "../plain.yaml")
    assert packs(run, "--config", "../plain.yaml") == ["builtin"]


def test_explain_and_report_give_the_same_advice_as_analyze(run, tmp_path):
    explained = json.loads(run("explain", "../features.yaml", "share", "-f", "json").stdout)
    assert "virality-high" not in [r["rule"] for r in explained["reasons"]]
    assert explained["rules"]["packs"] == ["builtin", str(tmp_path / "pack.yaml")]
    report = run("report", "../features.yaml").stdout
    assert "virality-high" not in report
    assert "virality-high" in run("report", "../features.yaml", "--config", "../plain.yaml").stdout


def test_rules_list_shows_what_the_settings_file_disabled(run):
    assert "Disabled: virality-high" in run("rules", "list").stdout
    assert "Disabled" not in run("rules", "list", "--config", "../plain.yaml").stdout


def test_check_reads_the_same_packs(run, tmp_path):
    result = run("check", "../features.yaml", "-f", "json")
    assert result.exit_code == 0  # the viral feature's error rests on a guess now: a note
    gate = json.loads(result.stdout)
    assert gate["gate"]["counts"] == {"error": 0, "warning": 0, "note": 2, "suppressed": 0}
    assert gate["results"][0]["rules"]["packs"] == ["builtin", str(tmp_path / "pack.yaml")]


COMMANDS = [
    ("analyze", "../features.yaml"),
    ("explain", "../features.yaml", "share"),
    ("report", "../features.yaml"),
    ("diff", "../features.yaml", "../features.yaml"),
    ("check", "../features.yaml"),
    ("validate", "../features.yaml"),  # the same reader as check
    ("rules", "list"),
    ("rules", "show", "aha-high"),
    ("rules", "test"),
    ("rules", "docs"),
    ("checks", "list"),  # the severities the packs set
    ("checks", "test"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_that_reads_rules_reports_a_bad_settings_file(run, write, tmp_path, command):
    config = write(".freemium-advisor.yaml", "rules: [pack.yaml]\nfromat: json\n")
    result = run(*command)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{config}:2:1: error: unknown config key 'fromat' (did you mean 'format'?); expected "
        "rules, files, fail_on, format, baseline, strict, select, ignore or severity\n"
    )
    assert run(*command, "--rules", "../other.yaml").exit_code == 2  # read, and reported, anyway
    assert run(*command, "--config", "../plain.yaml").exit_code in (0, 1)


def test_commands_that_read_no_rules_read_no_settings(run, write):
    write(".freemium-advisor.yaml", "fromat: json\n")
    assert run("checks", "docs").exit_code == 0
