"""The CI gate: read what a check needs, check inventories, leave out what is accepted,
decide pass or fail.

:func:`read_inputs` reads everything ``check`` reads (rule packs, the check choice, the
baseline, the inventories found, their waivers) and reports every problem of all of it at
once; ``validate`` is that same reader. :func:`run_check` analyzes each inventory, then
suppresses what was accepted before: waivers in the inventory (always), findings recorded
in a baseline file (``--baseline``), and findings that were already there at a git ref
(``--base``). What is left is compared with the threshold (``--fail-on``): any finding at
or above it fails the build.

A finding is the same finding at the base when its identity (check and subject, the
fingerprint) is there; it is new only when that identity is new there or its severity
rose. Its wording may change (a count in it, the advice it quotes): that is shown in the
suppression (``was``), never gated. A change that moves features to where the advice puts
them is never blamed for what the moves bring about (a tier left empty): a finding the
change would not have without those moves is not new either.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from freemium_advisor.base.record import record
from freemium_advisor.engine.analysis import analyze
from freemium_advisor.engine.assessmemo import AssessmentCache
from freemium_advisor.engine.findings import CheckChoice, severities
from freemium_advisor.base.errors import InputError, InputErrors
from freemium_advisor.base.folders import walk_files
from freemium_advisor.base.textfile import read_text
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.base.limits import MAX_FILE_BYTES
from freemium_advisor.model.inventory import Feature, Inventory
from freemium_advisor.model.waivers import utc_today
from freemium_advisor.reading.basediff import base_inventory
from freemium_advisor.reading.baseline import Baseline, read_baseline
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.result import SEVERITIES, Analysis, Assessment, Finding, Suppression
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


@record
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

    def evidence(self) -> dict[int, str]:
        """The evidence kind of each feature finding (active or suppressed), by the finding's
        ``id()``: that of its feature's assessment (``answered``, ``inferred`` or ``none``,
        the feature's ``evidence`` in the JSON). Catalog findings have none."""
        evidence = {}
        for analysis in self.results:
            kinds = {a.feature.id: a.evidence for a in analysis.assessments}
            for finding in (*analysis.findings, *analysis.suppressed):
                if finding.feature in kinds:
                    evidence[id(finding)] = kinds[finding.feature]
        return evidence

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


@record
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
    """The file's bytes as text that any encoding of the key names can be found in: Latin-1
    for single-byte encodings, without the NUL bytes that UTF-16 and UTF-32 put between (or
    around) the letters of ASCII text, with or without a byte order mark."""
    try:
        return Path(path).read_bytes().decode("latin-1").replace("\0", "")
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


T = TypeVar("T")


class Problems:
    """Every problem found while reading what a run needs, so that one run lists them all."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def attempt(self, read: Callable[[], T], default: Any = None) -> T | Any:
        """``read()``, or ``default`` after recording the problems it raised."""
        try:
            return read()
        except InputError as exc:
            self.add(exc)
            return default

    def add(self, error: InputError) -> None:
        """Record one problem (or each of several)."""
        self.errors.extend(getattr(error, "errors", (error,)))

    def done(self) -> None:
        """Raise every problem recorded, in the order found (exit 2, one line each)."""
        if self.errors:
            raise InputErrors(self.errors) if len(self.errors) > 1 else self.errors[0]


@record
class GateInputs:
    """What a check reads, read and validated: the rules, the check choice, the baseline
    (``None`` without one), each inventory found and the text it was read from."""

    ruleset: RuleSet
    choice: CheckChoice
    baseline: Baseline | None
    inventories: tuple[Inventory, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    texts: tuple[str, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(i.path for i in self.inventories)


def read_inputs(
    files: Sequence[str], packs: Sequence[str], *, baseline: str | None = None,
    choice: Callable[[], CheckChoice] = CheckChoice, problems: Problems | None = None,
) -> GateInputs:
    """Read everything a check needs and report every problem at once (``validate`` and
    ``check`` alike): the rule packs and their policy, the check choice, the baseline, each
    file or folder (:func:`discover`), each inventory found (its waivers too). ``problems``
    may already hold what the caller found (a bad settings file)."""
    problems = problems or Problems()
    ruleset = problems.attempt(lambda: load_ruleset(tuple(packs)))
    if ruleset is not None:
        problems.attempt(lambda: severities(ruleset))  # policy.severity naming no check
    chosen = problems.attempt(choice, CheckChoice())
    accepted = problems.attempt(lambda: read_baseline(baseline)) if baseline else None
    files_found: list[str] = []
    skipped: list[tuple[str, str]] = []
    for entry in files:
        found = problems.attempt(lambda: discover([entry]))
        if found is not None:
            files_found += found.files
            skipped += found.skipped
    inventories, texts = [], []
    for path in files_found:
        read = problems.attempt(lambda: _read_inventory(path))
        if read is not None:
            inventories.append(read[0])
            texts.append(read[1])
    problems.done()
    return GateInputs(ruleset, chosen, accepted, tuple(inventories), tuple(sorted(skipped)), tuple(texts))


def _read_inventory(path: str) -> tuple[Inventory, str]:
    name, text = read_text(path)
    return parse_inventory(text, name), text


def run_check(
    inputs: GateInputs, fail_on: str = "error", *, today: dt.date | None = None,
    base_texts: dict[str, str | None] | None = None, base_ref: str | None = None,
    strict: bool = False,
) -> CheckRun:
    """Check each inventory of ``inputs``; ``base_texts`` holds each file's text at
    ``base_ref`` (``None`` when the file is absent there); ``strict`` keeps findings that
    rest on guesses at full severity.

    The base revision is read again only where the change touched it, and analyzed with
    the head's assessments and findings at hand: only the features a change touched are
    assessed and checked again. Waivers expire by the date in UTC (``today``, when not
    given), so that every runner judges the same commit alike."""
    today = today or utc_today()
    cache = AssessmentCache(inputs.ruleset)
    results = []
    texts = inputs.texts or (None,) * len(inputs.inventories)
    for inventory, text in zip(inputs.inventories, texts):
        def analysis_of(inv: Inventory, only: frozenset[str] | None = None) -> Analysis:
            return analyze(inv, inputs.ruleset, today, strict=strict, choice=inputs.choice,
                           cache=cache, only=only)

        analysis = analysis_of(inventory)
        if base_texts is not None:
            variants = Variants(analysis, analysis_of)
            base = _inventory_at_base(base_texts.get(inventory.path), inventory, text)
            analysis = against_base(analysis, base, base_ref or "the base", variants)
        if inputs.baseline is not None:
            baseline = inputs.baseline
            analysis = _suppress(analysis, lambda f: Suppression("baseline", "recorded in the baseline")
                                 if baseline.accepts(f) else None)
        results.append(analysis)
    compared = inputs.baseline is not None or base_texts is not None
    return CheckRun(tuple(results), fail_on, compared, inputs.skipped)


def _inventory_at_base(text: str | None, head: Inventory, head_text: str | None) -> Inventory | None:
    if text is None:
        return None  # absent at the base: everything is new
    try:
        if head_text is None:
            return parse_inventory(text, head.path)
        return base_inventory(head, head_text, text)
    except InputError:
        return None  # an invalid file at the base accepted nothing


class Variants:
    """The findings of inventories that differ from the head in a few features: the head's
    own findings on every feature they share (the same feature object), and the catalog's
    and the other features' found again."""

    def __init__(self, head: Analysis, analysis_of: Callable[..., Analysis]):
        self.head = head
        self.analysis_of = analysis_of
        self._own = {id(f): f for f in head.inventory.features}

    def findings(self, inventory: Inventory) -> dict[str, Finding]:
        """The active findings of ``inventory``, by fingerprint."""
        shared = {f.id for f in inventory.features if self._own.get(id(f)) is f}
        found = [f for f in self.head.findings if f.feature is not None and f.feature in shared]
        others = frozenset(f.id for f in inventory.features) - shared
        found += self.analysis_of(inventory, only=others).findings
        return {f.fingerprint: f for f in found}


def against_base(head: Analysis, base: Inventory | None, ref: str, variants: Variants) -> Analysis:
    """``head`` with every finding that is not new since the ``base`` inventory suppressed
    (kind ``base``).

    A finding is new when its identity (the fingerprint: check and subject) is not among the
    base's findings, or is there with a lower severity. An old finding whose message changed
    carries what it said before (``was``). When the change moves features to where the
    advice puts them, the change without those moves is checked too: a finding it would
    not have is brought about by following the advice, and is not new either."""
    before = variants.findings(base) if base is not None else {}
    moved = advised_moves(head, base) if base is not None else {}
    unmoved = {}
    if moved:
        inventory = head.inventory
        unmoved = variants.findings(replace(inventory, features=tuple(moved.get(f.id, f) for f in inventory.features)))

    def accepted(finding: Finding) -> Suppression | None:
        if moved:
            without = unmoved.get(finding.fingerprint)
            if without is None or _rank(finding) > _rank(without):
                ids = ", ".join(sorted(moved))
                return Suppression("base", f"brought about by moving {ids} where the advice puts "
                                           f"{'it' if len(moved) == 1 else 'them'} since {ref}")
        old = before.get(finding.fingerprint)
        if old is None or _rank(finding) > _rank(old):
            return None  # new, or more severe than it was
        if old.message == finding.message:
            return Suppression("base", f"already there at {ref}")
        return Suppression("base", f"already there at {ref}, worded differently", was=old.message)

    return _suppress(head, accepted)


def advised_moves(head: Analysis, base: Inventory) -> dict[str, Feature]:
    """The features the change moved to where the head's advice puts them, each as it
    would be without the move (its base placement: tier and usage wall)."""
    was = {f.id: f for f in base.features}
    free = head.inventory.product.free_tier.name
    moved = {}
    for a in head.assessments:
        feature, old = a.feature, was.get(a.feature.id)
        if old is None or (old.current, old.limit) == (feature.current, feature.limit):
            continue
        if follows_advice(feature, a, free):
            moved[feature.id] = replace(feature, current=old.current, limit=old.limit)
    return moved


def follows_advice(feature: Feature, assessment: Assessment, free: str) -> bool:
    """Whether a feature sits where its advice puts it: in the advised tier, with a usage
    wall exactly when the advice is free-limited (a gated feature's wall is no matter)."""
    if feature.current != assessment.tier:
        return False
    if assessment.recommendation == "gated":
        return True
    return feature.current == free and (feature.limit is not None) == (
        assessment.recommendation == "free-limited")


# How severe each severity is: higher is more severe (error 2, warning 1, note 0).
_RANKS = {severity: len(SEVERITIES) - 1 - i for i, severity in enumerate(SEVERITIES)}


def _rank(finding: Finding) -> int:
    return _RANKS[finding.severity]


def _suppress(analysis: Analysis, accepted: Callable[[Finding], Suppression | None]) -> Analysis:
    kept, dropped = [], []
    for finding in analysis.findings:
        suppression = accepted(finding)
        if suppression is None:
            kept.append(finding)
        else:
            dropped.append(_suppressed(finding, suppression))
    return replace(analysis, findings=tuple(kept), suppressed=analysis.suppressed + tuple(dropped))


def _suppressed(finding: Finding, suppression: Suppression) -> Finding:
    """``dataclasses.replace(finding, suppression=suppression)`` at a fraction of its cost
    (thousands of old findings at --base): a finding is a frozen dataclass without
    ``__post_init__``, so a copy of its fields is the same finding."""
    copy = object.__new__(Finding)
    copy.__dict__.update(finding.__dict__)
    object.__setattr__(copy, "suppression", suppression)
    return copy
