"""The check catalog: what each placement and catalog check is, as data in ``checks/``.

A check is one YAML file under ``checks/`` (found by walking the folder, as rules are): its
id, title, default severity, scope, message template, help text, the framework passage it
encodes and examples (inventories on which it must fire, and must stay quiet).

What makes it fire is data too. A feature check says it in ``when``: a condition in the rules'
expression language, read for each feature against the names in :data:`CHECK_NAMES` (the
feature, its advice, its signals, the product and the reasons behind the advice). A check
that reads the whole catalog at once (an empty tier, a free tier without an aha moment) names
its Python function in ``logic``; :mod:`freemium_advisor.engine.checklogic` holds those
functions and refuses a name it does not have. (This module is not named ``checks``: the wheel
installs the data folder under that name.)
"""

from __future__ import annotations

import re
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import Any

from freemium_advisor.base.record import record
from freemium_advisor.base.errors import InputError, did_you_mean, one_of
from freemium_advisor.base.resources import data_dir
from freemium_advisor.base.validate import Checker
from freemium_advisor.base.yamlpos import Document, load_yaml, read_text, type_name
from freemium_advisor.model.expressions import (
    ANY_NAME,
    LEVEL_CONSTANTS,
    PRODUCT_FIELDS,
    Condition,
    ExpressionError,
    MessageTemplate,
    Names,
)
from freemium_advisor.model.inventory import FEATURE_KEYS
from freemium_advisor.model.rules import SOURCE_KEYS, TIMESTAMP, Source
from freemium_advisor.model.signals import SIGNAL_BY_NAME

SEVERITIES = ("error", "warning", "note")
SCOPES = ("feature", "product", "tier", "waiver")
CHECK_KEYS = (
    "id", "title", "severity", "scope", "when", "logic", "rests_on", "at", "message", "help",
    "source", "examples",
)
REQUIRED = ("id", "title", "severity", "scope", "message", "help")
EXAMPLE_KEYS = ("fails", "passes")
CHECK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LOGIC_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")

# What a feature check's ``when`` and message read for each feature, with what each one is
# (docs/checks.md lists them). Like a rule's condition, it reads mappings one field at a time
# and a few whole values; values worked out from the advice (the growth reasons...) have names.
FEATURE_FIELDS = {
    "id": "the feature's id",
    "name": "its name",
    "current": "the tier it sits in today (none when the inventory does not say)",
    "paid": "true when `current` is a paid tier: any tier but the free one",
    "limit": "the metric of its usage wall in today's free tier (none without one)",
    "answered": "how many of its signals the PM answered",
    "inferred": "how many of its signals the inference rules set from its words",
    "type": "its type: the first part of its `category` (`management` in `management: roles`; "
            "none without a category)",
}
ADVICE_FIELDS = {
    "recommendation": "`free`, `free-limited` or `gated`",
    "tier": "the tier the advice places it in",
    "wall": "the usage wall a `free-limited` advice names (none otherwise)",
    "confidence": "the advice's confidence as text, two decimals (`0.83`); none when its "
                  "label is `unknown`",
    "label": "the confidence in words: `low`, `medium`, `high` or `unknown`",
    "why": "the main reason, as `rule: message` (`no rule fired` when none did)",
    "evidence": "what the decisive reasons rest on: `answered`, `inferred`, or `none` "
                "(defaults alone)",
    "tier_from": "what the tier of gated advice rests on: `audience` (an answered or inferred "
                 "audience), `type` (what the feature's type says, `policy.type_audiences`) or "
                 "`default` (nothing says who buys it: the cheapest paid tier); none when the "
                 "advice is not gated or there is no paid tier",
    "free_weight": "the weight of the reasons to give it away, as text (`3`)",
    "gated_weight": "the weight of the reasons to charge for it (gated or a usage wall), the "
                    "default not counted, as text",
}
WHOLE_VALUES = {
    "free": "the free tier's name",
    "audience": "who buys it, as the tier of gated advice reads it: the answered or inferred "
                "`audience` signal, else what its type says (`policy.type_audiences`); none when "
                "nothing says",
    "growth": "the reasons for free on virality, aha or habit, as `rule: message; ...` "
              "(empty when there is none)",
    "walls": "the reasons for a usage wall, as text (empty when there is none)",
    "charging": "the reasons against giving it away (gated or a usage wall), the default not "
                "counted, as text (empty when only the default speaks against it)",
}
MAPPINGS = {
    "feature": "the feature, today",
    "advice": "what the advisor recommends for it",
    "signals": "its signals, each as a rule's condition reads it (a level is a number that "
               "compares with `none`, `low`, `medium`, `high`; a message prints it as written)",
    "product": "the product, as a rule's condition reads it",
}
FIELDS = {
    "feature": tuple(FEATURE_FIELDS), "advice": tuple(ADVICE_FIELDS),
    "signals": tuple(SIGNAL_BY_NAME), "product": PRODUCT_FIELDS,
}
CHECK_NAMES = Names(FIELDS, tuple(WHOLE_VALUES), LEVEL_CONSTANTS)
# What a finding may rest on: when every reason in it (the signal, or what the tier reads) was
# inferred from the feature's words or type, the finding is a guess and says which words.
GROUNDS = ("advice.why", "advice.tier", "growth", "walls", "charging",
           *(f"signals.{s}" for s in SIGNAL_BY_NAME))

# A name and its field; quoted text and filters (``| lower``) are skipped.
_NAME = re.compile(r"""'[^']*'|"[^"]*"|\|\s*\w+|(?<![\w.])([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?""")
_WORDS = frozenset({"and", "or", "not", "in", "is", "if", "elif", "else", "endif", "true",
                    "false", "none", "True", "False", "None", "lower", "upper"})
_TAG = re.compile(r"\{[{%](.*?)[}%]\}", re.S)  # what a message's {{ }} or {% %} holds


@record
class CheckSpec:
    """One check: its metadata and what makes it fire. ``file``/``line`` locate its
    definition, ``where`` the line and column of its ``when`` and ``logic``."""

    id: str
    title: str
    severity: str
    scope: str
    message: str
    help: str
    source: Source | None
    examples: dict[str, tuple[dict, ...]]
    file: str
    line: int
    when: Condition | None = None
    logic: str | None = None
    rests_on: str | None = None  # one of GROUNDS
    at: str | None = None  # the feature key a finding points at (else the feature's start)
    shows: tuple[str, ...] = ()  # the names of CHECK_NAMES a feature check's message reads
    where: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    def render(self, variables: dict[str, Any]) -> str:
        """The finding's message: the check's template filled with what the logic found."""
        return _template(self.message).render(variables)

    def error(self, key: str, message: str) -> InputError:
        """An error about this check, located at its ``key`` (``when``, ``logic``)."""
        line, column = self.where.get(key, (self.line, 1))
        return InputError(self.file, line, column, f"check '{self.id}': {message}")


def waiver_problem(check_id: str, on_feature: bool) -> str | None:
    """What is wrong with waiving ``check_id`` on a feature (``on_feature``) or on the
    product, if anything: a check the catalog does not have, or one of the other scope."""
    catalog = check_by_id()
    spec = catalog.get(check_id)
    if spec is None or spec.scope == "waiver":
        known = [c for c, s in catalog.items() if s.scope != "waiver"]
        return f"no check '{check_id}' to waive{did_you_mean(check_id, known)}"
    if (spec.scope == "feature") != on_feature:
        where = "on the feature it is about" if spec.scope == "feature" else "on the product"
        return f"'{check_id}' is a {spec.scope} check: waive it {where}"
    return None


@lru_cache(maxsize=None)
def _template(source: str) -> MessageTemplate:
    # Compiled once per message: a large catalog raises the same check dozens of times. A
    # check's message reads the variables its logic hands it, whatever their names.
    return MessageTemplate(source, names=ANY_NAME)


def checks_dir() -> Path:
    """The ``checks`` folder, installed or in a checkout."""
    return data_dir("checks")


@lru_cache(maxsize=1)
def load_checks() -> tuple[CheckSpec, ...]:
    """Every check of the built-in catalog, sorted by file name."""
    return load_check_folder(checks_dir())


def load_check_folder(folder: Path) -> tuple[CheckSpec, ...]:
    """Every check of the ``*.yaml`` files in ``folder``, sorted by file name."""
    specs: list[CheckSpec] = []
    seen: dict[str, str] = {}
    for path in sorted(p for p in folder.glob("*.yaml") if p.is_file()):
        name = f"checks/{path.name}"
        spec = parse_check(load_yaml(read_text(str(path))[1], name))
        if spec.id in seen:
            raise InputError(name, spec.line, 1, f"duplicate check id '{spec.id}' (also in {seen[spec.id]})")
        seen[spec.id] = name
        specs.append(spec)
    return tuple(specs)


def check_by_id() -> dict[str, CheckSpec]:
    """The catalog keyed by check id."""
    return {c.id: c for c in load_checks()}


def parse_check(doc: Document) -> CheckSpec:
    """One check file's document as a :class:`CheckSpec`; every problem found is reported."""
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), f"a check must be a mapping, not {type_name(data)}")
    check = Checker(doc)
    check.keys(data, (), CHECK_KEYS, REQUIRED, "check")
    check.done()

    def text(key: str) -> str:
        return " ".join(check.text(data[key], (key,), key).split())

    check_id = check.attempt(lambda: text("id"), "")
    if check_id and not CHECK_ID.match(check_id):
        check.report(("id",), "a check id is lower-case letters, digits and '-'")
    severity = check.attempt(lambda: check.choice(data["severity"], ("severity",), SEVERITIES, "severity"), "")
    scope = check.attempt(lambda: check.choice(data["scope"], ("scope",), SCOPES, "scope"), "")
    message = check.attempt(lambda: _message(check, text("message")), "")
    title = check.attempt(lambda: text("title"), "")
    help_text = check.attempt(lambda: text("help"), "")
    source = check.attempt(lambda: _source(check, data.get("source")), None)
    examples = check.attempt(lambda: _examples(check, data.get("examples")), {})
    firing = check.attempt(lambda: _firing(check, data, scope), {})
    if "when" in firing and message:
        firing["shows"] = check.attempt(lambda: _reads_names(check, message), ())
    check.done()
    where = {key: tuple(doc.value_mark((key,))) for key in ("when", "logic") if key in data}
    return CheckSpec(
        check_id, title, severity, scope, message, help_text, source, examples,
        doc.path, doc.value_mark(()).line, **firing, where=where,
    )


def _message(check: Checker, message: str) -> str:
    try:
        _template(message)
    except ExpressionError as exc:
        raise check.fail(("message",), str(exc)) from None
    return message


def _reads_names(check: Checker, message: str) -> tuple[str, ...]:
    """The names a feature check's message reads: those its condition may, and nothing else."""
    try:
        return tuple(dict.fromkeys(f[0] for f in MessageTemplate(message, names=CHECK_NAMES).fields))
    except ExpressionError as exc:
        for tag in _TAG.findall(message):
            problem = _unknown_name(tag, "message")
            if problem:
                raise check.fail(("message",), problem) from None
        raise check.fail(("message",), str(exc)) from None


def _firing(check: Checker, data: dict, scope: str) -> dict[str, Any]:
    """What makes the check fire: its ``when`` (with ``rests_on`` and ``at``) or its ``logic``."""
    when, logic = data.get("when"), data.get("logic")
    if scope == "waiver":
        for key in ("when", "logic"):
            if key in data:
                raise check.fail((key,), f"a waiver check is raised by the waivers themselves: drop '{key}'", at_key=True)
    elif scope == "feature" and (when is None) == (logic is None):
        if when is None:
            raise check.fail((), "a feature check needs 'when' (a condition) or 'logic' (a function)")
        raise check.fail(("logic",), "'when' and 'logic' exclude each other: keep one", at_key=True)
    elif scope in ("product", "tier") and logic is None:
        if when is not None:
            raise check.fail(("when",), f"'when' is read per feature; a {scope} check names its function in 'logic'", at_key=True)
        raise check.fail((), f"a {scope} check needs 'logic': the name of its function")
    for key in ("rests_on", "at"):
        if key in data and when is None:
            raise check.fail((key,), f"'{key}' goes with 'when'", at_key=True)
    if logic is not None:
        if not isinstance(logic, str) or not LOGIC_NAME.match(logic):
            raise check.fail(("logic",), "'logic' is the name of a Python function: lower-case letters, digits and '_'")
        return {"logic": logic}
    if when is None:
        return {}
    found: dict[str, Any] = {"when": _condition(check, when)}
    if "rests_on" in data:
        found["rests_on"] = check.choice(data["rests_on"], ("rests_on",), GROUNDS, "rests_on")
    if "at" in data:
        found["at"] = check.choice(data["at"], ("at",), FEATURE_KEYS, "feature key")
    return found


def _condition(check: Checker, source: Any) -> Condition:
    if not isinstance(source, str) or not source.strip():
        raise check.fail(("when",), "'when' must be a condition written as text")
    try:
        return Condition(source, CHECK_NAMES)
    except ExpressionError as exc:
        raise check.fail(("when",), _unknown_name(source) or str(exc)) from None


def _unknown_name(source: str, part: str = "when") -> str | None:
    """Which name or field of a condition (or a message's tag) a check cannot read, with the
    closest one."""
    for match in _NAME.finditer(source):
        name, field_name = match.groups()
        if name is None or name in _WORDS or name in LEVEL_CONSTANTS:
            continue
        known = (*FIELDS, *WHOLE_VALUES)
        if name not in known:
            return f"unknown name '{name}' in '{part}'{did_you_mean(name, known)}; a check reads {one_of(known)}"
        if field_name is not None and name in FIELDS and field_name not in FIELDS[name]:
            return (f"unknown field '{name}.{field_name}' in '{part}'"
                    f"{did_you_mean(field_name, FIELDS[name])}; {name} has {one_of(FIELDS[name])}")
    return None


def _source(check: Checker, value: Any) -> Source | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("principle"), str):
        raise check.fail(("source",), "'source' must be a mapping with a 'principle'")
    check.keys(value, ("source",), SOURCE_KEYS, (), "source")
    timestamp = value.get("timestamp")
    if timestamp is not None and not (isinstance(timestamp, str) and TIMESTAMP.match(timestamp)):
        raise check.fail(("source", "timestamp"), "a timestamp looks like '00:51:09' (quote it)")
    quote = value.get("quote")
    return Source(
        " ".join(value["principle"].split()), value.get("seed"), timestamp,
        " ".join(quote.split()) if isinstance(quote, str) else None,
    )


def _examples(check: Checker, value: Any) -> dict[str, tuple[dict, ...]]:
    if value is None:
        return {}
    check.mapping(value, ("examples",), "'examples'")
    check.keys(value, ("examples",), EXAMPLE_KEYS, (), "examples")
    result = {}
    for key, cases in value.items():
        if key in EXAMPLE_KEYS:
            if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
                raise check.fail(("examples", key), f"'examples.{key}' must be a list of inventories")
            result[key] = tuple(cases)
    return result
