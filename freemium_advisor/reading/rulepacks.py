"""Rule packs: rules as data, loaded from YAML, checked strictly, merged in order.

The built-in pack is every ``*.yaml`` file under ``rules/``; a user's pack (``--rules PATH``,
a file or a folder) goes through the same loader and may add rules, ``override`` fields of
existing ones (a weight, say), ``disable`` rules by id and change the ``policy``. Duplicate
ids, unknown keys and unknown rule ids are errors naming the file, line and column.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from freemium_advisor.base.errors import InputError, InputErrors, did_you_mean, one_of
from freemium_advisor.base.resources import data_dir
from freemium_advisor.base.folders import walk_files
from freemium_advisor.reading.rulecompile import Draft, compile_rule, rule_id_problem
from freemium_advisor.model.rules import ConfidenceBand, Policy, RuleSet
from freemium_advisor.model.signals import AUDIENCES
from freemium_advisor.base.validate import MAX_ERRORS
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


def _share(doc: Document, path: tuple, value: Any) -> float:
    """A measured share: a number from 0 to 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise doc.error(path, "an accuracy must be a number from 0 to 1")
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
    def __init__(self) -> None:
        self.drafts: dict[str, Draft] = {}
        self.disabled: dict[str, None] = {}
        self.policy: dict[str, Any] = {}
        self.policy_where: dict[str, tuple[Document, tuple]] = {}
        self.type_audiences: dict[str, str | None] = {}
        self.labels: dict[str, float] = {}
        self.bands: list[ConfidenceBand] | None = None
        self.severity: dict[str, tuple[str, tuple[str, int, int]]] = {}
        self.errors: list[InputError] = []

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Record a problem and go on with the next part, so one run reports them all."""
        try:
            yield
        except InputErrors as exc:
            self.errors.extend(exc.errors)
        except InputError as exc:
            self.errors.append(exc)
        if len(self.errors) >= MAX_ERRORS:
            raise InputErrors(self.errors)

    def add_file(self, doc: Document) -> None:
        data = doc.data
        if data is None:
            raise InputError(doc.path, 1, 1, f"the rule pack is empty; expected {one_of(FILE_KEYS)}")
        if not isinstance(data, dict):
            raise doc.error((), f"a rule pack must be a mapping, not {type_name(data)}")
        for key in data:
            if key not in FILE_KEYS:
                raise doc.error(
                    (key,),
                    f"unknown rule pack key '{key}'{did_you_mean(key, FILE_KEYS)}"
                    f"; expected {one_of(FILE_KEYS)}",
                    at_key=True,
                )
            if data[key] is None:  # 'rules:' with nothing after it is a mistake, not "no rules"
                raise doc.error((key,), f"'{key}' is empty; give it a value or remove it")
        with self.collecting():
            self._add_rules(doc, data.get("rules"))
        with self.collecting():
            self._add_overrides(doc, data.get("override"))
        with self.collecting():
            self._add_disabled(doc, data.get("disable"))
        with self.collecting():
            self._add_policy(doc, data.get("policy"))

    def _add_rules(self, doc: Document, rules: Any) -> None:
        if rules is None:
            return
        if not isinstance(rules, list):
            raise doc.error(("rules",), f"'rules' must be a list, not {type_name(rules)}")
        for index, raw in enumerate(rules):
            with self.collecting():
                self._add_rule(doc, ("rules", index), raw)

    def _add_rule(self, doc: Document, path: tuple, raw: Any) -> None:
        if not isinstance(raw, dict):
            raise doc.error(path, f"a rule must be a mapping, not {type_name(raw)}")
        rule_id = raw.get("id")
        problem = rule_id_problem(rule_id)
        if problem:
            raise doc.error((*path, "id") if "id" in raw else path, problem)
        if rule_id in self.drafts:
            first_doc, first_path = self.drafts[rule_id].origin
            mark = first_doc.value_mark(first_path)
            raise doc.error(
                (*path, "id"),
                f"duplicate rule id '{rule_id}' (first defined at "
                f"{first_doc.path}:{mark.line}:{mark.column}); use 'override' to change it",
            )
        self.drafts[rule_id] = Draft(
            dict(raw), {key: (doc, (*path, key)) for key in raw}, (doc, path)
        )

    def _known_rule(self, doc: Document, path: tuple, rule_id: Any) -> str:
        known = list(self.drafts)
        if not isinstance(rule_id, str):
            raise doc.error(path, f"a rule id must be text, not {type_name(rule_id)}")
        if rule_id not in self.drafts:
            raise doc.error(
                path, f"no rule '{rule_id}' to change{did_you_mean(str(rule_id), known)}",
                at_key=True,
            )
        return rule_id

    def _add_overrides(self, doc: Document, overrides: Any) -> None:
        if overrides is None:
            return
        if not isinstance(overrides, dict):
            raise doc.error(("override",), "'override' must map rule ids to the fields to change")
        for rule_id, changes in overrides.items():
            path = ("override", rule_id)
            draft = self.drafts[self._known_rule(doc, path, rule_id)]
            if not isinstance(changes, dict):
                raise doc.error(path, f"the override of '{rule_id}' must be a mapping of fields")
            for key, value in changes.items():
                if key in ("id", "kind"):
                    raise doc.error(
                        (*path, key), f"an override cannot change a rule's '{key}'", at_key=True
                    )
                draft.fields[key] = value
                draft.where[key] = (doc, (*path, key))

    def _add_disabled(self, doc: Document, disabled: Any) -> None:
        if disabled is None:
            return
        if not isinstance(disabled, list):
            raise doc.error(("disable",), "'disable' must be a list of rule ids")
        for index, rule_id in enumerate(disabled):
            self._known_rule(doc, ("disable", index), rule_id)
            self.disabled[rule_id] = None

    def _add_policy(self, doc: Document, policy: Any) -> None:
        if policy is None:
            return
        if not isinstance(policy, dict):
            raise doc.error(("policy",), "'policy' must be a mapping")
        for key, value in policy.items():
            path = ("policy", key)
            if key == SEVERITY_KEY:
                self._add_severity(doc, value)
                continue
            if key == TYPES_KEY:
                self._add_type_audiences(doc, value)
                continue
            if key == LABELS_KEY:
                self._add_labels(doc, value)
                continue
            if key == BANDS_KEY:
                self._add_bands(doc, value)
                continue
            if key not in POLICY_KEYS:
                raise doc.error(
                    path,
                    f"unknown policy key '{key}'{did_you_mean(key, (*POLICY_KEYS, *MAPPING_KEYS))}"
                    f"; expected {one_of((*POLICY_KEYS, *MAPPING_KEYS))}",
                    at_key=True,
                )
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise doc.error(path, f"policy '{key}' must be a number, 0 or more")
            self.policy[key] = float(value)
            self.policy_where[key] = (doc, path)

    def _add_type_audiences(self, doc: Document, value: Any) -> None:
        """``policy.type_audiences``: a feature type (the first part of its category, the
        Pricing2Yaml ``type``) and the audience it speaks for; ``null`` makes a type say nothing."""
        where = ("policy", TYPES_KEY)
        if not isinstance(value, dict):
            raise doc.error(where, f"'policy.{TYPES_KEY}' must map feature types to an audience")
        for kind, audience in value.items():
            path = (*where, kind)
            if not isinstance(kind, str) or not kind.strip() or kind != kind.strip().lower():
                raise doc.error(path, f"a feature type in 'policy.{TYPES_KEY}' must be lowercase text",
                                at_key=True)
            if audience is not None and audience not in AUDIENCES:
                raise doc.error(
                    path, f"unknown audience {audience!r} for type '{kind}'"
                    f"{did_you_mean(str(audience), AUDIENCES)}; expected {one_of((*AUDIENCES, 'null'))}",
                )
            self.type_audiences[kind] = audience

    def _add_labels(self, doc: Document, value: Any) -> None:
        """``policy.confidence_labels``: the lowest measured accuracy each label promises."""
        where = ("policy", LABELS_KEY)
        if not isinstance(value, dict):
            raise doc.error(where, f"'policy.{LABELS_KEY}' must map {one_of(CONFIDENCE_LABELS)} to an accuracy")
        for label, accuracy in value.items():
            if label not in CONFIDENCE_LABELS:
                raise doc.error((*where, label), f"unknown confidence label {label!r}"
                                f"{did_you_mean(str(label), CONFIDENCE_LABELS)}; expected "
                                f"{one_of(CONFIDENCE_LABELS)}", at_key=True)
            self.labels[label] = _share(doc, (*where, label), accuracy)

    def _add_bands(self, doc: Document, value: Any) -> None:
        """``policy.confidence_bands``: a pack's list replaces the bands before it."""
        where = ("policy", BANDS_KEY)
        if not isinstance(value, list):
            raise doc.error(where, f"'policy.{BANDS_KEY}' must be a list of bands")
        bands = []
        for index, band in enumerate(value):
            path = (*where, index)
            if not isinstance(band, dict) or set(band) != set(BAND_KEYS):
                raise doc.error(path, f"a confidence band needs exactly {', '.join(BAND_KEYS)}")
            if band["advice"] not in ("free", "gated"):
                raise doc.error((*path, "advice"), "a band's advice is free or gated")
            net = band["net_reasons"]
            if isinstance(net, bool) or not isinstance(net, int):
                raise doc.error((*path, "net_reasons"), "a band's 'net_reasons' is a whole number")
            bands.append(ConfidenceBand(band["advice"], net,
                                        _share(doc, (*path, "accuracy"), band["accuracy"])))
        self.bands = bands

    def _add_severity(self, doc: Document, value: Any) -> None:
        if not isinstance(value, dict):
            raise doc.error(("policy", SEVERITY_KEY), "'policy.severity' must map check ids to a severity")
        for check_id, level in value.items():
            path = ("policy", SEVERITY_KEY, check_id)
            if level is False:
                level = "off"  # YAML 1.1 reads a bare `off` as false
            if level not in CHECK_LEVELS:
                raise doc.error(
                    path, f"unknown severity {level!r} for check '{check_id}'"
                    f"{did_you_mean(str(level), CHECK_LEVELS)}; expected {one_of(CHECK_LEVELS)}",
                )
            mark = doc.key_mark(path)
            self.severity[str(check_id)] = (level, (doc.path, mark.line, mark.column))

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
        fingerprint = hashlib.sha256(canonical.encode()).hexdigest()[:16]
        severity = tuple((check_id, level, where) for check_id, (level, where) in self.severity.items())
        types = tuple((kind, audience) for kind, audience in self.type_audiences.items() if audience)
        labels = tuple(sorted(self.labels.items(), key=lambda item: -item[1]))
        policy = Policy(**self.policy, confidence_labels=labels,
                        confidence_bands=tuple(self.bands or ()), severity=severity,
                        type_audiences=types)
        return RuleSet(tuple(rules), policy, tuple(self.disabled), fingerprint=fingerprint)
