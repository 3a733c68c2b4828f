"""``check --format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,title=T::message`` shows on the pull request's changed line.
Chosen automatically when ``GITHUB_ACTIONS=true``. Every name and message is escaped for
the runner (:func:`~freemium_advisor.base.escaping.workflow_data`): no file name can end
a command early, start a line of its own or switch the runner's command processing off.
"""

from __future__ import annotations

from freemium_advisor.base.escaping import workflow_data, workflow_property

LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def render_check(run, options=None) -> str:
    """One workflow command per finding that counts."""
    lines = []
    for f in run.findings:
        props = ",".join((
            f"file={workflow_property(f.file)}", f"line={f.line}", f"col={f.column}",
            f"title={workflow_property(f'{f.check}: {f.title}')}",
        ))
        lines.append(f"::{LEVELS[f.severity]} {props}::{workflow_data(f.message)}\n")
    return "".join(lines)
