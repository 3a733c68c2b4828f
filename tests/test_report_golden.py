"""Golden files: the Markdown report of every example, byte for byte.

A change to the report, the rules or the engine shows up here as a diff to review. After an
intended change, rewrite the files and review them with git diff:

    python -m pytest tests/test_report_golden.py --update-goldens
"""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_markdown_report_matches_its_golden_file(run, monkeypatch, update_goldens, example):
    monkeypatch.chdir(ROOT)  # the report names the inventory as given: a relative path
    result = run("report", f"examples/{example}.yaml")
    assert (result.exit_code, result.stderr) == (0, "")
    golden = GOLDEN / f"report-{example}.md"
    if update_goldens:
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden file: run python -m pytest {__file__} --update-goldens"
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_readme_excerpt_is_a_real_report():
    """The README quotes the whiteboard report: every quoted line must be in its golden file."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- report-excerpt")
    excerpt = readme[readme.index("\n", start) + 1: readme.index("<!-- /report-excerpt -->")]
    lines = [line[2:] if line.startswith("> ") else line[1:] for line in excerpt.splitlines()]
    golden = (GOLDEN / "report-whiteboard.md").read_text(encoding="utf-8").splitlines()
    assert lines and [line for line in lines if line not in golden] == []
