"""The CI gate: check inventories, leave out what is accepted, decide pass or fail.

``run_check`` analyzes each inventory, then suppresses what was accepted before: waivers in
the inventory (always), findings recorded in a baseline file (``--baseline``), and findings
that were already there at a git ref (``--base``). What is left is compared with the
threshold (``--fail-on``): any finding at or above it fails the build.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from freemium_advisor.engine.analysis import analyze
from freemium_advisor.base.errors import InputError
from freemium_advisor.base.folders import walk_files
from freemium_advisor.base.textfile import read_text
from freemium_advisor.reading.inventory_reader import load_inventory, parse_inventory
from freemium_advisor.base.limits import MAX_FILE_BYTES
from freemium_advisor.model.waivers import utc_today
from freemium_advisor.result import SEVERITIES, Analysis, Finding, Suppression
from freemium_advisor.model.rules import RuleSet

FAIL_ON = ("error", "warning", "note", "never")
# The files of a checked folder that may hold an inventory: YAML, and JSON (which YAML reads).
INVENTORY_SUFFIXES = (".yaml", ".yml", ".json")
INVENTORY_KEYS = frozenset({"product", "features"})
# A file that does not parse (or decode) still counts as an inventory when it names both
# keys: the loader then says what is wrong with it, and the run fails, rather than passing
# over an inventory with a typo.
_KEY_WORDS = (re.compile(r"\bproduct\b"), re.compile(r"\bfeatures\b"))
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class CheckRun:
    """Every file's analysis (active and suppressed findings) and the threshold."""

    results: tuple[Analysis, ...]
    fail_on: str
    compared: bool = False  # a baseline or a base ref said which findings are old
    skipped: tuple[tuple[str, str], ...] = ()  # files of checked folders passed over, and why

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
        """``1 error, 0 warnings, 2 notes, 1 suppressed in 1 file: failed (--fail-on error)``;
        files of a checked folder that were passed over are counted after the files:
        ``in 2 files (3 skipped, --verbose lists them)``."""
        counts = self.counts()
        parts = [plural(counts[s], s) for s in SEVERITIES]
        files = plural(len(self.results), "file")
        if self.skipped:
            files += f" ({len(self.skipped)} skipped, --verbose lists them)"
        verdict = "failed" if self.failed else "passed"
        return f"{', '.join(parts)}, {counts['suppressed']} suppressed in {files}: {verdict} (--fail-on {self.fail_on})"


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class Discovery:
    """The inventories to check, and the YAML and JSON files of checked folders passed over
    (each with why)."""

    files: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]


def discover(paths: Iterable[str]) -> Discovery:
    """The files to check: each file as given, and the inventories found under each folder.

    In a folder, a ``*.yaml``, ``*.yml`` or ``*.json`` file is an inventory when it parses as
    a mapping with top-level ``product`` and ``features`` (block, flow or JSON style, any
    quoting), or when it does not parse or decode but names both (the loader then reports
    it). A file or folder that cannot be read is an :class:`InputError` naming it: the gate
    fails closed rather than pass over what it could not see. Every file read is remembered,
    so no output of the run can overwrite it.
    """
    files: list[str] = []
    skipped: list[tuple[str, str]] = []
    for entry in paths:
        if not os.path.isdir(entry):
            files.append(entry)
            continue
        walk = walk_files(entry, INVENTORY_SUFFIXES, hidden=False)
        inside = []
        for path in walk.files:
            why = _not_an_inventory(path)
            if why is None:
                inside.append(path)
            else:
                skipped.append((path, why))
        skipped += walk.skipped
        if not inside:
            passed = f"; {plural(len(walk.files), 'YAML or JSON file')} passed over" if walk.files else ""
            raise InputError(
                entry, None, None,
                f"this folder holds no inventory (*.yaml, *.yml or *.json with product and features){passed}",
            )
        files += inside
    return Discovery(tuple(files), tuple(sorted(skipped)))


def _not_an_inventory(path: str) -> str | None:
    """``None`` when ``path`` is (or may be) an inventory, else why it is not one."""
    try:
        if os.stat(path).st_size > MAX_FILE_BYTES:
            return None  # not read whole here: the loader refuses it with a clear error
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = read_text(path)[1]
    except InputError as exc:
        if exc.line is None:
            raise  # not read at all (permissions, an I/O error): never passed over
        return None if _names_both_keys(_lenient_text(path)) else f"not UTF-8 text ({exc.message})"
    keys = _top_level_keys(text)
    if isinstance(keys, str):
        return None if _names_both_keys(text) else keys
    if INVENTORY_KEYS <= keys:
        return None
    return "no top-level 'product' and 'features'"


def _lenient_text(path: str) -> str:
    try:
        return Path(path).read_bytes().decode("latin-1")
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read: {exc.strerror or exc}") from None


def _names_both_keys(text: str) -> bool:
    return all(pattern.search(text) for pattern in _KEY_WORDS)


def _top_level_keys(text: str) -> set[str] | str:
    """The keys of the first document's top-level mapping (read as events, up to both
    inventory keys), or why the text is not YAML."""
    keys: set[str] = set()
    depth = 0  # 0: before the root node; 1: in the root mapping; more: inside a value
    at_key = True
    collections = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        for event in yaml.parse(text, Loader=_PARSER):
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentStartEvent)):
                continue
            if depth == 0:
                if not isinstance(event, yaml.MappingStartEvent):
                    return keys  # empty, or not a mapping
                depth = 1
            elif isinstance(event, collections):
                depth += 1
            elif isinstance(event, ends):
                depth -= 1
                if depth == 0:
                    return keys
                if depth == 1:
                    at_key = not at_key  # a collection that was a key or a value is over
            elif depth == 1:  # a scalar or an alias, as a key or a value of the root
                if at_key and isinstance(event, yaml.ScalarEvent):
                    keys.add(event.value)
                    if INVENTORY_KEYS <= keys:
                        return keys
                at_key = not at_key
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        return f"not YAML or JSON: {getattr(exc, 'problem', None) or 'cannot be parsed'}{where}"
    return keys


def run_check(
    paths: Iterable[str], ruleset: RuleSet, fail_on: str = "error", *,
    today: dt.date | None = None, baseline: frozenset[str] | None = None,
    base_texts: dict[str, str | None] | None = None, base_ref: str | None = None,
    skipped: tuple[tuple[str, str], ...] = (), strict: bool = False,
) -> CheckRun:
    """Check each inventory file (see :func:`discover` for folders); ``baseline`` holds
    accepted fingerprints, ``base_texts`` each file's text at ``base_ref`` (``None`` when
    the file is absent there); ``skipped`` are the files discovery passed over; ``strict``
    keeps findings that rest on guesses at full severity.

    Waivers expire by the date in UTC (``today``, when not given), so that every runner
    judges the same commit alike."""
    today = today or utc_today()
    results = []
    for path in paths:
        analysis = analyze(load_inventory(path), ruleset, today, strict=strict)
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
    return CheckRun(tuple(results), fail_on, baseline is not None or base_texts is not None, skipped)


def _identity(finding: Finding) -> tuple[str, str, str]:
    # The same check on the same subject with the same message and severity is "unchanged";
    # a moved feature or a changed advice alters the message, and counts as new.
    return finding.fingerprint, finding.severity, finding.message


def _findings_at_base(text: str | None, path: str, ruleset: RuleSet, today: dt.date,
                      strict: bool) -> set:
    if text is None:
        return set()  # absent at the base: everything is new
    try:
        analysis = analyze(parse_inventory(text, path), ruleset, today, strict=strict)
    except InputError:
        return set()  # an invalid file at the base accepted nothing
    return {_identity(f) for f in analysis.findings}


def _suppress(analysis: Analysis, accepted, suppression: Suppression) -> Analysis:
    kept = tuple(f for f in analysis.findings if not accepted(f))
    dropped = tuple(replace(f, suppression=suppression) for f in analysis.findings if accepted(f))
    return replace(analysis, findings=kept, suppressed=analysis.suppressed + dropped)
