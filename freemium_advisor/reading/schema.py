"""The inventory format as JSON Schema, built from the same tables the validator uses.

Editors validate and complete inventories with it (a ``# yaml-language-server: $schema=``
line); ``schema/inventory.schema.json`` is a copy that a test keeps identical.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from freemium_advisor.base.limits import MAX_INTEGER
from freemium_advisor.reading.checkcatalog import load_checks
from freemium_advisor.model.inventory import DEFAULT_TIERS, ID_PATTERN
from freemium_advisor.model.signals import AUDIENCES, MODELS, SIGNALS
from freemium_advisor.model.waivers import waivers_schema

# The schema file an inventory's editor line names, beside the inventory ('init' writes it
# there, as 'schema -o' does): a path relative to the inventory, never a URL that could go.
SCHEMA_FILE = "inventory.schema.json"


def inventory_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an inventory file."""
    checks = load_checks()
    feature_checks = [c.id for c in checks if c.scope == "feature"]
    product_checks = [c.id for c in checks if c.scope in ("product", "tier")]
    tier = {
        "oneOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "audience": {
                        "description": "who the tier is sold to (default: by position)",
                        "enum": list(AUDIENCES),
                    },
                },
            },
        ]
    }
    feature = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name"],
        "properties": {
            "id": {
                "description": "unique id: letters, digits and - _ . & / % +",
                "type": "string",
                "pattern": ID_PATTERN.pattern,
            },
            "name": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "category": {"type": "string"},
            "current": {"description": "the tier it sits in today", "type": "string"},
            "addon": {"description": "sold only as an add-on", "type": "boolean"},
            "limit": {
                "description": "the usage wall the free tier has today",
                "type": "object",
                "additionalProperties": False,
                "required": ["metric"],
                "properties": {
                    "metric": {"type": "string", "minLength": 1},
                    # The largest finite number: 1e400 (infinity) is refused, as the loader refuses it.
                    "free": {"type": "number", "minimum": 0, "maximum": sys.float_info.max},
                },
            },
            "metered": {
                "description": "what the product counts when the feature is used (a usage "
                             "metric such as boards or API calls), whatever the limits",
                "type": "string",
                "minLength": 1,
            },
            "signals": {
                "description": "the PM's answers; unanswered signals may be inferred from the words",
                "type": "object",
                "additionalProperties": False,
                "properties": {spec.name: spec.json_schema() for spec in SIGNALS},
            },
            "waive": waivers_schema(feature_checks),
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "freemium-advisor feature inventory",
        "type": "object",
        "additionalProperties": False,
        "required": ["product", "features"],
        "properties": {
            "version": {"const": 1},
            "product": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "description": {"type": "string"},
                    "model": {"enum": list(MODELS), "default": "freemium"},
                    "trial_days": {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER},
                    "collaborative": {
                        "description": "collaboration or one-to-many at the core",
                        "type": "boolean",
                    },
                    "tiers": {
                        "description": "cheapest first; the first is the free tier",
                        "type": "array",
                        "minItems": 1,
                        "items": tier,
                        "default": list(DEFAULT_TIERS),
                    },
                    "waive": waivers_schema(product_checks),
                },
            },
            "features": {"type": ["array", "null"], "items": feature},
        },
    }


def schema_text() -> str:
    """The schema as the JSON text that ships in ``schema/``."""
    return json.dumps(inventory_schema(), indent=2) + "\n"


def output_schema_text(kind: str) -> str:
    """The schema of one JSON output of the tool (see :mod:`freemium_advisor.result.schema`)."""
    from freemium_advisor.result.schema import output_schema_text as text

    return text(kind)
