"""Compiling one rule: every field of a drafted rule checked and turned into a :class:`Rule`.

Each field remembers the file, line and column where it was written (a user's ``override``
of a built-in rule points at the override), so every message says where to look.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from freemium_advisor.base.errors import InputError, did_you_mean, one_of
from freemium_advisor.model.rules import KINDS, READABLE_FIELDS, TEXT_FIELDS, Rule, Source
from freemium_advisor.model.expressions import Condition, MessageTemplate, checked
from freemium_advisor.model.signals import DIRECTIONS, RULE_CRITERION_IDS, SIGNAL_BY_NAME
from freemium_advisor.base.words import WordList
from freemium_advisor.base.yamlpos import type_name

if TYPE_CHECKING:  # pragma: no cover - types only
    from freemium_advisor.reading.rulepacks import Draft

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
SOURCE_KEYS = ("principle", "seed", "timestamp", "quote")
EXAMPLE_KEYS = ("fires", "silent")
RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d$")


def compile_rule(draft: Draft) -> Rule:
    """Check every field of a drafted rule and build the rule; the first problem raises."""
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
                f"unknown key '{key}' for {'an' if kind == 'infer' else 'a'} {kind} rule"
                f"{did_you_mean(key, allowed)}",
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
        source=_source(fields["source"], fail), **_origin(draft), when=when,
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
        # .inf or .nan would make every total infinite or undefined.
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight < math.inf:
            raise fail("weight", "'weight' must be a number, 0 or more")
        rule.update(direction=direction, weight=float(weight))
    else:
        rule.update(words=words("words", required=True), unless=words("unless"),
                    fields=_fields(fields, fail))
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


def _source(value: Any, fail) -> Source:
    if not isinstance(value, dict):
        raise fail("source", "'source' must be a mapping with 'principle' (and seed, timestamp, quote)")
    for key in value:
        if key not in SOURCE_KEYS:
            raise fail("source", f"unknown source key '{key}'{did_you_mean(key, SOURCE_KEYS)}")
    principle = value.get("principle")
    if not isinstance(principle, str) or not principle.strip():
        raise fail("source", "'source' needs a 'principle'")
    for key in ("seed", "quote"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise fail("source", f"source {key} must be text, not {type_name(value[key])}")
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
        try:
            result.append((name, spec.parse(raw, booleans_as_levels=False)))
        except ValueError as exc:
            raise fail("sets", str(exc)) from None
    return tuple(result)
