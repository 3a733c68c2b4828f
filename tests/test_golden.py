"""Every view of every example, pinned byte for byte in tests/golden/.

When a change of output is intended, refresh them and review the diff:

    python -m pytest tests/test_golden.py --update-goldens
"""

from __future__ import annotations

import pytest

from freemium_advisor.reading.inventory_reader import load_inventory
from tests.conftest import EXAMPLES, ROOT

EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


@pytest.fixture
def in_repo(monkeypatch):
    # Relative paths, so that file names in the output are the same on every machine.
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_table(run, golden, in_repo, name):
    result = run("analyze", f"examples/{name}.yaml", "--no-color")
    assert result.exit_code == 0
    golden(f"{name}.table.txt", result.stdout)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_json(run, golden, in_repo, name):
    result = run("analyze", f"examples/{name}.yaml", "--format", "json")
    assert result.exit_code == 0
    golden(f"{name}.json", result.stdout)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_explain_every_feature(run, golden, in_repo, name):
    path = f"examples/{name}.yaml"
    views = []
    for feature in load_inventory(path).features:
        result = run("explain", path, feature.id, "--no-color")
        assert result.exit_code == 0
        views.append(result.stdout)
    golden(f"{name}.explain.txt", "\n".join(views))


@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "sarif", "junit", "markdown"])
def test_check_every_format(run, golden, in_repo, monkeypatch, fmt):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = run("check", "examples", "--format", fmt, "--fail-on", "note")
    assert result.exit_code == 1
    golden(f"check.{fmt}", result.stdout)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_markdown_report(run, golden, in_repo, name):
    result = run("report", f"examples/{name}.yaml")
    assert (result.exit_code, result.stderr) == (0, "")
    golden(f"{name}.report.md", result.stdout)


def test_readme_report_excerpt_is_a_real_report():
    """The README quotes the whiteboard report: every quoted line must be in its golden file."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- report-excerpt")
    excerpt = readme[readme.index("\n", start) + 1: readme.index("<!-- /report-excerpt -->")]
    lines = [line[2:] if line.startswith("> ") else line[1:] for line in excerpt.splitlines()]
    golden = (ROOT / "tests" / "golden" / "whiteboard.report.md").read_text(encoding="utf-8").splitlines()
    assert lines and [line for line in lines if line not in golden] == []
