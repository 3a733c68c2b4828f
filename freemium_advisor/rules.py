"""Rule packs: rules as data, loaded from YAML, checked strictly, merged in order.

The built-in pack is every ``*.yaml`` file under ``rules/``; a user's pack (``--rules PATH``,
a file or a folder) goes through the same loader and may add rules, ``override`` fields of
existing ones (a weight, say) and ``disable`` rules by id. Three kinds of rule exist:

* ``score``  - reads the feature's signals and pushes towards ``free``, ``limit`` (free behind
  a usage wall) or ``gated`` with a weight;
* ``infer``  - reads the feature's words and sets signals the PM left unanswered;
* ``metric`` - reads the feature's words and suggests the metric of a usage wall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from freemium_advisor.errors import InputError, did_you_mean, one_of
from freemium_advisor.resources import data_dir
from freemium_advisor.sandbox import Condition, MessageTemplate, checked
from freemium_advisor.signals import (
    AUDIENCE,
    AUDIENCES,
    RULE_CRITERION_IDS,
    DIRECTIONS,
    FLAG,
    LEVELS,
    SIGNAL_BY_NAME,
)
from freemium_advisor.words import WordList
from freemium_advisor.yamlpos import Document, load_yaml, read_text, type_name

KINDS = ("score", "infer", "metric")
COMMON_KEYS = ("id", "kind", "criterion", "title", "message", "source", "examples")
KIND_KEYS = {
    "score": ("when", "direction", "weight"),
    "infer": ("when", "words", "unless", "fields", "sets"),
    "metric": ("when", "words", "unless", "fields", "metric"),
}
TEXT_FIELDS = ("name", "description", "category")
# What a word list may read: the three texts, or the name's head phrase (see words.head_phrase).
READABLE_FIELDS = (*TEXT_FIELDS, "head")
REQUIRED_KEYS = {
    "score": ("id", "criterion", "title", "message", "source", "when", "direction", "weight"),
    "infer": ("id", "criterion", "title", "message", "source", "words", "sets"),
    "metric": ("id", "criterion", "title", "message", "source", "words", "metric"),
}
MESSAGE_EXTRAS = {"score": (), "infer": ("words",), "metric": ("words", "metric")}
METRIC_EXTRAS = ("words", "word")
SOURCE_KEYS = ("principle", "seed", "timestamp", "quote")
EXAMPLE_KEYS = ("fires", "silent")
FILE_KEYS = ("rules", "override", "disable", "policy")
POLICY_KEYS = ("min_growth_for_wall", "confidence_high", "confidence_medium")
RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d$")


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: the framework principle, and the seed passage it cites."""

    principle: str
    seed: str | None = None
    timestamp: str | None = None
    quote: str | None = None

    def cite(self) -> str:
        """``Aha moment / POC (00:50:51)``."""
        return f"{self.principle} ({self.timestamp})" if self.timestamp else self.principle


@dataclass(frozen=True)
class Rule:
    """One rule of a pack. ``origin`` is ``file:line:column`` of its definition."""

    id: str
    kind: str
    criterion: str
    title: str
    message: MessageTemplate
    source: Source
    origin: str
    when: Condition | None = None
    direction: str | None = None
    weight: float = 0.0
    words: WordList | None = None
    unless: WordList | None = None
    fields: tuple[str, ...] = TEXT_FIELDS
    sets: tuple[tuple[str, Any], ...] = ()
    metric: MessageTemplate | None = None
    examples: tuple[tuple[str, tuple[dict, ...]], ...] = ()

    @property
    def reads(self) -> tuple[str, ...]:
        """The signals a score rule's condition looks at."""
        return self.when.reads if self.when else ()

    def example_cases(self, outcome: str) -> tuple[dict, ...]:
        """The examples on which the rule must fire (``fires``) or stay quiet (``silent``)."""
        return dict(self.examples).get(outcome, ())


@dataclass(frozen=True)
class Policy:
    """The decision's thresholds, data in ``rules/policy.yaml`` like the rules themselves."""

    min_growth_for_wall: float
    confidence_high: float
    confidence_medium: float


@dataclass(frozen=True)
class RuleSet:
    """The rules in force, in load order, and the decision policy."""

    rules: tuple[Rule, ...]
    policy: Policy
    disabled: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == kind)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; an unknown id raises ``KeyError``."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def ids(self) -> list[str]:
        return [r.id for r in self.rules]


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
    loader = _Loader()
    for path, name in files:
        text = read_text(str(path))[1]
        loader.add_file(load_yaml(text, name))
    return loader.finish()


def _pack_files(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


@dataclass
class _Draft:
    """A rule's fields before compiling, each remembering where in which file it was set."""

    fields: dict[str, Any]
    where: dict[str, tuple[Document, tuple]]
    origin: tuple[Document, tuple]


class _Loader:
    def __init__(self) -> None:
        self.drafts: dict[str, _Draft] = {}
        self.disabled: dict[str, None] = {}
        self.policy: dict[str, Any] = {}
        self.policy_where: dict[str, tuple[Document, tuple]] = {}

    def add_file(self, doc: Document) -> None:
        data = doc.data
        if data is None:
            return
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
        self._add_rules(doc, data.get("rules"))
        self._add_overrides(doc, data.get("override"))
        self._add_disabled(doc, data.get("disable"))
        self._add_policy(doc, data.get("policy"))

    def _add_rules(self, doc: Document, rules: Any) -> None:
        if rules is None:
            return
        if not isinstance(rules, list):
            raise doc.error(("rules",), f"'rules' must be a list, not {type_name(rules)}")
        for index, raw in enumerate(rules):
            path = ("rules", index)
            if not isinstance(raw, dict):
                raise doc.error(path, f"a rule must be a mapping, not {type_name(raw)}")
            rule_id = raw.get("id")
            if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
                raise doc.error(
                    (*path, "id") if "id" in raw else path,
                    "a rule needs an 'id' of lower-case letters, digits and '-'",
                )
            if rule_id in self.drafts:
                first_doc, first_path = self.drafts[rule_id].origin
                mark = first_doc.value_mark(first_path)
                raise doc.error(
                    (*path, "id"),
                    f"duplicate rule id '{rule_id}' (first defined at "
                    f"{first_doc.path}:{mark.line}:{mark.column}); use 'override' to change it",
                )
            self.drafts[rule_id] = _Draft(
                dict(raw), {key: (doc, (*path, key)) for key in raw}, (doc, path)
            )

    def _known_rule(self, doc: Document, path: tuple, rule_id: Any) -> str:
        known = list(self.drafts)
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
            if key not in POLICY_KEYS:
                raise doc.error(
                    path,
                    f"unknown policy key '{key}'{did_you_mean(key, POLICY_KEYS)}"
                    f"; expected {one_of(POLICY_KEYS)}",
                    at_key=True,
                )
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise doc.error(path, f"policy '{key}' must be a number, 0 or more")
            self.policy[key] = float(value)
            self.policy_where[key] = (doc, path)

    def finish(self) -> RuleSet:
        missing = [k for k in POLICY_KEYS if k not in self.policy]
        if missing:
            raise InputError("rules", None, None, f"the rule packs set no policy {one_of(missing)}")
        rules = tuple(
            _compile(draft) for rule_id, draft in self.drafts.items()
            if rule_id not in self.disabled
        )
        return RuleSet(rules, Policy(**self.policy), tuple(self.disabled))


def _compile(draft: _Draft) -> Rule:
    fields = draft.fields

    def fail(key: str | None, message: str, *, at_key: bool = False) -> InputError:
        doc, path = draft.where[key] if key in draft.where else draft.origin
        return doc.error(path, f"rule '{fields['id']}': {message}", at_key=at_key)

    kind = fields.get("kind", "score")
    if kind not in KINDS:
        raise fail("kind", f"unknown kind {kind!r}{did_you_mean(str(kind), KINDS)}; expected {one_of(KINDS)}")
    allowed = COMMON_KEYS + KIND_KEYS[kind]
    for key in fields:
        if key not in allowed:
            raise fail(
                key,
                f"unknown key '{key}' for a {kind} rule{did_you_mean(key, allowed)}",
                at_key=True,
            )
    for key in REQUIRED_KEYS[kind]:
        if key not in fields:
            raise fail(None, f"a {kind} rule needs '{key}'")
    criterion = fields["criterion"]
    if criterion not in RULE_CRITERION_IDS:
        raise fail(
            "criterion",
            f"unknown criterion {criterion!r}{did_you_mean(str(criterion), RULE_CRITERION_IDS)}"
            f"; expected {one_of(RULE_CRITERION_IDS)}",
        )

    def text(key: str) -> str:
        value = fields[key]
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f"'{key}' must be non-empty text")
        return value.strip()

    def words(key: str) -> WordList | None:
        value = fields.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not value or not all(
            isinstance(w, (str, int)) and not isinstance(w, bool) for w in value
        ):
            raise fail(key, f"'{key}' must be a non-empty list of words")
        try:
            return WordList([str(w) for w in value])
        except ValueError as exc:
            raise fail(key, str(exc)) from None

    when = None
    if "when" in fields:
        when_source = fields["when"]
        if isinstance(when_source, bool):
            when_source = "true" if when_source else "false"
        if not isinstance(when_source, str):
            raise fail("when", "'when' must be an expression written as text")
        when = checked(lambda: Condition(when_source), lambda m: fail("when", m))
    message = checked(
        lambda: MessageTemplate(text("message"), MESSAGE_EXTRAS[kind]), lambda m: fail("message", m)
    )
    rule = dict(
        id=fields["id"], kind=kind, criterion=criterion, title=text("title"), message=message,
        source=_source(fields["source"], fail), origin=_origin(draft), when=when,
        examples=_examples(fields.get("examples"), fail),
    )
    if kind == "score":
        direction = fields["direction"]
        if direction not in DIRECTIONS:
            raise fail(
                "direction",
                f"unknown direction {direction!r}{did_you_mean(str(direction), DIRECTIONS)}"
                f"; expected {one_of(DIRECTIONS)}",
            )
        weight = fields["weight"]
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise fail("weight", "'weight' must be a number, 0 or more")
        rule.update(direction=direction, weight=float(weight))
    else:
        rule.update(words=words("words"), unless=words("unless"), fields=_fields(fields, fail))
    if kind == "infer":
        rule["sets"] = _sets(fields["sets"], fail)
    if kind == "metric":
        rule["metric"] = checked(
            lambda: MessageTemplate(text("metric"), METRIC_EXTRAS), lambda m: fail("metric", m)
        )
    return Rule(**rule)


def _fields(fields: dict, fail) -> tuple[str, ...]:
    value = fields.get("fields", list(TEXT_FIELDS))
    if (
        not isinstance(value, list) or not value
        or any(not isinstance(f, str) or f not in READABLE_FIELDS for f in value)
    ):
        raise fail("fields", f"'fields' must list some of {one_of(READABLE_FIELDS)}")
    return tuple(value)


def _origin(draft: _Draft) -> str:
    doc, path = draft.origin
    mark = doc.value_mark(path)
    return f"{doc.path}:{mark.line}:{mark.column}"


def _source(value: Any, fail) -> Source:
    if not isinstance(value, dict):
        raise fail("source", "'source' must be a mapping with 'principle' (and seed, timestamp, quote)")
    for key in value:
        if key not in SOURCE_KEYS:
            raise fail("source", f"unknown source key '{key}'{did_you_mean(key, SOURCE_KEYS)}")
    principle = value.get("principle")
    if not isinstance(principle, str) or not principle.strip():
        raise fail("source", "'source' needs a 'principle'")
    timestamp = value.get("timestamp")
    if timestamp is not None and not (isinstance(timestamp, str) and TIMESTAMP.match(timestamp)):
        raise fail("source", f"source timestamp {timestamp!r} must look like '00:51:09' (quote it)")
    return Source(
        principle.strip(), value.get("seed"), timestamp,
        " ".join(value["quote"].split()) if isinstance(value.get("quote"), str) else None,
    )


def _examples(value: Any, fail) -> tuple[tuple[str, tuple[dict, ...]], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise fail("examples", "'examples' must be a mapping with 'fires' and 'silent' lists")
    result = []
    for key, cases in value.items():
        if key not in EXAMPLE_KEYS:
            raise fail("examples", f"unknown examples key '{key}'{did_you_mean(key, EXAMPLE_KEYS)}")
        if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
            raise fail("examples", f"'examples.{key}' must be a list of features")
        result.append((key, tuple(cases)))
    return tuple(result)


def _sets(value: Any, fail) -> tuple[tuple[str, Any], ...]:
    if not isinstance(value, dict) or not value:
        raise fail("sets", "'sets' must map signal names to the values this rule infers")
    result = []
    for name, raw in value.items():
        spec = SIGNAL_BY_NAME.get(name)
        if spec is None:
            raise fail("sets", f"unknown signal '{name}'{did_you_mean(name, SIGNAL_BY_NAME)}")
        if spec.kind == FLAG:
            if not isinstance(raw, bool):
                raise fail("sets", f"signal '{name}' takes true or false")
            result.append((name, raw))
        elif spec.kind == AUDIENCE:
            if raw not in AUDIENCES:
                raise fail("sets", f"unknown audience {raw!r}{did_you_mean(str(raw), AUDIENCES)}")
            result.append((name, raw))
        else:
            if raw not in LEVELS:
                raise fail(
                    "sets",
                    f"unknown level {raw!r} for signal '{name}'{did_you_mean(str(raw), LEVELS)}",
                )
            result.append((name, LEVELS.index(raw)))
    return tuple(result)
