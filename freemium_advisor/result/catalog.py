"""The rules and checks in force as JSON (``rules list --format json``, ``checks list
--format json``): their shapes, declared once, from which the dicts and the schemas come."""

from __future__ import annotations

from freemium_advisor.model.rules import KINDS
from freemium_advisor.model.signals import DIRECTIONS, LEVELS, RULE_CRITERION_IDS
from freemium_advisor.result import SEVERITIES, SOURCE
from freemium_advisor.result.shape import (
    NUMBER,
    OPTIONAL_TEXT,
    TEXT,
    Kind,
    Out,
    Shape,
    list_of,
    nullable,
    one_of,
)


def _sets(rule) -> dict | None:
    """What an inference rule answers, as the inventory writes it (levels by name)."""
    return {name: (LEVELS[value] if isinstance(value, int) and not isinstance(value, bool) else value)
            for name, value in rule.sets} or None


RULE = Shape(
    "a rule in force",
    Out("id", TEXT, "the rule's id"),
    Out("kind", one_of(KINDS), "score (weighs towards a direction), infer (answers signals from "
        "words) or metric (names what a usage wall counts)"),
    Out("criterion", one_of(RULE_CRITERION_IDS), "the framework criterion it belongs to"),
    Out("title", TEXT, "what it says, in a line"),
    Out("direction", nullable(one_of(DIRECTIONS)), "where a score rule pushes (null for the others)"),
    Out("weight", nullable(NUMBER), "a score rule's weight (null for the others)",
        lambda rule: rule.weight if rule.kind == "score" else None),
    Out("when", OPTIONAL_TEXT, "its condition, in the rule language",
        lambda rule: rule.when.source if rule.when else None),
    Out("words", nullable(list_of(TEXT)), "the words an inference or metric rule looks for",
        lambda rule: list(rule.words.words) if rule.words else None),
    Out("unless", nullable(list_of(TEXT)), "words that keep it silent",
        lambda rule: list(rule.unless.words) if rule.unless else None),
    Out("sets", Kind({"type": ["object", "null"], "additionalProperties": {"type": ["string", "boolean"]}}),
        "the signals an inference rule answers, and how", _sets),
    Out("metric", OPTIONAL_TEXT, "what a metric rule's usage wall counts (a template)",
        lambda rule: rule.metric.source if rule.metric else None),
    Out("message", TEXT, "its message (a template)", lambda rule: rule.message.source),
    Out("source", SOURCE, "the framework passage it encodes"),
    Out("origin", TEXT, "where it is defined: file:line:column"),
)
RULE_LIST = list_of(RULE)

# A check as listed: (its specification, its severity with the rule packs in force).
CHECK = Shape(
    "a check behind the findings",
    Out("id", TEXT, "the check's id", lambda listed: listed[0].id),
    Out("severity", one_of((*SEVERITIES, "off")), "its severity with the rule packs in force",
        lambda listed: listed[1]),
    Out("default_severity", one_of(SEVERITIES), "its own severity", lambda listed: listed[0].severity),
    Out("scope", TEXT, "what a finding is about: feature, product, tier or waiver",
        lambda listed: listed[0].scope),
    Out("title", TEXT, "what it finds, in a line", lambda listed: listed[0].title),
)
CHECK_LIST = list_of(CHECK)
