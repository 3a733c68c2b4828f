"""The baseline: today's findings recorded by fingerprint, so that only new ones are reported.

A fingerprint is made from the check id and the finding's subject (a feature id, a tier, or
the product), never its line: reordering the file or editing other features never makes a
recorded finding look new.
"""

from __future__ import annotations

import json

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.yamlpos import read_text

BASELINE_VERSION = 1


def baseline_text(findings) -> str:
    """The baseline file for ``findings``: sorted, one entry per fingerprint, no dates."""
    entries = {
        f.fingerprint: {"fingerprint": f.fingerprint, "check": f.check, "subject": f.subject}
        for f in findings
    }
    data = {"baseline_version": BASELINE_VERSION, "tool": "freemium-advisor",
            "findings": [entries[k] for k in sorted(entries)]}
    return json.dumps(data, indent=2) + "\n"


def read_baseline(path: str) -> frozenset[str]:
    """The fingerprints a baseline file accepts; a malformed file is bad input."""
    name, text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, exc.lineno, exc.colno, f"not a baseline: invalid JSON ({exc.msg})") from None
    except (ValueError, RecursionError):  # an integer of thousands of digits; deep nesting
        raise InputError(name, None, None, "not a baseline: numbers or nesting beyond any baseline") from None
    findings = data.get("findings") if isinstance(data, dict) else None
    version = data.get("baseline_version") if isinstance(data, dict) else None
    # true == 1 and 1.0 == 1 in Python: only the whole number the tool writes is a version.
    if (type(version) is not int or version != BASELINE_VERSION
            or not isinstance(findings, list)
            or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in findings)):
        raise InputError(
            name, None, None,
            "not a baseline (expected baseline_version 1 and a findings list); "
            "write one with 'check --write-baseline'",
        )
    return frozenset(e["fingerprint"] for e in findings)
