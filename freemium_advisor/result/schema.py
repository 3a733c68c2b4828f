"""Every JSON document the tool prints, as JSON Schema, generated from the declared shapes
(:mod:`freemium_advisor.result`, :mod:`freemium_advisor.result.diff`,
:mod:`freemium_advisor.result.catalog`).

``freemium-advisor schema --kind KIND`` prints one: ``result`` (``analyze`` and ``check``
``--format json``; also ``schema --result``), ``explain``, ``diff``, ``rules`` (``rules list``)
and ``checks`` (``checks list``). ``schema/KIND.schema.json`` is a copy of each that a test
keeps identical, and the tests validate what the commands print against them. Within
``format_version`` 1 fields are only ever added, never removed or changed in meaning.
"""

from __future__ import annotations

import json
from typing import Any

from freemium_advisor.result import CHECK_RUN, Analysis, Explanation
from freemium_advisor.result.catalog import CHECK_LIST, RULE_LIST
from freemium_advisor.result.diff import InventoryDiff
from freemium_advisor.result.shape import schema_of

# The JSON documents beside the result, by the name `schema --kind` takes: their title and
# how to make their schema.
_DRAFT = "https://json-schema.org/draft/2020-12/schema"

def result_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``analyze --format json`` and ``check --format json``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "freemium-advisor result",
        "oneOf": [{"$ref": "#/$defs/analysis"}, {"$ref": "#/$defs/check"}],
        "$defs": {
            "analysis": schema_of(Analysis.JSON),
            "check": schema_of(CHECK_RUN, {Analysis.JSON: "#/$defs/analysis"}),
        },
    }


def result_schema_text() -> str:
    """The result schema as the JSON text that ships in ``schema/``."""
    return json.dumps(result_schema(), indent=2) + "\n"


def output_schemas() -> dict[str, dict[str, Any]]:
    """The schema of each JSON document the tool prints, by the name ``schema --kind`` takes."""
    return {
        "result": result_schema(),
        "explain": {"$schema": _DRAFT, "title": "freemium-advisor explain",
                    **schema_of(Explanation.JSON)},
        "diff": {"$schema": _DRAFT, "title": "freemium-advisor diff", **schema_of(InventoryDiff.JSON)},
        "rules": {"$schema": _DRAFT, "title": "freemium-advisor rules list",
                  "description": "the rules in force, in load order ('rules list --format json')",
                  **RULE_LIST.schema_in({})},
        "checks": {"$schema": _DRAFT, "title": "freemium-advisor checks list",
                   "description": "the checks, with their severities in force ('checks list --format json')",
                   **CHECK_LIST.schema_in({})},
    }


def output_schema_text(kind: str) -> str:
    """One output's schema as the JSON text that ships in ``schema/KIND.schema.json``."""
    return json.dumps(output_schemas()[kind], indent=2) + "\n"
