"""Limits that agree: a catalog of 100,000 real-looking features loads, and every output
the gate cannot write (a name too long, a read-only folder, a full disk) is one line and
exit 2, leaving every output of the run as it was."""

from __future__ import annotations

import errno
import os

import pytest

from benchmarks.shapes import inventory_text, realistic_features
from freemium_advisor.base import limits
from freemium_advisor.reading.inventory_reader import load_inventory
from tests.conftest import EXAMPLES

WHITEBOARD = str(EXAMPLES / "whiteboard.yaml")


@pytest.mark.heavy
def test_a_realistic_catalog_of_100000_features_loads(tmp_path):
    features = realistic_features(limits.MAX_FEATURES)
    # Every tenth feature waives a check, as a catalog with deliberate decisions does.
    for feature in features[::10]:
        feature["waive"] = [{"check": "gated-growth-feature", "reason": "Our upgrade trigger",
                             "owner": "pricing@example.com", "expires": "2099-12-31"}]
    path = tmp_path / "features.yaml"
    path.write_text(inventory_text(features), encoding="utf-8")
    size = path.stat().st_size
    assert size < limits.MAX_FILE_BYTES / 2, f"{size:,} bytes: the bound leaves too little room"
    inventory = load_inventory(str(path))
    assert len(inventory.features) == limits.MAX_FEATURES
    assert inventory.features[-1].id == f"f{limits.MAX_FEATURES - 1}"


def test_the_readme_states_the_bounds():
    from tests.conftest import ROOT

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for stated in (f"{limits.MAX_NODES:,} values in one list or mapping",
                   f"{limits.MAX_FILE_NODES:,} in one file",
                   f"a file over {limits.MAX_FILE_BYTES // 2**20} MB",
                   f"{limits.MAX_FEATURES:,} features"):
        assert stated in readme


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


LONG = "a" * 300 + ".sarif"


@pytest.mark.parametrize("args", [
    ("-o", LONG), ("--write", f"sarif={LONG}"), ("--write-baseline", LONG),
    ("-f", "json", "--write", f"junit=missing folder/{LONG}"),
])
def test_a_name_too_long_is_one_line_and_exit_2(run, args):
    result = run("check", WHITEBOARD, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith(("error: cannot write: File name too long", "error: no such folder 'missing folder'"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_a_read_only_folder_is_one_line_and_exit_2(run, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run("check", WHITEBOARD, "--write", f"sarif={folder}/a.sarif")
    finally:
        folder.chmod(0o755)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{folder}/a.sarif: error: cannot write here: Permission denied\n"


@pytest.mark.parametrize("code, words", [(errno.EROFS, "Read-only file system"),
                                          (errno.EACCES, "Permission denied")])
def test_a_folder_the_system_will_not_write_in_is_one_line_and_exit_2(run, tmp_path, monkeypatch, code, words):
    # What a read-only mount or folder says, for a run that may be root (which writes anywhere).
    import tempfile

    real = tempfile.mkstemp

    def refuse(*args, dir=None, **kwargs):
        if str(dir).endswith("reports"):
            raise OSError(code, os.strerror(code))
        return real(*args, dir=dir, **kwargs)

    (tmp_path / "reports").mkdir()
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = run("check", WHITEBOARD, "-o", "out.txt", "--write", "sarif=reports/a.sarif")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"reports/a.sarif: error: cannot write here: {words}\n"
    assert not (tmp_path / "out.txt").exists()  # all outputs or none


def test_a_full_disk_is_one_line_and_exit_2_and_leaves_every_output_as_it_was(run, tmp_path, monkeypatch):
    (tmp_path / "out.txt").write_text("yesterday's report\n")
    real = os.fsync
    calls = []

    def full(fd):
        calls.append(fd)
        if len(calls) == 2:  # the second output's data does not fit
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(os, "fsync", full)
    result = run("check", WHITEBOARD, "-o", "out.txt", "--write", "junit=junit.xml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "junit.xml: error: cannot write: No space left on device\n"
    assert (tmp_path / "out.txt").read_text() == "yesterday's report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temporary file left


def test_every_output_of_one_run_is_written(run, tmp_path):
    result = run("check", WHITEBOARD, "-o", "out.txt", "--write", "junit=junit.xml",
                 "--write", "gitlab=gl.json", "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gl.json", "junit.xml", "out.txt"]
