"""``check --format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,title=T::message`` shows on the pull request's changed line.
Chosen automatically when ``GITHUB_ACTIONS=true``.
"""

from __future__ import annotations

LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def _data(text: str) -> str:
    # The workflow-command escapes: a message may not break the line it is written on.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_check(run, options=None) -> str:
    """One workflow command per finding that counts."""
    lines = []
    for f in run.findings:
        props = ",".join((
            f"file={_property(f.file)}", f"line={f.line}", f"col={f.column}",
            f"title={_property(f'{f.check}: {f.title}')}",
        ))
        lines.append(f"::{LEVELS[f.severity]} {props}::{_data(f.message)}\n")
    return "".join(lines)
