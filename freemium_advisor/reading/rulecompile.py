"""Compiling one rule: every field of a drafted rule checked and turned into a :class:`Rule`.

Each field remembers the file, line and column where it was written (a user's ``override``
of a built-in rule points at the override), so every message says where to look; every
problem of a rule is reported in one run. A rule's examples are checked here too, as the
inventory each stands for, so that a misspelt signal in one is refused when the pack loads.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from freemium_advisor.base.errors import InputError, did_you_mean, one_of
from freemium_advisor.base.validate import Checker, Invalid
from freemium_advisor.base.words import WordList
from freemium_advisor.base.yamlpos import Document, Mark, type_name
from freemium_advisor.model.expressions import Condition, MessageTemplate, checked
from freemium_advisor.model.rules import (
    KINDS, READABLE_FIELDS, SOURCE_KEYS, TEXT_FIELDS, TIMESTAMP, Rule, Source,
)
from freemium_advisor.model.signals import DIRECTIONS, RULE_CRITERION_IDS, SIGNAL_BY_NAME
from freemium_advisor.reading.inventory_reader import check_example

COMMON_KEYS = ("id", "kind", "criterion", "title", "message", "source", "examples")
KIND_KEYS = {
    "score": ("when", "direction", "weight"),
    "infer": ("when", "words", "unless", "fields", "sets"),
    "metric": ("when", "words", "unless", "fields", "metric"),
}
REQUIRED_KEYS = {
    "score": ("id", "criterion", "title", "message", "source", "when", "direction", "weight"),
    "infer": ("id", "criterion", "title", "message", "source", "words", "sets"),
    "metric": ("id", "criterion", "title", "message", "source", "words", "metric"),
}
MESSAGE_EXTRAS = {"score": (), "infer": ("words",), "metric": ("words", "metric")}
METRIC_EXTRAS = ("words", "word")
EXAMPLE_KEYS = ("fires", "silent")
RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A rule id is printed in every finding, table row and SARIF rule; the longest built-in
# one has 36 characters.
MAX_RULE_ID = 100


def rule_id_problem(rule_id: Any) -> str | None:
    """What is wrong with ``rule_id`` as a new rule's id, or ``None``."""
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        return "a rule needs an 'id' of lower-case letters, digits and '-'"
    if len(rule_id) > MAX_RULE_ID:
        return f"a rule id has at most {MAX_RULE_ID} characters, not {len(rule_id):,}"
    return None


@dataclass
class Draft:
    """A rule's fields before compiling, each remembering where in which file it was set."""

    fields: dict[str, Any]
    where: dict[str, tuple[Document, tuple]]
    origin: tuple[Document, tuple]


class _RuleFields:
    """A drafted rule as one document for a :class:`Checker`: a path's first step is a field,
    found in the file that set it (the pack, or the override that changed it); a path
    without a field is the rule itself. Every message names the rule."""

    def __init__(self, draft: Draft):
        self.draft = draft
        self.data = draft.fields
        self.path = draft.origin[0].path

    def _where(self, path: tuple) -> tuple[Document, tuple]:
        if path and path[0] in self.draft.where:
            doc, at = self.draft.where[path[0]]
            return doc, (*at, *path[1:])
        return self.draft.origin

    def value_mark(self, path: tuple) -> Mark:
        doc, at = self._where(tuple(path))
        return doc.value_mark(at)

    def key_mark(self, path: tuple) -> Mark:
        doc, at = self._where(tuple(path))
        return doc.key_mark(at)

    def key_marks(self, path: tuple, mapping: dict) -> list[Mark]:
        doc, at = self._where(tuple(path))
        return doc.key_marks(at, mapping)

    def error(self, path: tuple, message: str, *, at_key: bool = False) -> InputError:
        doc, at = self._where(tuple(path))
        return doc.error(at, f"rule '{self.data['id']}': {message}", at_key=at_key)


def compile_rule(draft: Draft) -> Rule:
    """Check every field of a drafted rule and build the rule; every problem is reported
    (as :class:`~freemium_advisor.base.errors.InputErrors`)."""
    check = Checker(_RuleFields(draft))
    rule = check.attempt(lambda: _compile(check, draft), None)
    check.done()
    assert rule is not None  # an unusable rule recorded its problem, and done() raised it
    return rule


def _compile(check: Checker, draft: Draft) -> Rule:
    fields = draft.fields
    kind = fields.get("kind", "score")
    if kind not in KINDS:
        raise check.fail(("kind",), f"unknown kind {kind!r}{did_you_mean(str(kind), KINDS)}; expected {one_of(KINDS)}")
    allowed = COMMON_KEYS + KIND_KEYS[kind]
    for key in fields:
        if key not in allowed:
            check.report(
                (key,),
                f"unknown key '{key}' for {'an' if kind == 'infer' else 'a'} {kind} rule"
                f"{did_you_mean(key, allowed)}",
                at_key=True,
            )
    missing = [key for key in REQUIRED_KEYS[kind] if key not in fields]
    for key in missing:
        check.report((), f"a {kind} rule needs '{key}'")
    criterion = fields.get("criterion")
    if "criterion" in fields and criterion not in RULE_CRITERION_IDS:
        check.report(
            ("criterion",),
            f"unknown criterion {criterion!r}{did_you_mean(str(criterion), RULE_CRITERION_IDS)}"
            f"; expected {one_of(RULE_CRITERION_IDS)}",
        )

    def fail(key: str, message: str) -> Invalid:
        return check.fail((key,), message)

    def text(key: str) -> str:
        value = fields[key]
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f"'{key}' must be non-empty text")
        return value.strip()

    def words(key: str, required: bool = False) -> WordList | None:
        value = fields.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, list) or not value or not all(
            isinstance(w, (str, int)) and not isinstance(w, bool) for w in value
        ):
            raise fail(key, f"'{key}' must be a non-empty list of words")
        try:
            return WordList([str(w) for w in value])
        except ValueError as exc:
            raise fail(key, str(exc)) from None

    def when() -> Condition | None:
        if "when" not in fields:
            return None
        source = fields["when"]
        if isinstance(source, bool):
            source = "true" if source else "false"
        if not isinstance(source, str):
            raise fail("when", "'when' must be an expression written as text")
        return checked(lambda: Condition(source), lambda m: fail("when", m))

    def present(key: str, read, default: Any = None) -> Any:
        """``read()`` when the field is there (its absence is reported above)."""
        return check.attempt(read, default) if key in fields else default

    rule = dict(
        id=fields["id"], kind=kind, criterion=criterion,
        title=present("title", lambda: text("title"), ""),
        message=present("message", lambda: checked(
            lambda: MessageTemplate(text("message"), MESSAGE_EXTRAS[kind]), lambda m: fail("message", m),
        )),
        source=present("source", lambda: _source(check, fields["source"])),
        **_origin(draft), when=check.attempt(when, None),
        examples=check.attempt(lambda: _examples(check, fields.get("examples")), ()),
    )
    if kind == "score":
        rule["direction"] = present("direction", lambda: _direction(check, fields["direction"]))
        rule["weight"] = present("weight", lambda: _weight(check, fields["weight"]))
    else:
        rule.update(words=present("words", lambda: words("words", required=True)),
                    unless=check.attempt(lambda: words("unless"), None),
                    fields=check.attempt(lambda: _fields(check, fields), ()))
    if kind == "infer":
        rule["sets"] = present("sets", lambda: _sets(check, fields["sets"]))
    if kind == "metric":
        rule["metric"] = present("metric", lambda: checked(
            lambda: MessageTemplate(text("metric"), METRIC_EXTRAS), lambda m: fail("metric", m),
        ))
    if check.errors:
        raise Invalid()
    return Rule(**rule)


def _direction(check: Checker, direction: Any) -> str:
    if direction not in DIRECTIONS:
        raise check.fail(
            ("direction",),
            f"unknown direction {direction!r}{did_you_mean(str(direction), DIRECTIONS)}"
            f"; expected {one_of(DIRECTIONS)}",
        )
    return direction


def _weight(check: Checker, weight: Any) -> float:
    # .inf or .nan would make every total infinite or undefined.
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight < math.inf:
        raise check.fail(("weight",), "'weight' must be a number, 0 or more")
    return float(weight)


def _fields(check: Checker, fields: dict) -> tuple[str, ...]:
    value = fields.get("fields", list(TEXT_FIELDS))
    if (
        not isinstance(value, list) or not value
        or any(not isinstance(f, str) or f not in READABLE_FIELDS for f in value)
    ):
        raise check.fail(("fields",), f"'fields' must list some of {one_of(READABLE_FIELDS)}")
    return tuple(value)


def _origin(draft: Draft) -> dict[str, Any]:
    doc, path = draft.origin
    mark = doc.value_mark(path)
    written = []
    for part in ("when", "message", "metric"):
        part_doc, part_path = draft.where.get(part, draft.origin)
        if part_doc is not doc:  # an override: a failure at run time points at it
            part_mark = part_doc.value_mark(part_path)
            written.append((part, (part_doc.path, part_mark.line, part_mark.column)))
    return {"file": doc.path, "line": mark.line, "column": mark.column, "written": tuple(written)}


def _source(check: Checker, value: Any) -> Source:
    path, before = ("source",), len(check.errors)
    if not isinstance(value, dict):
        raise check.fail(path, "'source' must be a mapping with 'principle' (and seed, timestamp, quote)")
    for key in value:
        if key not in SOURCE_KEYS:
            check.report((*path, key), f"unknown source key '{key}'{did_you_mean(key, SOURCE_KEYS)}",
                         at_key=True)
    principle = value.get("principle")
    if not isinstance(principle, str) or not principle.strip():
        check.report((*path, "principle") if "principle" in value else path, "'source' needs a 'principle'")
    for key in ("seed", "quote"):
        if value.get(key) is not None and not isinstance(value[key], str):
            check.report((*path, key), f"source {key} must be text, not {type_name(value[key])}")
    timestamp = value.get("timestamp")
    if timestamp is not None and not (isinstance(timestamp, str) and TIMESTAMP.match(timestamp)):
        check.report((*path, "timestamp"),
                     f"source timestamp {timestamp!r} must look like '00:51:09' (quote it)")
    if len(check.errors) > before:
        raise Invalid()
    return Source(
        principle.strip(), value.get("seed"), timestamp,
        " ".join(value["quote"].split()) if isinstance(value.get("quote"), str) else None,
    )


def _examples(check: Checker, value: Any) -> tuple[tuple[str, tuple[dict, ...]], ...]:
    """The examples, each checked as the inventory it stands for (a feature, perhaps with a
    ``product``), so that a misspelt signal is refused here, with its position."""
    path = ("examples",)
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise check.fail(path, "'examples' must be a mapping with 'fires' and 'silent' lists")
    result = []
    for key, cases in value.items():
        if key not in EXAMPLE_KEYS:
            check.report((*path, key), f"unknown examples key '{key}'{did_you_mean(key, EXAMPLE_KEYS)}",
                         at_key=True)
            continue
        if not isinstance(cases, list):
            check.report((*path, key), f"'examples.{key}' must be a list of features, not {type_name(cases)}")
            continue
        for index, case in enumerate(cases):
            check_example(check, case, (*path, key, index))
        result.append((key, tuple(cases)))
    return tuple(result)


def _sets(check: Checker, value: Any) -> tuple[tuple[str, Any], ...]:
    path = ("sets",)
    if not isinstance(value, dict) or not value:
        raise check.fail(path, "'sets' must map signal names to the values this rule infers")
    result = []
    for name, raw in value.items():
        spec = SIGNAL_BY_NAME.get(name)
        if spec is None:
            check.report((*path, name), f"unknown signal '{name}'{did_you_mean(name, SIGNAL_BY_NAME)}",
                         at_key=True)
            continue
        try:
            result.append((name, spec.parse(raw, booleans_as_levels=False)))
        except ValueError as exc:
            check.report((*path, name), str(exc))
    return tuple(result)
