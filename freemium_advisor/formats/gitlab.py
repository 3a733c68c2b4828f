"""``check --format gitlab``: a GitLab Code Quality report (JSON array of issues)."""

from __future__ import annotations

import json

SEVERITY = {"error": "critical", "warning": "major", "note": "info"}


def render_check(run, options=None) -> str:
    """One Code Quality issue per finding that counts; ``fingerprint`` keeps it stable."""
    issues = [
        {
            "description": f"[{f.check}] {f.message}",
            "check_name": f.check,
            "fingerprint": f"{f.fingerprint}-{f.file}",
            "severity": SEVERITY[f.severity],
            "location": {"path": f.file, "lines": {"begin": f.line}},
        }
        for f in run.findings
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
