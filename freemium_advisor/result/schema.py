"""The JSON result (``analyze --format json``) as JSON Schema, built from the same tables.

``freemium-advisor schema --result`` prints it; ``schema/result.schema.json`` is a copy that
a test keeps identical, and every example's JSON output is validated against it. Within
``format_version`` 1 fields are only ever added, never removed or changed in meaning.
"""

from __future__ import annotations

import json
from typing import Any

from freemium_advisor.result import SEVERITIES
from freemium_advisor.model.signals import (
    AUDIENCES,
    CRITERION_IDS,
    DEFAULT_CRITERION,
    DIRECTIONS,
    MODELS,
    RECOMMENDATIONS,
    SIGNALS,
)

RESULT_SCHEMA_ID = (
    "https://raw.githubusercontent.com/freemium-advisor/freemium-advisor/main/"
    "schema/result.schema.json"
)
CONFIDENCE_LABELS = ("high", "medium", "low", "unknown")
SUPPRESSION_KINDS = ("waiver", "baseline", "base")
SIGNAL_SOURCES = ("explicit", "inferred", "unset")
EVIDENCE_KINDS = ("answered", "inferred", "none")
WALL_ADVICE = ("keep", "raise", "remove")


def _object(properties: dict[str, Any], *, description: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }
    if description:
        schema = {"description": description, **schema}
    return schema


TEXT = {"type": "string"}
OPTIONAL_TEXT = {"type": ["string", "null"]}
NUMBER = {"type": "number"}
POSITION = _object({"line": {"type": "integer", "minimum": 1}, "column": {"type": "integer", "minimum": 1}})
SOURCE = {
    "description": "the framework passage a rule or check encodes",
    "oneOf": [
        {"type": "null"},
        _object({
            "principle": TEXT,
            "seed": OPTIONAL_TEXT,
            "timestamp": {"type": ["string", "null"], "pattern": r"^\d\d:\d\d:\d\d$"},
            "quote": OPTIONAL_TEXT,
        }),
    ],
}
EVIDENCE = _object({
    "rule": TEXT,
    "words": {"type": "array", "items": TEXT},
    "message": TEXT,
}, description="words an inference rule found, and what it concluded")
SIGNAL_VALUE = {"type": ["string", "boolean", "null"]}


def result_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``analyze --format json`` and ``check --format json``."""
    reason = _object({
        "rule": TEXT,
        "criterion": {"enum": [*CRITERION_IDS, DEFAULT_CRITERION.id]},
        "direction": {"enum": list(DIRECTIONS)},
        "weight": {"type": "number", "minimum": 0},
        "message": TEXT,
        "inferred": {"type": "boolean", "description": "it read a signal inferred from words"},
        "evidence": {"type": "array", "items": EVIDENCE},
        "source": SOURCE,
    }, description="a score rule that fired")
    signal = _object({
        "value": SIGNAL_VALUE,
        "source": {"enum": list(SIGNAL_SOURCES)},
        "evidence": {"type": "array", "items": EVIDENCE},
    })
    feature = _object({
        "id": TEXT,
        "name": TEXT,
        "recommendation": {"enum": list(RECOMMENDATIONS)},
        "tier": {"type": ["string", "null"], "description": "null when there is no tier to gate into"},
        "tier_is_guess": {
            "type": "boolean",
            "description": "gated without an answered or inferred audience: the tier is a default",
        },
        "current": OPTIONAL_TEXT,
        "score": NUMBER,
        "margin": NUMBER,
        "confidence": {
            "type": "number", "minimum": 0, "maximum": 1,
            "description": "the measured accuracy of the advice's confidence band (0 when unknown)",
        },
        "confidence_label": {"enum": list(CONFIDENCE_LABELS)},
        "evidence": {
            "enum": list(EVIDENCE_KINDS),
            "description": "what the decisive reasons rest on: answered signals, inferred ones, or none",
        },
        "limit": {
            "oneOf": [
                {"type": "null"},
                _object({"metric": OPTIONAL_TEXT, "rule": OPTIONAL_TEXT}),
            ],
            "description": "the usage wall, for free-limited advice",
        },
        "wall_advice": {
            "oneOf": [{"type": "null"}, {"enum": list(WALL_ADVICE)}],
            "description": "what to do with today's free-tier wall (null when there is none)",
        },
        "criteria": _object({c: NUMBER for c in CRITERION_IDS}),
        "default": {
            "type": "number",
            "description": "the default rule's share of the score, outside every criterion",
        },
        "questions": {
            "type": "array", "items": {"enum": [s.name for s in SIGNALS]},
            "description": "with confidence unknown: the signals whose answer alone would decide",
        },
        "signals": _object({s.name: signal for s in SIGNALS}),
        "reasons": {"type": "array", "items": reason},
        "position": POSITION,
    })
    finding = _object({
        "check": TEXT,
        "title": TEXT,
        "severity": {"enum": list(SEVERITIES)},
        "feature": OPTIONAL_TEXT,
        "message": TEXT,
        "file": TEXT,
        "position": POSITION,
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
        "inferred": {"type": "boolean", "description": "it rests on inferred, not answered, signals"},
        "help": TEXT,
        "source": SOURCE,
        "suppression": {
            "description": "why a finding does not count (null for a finding that counts)",
            "oneOf": [
                {"type": "null"},
                _object({
                    "kind": {"enum": list(SUPPRESSION_KINDS)},
                    "reason": TEXT,
                    "owner": OPTIONAL_TEXT,
                    "expires": {"type": ["string", "null"], "pattern": r"^\d{4}-\d\d-\d\d$"},
                }),
            ],
        },
    })
    product = _object({
        "name": TEXT,
        "model": {"enum": list(MODELS)},
        "trial_days": {"type": ["integer", "null"]},
        "collaborative": {"type": "boolean"},
        "tiers": {"type": "array", "items": _object({"name": TEXT, "audience": {"enum": list(AUDIENCES)}})},
    })
    analysis = _object({
            "format_version": {"const": 1},
            "tool": _object({"name": {"const": "freemium-advisor"}, "version": TEXT}),
            "rules": _object({
                "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                "packs": {"type": "array", "items": TEXT},
            }, description="the effective rule set: its fingerprint and the packs loaded"),
            "file": {"type": "string", "description": "the inventory analyzed"},
            "product": product,
            "summary": _object({r: {"type": "integer", "minimum": 0} for r in RECOMMENDATIONS}),
            "features": {"type": "array", "items": feature},
            "findings": {"type": "array", "items": finding},
            "suppressed": {
                "type": "array", "items": finding,
                "description": "findings accepted by a waiver, the baseline or --base",
            },
        }, description="one inventory's analysis ('analyze --format json')")
    check = _object({
        "format_version": {"const": 1},
        "tool": _object({"name": {"const": "freemium-advisor"}, "version": TEXT}),
        "gate": _object({
            "fail_on": {"enum": ["error", "warning", "note", "never"]},
            "failed": {"type": "boolean"},
            "counts": _object({
                **{s: {"type": "integer", "minimum": 0} for s in SEVERITIES},
                "suppressed": {"type": "integer", "minimum": 0},
            }),
        }, description="the verdict: failed when a finding is at or above fail_on"),
        "results": {"type": "array", "items": {"$ref": "#/$defs/analysis"}},
    }, description="the CI gate's result ('check --format json'): one analysis per file")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": RESULT_SCHEMA_ID,
        "title": "freemium-advisor result",
        "oneOf": [{"$ref": "#/$defs/analysis"}, {"$ref": "#/$defs/check"}],
        "$defs": {"analysis": analysis, "check": check},
    }


def result_schema_text() -> str:
    """The result schema as the JSON text that ships in ``schema/``."""
    return json.dumps(result_schema(), indent=2) + "\n"
