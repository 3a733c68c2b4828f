"""Shared helpers: run the real command, and write small inventories to files."""

from __future__ import annotations

import compileall
import os
import shutil
import textwrap
from pathlib import Path

import pytest
import typer
import typer.main
import typer.testing
from typer.testing import CliRunner

from freemium_advisor.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


class Result:
    """What a command printed and returned."""

    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr


# The command Typer builds from the app, built once for the whole run: Typer's test runner
# would build it again for every invocation (tens of milliseconds, thousands of times), and a
# built command holds no state between invocations.
COMMAND = typer.main.get_command(app)


@pytest.fixture
def run(monkeypatch):
    """Invoke ``freemium-advisor ARGS...`` in-process, as a user would from a shell."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: COMMAND)

    def invoke(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=input, prog_name="freemium-advisor")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def write(tmp_path):
    """Write dedented text to a file in a temporary folder and return its path as text."""

    def make(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return str(path)

    return make


GOLDEN = ROOT / "tests" / "golden"


def pytest_configure(config):
    """Compile the package to bytecode once, as pip does when it installs it: the tests start
    the real command in a few hundred fresh processes, and where the environment sets
    PYTHONDONTWRITEBYTECODE (as CI machines often do) each of them would otherwise compile
    every module again. Done by the main process only, before any worker starts."""
    if not hasattr(config, "workerinput"):
        compileall.compile_dir(str(ROOT / "freemium_advisor"), quiet=1)


def pytest_collection_modifyitems(config, items):
    """The long tests first: the groups of tests that share an expensive fixture (an install,
    a browser) and the tests marked heavy. Two workers then end together, instead of one
    starting a long test when the other is nearly done."""
    def long(item) -> bool:
        return bool(item.get_closest_marker("xdist_group") or item.get_closest_marker("heavy"))

    items.sort(key=lambda item: not long(item))


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens", action="store_true", default=False,
        help="Rewrite the golden files under tests/golden/ from the current output.",
    )


@pytest.fixture
def golden(request):
    """Compare text with ``tests/golden/NAME`` (or rewrite it with ``--update-goldens``)."""
    update = request.config.getoption("--update-goldens")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"no golden file {name}: run python -m pytest tests/test_golden.py --update-goldens"
        assert text == path.read_text(encoding="utf-8"), (
            f"{name} differs; if the change is intended, run "
            "python -m pytest tests/test_golden.py --update-goldens and review the diff"
        )

    return check


# --- external tools the report tests drive (.ci/run installs them; a dev machine may not) ---

def chromium() -> str | None:
    """The system's Chromium (Debian's package): ``$CHROMIUM``, else ``chromium`` on PATH."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def mermaid_script() -> str | None:
    """Mermaid's browser script (the ``mermaid`` package from npm): ``$MERMAID_JS``, else where
    .ci/run installs it."""
    local = ROOT / ".tools" / "node" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    return os.environ.get("MERMAID_JS") or (str(local) if local.exists() else None)