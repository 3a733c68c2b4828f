"""``check --format text``: one line per finding, ``file:line:col: severity [check] message``.

Lines are never wrapped, whatever the terminal width: editors, grep and people read them.
A file name or message holding a newline or a control character is shown with escapes
(:func:`~freemium_advisor.base.escaping.text_line`), so a finding is always one line.
"""

from __future__ import annotations

from freemium_advisor.base.escaping import text_line

ANSI = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "note": "\x1b[36m"}
RESET = "\x1b[0m"


def finding_line(finding, color: bool = False) -> str:
    """One finding as the compiler-style line editors jump to."""
    severity = f"{ANSI[finding.severity]}{finding.severity}{RESET}" if color else finding.severity
    return (f"{text_line(finding.file)}:{finding.line}:{finding.column}: {severity} "
            f"[{finding.check}] {text_line(finding.message)}")


def render_check(run, options=None) -> str:
    """Every finding that counts, one line each, in file order."""
    color = bool(options and options.color)
    return "".join(finding_line(f, color) + "\n" for f in run.findings)
