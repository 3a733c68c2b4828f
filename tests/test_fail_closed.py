"""A gate that fails closed: every file it passes over is said, every name is escaped in every
format, stdout of any kind never ends in a traceback, nothing read is overwritten, signals
leave no temporary file, and waivers expire by the UTC date."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from freemium_advisor.base.escaping import markdown_escape, text_line, workflow_property
from freemium_advisor.base.outputs import remove_abandoned
from tests.conftest import EXAMPLES, ROOT

WHITEBOARD = EXAMPLES / "whiteboard.yaml"
CHECK_FORMATS = ["text", "json", "github", "gitlab", "sarif", "junit", "markdown"]

# One error (a viral feature in a paid tier) and one note (not collaborative at its core).
BLOCK = """\
version: 1
product:
  name: Boardly
  tiers: [free, pro]
features:
  - id: share
    name: Share boards
    current: pro
    signals: {virality: high}
"""
FLOW = "{version: 1, product: {name: Flowly, tiers: [free, pro]}, features: [{id: share, name: Share, current: pro, signals: {virality: high}}]}\n"
JSON_STYLE = json.dumps({
    "version": 1, "product": {"name": "Jsonly", "tiers": ["free", "pro"]},
    "features": [{"id": "share", "name": "Share", "current": "pro", "signals": {"virality": "high"}}],
}, indent=2) + "\n"
QUOTED = BLOCK.replace("product:", '"product":').replace("features:", "'features' :")


@pytest.fixture(autouse=True)
def no_ci_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)  # no .freemium-advisor.yaml from the checkout


def cli(*args: str, env: dict | None = None, **options) -> subprocess.CompletedProcess:
    """The real program in a child process: its exit status, its stdout and stderr bytes."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run(
        [sys.executable, "-m", "freemium_advisor", *args], cwd=ROOT,
        env={**os.environ, "COLUMNS": "100", **(env or {})}, timeout=300, **streams,
    )


def checked_files(stdout: str) -> list[str]:
    return [r["file"] for r in json.loads(stdout)["results"]]


# --- 1. discovery that fails closed ----------------------------------------------------------

def test_every_style_of_inventory_is_checked_or_named(run, tmp_path):
    folder = tmp_path / "pricing"
    folder.mkdir()
    (folder / "block.yaml").write_text(BLOCK)
    (folder / "flow.yml").write_text(FLOW)
    (folder / "json-style.json").write_text(JSON_STYLE)
    (folder / "quoted.yaml").write_text(QUOTED)
    latin1 = folder / "latin1.yaml"
    latin1.write_bytes(BLOCK.replace("Share boards", "Partag\xe9").encode("latin-1"))
    # A file whose every read fails, whoever reads it (root too): an I/O error.
    unreadable = folder / "unreadable.yaml"
    unreadable.symlink_to("/proc/self/mem")

    first = run("check", str(folder), "-f", "json")
    assert (first.exit_code, first.stdout) == (2, "")
    assert first.stderr == f"{unreadable}: error: cannot read: Input/output error\n"

    unreadable.unlink()
    second = run("check", str(folder), "-f", "json")
    assert (second.exit_code, second.stdout) == (2, "")
    assert second.stderr == f"{latin1}:7:17: error: not UTF-8 text (byte 0xe9)\n"

    latin1.unlink()
    third = run("check", str(folder), "-f", "json")
    assert third.exit_code == 1
    assert checked_files(third.stdout) == [
        str(folder / name) for name in ("block.yaml", "flow.yml", "json-style.json", "quoted.yaml")
    ]
    assert third.stderr.endswith(" in 4 files: failed (--fail-on error)\n")


def test_files_passed_over_are_counted_and_listed_with_verbose(run, tmp_path):
    folder = tmp_path / "repo"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "config.yaml").write_text("product: x\nfeatures: y\n")  # another tool's
    (folder / "features.yaml").write_text(BLOCK)
    (folder / "compose.yaml").write_text("services: {web: {image: nginx}}\n")
    (folder / "broken.yaml").write_text("a: [\n")
    (folder / "list.json").write_text("[1, 2]\n")
    (folder / ".hidden.yaml").write_text(BLOCK)
    (folder / "notes.txt").write_text("product features\n")  # not YAML or JSON: not a candidate
    (folder / "zone.yaml").symlink_to(tmp_path)

    quiet = run("check", str(folder))
    assert quiet.exit_code == 1
    assert quiet.stderr.endswith(" in 1 file (5 skipped, --verbose lists them): failed (--fail-on error)\n")
    verbose = run("check", str(folder), "--verbose")
    lines = verbose.stderr.splitlines()
    # The parser's own words differ between libyaml and PyYAML's Python parser.
    assert re.fullmatch(re.escape(f"{folder / 'broken.yaml'}: skipped: not YAML or JSON: ") + r".+ \(line 2\)", lines[1])
    assert lines[:1] + lines[2:5] == [
        f"{folder / '.hidden.yaml'}: skipped: a hidden file",
        f"{folder / 'compose.yaml'}: skipped: no top-level 'product' and 'features'",
        f"{folder / 'list.json'}: skipped: no top-level 'product' and 'features'",
        f"{folder / 'zone.yaml'}: skipped: a link to a folder, not followed",
    ]
    assert verbose.stdout == quiet.stdout


def test_a_broken_file_that_names_both_keys_fails_rather_than_being_passed_over(run, tmp_path):
    (tmp_path / "good.yaml").write_text(BLOCK)
    broken = tmp_path / "broken.yaml"
    broken.write_text(BLOCK.replace("tiers: [free, pro]", "tiers: [free, pro"))
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{broken}:5:")


def test_a_folder_of_skipped_files_only_says_how_many(run, tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n")
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path}: error: this folder holds no inventory (*.yaml, *.yml or *.json with product "
        "and features); 1 YAML or JSON file passed over\n"
    )


def unprivileged() -> list[str]:
    """A command prefix under which file permissions hold: as root, the same user without
    the capabilities that override them; otherwise nothing. Skips when neither is possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("as root, permissions are overridden, and setpriv (util-linux) is missing to drop that")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@pytest.fixture
def locked(tmp_path):
    """A folder that cannot be read, removed (readable again) after the test."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "inner.yaml").write_text(BLOCK)
    folder.chmod(0)
    yield folder
    folder.chmod(0o755)


def run_unprivileged(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*unprivileged(), sys.executable, "-m", "freemium_advisor", *args], capture_output=True,
        text=True, cwd=ROOT, timeout=300,
    )


def test_an_unreadable_folder_inside_a_checked_folder_is_named(tmp_path, locked):
    (tmp_path / "features.yaml").write_text(BLOCK)
    result = run_unprivileged("check", str(tmp_path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"{locked}: error: cannot read this folder: Permission denied\n"


def test_an_unreadable_file_inside_a_checked_folder_is_named(tmp_path):
    (tmp_path / "features.yaml").write_text(BLOCK)
    secret = tmp_path / "secret.yaml"
    secret.write_text(BLOCK)
    secret.chmod(0)
    result = run_unprivileged("check", str(tmp_path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"{secret}: error: cannot read: Permission denied\n"


def test_an_unreadable_folder_inside_a_rule_pack_is_named(tmp_path, locked):
    (tmp_path / "pack.yaml").write_text("override:\n  virality-high: {weight: 4}\n")
    result = run_unprivileged("analyze", str(WHITEBOARD), "--rules", str(tmp_path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"{locked}: error: cannot read this folder: Permission denied\n"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc on this system")
@pytest.mark.parametrize("args", [["check", "/proc"], ["analyze", str(WHITEBOARD), "--rules", "/proc/self"]])
def test_walking_proc_is_one_line_and_exit_2(args):
    result = cli(*args)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert result.stderr.count(b"\n") == 1 and b": error: " in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32"])
def test_a_utf16_or_utf32_inventory_in_a_folder_fails_as_it_does_given_directly(run, tmp_path, encoding):
    folder = tmp_path / "pricing"
    folder.mkdir()
    (folder / "good.yaml").write_text(BLOCK)
    wide = folder / "wide.yaml"
    wide.write_bytes(BLOCK.encode(encoding))  # "utf-16" and "utf-32" write a byte order mark
    direct = run("check", str(wide))
    assert (direct.exit_code, direct.stdout) == (2, "")
    assert direct.stderr.startswith(f"{wide}:1:") and direct.stderr.count("\n") == 1
    result = run("check", str(folder))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", direct.stderr)


def test_utf16_without_bom_in_a_folder_is_checked_not_skipped(run, tmp_path):
    (tmp_path / "good.yaml").write_text(BLOCK)
    (tmp_path / "utf16le.yaml").write_bytes(BLOCK.encode("utf-16-le"))
    result = run("check", str(tmp_path), "--verbose")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{tmp_path / 'utf16le.yaml'}:1:2: error: UTF-16 text; save the file as UTF-8\n"


def test_suffixes_match_whatever_their_case(run, tmp_path):
    (tmp_path / "sub").mkdir()
    deep = tmp_path / "sub" / "deep.YAML"
    deep.write_text(BLOCK)
    (tmp_path / "flow.Yml").write_text(FLOW)
    (tmp_path / "style.JSON").write_text(JSON_STYLE)
    (tmp_path / "other.Json").write_text("[1]\n")
    result = run("check", ".", "-f", "json", "--verbose")
    assert result.exit_code == 1
    assert checked_files(result.stdout) == ["./flow.Yml", "./style.JSON", "./sub/deep.YAML"]
    assert result.stderr.splitlines()[0] == "./other.Json: skipped: no top-level 'product' and 'features'"
    refused = run("check", ".", "-o", "sub/deep.YAML")
    assert (refused.exit_code, refused.stderr) == (
        2, "sub/deep.YAML: error: refusing to overwrite an input file; choose another output\n")
    assert deep.read_text() == BLOCK


def test_a_rule_pack_file_is_found_whatever_the_case_of_its_suffix(run, tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "BROKEN.YML").write_text("rules: 3\n")
    result = run("analyze", str(WHITEBOARD), "--rules", str(pack))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{pack / 'BROKEN.YML'}:")


@pytest.mark.parametrize("make,why", [
    (lambda path: os.mkfifo(path), "a FIFO, not a regular file"),
    (lambda path: path.symlink_to(path.parent / "missing.yaml"), "a link to nothing"),
], ids=["fifo", "dangling-link"])
@pytest.mark.parametrize("where", ["checked folder", "rule pack"])
def test_a_fifo_or_a_dangling_link_in_a_folder_is_exit_2_naming_it(run, tmp_path, make, why, where):
    # Never opened: a FIFO opened for reading would wait for a writer, and the test would hang.
    folder = tmp_path / "folder"
    folder.mkdir()
    odd = folder / "odd.yaml"
    make(odd)
    if where == "checked folder":
        (folder / "features.yaml").write_text(BLOCK)
        result = run("check", str(folder))
    else:
        result = run("analyze", str(WHITEBOARD), "--rules", str(folder))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{odd}: error: cannot read: {why}\n"


def test_stdin_named_twice_is_a_usage_error(run):
    for command in ("check", "validate"):
        result = run(command, "-", "-", input=BLOCK)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == "error: '-' (stdin) is named more than once; stdin can be read only once\n"


def test_an_output_over_a_file_the_scan_read_is_refused(run, tmp_path):
    (tmp_path / "features.yaml").write_text(BLOCK)
    notes = tmp_path / "notes.yaml"
    notes.write_text("a: note\n")
    result = run("check", str(tmp_path), "-o", str(notes))
    assert result.exit_code == 2
    assert result.stderr == f"{notes}: error: refusing to overwrite an input file; choose another output\n"
    assert notes.read_text() == "a: note\n"


# --- 2. every name escaped in every format ---------------------------------------------------

# Git allows any byte but NUL and '/' in a file name: a pull request can add this one.
HOSTILE_NAME = "x\n::error file=evil.py::pwned\n::stop-commands::token\n\x1b]8;;https:evil\x1b\\link\x1b]8;;\x1b\\\u202e.yaml"
BIDI = "\u202e\u2066\u2069\u202a"


@pytest.fixture
def hostile(tmp_path) -> Path:
    """An inventory with a hostile file name and bidirectional controls in its names."""
    path = tmp_path / HOSTILE_NAME
    path.write_text(BLOCK.replace("Share boards", f"Share{BIDI} boards").replace("Boardly", f"Board{BIDI}ly"))
    return path


def test_no_output_has_a_line_starting_with_a_workflow_command_it_did_not_mean(run, hostile):
    meant = re.compile(
        r"::(error|warning|notice) file=" + re.escape(workflow_property(str(hostile))) + r",line=\d+,col=\d+,title=[^:\n]*::.*"
    )
    for fmt in CHECK_FORMATS:
        result = run("check", str(hostile), "-f", fmt)
        assert result.exit_code == 1, fmt
        for line in (result.stdout + result.stderr).splitlines():
            assert not line.startswith("::") or (fmt == "github" and meant.fullmatch(line)), (fmt, line)
    for args in (["analyze", str(hostile)], ["explain", str(hostile), "share"], ["validate", str(hostile)],
                 ["report", str(hostile)], ["diff", str(hostile), str(hostile)]):
        result = run(*args)
        assert result.exit_code == 0, args
        assert not [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("::")], args


def test_an_error_about_a_hostile_file_is_one_line(run, tmp_path):
    path = tmp_path / HOSTILE_NAME
    path.write_text("version: 1\nproduct: {name: x}\nfeatures: [{id: a, name: A, signals: {viraltiy: high}}]\n")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"{text_line(path)}:3:39: error: unknown signal 'viraltiy' (did you mean 'virality'?)\n"
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("args", [
    *(["check", "{file}", "-f", fmt] for fmt in CHECK_FORMATS),
    ["check", "{file}", "-f", "text", "--color"],
    ["analyze", "{file}"], ["analyze", "{file}", "--color"], ["analyze", "{file}", "-f", "json"],
    ["explain", "{file}", "share"], ["explain", "{file}", "share", "-f", "json"],
    ["report", "{file}"], ["report", "{file}", "-f", "html"],
    ["diff", "{file}", "{file}"], ["diff", "{file}", "{file}", "-f", "json"],
    ["validate", "{file}"],
], ids=lambda args: " ".join(a for a in args if a != "{file}"))
def test_no_control_or_bidirectional_character_reaches_any_output(run, hostile, args):
    result = run(*[str(hostile) if a == "{file}" else a for a in args])
    assert result.exit_code in (0, 1)
    for stream in (result.stdout, result.stderr):
        colorless = re.sub(r"\x1b\[[0-9;]*m", "", stream) if "--color" in args else stream
        assert not UNSAFE.search(colorless.replace("\r\n", "\n")), UNSAFE.search(colorless)


def test_json_keeps_the_names_it_escapes(run, hostile):
    document = json.loads(run("analyze", str(hostile), "-f", "json").stdout)
    assert document["file"] == str(hostile)
    assert document["features"][0]["name"] == f"Share{BIDI} boards"
    raw = run("check", str(hostile), "-f", "json").stdout
    assert "\\u202e" in raw and "\u202e" not in raw
    assert json.loads(raw)["results"][0]["product"]["name"] == f"Board{BIDI}ly"


def test_junit_with_a_hostile_name_is_well_formed_xml(run, hostile):
    root = ET.fromstring(run("check", str(hostile), "-f", "junit").stdout.encode("utf-8"))
    assert root.find("testsuite").get("name") == text_line(hostile)


def test_the_markdown_comment_leaves_no_tag_link_or_mention_of_a_name(run, tmp_path):
    path = tmp_path / "<img src=x onerror=alert(1)> [click](http:evil) @octocat.yaml"
    path.write_text(BLOCK)
    body = run("check", str(path), "-f", "markdown").stdout
    assert markdown_escape(str(path)) in body
    assert "<img" not in body and "[click]" not in body and " @octocat" not in body
    assert "@&#8203;octocat" in body


def test_the_markdown_comment_shows_a_newline_in_a_name_as_every_format_does(run, tmp_path):
    path = tmp_path / "a\nb\t\x1bc.yaml"
    path.write_text(BLOCK)
    body = run("check", str(path), "-f", "markdown").stdout
    text = run("check", str(path), "-f", "text").stdout
    assert text.startswith(f"{tmp_path}/a\\nb\\t\\u001bc.yaml:3:3: note ")
    # The same escapes, their backslashes escaped for Markdown (rendered: a\nb\t\u001bc.yaml).
    assert f"| error | {markdown_escape(tmp_path)}/a\\\\nb\\\\t\\\\u001bc.yaml:8 |" in body
    assert not [line for line in body.splitlines() if line.startswith("b")]


# --- 3. any stdout ---------------------------------------------------------------------------

CSV = ROOT / "tests" / "fixtures" / "import" / "team.csv"
PRICING = ROOT / "tests" / "data" / "pricing2yaml" / "slack" / "2024.yml"
EVERY_COMMAND = [
    ["--help"], ["--version"], ["analyze", "--help"],
    ["analyze", str(WHITEBOARD)], ["analyze", str(WHITEBOARD), "-f", "json"],
    ["explain", str(WHITEBOARD), "share-board"], ["explain", str(WHITEBOARD), "share-board", "-f", "json"],
    ["report", str(WHITEBOARD)], ["report", str(WHITEBOARD), "-f", "html"],
    ["validate", str(WHITEBOARD)], ["init", "-"], ["schema"], ["schema", "--result"],
    *(["check", str(WHITEBOARD), "-f", fmt] for fmt in CHECK_FORMATS),
    ["diff", str(WHITEBOARD), str(EXAMPLES / "survey.yaml")],
    ["rules", "list"], ["rules", "list", "-f", "json"], ["rules", "show", "virality-high"],
    ["rules", "test"], ["rules", "docs"],
    ["import", "csv", str(CSV)], ["import", "pricing2yaml", str(PRICING)],
    ["checks", "list"], ["checks", "test"], ["checks", "docs"],
    ["analyze", "missing.yaml"], ["analyze", "--formt", "x"],
]


@pytest.fixture(scope="module")
def every_command_run(tmp_path_factory):
    """``every_command_run(encoding)``: each of ``EVERY_COMMAND`` run as a process of its own
    whose stdout has that encoding (tests/forkrun.py: forked from one process that imported
    the program once), by the command's arguments."""
    done: dict[str, dict] = {}

    def runs(encoding: str) -> dict:
        if encoding not in done:
            commands = tmp_path_factory.mktemp("commands") / "commands.json"
            commands.write_text(json.dumps(EVERY_COMMAND), encoding="utf-8")
            ran = subprocess.run(
                [sys.executable, "-m", "tests.forkrun", str(commands)], cwd=ROOT, timeout=600,
                env={**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": encoding},
                stdin=subprocess.DEVNULL, capture_output=True, check=True, text=True,
            )
            lines = [json.loads(line) for line in ran.stdout.splitlines()]
            done[encoding] = {tuple(line["args"]): subprocess.CompletedProcess(
                line["args"], line["returncode"], line["stdout"].encode("latin-1"),
                line["stderr"].encode("latin-1")) for line in lines}
        return done[encoding]

    return runs


@pytest.mark.xdist_group("every-command")  # one worker runs the matrix, two launches
@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("args", EVERY_COMMAND, ids=" ".join)
def test_a_stdout_that_cannot_encode_the_text_gets_escapes(every_command_run, args, encoding):
    result = every_command_run(encoding)[tuple(args)]
    assert result.returncode in (0, 1, 2), result.stderr
    assert b"Traceback" not in result.stderr
    result.stdout.decode(encoding)  # all of it in the encoding asked for
    if args[:1] == ["check"] and "-f" in args and args[args.index("-f") + 1] == "markdown":
        assert result.stdout.startswith(b"### freemium-advisor check: \\u274c failed")


def test_escaped_json_on_an_ascii_stdout_still_parses_to_the_same_data():
    plain = json.loads(cli("analyze", str(WHITEBOARD), "-f", "json").stdout)
    ascii_only = json.loads(cli("analyze", str(WHITEBOARD), "-f", "json", env={"PYTHONIOENCODING": "ascii"}).stdout)
    assert ascii_only == plain


def big_inventory(tmp_path: Path, count: int = 2000) -> Path:
    path = tmp_path / "big.yaml"
    features = "".join(
        f"  - {{id: f{i}, name: Feature {i} shared with guests, current: pro}}\n" for i in range(count)
    )
    path.write_text(f"version: 1\nproduct: {{name: Big, tiers: [free, pro]}}\nfeatures:\n{features}")
    return path


@pytest.mark.parametrize("args", [["analyze", "{big}", "-f", "json"], ["analyze", "{big}"],
                                  ["check", "{big}", "-f", "junit"], ["check", "{big}", "-f", "github"]])
def test_a_closed_pipe_ends_quietly_with_141(tmp_path, args):
    big = big_inventory(tmp_path)
    child = subprocess.Popen(
        [sys.executable, "-m", "freemium_advisor", *[str(big) if a == "{big}" else a for a in args]],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    child.stdout.read(10)  # `| head -c 10`: the reader takes a little and goes away
    child.stdout.close()
    stderr = child.stderr.read()
    child.stderr.close()
    assert child.wait(timeout=300) == 141
    assert stderr == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["analyze", str(WHITEBOARD)], ["analyze", str(WHITEBOARD), "-f", "json"],
                                  ["check", str(WHITEBOARD), "-f", "sarif"], ["validate", str(WHITEBOARD)],
                                  ["rules", "list"], ["--help"]])
def test_a_full_device_is_one_line_and_exit_2(args):
    with open("/dev/full", "wb") as full:
        result = cli(*args, stdout=full)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == "<stdout>: error: cannot write: No space left on device"
    assert b"Traceback" not in result.stderr and b"Exception ignored" not in result.stderr


# --- 4. nothing read is overwritten, no two outputs share a path -----------------------------

def test_output_onto_a_read_only_file_is_refused(run, tmp_path):
    out = tmp_path / "advice.json"
    out.write_text("kept\n")
    out.chmod(0o444)
    result = run("analyze", str(WHITEBOARD), "-f", "json", "-o", str(out))
    assert (result.exit_code, result.stderr) == (2, f"{out}: error: is read-only; refusing to replace it\n")
    assert out.read_text() == "kept\n"


def test_two_outputs_naming_one_file_are_refused(run, tmp_path):
    (tmp_path / "features.yaml").write_text(BLOCK)
    out = tmp_path / "x.json"
    result = run("check", "features.yaml", "-o", str(out), "--write-baseline", str(out))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{out}: error: named by both --output and --write-baseline; give each output its own file\n"
    assert not out.exists()


def test_two_outputs_on_stdout_are_refused(run, tmp_path):
    (tmp_path / "features.yaml").write_text(BLOCK)
    result = run("check", "features.yaml", "-f", "json", "--write", "sarif=-")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: --output and --write sarif=- both write to stdout; give one of them a file\n"
    both = run("check", "features.yaml", "-o", "report.json", "--write", "sarif=-", "--write", "junit=-")
    assert (both.exit_code, both.stdout) == (2, "")
    assert both.stderr == "error: --write sarif=- and --write junit=- both write to stdout; give one of them a file\n"


@pytest.mark.parametrize("args", [["-o", "report.json", "--write", "sarif=-"],
                                  ["--write-baseline", "b.json", "--write", "sarif=-"]])
def test_one_output_on_stdout_is_allowed(run, tmp_path, args):
    (tmp_path / "features.yaml").write_text(BLOCK)
    result = run("check", "features.yaml", *args)
    assert result.exit_code in (0, 1)
    assert json.loads(result.stdout)["version"] == "2.1.0"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_failing_device_leaves_every_file_of_the_run_untouched(run, tmp_path):
    (tmp_path / "features.yaml").write_text(BLOCK)
    (tmp_path / "s.sarif").write_text("old\n")
    result = run("check", "features.yaml", "-o", "r.json", "-f", "json",
                 "--write", "sarif=s.sarif", "--write", "junit=/dev/full")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "/dev/full: error: cannot write: No space left on device\n"
    assert (tmp_path / "s.sarif").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["features.yaml", "s.sarif"]


def test_writing_a_baseline_keeps_the_report_asked_for(run, tmp_path):
    (tmp_path / "features.yaml").write_text(BLOCK)
    result = run("check", "features.yaml", "-f", "json", "-o", "report.json", "--write-baseline", "b.json")
    assert result.exit_code == 0
    assert result.stderr == "Wrote 3 findings to b.json.\n"
    assert checked_files((tmp_path / "report.json").read_text()) == ["features.yaml"]
    assert len(json.loads((tmp_path / "b.json").read_text())["findings"]) == 3


@pytest.mark.parametrize("how", ["option", "config"])
def test_writing_over_the_baseline_in_force_is_refused(run, tmp_path, how):
    (tmp_path / "features.yaml").write_text(BLOCK)
    assert run("check", "features.yaml", "--write-baseline", "b.json").exit_code == 0
    before = (tmp_path / "b.json").read_bytes()
    if how == "config":
        (tmp_path / ".freemium-advisor.yaml").write_text("baseline: b.json\n")
        args = ["check", "features.yaml", "--write-baseline", "b.json"]
    else:
        args = ["check", "features.yaml", "--baseline", "b.json", "--write-baseline", "b.json"]
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, (
        "b.json: error: is the baseline this run reads; to rewrite it, use --update-baseline "
        "b.json (it lists the recorded findings it drops)\n"
    ))
    assert (tmp_path / "b.json").read_bytes() == before


def test_updating_a_baseline_lists_what_it_drops(run, tmp_path):
    inventory = tmp_path / "features.yaml"
    inventory.write_text(BLOCK)
    assert run("check", "features.yaml", "--write-baseline", "b.json").exit_code == 0
    recorded = {e["check"]: e["fingerprint"] for e in json.loads((tmp_path / "b.json").read_text())["findings"]}
    inventory.write_text(BLOCK.replace("current: pro", "current: free"))  # the error is fixed
    result = run("check", "features.yaml", "--update-baseline", "b.json")
    assert result.exit_code == 0
    dropped = sorted([
        (recorded["gated-growth-feature"], "gated-growth-feature on share in features.yaml"),
        (recorded["empty-tier"], "empty-tier on tier:free in features.yaml"),  # the free tier is used now
    ])
    assert result.stderr == "".join(f"b.json: dropped {fingerprint} ({what})\n" for fingerprint, what in dropped) + (
        "Wrote 4 findings to b.json (3 new, 2 dropped).\n"
    )
    kept = {e["check"] for e in json.loads((tmp_path / "b.json").read_text())["findings"]}
    assert kept == {"no-habit-in-free", "not-collaborative", "no-upgrade-trigger", "empty-tier"}


# --- 5. signals: no temporary file left, the conventional status ----------------------------

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
from freemium_advisor.cli import main
sys.argv = ["freemium-advisor", "analyze", sys.argv[1], "-f", "json", "-o", sys.argv[2]]
main()
"""


def paused_writer(out: Path) -> subprocess.Popen:
    """A real run stopped half-way through writing ``out``, its temporary file on disk."""
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSE_MID_WRITE, str(WHITEBOARD), str(out)],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT,
    )
    assert child.stderr.readline() == "paused\n"
    return child


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_write_removes_the_temporary_file(tmp_path, signum):
    out = tmp_path / "advice.json"
    out.write_text("the previous advice\n")
    child = paused_writer(out)
    try:
        assert len(temporaries(tmp_path)) == 1
        child.send_signal(signum)
        assert child.wait(timeout=30) == 128 + signum
        assert child.stderr.read() == ""
    finally:
        if child.poll() is None:
            child.kill()
        child.stderr.close()
    assert temporaries(tmp_path) == []
    assert out.read_text() == "the previous advice\n"


def test_a_temporary_file_left_by_sigkill_is_removed_by_the_next_write(run, tmp_path):
    out = tmp_path / "advice.json"
    child = paused_writer(out)
    child.kill()
    child.wait(timeout=30)
    child.stderr.close()
    [left] = temporaries(tmp_path)
    assert left.startswith(f".advice.json.{child.pid}.")
    assert run("analyze", str(WHITEBOARD), "-f", "json", "-o", str(out)).exit_code == 0
    assert temporaries(tmp_path) == []
    assert json.loads(out.read_text())["features"]


def test_a_live_writers_temporary_file_is_kept(tmp_path):
    out = tmp_path / "advice.json"
    child = paused_writer(out)  # alive, and holding its temporary file's lock
    try:
        [live] = temporaries(tmp_path)
        dead = tmp_path / f".advice.json.{2**22 + 1}.abcdefgh.tmp"  # beyond any pid: no such process
        dead.write_text("left behind")
        assert remove_abandoned(out) == [dead]
        assert temporaries(tmp_path) == [live]
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stderr.close()


# --- 6. waiver dates: ISO only, judged in UTC ------------------------------------------------

WAIVED = BLOCK + "    waive:\n      - {check: gated-growth-feature, reason: Upsell test, expires: %s}\n"


@pytest.mark.parametrize("expires", ["20270331", "2027-W13-3", "2027-03-31T00:00:00", "2027-3-31", "'20270331'", "2027-02-30", "true"])
def test_a_waiver_date_is_iso_yyyy_mm_dd_only(run, tmp_path, expires):
    (tmp_path / "features.yaml").write_text(WAIVED % expires)
    result = run("validate", "features.yaml")
    assert result.exit_code == 2
    assert "error: waiver 'expires' must be a date like 2027-03-31 (YYYY-MM-DD), not " in result.stderr


def test_waivers_expire_by_the_utc_date_in_every_time_zone(tmp_path):
    # Each of these zones has another date than UTC for half of the day (the furthest ahead
    # and behind); a waiver expiring today or yesterday in UTC is judged by the UTC date.
    today = dt.datetime.now(dt.timezone.utc).date()
    for expires, suppressed in ((today, 1), (today - dt.timedelta(days=1), 0)):
        path = tmp_path / "features.yaml"
        path.write_text(WAIVED % expires.isoformat())
        results = set()
        for zone in ("UTC", "Etc/GMT-14", "Etc/GMT+12"):
            result = cli("check", str(path), "-f", "json", "--fail-on", "never", env={"TZ": zone})
            results.add(json.loads(result.stdout)["gate"]["counts"]["suppressed"])
        assert results == {suppressed}


# --- 7. the small ones -----------------------------------------------------------------------

def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "pricing").mkdir()
    (tmp_path / "pricing" / "features.yaml").write_text(BLOCK)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first")
    return tmp_path


def test_an_empty_base_is_an_unknown_ref_not_no_base(run, repo):
    result = run("check", "pricing/features.yaml", "--base", "")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", "error: unknown git ref ''\n")


def test_diff_of_a_folder_at_a_ref_is_refused(run, repo):
    result = run("diff", "HEAD:pricing", "pricing/features.yaml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "HEAD:pricing: error: is a folder at HEAD, not a file\n"
