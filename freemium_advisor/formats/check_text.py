"""``check --format text``: one line per finding, ``file:line:col: severity [check] message``.

Lines are never wrapped, whatever the terminal width: editors, grep and people read them.
"""

from __future__ import annotations

ANSI = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "note": "\x1b[36m"}
RESET = "\x1b[0m"


def finding_line(finding, color: bool = False) -> str:
    """One finding as the compiler-style line editors jump to."""
    severity = f"{ANSI[finding.severity]}{finding.severity}{RESET}" if color else finding.severity
    return f"{finding.file}:{finding.line}:{finding.column}: {severity} [{finding.check}] {finding.message}"


def render_check(run, options=None) -> str:
    """Every finding that counts, one line each, in file order."""
    color = bool(options and options.color)
    return "".join(finding_line(f, color) + "\n" for f in run.findings)
