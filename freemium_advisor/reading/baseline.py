"""The baseline: today's findings recorded by fingerprint, file and severity, so that only
new ones are reported.

A fingerprint is made from the check id and the finding's subject (a feature id, a tier, or
the product), never its line: reordering the file or editing other features never makes a
recorded finding look new. An entry also names the file the finding was in (as the finding
names it, relative to the folder the check ran in) and its severity: it accepts a finding of
that file, check and subject at that severity or below, so that one product's baseline never
hides another's finding on a feature of the same id, and a finding recorded as a guess (a
note) counts again once it becomes an error.

Baselines written before entries named a file and a severity still load: an entry without
``file`` accepts that finding in any file, one without ``severity`` at any severity.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import PurePath

from freemium_advisor.base.record import record
from freemium_advisor.base.errors import InputError
from freemium_advisor.base.textfile import STDIN_NAME
from freemium_advisor.base.yamlpos import read_text
from freemium_advisor.result import SEVERITIES

BASELINE_VERSION = 1  # file and severity were added within it: a version-1 reader ignores them


def baseline_file(path: str) -> str:
    """A finding's file as a baseline names it: relative to the working folder, with ``/``."""
    if path == STDIN_NAME:
        return path
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path)
        except ValueError:  # another drive (Windows): keep it absolute
            pass
    return PurePath(os.path.normpath(path)).as_posix()


def _rank(severity: str) -> int:
    """Higher is more severe (error 2, warning 1, note 0)."""
    return len(SEVERITIES) - 1 - SEVERITIES.index(severity)


@record
class Entry:
    """One recorded finding; ``file`` and ``severity`` are ``None`` in an older baseline."""

    fingerprint: str
    check: str | None = None
    subject: str | None = None
    file: str | None = None
    severity: str | None = None

    def names(self, finding) -> bool:
        """The same finding (fingerprint, and file when recorded), whatever its severity."""
        return finding.fingerprint == self.fingerprint and (
            self.file is None or self.file == baseline_file(finding.file))

    def accepts(self, finding) -> bool:
        """The same finding, at the recorded severity or below."""
        return self.names(finding) and (
            self.severity is None or _rank(finding.severity) <= _rank(self.severity))

    def described(self) -> str:
        """``gated-growth-feature on share in a/features.yaml``."""
        what = f"{self.check} on {self.subject or 'the product'}" if self.check else "no longer found"
        return f"{what} in {self.file}" if self.file else what


@record
class Baseline:
    """The entries of a baseline file, found by fingerprint."""

    entries: tuple[Entry, ...]

    def __post_init__(self) -> None:
        index: dict[str, list[Entry]] = {}
        for entry in self.entries:
            index.setdefault(entry.fingerprint, []).append(entry)
        object.__setattr__(self, "_index", index)

    def accepts(self, finding) -> bool:
        """Whether an entry records ``finding`` (its file, check and subject) at its severity
        or a higher one."""
        return any(e.accepts(finding) for e in self._index.get(finding.fingerprint, ()))

    def dropped(self, findings: Iterable) -> list[Entry]:
        """The entries that name none of ``findings`` (fixed, or gone with their feature)."""
        found: dict[str, list] = {}
        for finding in findings:
            found.setdefault(finding.fingerprint, []).append(finding)
        return [e for e in self.entries if not any(e.names(f) for f in found.get(e.fingerprint, ()))]


def baseline_text(findings) -> str:
    """The baseline file for ``findings``: sorted by file and fingerprint, one entry for
    each, at the highest severity it has; no dates."""
    entries: dict[tuple[str, str], dict] = {}
    for f in findings:
        key = (baseline_file(f.file), f.fingerprint)
        old = entries.get(key)
        if old is None or _rank(f.severity) > _rank(old["severity"]):
            entries[key] = {"fingerprint": f.fingerprint, "check": f.check, "subject": f.subject,
                            "file": key[0], "severity": f.severity}
    data = {"baseline_version": BASELINE_VERSION, "tool": "freemium-advisor",
            "findings": [entries[k] for k in sorted(entries)]}
    return json.dumps(data, indent=2) + "\n"


def read_baseline(path: str) -> Baseline:
    """The entries a baseline file records; a malformed file is bad input."""
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
    return Baseline(tuple(_entry(name, index, e) for index, e in enumerate(findings)))


def _entry(name: str, index: int, data: dict) -> Entry:
    file, severity = data.get("file"), data.get("severity")
    if file is not None and not isinstance(file, str):
        raise InputError(name, None, None, f"not a baseline: findings[{index}].file must be text, not {file!r}")
    if severity is not None and severity not in SEVERITIES:
        raise InputError(name, None, None, f"not a baseline: findings[{index}].severity must be one of "
                                           f"{', '.join(SEVERITIES)}, not {severity!r}")
    check, subject = data.get("check"), data.get("subject")
    return Entry(data["fingerprint"], check if isinstance(check, str) else None,
                 subject if isinstance(subject, str) else None,
                 None if file is None else baseline_file(file), severity)
