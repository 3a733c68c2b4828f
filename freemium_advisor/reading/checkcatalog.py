"""The check catalog: what each placement and catalog check is, as data in ``checks/``.

A check is one YAML file under ``checks/`` (found by walking the folder, as rules are): its
id, title, default severity, scope, message template, help text, the framework passage it
encodes and examples (inventories on which it must fire, and must stay quiet). The logic
that decides whether it fires lives in Python, keyed by id
(:data:`freemium_advisor.engine.checklogic.LOGIC`); a test keeps the two in step. (This module is
not named ``checks``: the wheel installs the data folder under that name.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from freemium_advisor.base.errors import InputError, did_you_mean, one_of
from freemium_advisor.model.expressions import ANY_NAME, ExpressionError, MessageTemplate
from freemium_advisor.base.resources import data_dir
from freemium_advisor.reading.rulecompile import SOURCE_KEYS, TIMESTAMP
from freemium_advisor.model.rules import Source
from freemium_advisor.base.yamlpos import Document, load_yaml, read_text, type_name

SEVERITIES = ("error", "warning", "note")
SCOPES = ("feature", "product", "tier", "waiver")
CHECK_KEYS = ("id", "title", "severity", "scope", "message", "help", "source", "examples")
REQUIRED = ("id", "title", "severity", "scope", "message", "help")
EXAMPLE_KEYS = ("fails", "passes")
CHECK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class CheckSpec:
    """One check's metadata; ``file``/``line`` locate its definition."""

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

    def render(self, variables: dict[str, Any]) -> str:
        """The finding's message: the check's template filled with what the logic found."""
        return _template(self.message).render(variables)

    @property
    def help_uri(self) -> str:
        """Where the check is documented (the generated reference, by anchor)."""
        return f"{DOCS_URL}#{self.id}"


DOCS_URL = "https://github.com/freemium-advisor/freemium-advisor/blob/main/docs/checks.md"


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
    folder = checks_dir()
    specs: list[CheckSpec] = []
    seen: dict[str, str] = {}
    for path in sorted(p for p in folder.glob("*.yaml") if p.is_file()):
        name = f"checks/{path.name}"
        spec = _parse(load_yaml(read_text(str(path))[1], name))
        if spec.id in seen:
            raise InputError(name, spec.line, 1, f"duplicate check id '{spec.id}' (also in {seen[spec.id]})")
        seen[spec.id] = name
        specs.append(spec)
    return tuple(specs)


def check_by_id() -> dict[str, CheckSpec]:
    """The catalog keyed by check id."""
    return {c.id: c for c in load_checks()}


def _parse(doc: Document) -> CheckSpec:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), f"a check must be a mapping, not {type_name(data)}")
    for key in data:
        if key not in CHECK_KEYS:
            raise doc.error(
                (key,), f"unknown check key '{key}'{did_you_mean(key, CHECK_KEYS)}", at_key=True,
            )
    for key in REQUIRED:
        if key not in data:
            raise doc.error((), f"a check needs '{key}'")

    def text(key: str) -> str:
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise doc.error((key,), f"'{key}' must be non-empty text")
        return " ".join(value.split())

    check_id = text("id")
    if not CHECK_ID.match(check_id):
        raise doc.error(("id",), "a check id is lower-case letters, digits and '-'")
    for key, choices in (("severity", SEVERITIES), ("scope", SCOPES)):
        if data[key] not in choices:
            raise doc.error(
                (key,), f"unknown {key} {data[key]!r}{did_you_mean(str(data[key]), choices)}"
                f"; expected {one_of(choices)}",
            )
    message = text("message")
    try:
        _template(message)
    except ExpressionError as exc:
        raise doc.error(("message",), str(exc)) from None
    return CheckSpec(
        check_id, text("title"), data["severity"], data["scope"], message, text("help"),
        _source(doc, data.get("source")), _examples(doc, data.get("examples")),
        doc.path, doc.value_mark(()).line,
    )


def _source(doc: Document, value: Any) -> Source | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("principle"), str):
        raise doc.error(("source",), "'source' must be a mapping with a 'principle'")
    for key in value:
        if key not in SOURCE_KEYS:
            raise doc.error(("source", key), f"unknown source key '{key}'", at_key=True)
    timestamp = value.get("timestamp")
    if timestamp is not None and not (isinstance(timestamp, str) and TIMESTAMP.match(timestamp)):
        raise doc.error(("source", "timestamp"), "a timestamp looks like '00:51:09' (quote it)")
    quote = value.get("quote")
    return Source(
        " ".join(value["principle"].split()), value.get("seed"), timestamp,
        " ".join(quote.split()) if isinstance(quote, str) else None,
    )


def _examples(doc: Document, value: Any) -> dict[str, tuple[dict, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise doc.error(("examples",), "'examples' must map 'fails' and 'passes' to inventories")
    result = {}
    for key, cases in value.items():
        if key not in EXAMPLE_KEYS:
            raise doc.error(("examples", key), f"unknown examples key '{key}'; expected fails or passes", at_key=True)
        if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
            raise doc.error(("examples", key), f"'examples.{key}' must be a list of inventories")
        result[key] = tuple(cases)
    return result
