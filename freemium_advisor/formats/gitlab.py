"""``check --format gitlab``: a GitLab Code Quality report (JSON array of issues).

The report has no field for what a finding rests on, so a feature's finding says it at the
end of its description: ``(evidence: inferred)``, the ``evidence`` of the feature's advice.
"""

from __future__ import annotations

import json

from freemium_advisor.base.escaping import json_document, text_line

SEVERITY = {"error": "critical", "warning": "major", "note": "info"}


def render_check(run, options=None) -> str:
    """One Code Quality issue per finding that counts; ``fingerprint`` keeps it stable.

    The description is shown by the merge request's widget as a line of text, so its
    controls are escapes in the text itself; the path stays the file's own."""
    evidence = run.evidence()
    issues = [
        {
            "description": text_line(f"[{f.check}] {f.message}" + (
                f" (evidence: {evidence[id(f)]})" if id(f) in evidence else "")),
            "check_name": f.check,
            "fingerprint": f"{f.fingerprint}-{f.file}",
            "severity": SEVERITY[f.severity],
            "location": {"path": f.file, "lines": {"begin": f.line}},
        }
        for f in run.findings
    ]
    return json_document(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"
