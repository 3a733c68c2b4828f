"""Rule packs: rules as data, loaded from YAML, checked strictly, merged in order.

The built-in pack is every ``*.yaml`` file under ``rules/``; a user's pack (``--rules PATH``,
a file or a folder) goes through the same loader and may add rules, ``override`` fields of
existing ones (a weight, say), ``disable`` rules by id and change the ``policy``. Duplicate
ids, unknown keys and unknown rule ids are errors naming the file, line and column.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from freemium_advisor.base.digest import sha256_hex
from freemium_advisor.base.errors import InputError, InputErrors, did_you_mean, one_of
from freemium_advisor.base.resources import data_dir
from freemium_advisor.base.folders import walk_files
from freemium_advisor.reading.rulecompile import Draft, compile_rule, rule_id_problem
from freemium_advisor.model.rules import ConfidenceBand, Policy, RuleSet
from freemium_advisor.model.signals import AUDIENCES
from freemium_advisor.base.validate import MAX_ERRORS, Checker
from freemium_advisor.base.yamlpos import Document, load_yaml, read_text, type_name

FILE_KEYS = ("rules", "override", "disable", "policy")
POLICY_KEYS = ("min_growth_for_wall",)
SEVERITY_KEY = "severity"  # policy.severity: {check-id: error | warning | note | off}
TYPES_KEY = "type_audiences"  # policy.type_audiences: {feature type: audience, or null}
LABELS_KEY = "confidence_labels"  # {high: 0.9, medium: 0.8, low: 0.65}
BANDS_KEY = "confidence_bands"  # [{advice: gated, net_reasons: 2, accuracy: 0.96}, ...]
MAPPING_KEYS = (LABELS_KEY, BANDS_KEY, SEVERITY_KEY, TYPES_KEY)
CONFIDENCE_LABELS = ("high", "medium", "low")
BAND_KEYS = ("advice", "net_reasons", "accuracy")
CHECK_LEVELS = ("error", "warning", "note", "off")


def _share(check: Checker, path: tuple, value: Any) -> float:
    """A measured share: a number from 0 to 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise check.fail(path, "an accuracy must be a number from 0 to 1")
    return float(value)


def builtin_rule_dir() -> Path:
    return data_dir("rules")


def load_ruleset(extra: list[str] | tuple[str, ...] = (), *, builtin: bool = True) -> RuleSet:
    """Load the built-in pack, then each extra pack (file or folder) in order."""
    files: list[tuple[Path, str]] = []  # (where to read, how messages name it)
    if builtin:
        folder = builtin_rule_dir()
        # Built-in rules are named as in the repository, wherever the package is installed.
        files += [(p, f"rules/{p.relative_to(folder).as_posix()}") for p in _pack_files(folder)]
    for entry in extra:
        path = Path(entry)
        if path.is_dir():
            found = _pack_files(path)
            if not found:
                raise InputError(entry, None, None, "this folder holds no *.yaml rule files")
            files += [(p, str(p)) for p in found]
        else:
            files.append((path, entry))
    texts = tuple((name, read_text(str(path))[1]) for path, name in files)
    key = (builtin, tuple(extra), tuple(str(path) for path, _ in files), texts)
    ruleset = _LOADED.get(key)
    if ruleset is None:
        loader = _Loader()
        for name, text in texts:
            with loader.collecting():
                loader.add_file(load_yaml(text, name))
        ruleset = replace(
            loader.finish(),
            packs=(*(("builtin",) if builtin else ()), *extra),
            files=tuple(str(path) for path, _ in files),
        )
        if len(_LOADED) >= _LOADED_MOST:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = ruleset
    return ruleset


# Rule sets already compiled in this process, by what was read: the same files with the same
# text give the same (immutable) rule set, so a process that loads a pack more than once (the
# interview after each answer, a library caller, the test suite) compiles it once. A pack that
# fails to load is never kept, so its errors are reported every time.
_LOADED: dict[tuple, RuleSet] = {}
_LOADED_MOST = 8


def _pack_files(folder: Path) -> list[Path]:
    # walk_files fails on a subfolder it cannot list: a pack never loads without its policy.
    return sorted(
        (Path(p) for p in walk_files(str(folder), (".yaml", ".yml")).files),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


class _Loader:
    """Reads the files of the packs in order into drafts of rules and a policy. Each file is
    checked by a :class:`~freemium_advisor.base.validate.Checker` (every problem in it, in file
    order, and the next part read); what a file or a rule fails with as a whole (its YAML, its
    compiled rule) is collected here, so one run reports every file's problems."""

    def __init__(self) -> None:
        self.drafts: dict[str, Draft] = {}
        self.disabled: dict[str, None] = {}
        self.policy: dict[str, Any] = {}
        self.type_audiences: dict[str, str | None] = {}
        self.labels: dict[str, float] = {}
        self.bands: list[ConfidenceBand] | None = None
        self.severity: dict[str, tuple[str, tuple[str, int, int]]] = {}
        self.errors: list[InputError] = []

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Record what a part failed with and go on with the next, so one run reports them all."""
        try:
            yield
        except InputErrors as exc:
            self.errors.extend(exc.errors)
        except InputError as exc:
            self.errors.append(exc)
        if len(self.errors) >= MAX_ERRORS:
            raise InputErrors(self.errors)

    def add_file(self, doc: Document) -> None:
        """Read one file of a pack; raise every problem it has at once."""
        check = Checker(doc)
        with check.each():
            self._add_file(check, doc.data)
        check.done()

    def _add_file(self, check: Checker, data: Any) -> None:
        if data is None:
            raise check.fail((), f"the rule pack is empty; expected {one_of(FILE_KEYS)}")
        data = check.mapping(data, (), "a rule pack")
        before = len(check.errors)
        check.keys(data, (), FILE_KEYS, (), "rule pack")
        for key in FILE_KEYS:
            if key in data and data[key] is None:  # 'rules:' and nothing after it: not "no rules"
                check.report((key,), f"'{key}' is empty; give it a value or remove it")
        if len(check.errors) > before:
            return  # a misnamed key may hold what the other parts refer to
        parts = {"rules": self._add_rules, "override": self._add_overrides,
                 "disable": self._add_disabled, "policy": self._add_policy}
        for key, read in parts.items():
            with check.each():
                read(check, data.get(key))

    def _add_rules(self, check: Checker, rules: Any) -> None:
        if rules is None:
            return
        if not isinstance(rules, list):
            raise check.fail(("rules",), f"'rules' must be a list, not {type_name(rules)}")
        for index, raw in enumerate(rules):
            with check.each():
                self._add_rule(check, ("rules", index), raw)

    def _add_rule(self, check: Checker, path: tuple, raw: Any) -> None:
        doc = check.doc
        raw = check.mapping(raw, path, "a rule")
        rule_id = raw.get("id")
        problem = rule_id_problem(rule_id)
        if problem:
            raise check.fail((*path, "id") if "id" in raw else path, problem)
        if rule_id in self.drafts:
            first_doc, first_path = self.drafts[rule_id].origin
            mark = first_doc.value_mark(first_path)
            raise check.fail(
                (*path, "id"),
                f"duplicate rule id '{rule_id}' (first defined at "
                f"{first_doc.path}:{mark.line}:{mark.column}); use 'override' to change it",
            )
        self.drafts[rule_id] = Draft(
            dict(raw), {key: (doc, (*path, key)) for key in raw}, (doc, path)
        )

    def _known_rule(self, check: Checker, path: tuple, rule_id: Any) -> str:
        known = list(self.drafts)
        if not isinstance(rule_id, str):
            raise check.fail(path, f"a rule id must be text, not {type_name(rule_id)}")
        if rule_id not in self.drafts:
            raise check.fail(
                path, f"no rule '{rule_id}' to change{did_you_mean(str(rule_id), known)}",
                at_key=True,
            )
        return rule_id

    def _add_overrides(self, check: Checker, overrides: Any) -> None:
        if overrides is None:
            return
        if not isinstance(overrides, dict):
            raise check.fail(("override",), "'override' must map rule ids to the fields to change")
        for rule_id, changes in overrides.items():
            with check.each():
                self._add_override(check, ("override", rule_id), rule_id, changes)

    def _add_override(self, check: Checker, path: tuple, rule_id: Any, changes: Any) -> None:
        draft = self.drafts[self._known_rule(check, path, rule_id)]
        if not isinstance(changes, dict):
            raise check.fail(path, f"the override of '{rule_id}' must be a mapping of fields")
        for key, value in changes.items():
            if key in ("id", "kind"):
                check.report((*path, key), f"an override cannot change a rule's '{key}'", at_key=True)
                continue
            draft.fields[key] = value
            draft.where[key] = (check.doc, (*path, key))

    def _add_disabled(self, check: Checker, disabled: Any) -> None:
        if disabled is None:
            return
        if not isinstance(disabled, list):
            raise check.fail(("disable",), "'disable' must be a list of rule ids")
        for index, rule_id in enumerate(disabled):
            with check.each():
                self.disabled[self._known_rule(check, ("disable", index), rule_id)] = None

    def _add_policy(self, check: Checker, policy: Any) -> None:
        if policy is None:
            return
        if not isinstance(policy, dict):
            raise check.fail(("policy",), "'policy' must be a mapping")
        readers = {SEVERITY_KEY: self._add_severity, TYPES_KEY: self._add_type_audiences,
                   LABELS_KEY: self._add_labels, BANDS_KEY: self._add_bands}
        for key, value in policy.items():
            with check.each():
                if key in readers:
                    readers[key](check, value)
                else:
                    self._add_threshold(check, ("policy", key), key, value)

    def _add_threshold(self, check: Checker, path: tuple, key: Any, value: Any) -> None:
        if key not in POLICY_KEYS:
            raise check.fail(
                path,
                f"unknown policy key '{key}'{did_you_mean(key, (*POLICY_KEYS, *MAPPING_KEYS))}"
                f"; expected {one_of((*POLICY_KEYS, *MAPPING_KEYS))}",
                at_key=True,
            )
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
            raise check.fail(path, f"policy '{key}' must be a number, 0 or more")
        self.policy[key] = float(value)

    def _add_type_audiences(self, check: Checker, value: Any) -> None:
        """``policy.type_audiences``: a feature type (the first part of its category, the
        Pricing2Yaml ``type``) and the audience it speaks for; ``null`` makes a type say nothing."""
        where = ("policy", TYPES_KEY)
        if not isinstance(value, dict):
            raise check.fail(where, f"'policy.{TYPES_KEY}' must map feature types to an audience")
        for kind, audience in value.items():
            path = (*where, kind)
            if not isinstance(kind, str) or not kind.strip() or kind != kind.strip().lower():
                check.report(path, f"a feature type in 'policy.{TYPES_KEY}' must be lowercase text",
                             at_key=True)
            elif audience is not None and audience not in AUDIENCES:
                check.report(
                    path, f"unknown audience {audience!r} for type '{kind}'"
                    f"{did_you_mean(str(audience), AUDIENCES)}; expected {one_of((*AUDIENCES, 'null'))}",
                )
            else:
                self.type_audiences[kind] = audience

    def _add_labels(self, check: Checker, value: Any) -> None:
        """``policy.confidence_labels``: the lowest measured accuracy each label promises."""
        where = ("policy", LABELS_KEY)
        if not isinstance(value, dict):
            raise check.fail(
                where, f"'policy.{LABELS_KEY}' must map {one_of(CONFIDENCE_LABELS)} to an accuracy")
        for label, accuracy in value.items():
            with check.each():
                if label not in CONFIDENCE_LABELS:
                    raise check.fail((*where, label), f"unknown confidence label {label!r}"
                                     f"{did_you_mean(str(label), CONFIDENCE_LABELS)}; expected "
                                     f"{one_of(CONFIDENCE_LABELS)}", at_key=True)
                self.labels[label] = _share(check, (*where, label), accuracy)

    def _add_bands(self, check: Checker, value: Any) -> None:
        """``policy.confidence_bands``: a pack's list replaces the bands before it."""
        where = ("policy", BANDS_KEY)
        if not isinstance(value, list):
            raise check.fail(where, f"'policy.{BANDS_KEY}' must be a list of bands")
        bands = []
        for index, band in enumerate(value):
            with check.each():
                bands.append(self._band(check, (*where, index), band))
        self.bands = bands

    def _band(self, check: Checker, path: tuple, band: Any) -> ConfidenceBand:
        if not isinstance(band, dict) or set(band) != set(BAND_KEYS):
            raise check.fail(path, f"a confidence band needs exactly {', '.join(BAND_KEYS)}")
        if band["advice"] not in ("free", "gated"):
            raise check.fail((*path, "advice"), "a band's advice is free or gated")
        net = band["net_reasons"]
        if isinstance(net, bool) or not isinstance(net, int):
            raise check.fail((*path, "net_reasons"), "a band's 'net_reasons' is a whole number")
        return ConfidenceBand(band["advice"], net, _share(check, (*path, "accuracy"), band["accuracy"]))

    def _add_severity(self, check: Checker, value: Any) -> None:
        if not isinstance(value, dict):
            raise check.fail(("policy", SEVERITY_KEY), "'policy.severity' must map check ids to a severity")
        for check_id, level in value.items():
            path = ("policy", SEVERITY_KEY, check_id)
            if level is False:
                level = "off"  # YAML 1.1 reads a bare `off` as false
            if level not in CHECK_LEVELS:
                check.report(
                    path, f"unknown severity {level!r} for check '{check_id}'"
                    f"{did_you_mean(str(level), CHECK_LEVELS)}; expected {one_of(CHECK_LEVELS)}",
                )
                continue
            mark = check.doc.key_mark(path)
            self.severity[str(check_id)] = (level, (check.doc.path, mark.line, mark.column))

    def finish(self) -> RuleSet:
        missing = [k for k in POLICY_KEYS if k not in self.policy]
        missing += [f"{LABELS_KEY}.{k}" for k in CONFIDENCE_LABELS if k not in self.labels]
        missing += [BANDS_KEY] if self.bands is None else []
        if missing:
            self.errors.append(
                InputError("rules", None, None, f"the rule packs set no policy {one_of(missing)}")
            )
        effective = {
            rule_id: draft.fields for rule_id, draft in self.drafts.items()
            if rule_id not in self.disabled
        }
        rules = []
        for rule_id in effective:
            with self.collecting():
                rules.append(compile_rule(self.drafts[rule_id]))
        if self.errors:
            raise InputErrors(self.errors)
        canonical = json.dumps(
            {"rules": effective, "policy": self.policy,
             **({"severity": {k: v[0] for k, v in self.severity.items()}} if self.severity else {}),
             **({TYPES_KEY: self.type_audiences} if self.type_audiences else {}),
             LABELS_KEY: self.labels, BANDS_KEY: [vars(b) for b in self.bands or ()]},
            sort_keys=True, default=str, ensure_ascii=False,
        )
        fingerprint = sha256_hex(canonical.encode())[:16]
        severity = tuple((check_id, level, where) for check_id, (level, where) in self.severity.items())
        types = tuple((kind, audience) for kind, audience in self.type_audiences.items() if audience)
        labels = tuple(sorted(self.labels.items(), key=lambda item: -item[1]))
        policy = Policy(**self.policy, confidence_labels=labels,
                        confidence_bands=tuple(self.bands or ()), severity=severity,
                        type_audiences=types)
        return RuleSet(tuple(rules), policy, tuple(self.disabled), fingerprint=fingerprint)
