"""The JSON result (``analyze --format json``, ``check --format json``) as JSON Schema,
generated from the result's declared shapes (:mod:`freemium_advisor.result`).

``freemium-advisor schema --result`` prints it; ``schema/result.schema.json`` is a copy that
a test keeps identical, and every example's JSON output is validated against it. Within
``format_version`` 1 fields are only ever added, never removed or changed in meaning.
"""

from __future__ import annotations

import json
from typing import Any

from freemium_advisor.result import CHECK_RUN, Analysis
from freemium_advisor.result.shape import schema_of

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
