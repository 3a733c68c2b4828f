"""The Typer adapter (freemium_advisor/cli/typer_adapter.py) holds for the installed Typer.

It reaches private names of Typer; these tests fail first when Typer moves outside the range
the adapter is written for, or a name it uses is gone, and pin what the adapter is for.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from freemium_advisor.cli.typer_adapter import SUPPORTED_TYPER, click_exceptions

ROOT = Path(__file__).resolve().parent.parent


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2])


def test_the_installed_typer_is_in_the_supported_range():
    lowest, below = (_release(bound.lstrip("<>=")) for bound in SUPPORTED_TYPER)
    assert lowest <= _release(version("typer")) < below


def test_pyproject_pins_the_supported_range():
    pin = "typer" + ",".join(SUPPORTED_TYPER)
    assert f'"{pin}"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_private_names_the_adapter_uses_exist():
    from typer.core import TyperArgument, TyperOption, _TyperParameter

    assert all(isinstance(cls, type) and issubclass(cls, Exception) for cls in click_exceptions())
    for owner, name in ((TyperOption, "display_type_rich"), (TyperArgument, "display_type_rich"),
                        (TyperArgument, "_usage_display_name"), (_TyperParameter, "get_runtime_param")):
        assert callable(getattr(owner, name)), f"{owner.__name__}.{name}"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "freemium_advisor", *args], capture_output=True,
                          text=True, env={"COLUMNS": "100", "NO_COLOR": "1", "PATH": ""}, cwd=ROOT)


def test_help_names_arguments_plainly_and_flags_without_a_type():
    init = _run("init", "--help").stdout
    assert "Usage: freemium-advisor init [OPTIONS] [PATH]" in init
    assert "Usage: freemium-advisor check [OPTIONS] [FILE]..." in _run("check", "--help").stdout  # FILE is optional
    assert "--force" in init and "<bool>" not in init and "<str>" not in init


def test_a_usage_error_is_one_line_and_exit_2():
    done = _run("analyze", "--formt", "json", "examples/whiteboard.yaml")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "No such option: --formt" in done.stderr


@pytest.mark.parametrize("args", [("analyze", "examples/whiteboard.yaml", "-f", "json"),
                                  ("check", "examples/whiteboard.yaml", "--fail-on", "never")])
def test_plain_values_do_not_import_pydantic(args):
    code = ("import sys, runpy; sys.argv = ['freemium-advisor', *sys.argv[1:]]\n"
            "from freemium_advisor.cli import app\n"
            "try:\n    app(prog_name='freemium-advisor')\nexcept SystemExit as exit:\n"
            "    assert exit.code == 0, exit.code\n"
            "print('pydantic' in sys.modules, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr


def test_commands_annotations_are_objects_not_text():
    """Typer evaluates annotations written as text (``from __future__ import annotations``)
    every time the tool starts; the command modules declare them as objects."""
    from typer.main import get_command

    from freemium_advisor.cli import app

    group = get_command(app)
    commands = [(name, command) for name, command in group.commands.items()]
    while commands:
        name, command = commands.pop()
        commands += [(f"{name} {sub}", c) for sub, c in getattr(command, "commands", {}).items()]
        callback = command.callback
        if callback is None:
            continue
        text = [key for key, value in getattr(callback, "__annotations__", {}).items()
                if isinstance(value, str)]
        assert not text, f"{name}: annotations written as text: {text}"
    assert len(group.commands) > 10


def _built(args: list[str]) -> set[str]:
    """The commands Typer builds for a run whose arguments are ``args``."""
    import typer.main

    from freemium_advisor.cli import COMPLETE_VAR, app
    from freemium_advisor.cli.typer_adapter import only_command

    with only_command(app, args, COMPLETE_VAR):
        return set(typer.main.get_command(app).commands)


def test_a_run_builds_only_the_command_or_group_it_names(monkeypatch):
    monkeypatch.delenv("_FREEMIUM_ADVISOR_COMPLETE", raising=False)
    everything = _built([])
    assert {"analyze", "check", "report", "rules", "import", "checks"} <= everything
    assert _built(["analyze", "x.yaml", "-f", "json"]) == {"analyze"}
    assert _built(["rules", "test"]) == {"rules"}
    # a misspelt name needs every name for its "did you mean"; an option may come first
    assert _built(["anlyze"]) == everything
    assert _built(["--help"]) == everything
    assert _built(["x.yaml", "analyze"]) == everything
    assert _built(["analyze"]) != everything == _built([])  # put back after the run
    monkeypatch.setenv("_FREEMIUM_ADVISOR_COMPLETE", "complete_bash")
    assert _built(["analyze"]) == everything  # completion reads its words elsewhere


def test_a_command_built_alone_helps_and_runs_as_in_the_whole_application(run):
    for args in (["analyze", "--help"], ["rules", "--help"], ["rules", "list", "--help"]):
        alone = _run(*args)
        assert alone.returncode == 0 and alone.stderr == ""
        assert alone.stdout == run(*args).stdout
    misspelt = _run("anlyze", "examples/whiteboard.yaml")
    assert misspelt.returncode == 2 and "did you mean" in misspelt.stderr.lower()
