"""Nothing lost: no command overwrites a file the run reads, a killed run leaves the previous
output intact, and the same input gives the same bytes whatever PYTHONHASHSEED is."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.test_hardening_inputs import assert_bad_input

WHITEBOARD = EXAMPLES / "whiteboard.yaml"
PACK = """\
override:
  virality-high: {weight: 4}
"""
REFUSED = "error: refusing to overwrite an input file; choose another output"


@pytest.fixture
def inventory(tmp_path) -> Path:
    path = tmp_path / "inv.yaml"
    path.write_bytes(WHITEBOARD.read_bytes())
    return path


def unchanged(path: Path, before: bytes) -> bool:
    return path.read_bytes() == before


def test_the_inventory_by_another_name(run, inventory, tmp_path):
    link = tmp_path / "link.yaml"
    os.link(inventory, link)  # a hard link: another name, the same file
    before = inventory.read_bytes()
    assert_bad_input(run("analyze", str(inventory), "-o", str(link)), f"{link}: ", REFUSED)
    assert unchanged(inventory, before)


def test_the_inventory_through_a_symlink(run, inventory, tmp_path):
    link = tmp_path / "link.yaml"
    link.symlink_to(inventory)
    before = inventory.read_bytes()
    assert_bad_input(run("analyze", str(link), "-o", str(inventory)), f"{inventory}: ", REFUSED)
    assert unchanged(inventory, before)


@pytest.mark.parametrize("command", [("analyze", "INV"), ("rules", "docs")])
def test_a_rule_pack_file(run, inventory, tmp_path, command):
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK)
    args = [str(inventory) if part == "INV" else part for part in command]
    result = run(*args, "-r", str(pack), "-o", str(pack))
    assert_bad_input(result, f"{pack}: ", REFUSED)
    assert pack.read_text() == PACK


@pytest.mark.parametrize("command", [("analyze", "INV"), ("rules", "docs")])
def test_a_file_inside_a_rules_folder(run, inventory, tmp_path, command):
    folder = tmp_path / "packs"
    (folder / "deeper").mkdir(parents=True)
    first, second = folder / "a.yaml", folder / "deeper" / "b.yaml"
    first.write_text(PACK)
    second.write_text("override:\n  aha-high: {weight: 2}\n")
    args = [str(inventory) if part == "INV" else part for part in command]
    for target in (first, second):
        before = target.read_bytes()
        assert_bad_input(run(*args, "-r", str(folder), "-o", str(target)), f"{target}: ", REFUSED)
        assert unchanged(target, before)


def test_a_built_in_rule_file(run, tmp_path):
    # Through a symlink: were the guard to fail, the link would be replaced, not the rule file.
    built_in = ROOT / "rules" / "virality.yaml"
    link = tmp_path / "virality.yaml"
    link.symlink_to(built_in)
    assert_bad_input(run("rules", "docs", "-o", str(link)), f"{link}: ", REFUSED)
    assert link.is_symlink()


@pytest.mark.parametrize("template, command", [
    ("rules.md.j2", ("rules", "docs", "-o")),
    ("starter.yaml.j2", ("init", "--force")),
])
def test_a_template(run, tmp_path, template, command):
    link = tmp_path / template
    link.symlink_to(ROOT / "templates" / template)
    if command[0] == "init":
        result = run("init", str(link), "--force")
    else:
        result = run(*command, str(link))
    assert_bad_input(result, f"{link}: ", REFUSED)
    assert link.is_symlink()


def cli(*args: str, stdin=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "freemium_advisor", *args], stdin=stdin, capture_output=True,
        text=True, timeout=120, env=env, cwd=ROOT,
    )


@pytest.mark.parametrize("command, name", [
    (("analyze", "-"), "inv.yaml"),
    (("import", "csv", "-"), "t.csv"),
    (("import", "pricing2yaml", "-"), "p.yml"),
])
def test_stdin_when_it_is_a_file(tmp_path, command, name):
    sources = {
        "inv.yaml": WHITEBOARD.read_bytes(),
        "t.csv": (ROOT / "tests" / "fixtures" / "import" / "team.csv").read_bytes(),
        "p.yml": (ROOT / "tests" / "fixtures" / "import" / "boardly.yml").read_bytes(),
    }
    path = tmp_path / name
    path.write_bytes(sources[name])
    with open(path, "rb") as stdin:
        result = cli(*command, "-o", str(path), stdin=stdin)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"{path}: {REFUSED}\n"
    assert path.read_bytes() == sources[name]


def test_stdin_from_a_pipe_may_go_anywhere(tmp_path):
    out = tmp_path / "out.json"
    result = subprocess.run(
        [sys.executable, "-m", "freemium_advisor", "analyze", "-", "-f", "json", "-o", str(out)],
        input=WHITEBOARD.read_bytes(), capture_output=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["features"]


def test_an_output_that_is_a_directory(run, inventory, tmp_path):
    assert_bad_input(run("analyze", str(inventory), "-o", str(tmp_path)), f"{tmp_path}: ", "is a directory")


# Run the real command in a child process that stops at a chosen point of the write; the
# parent kills it there with SIGKILL (nothing can clean up) and inspects the output file.
PAUSE_MID_WRITE = """
import os, sys, time
real_fdopen = os.fdopen

class HalfWriter:
    def __init__(self, stream):
        self.stream = stream
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.stream.__exit__(*exc)
    def __getattr__(self, name):
        return getattr(self.stream, name)
    def write(self, text):
        self.stream.write(text[: len(text) // 2])
        self.stream.flush()
        print("paused", file=sys.stderr, flush=True)
        time.sleep(120)

os.fdopen = lambda *args, **kwargs: HalfWriter(real_fdopen(*args, **kwargs))
"""
PAUSE_BEFORE_RENAME = """
import os, sys, time
real_replace = os.replace

def replace(source, target):
    print("paused", file=sys.stderr, flush=True)
    time.sleep(120)
    real_replace(source, target)

os.replace = replace
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("pause", [PAUSE_MID_WRITE, PAUSE_BEFORE_RENAME], ids=["mid-write", "before-rename"])
def test_a_run_killed_mid_write_leaves_the_previous_file(tmp_path, pause):
    out = tmp_path / "advice.json"
    out.write_text("the previous advice\n")
    script = textwrap.dedent(pause) + (
        "from freemium_advisor.cli import main\n"
        f"sys.argv = ['freemium-advisor', 'analyze', {str(WHITEBOARD)!r}, '-f', 'json', '-o', {str(out)!r}]\n"
        "main()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
        text=True, cwd=ROOT,
    )
    try:
        assert child.stderr.readline() == "paused\n"
        temporary = [p for p in tmp_path.iterdir() if p.name.startswith(".advice.json.")]
        assert temporary and temporary[0].stat().st_size > 0  # the new text is on its way
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stderr.close()
    assert out.read_text() == "the previous advice\n"


COMMANDS = [
    ["analyze", str(WHITEBOARD)],
    ["analyze", str(WHITEBOARD), "-f", "json"],
    ["analyze", str(EXAMPLES / "database.yaml"), "-f", "json"],
    ["explain", str(WHITEBOARD), "share-board"],
    ["explain", str(WHITEBOARD), "share-board", "-f", "json"],
    ["rules", "list", "-f", "json"],
    ["rules", "docs"],
    ["schema"],
    ["import", "csv", str(ROOT / "tests" / "fixtures" / "import" / "team.csv")],
    ["import", "pricing2yaml", str(ROOT / "tests" / "data" / "pricing2yaml" / "slack" / "2024.yml")],
    ["report", str(WHITEBOARD)],
    ["report", str(WHITEBOARD), "-f", "html"],
    ["check", str(WHITEBOARD), "-f", "sarif", "--fail-on", "never"],
    ["check", str(EXAMPLES), "-f", "junit", "--fail-on", "never"],
    ["checks", "docs"],
]
DIGESTS = """
import hashlib, json, sys
from typer.testing import CliRunner
from freemium_advisor.cli import app
digests = []
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, args, prog_name="freemium-advisor")
    digests.append([result.exit_code, hashlib.sha256(result.stdout.encode()).hexdigest()])
print(json.dumps(digests))
"""


@pytest.mark.heavy
def test_same_bytes_whatever_the_hash_seed():
    outputs = []
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "COLUMNS": "100"}
        env.pop("NO_COLOR", None)
        result = subprocess.run(
            [sys.executable, "-c", DIGESTS, json.dumps(COMMANDS)], capture_output=True,
            text=True, timeout=300, env=env, cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(json.loads(result.stdout))
    assert all(code == 0 for code, _ in outputs[0])
    assert outputs[0] == outputs[1] == outputs[2]


def test_only_outputs_py_writes_files():
    """Every file the tool writes goes through the atomic writer."""
    writers = re.compile(r"\.write_text\(|\.write_bytes\(|open\([^)]*['\"][wax]b?\+?['\"]")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "freemium_advisor").rglob("*.py")
        if path.name != "outputs.py" and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_huge_columns_setting_is_capped(run, monkeypatch):
    # Was: COLUMNS=100000000 had rich draw the table that wide, for minutes.
    monkeypatch.setenv("COLUMNS", "100000000")
    result = run("analyze", str(WHITEBOARD))
    assert result.exit_code == 0
    assert max(map(len, result.stdout.splitlines())) <= 1_000


def test_the_configuration(run, inventory, tmp_path):
    config = tmp_path / ".freemium-advisor.yaml"
    config.write_text("fail_on: never\n")
    before = config.read_bytes()
    result = run("check", str(inventory), "--config", str(config), "-o", str(config))
    assert_bad_input(result, f"{config}: ", REFUSED)
    assert unchanged(config, before)


def test_a_baseline_read_by_check(run, inventory, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert run("check", str(inventory), "--write-baseline", str(baseline)).exit_code == 0
    before = baseline.read_bytes()
    result = run("check", str(inventory), "--baseline", str(baseline), "-o", str(baseline))
    assert_bad_input(result, f"{baseline}: ", REFUSED)
    assert unchanged(baseline, before)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_an_output_that_is_a_stream_is_written_not_replaced(tmp_path):
    # Was: a temporary file renamed over it (as root, '-o /dev/null' replaced /dev/null).
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    child = subprocess.Popen(
        [sys.executable, "-m", "freemium_advisor", "analyze", str(WHITEBOARD), "-f", "json",
         "-o", str(fifo)], cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )
    with open(fifo, encoding="utf-8") as stream:
        received = stream.read()
    assert child.wait(timeout=120) == 0, child.stderr.read()
    child.stderr.close()
    assert json.loads(received)["features"]
    assert fifo.exists() and not fifo.is_file()  # still the FIFO


def test_an_output_through_a_symlink_replaces_the_file_and_keeps_the_link(run, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run("analyze", str(WHITEBOARD), "-f", "json", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert json.loads(real.read_text())["features"]
