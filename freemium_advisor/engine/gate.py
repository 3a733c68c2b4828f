"""The CI gate: check inventories, leave out what is accepted, decide pass or fail.

``run_check`` analyzes each inventory, then suppresses what was accepted before: waivers in
the inventory (always), findings recorded in a baseline file (``--baseline``), and findings
that were already there at a git ref (``--base``). What is left is compared with the
threshold (``--fail-on``): any finding at or above it fails the build.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from freemium_advisor.engine.analysis import analyze
from freemium_advisor.base.errors import InputError
from freemium_advisor.reading.inventory_reader import load_inventory, parse_inventory
from freemium_advisor.base.limits import MAX_FILE_BYTES
from freemium_advisor.result import SEVERITIES, Analysis, Finding, Suppression
from freemium_advisor.model.rules import RuleSet

FAIL_ON = ("error", "warning", "note", "never")
INVENTORY_SUFFIXES = (".yaml", ".yml")
# A folder is searched for inventories: YAML files with top-level product and features.
_INVENTORY_KEYS = (re.compile(r"^product:", re.M), re.compile(r"^features:", re.M))


@dataclass(frozen=True)
class CheckRun:
    """Every file's analysis (active and suppressed findings) and the threshold."""

    results: tuple[Analysis, ...]
    fail_on: str
    compared: bool = False  # a baseline or a base ref said which findings are old

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for a in self.results for f in a.findings)

    @property
    def suppressed(self) -> tuple[Finding, ...]:
        return tuple(f for a in self.results for f in a.suppressed)

    def fails(self, finding: Finding) -> bool:
        """Whether this finding is at or above the threshold."""
        return self.fail_on != "never" and (
            SEVERITIES.index(finding.severity) <= SEVERITIES.index(self.fail_on)
        )

    @property
    def failed(self) -> bool:
        return any(self.fails(f) for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Findings by severity, and how many were suppressed."""
        counts = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] += 1
        return {**counts, "suppressed": len(self.suppressed)}

    def summary(self) -> str:
        """``1 error, 0 warnings, 2 notes, 1 suppressed in 1 file: failed (--fail-on error)``."""
        counts = self.counts()
        parts = [plural(counts[s], s) for s in SEVERITIES]
        files = plural(len(self.results), "file")
        verdict = "failed" if self.failed else "passed"
        return f"{', '.join(parts)}, {counts['suppressed']} suppressed in {files}: {verdict} (--fail-on {self.fail_on})"


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def inventory_files(paths: Iterable[str]) -> list[str]:
    """The files to check: each file as given, and the inventories found under each folder."""
    found: list[str] = []
    for entry in paths:
        path = Path(entry)
        if not path.is_dir():
            found.append(entry)
            continue
        inside = [
            p for p in sorted(path.rglob("*"))
            if p.suffix in INVENTORY_SUFFIXES and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and _looks_like_inventory(p)
        ]
        if not inside:
            raise InputError(entry, None, None, "this folder holds no inventory (*.yaml with product and features)")
        found += [str(p) for p in inside]
    return found


def _looks_like_inventory(path: Path) -> bool:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return True  # not read whole here: the loader refuses it with a clear error
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return all(pattern.search(text) for pattern in _INVENTORY_KEYS)


def run_check(
    paths: Iterable[str], ruleset: RuleSet, fail_on: str = "error", *,
    today: dt.date | None = None, baseline: frozenset[str] | None = None,
    base_texts: dict[str, str | None] | None = None, base_ref: str | None = None,
    strict: bool = False,
) -> CheckRun:
    """Check each inventory; ``baseline`` holds accepted fingerprints, ``base_texts`` each
    file's text at ``base_ref`` (``None`` when the file is absent there); ``strict`` keeps
    findings that rest on guesses at full severity."""
    today = today or dt.date.today()
    results = []
    for path in inventory_files(paths):
        analysis = analyze(load_inventory(path), ruleset, today, strict)
        if baseline is not None:
            analysis = _suppress(analysis, lambda f: f.fingerprint in baseline,
                                 Suppression("baseline", "recorded in the baseline"))
        if base_texts is not None:
            before = _findings_at_base(base_texts.get(path), path, ruleset, today, strict)
            analysis = _suppress(
                analysis, lambda f: _identity(f) in before,
                Suppression("base", f"already there at {base_ref}"),
            )
        results.append(analysis)
    return CheckRun(tuple(results), fail_on, baseline is not None or base_texts is not None)


def _identity(finding: Finding) -> tuple[str, str, str]:
    # The same check on the same subject with the same message and severity is "unchanged";
    # a moved feature or a changed advice alters the message, and counts as new.
    return finding.fingerprint, finding.severity, finding.message


def _findings_at_base(text: str | None, path: str, ruleset: RuleSet, today: dt.date,
                      strict: bool) -> set:
    if text is None:
        return set()  # absent at the base: everything is new
    try:
        analysis = analyze(parse_inventory(text, path), ruleset, today, strict)
    except InputError:
        return set()  # an invalid file at the base accepted nothing
    return {_identity(f) for f in analysis.findings}


def _suppress(analysis: Analysis, accepted, suppression: Suppression) -> Analysis:
    kept = tuple(f for f in analysis.findings if not accepted(f))
    dropped = tuple(replace(f, suppression=suppression) for f in analysis.findings if accepted(f))
    return replace(analysis, findings=kept, suppressed=analysis.suppressed + dropped)
