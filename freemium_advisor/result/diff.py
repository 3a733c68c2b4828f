"""What changed between two inventories (``diff``): the changes, and their JSON shape.

A change's ``old`` and ``new`` are JSON values of the field they are about, never text made
for people: a tier's name, a signal's answer as the inventory writes it (a level's name, an
audience, ``true``/``false`` for ``production``), a usage wall (``{"metric", "free"}``), the
advice (``{"recommendation", "tier"}``), or ``null`` for nothing (no tier, not answered, no
wall, no feature).
"""

from __future__ import annotations


from typing import Any, ClassVar

from freemium_advisor.base.record import record
from freemium_advisor.model.signals import RECOMMENDATIONS
from freemium_advisor.result import FORMAT_VERSION, Tool
from freemium_advisor.result.shape import TEXT, Kind, Out, Shape, const, list_of, one_of, schema_of

KINDS = ("added", "removed", "placement", "limit", "signal", "advice")

ADVICE = Shape(
    "the advice: a recommendation and the tier it puts the feature in",
    Out("recommendation", one_of(RECOMMENDATIONS), "free, free-limited or gated"),
    Out("tier", Kind({"type": ["string", "null"]}), "the tier it goes to (the free tier unless gated)"),
)
WALL = Shape(
    "a usage wall of the free tier",
    Out("metric", TEXT, "what the wall counts"),
    Out("free", Kind({"type": ["number", "null"], "minimum": 0}), "how much the free tier gets, if said"),
)
# Any of the values a change can be about, or null for nothing.
VALUE = Kind({"oneOf": [
    {"type": "null"},
    {"type": "string", "description": "a tier's name, or a signal's level or audience"},
    {"type": "boolean", "description": "the production signal"},
    schema_of(ADVICE),
    schema_of(WALL),
]})


@record
class Change:
    """One difference: ``kind`` is added, removed, placement, limit, signal or advice;
    ``field`` what changed (``feature``, ``current``, ``limit``, a signal's name, ``advice``)."""

    feature: str
    kind: str
    field: str
    old: Any
    new: Any

    JSON: ClassVar[Shape] = Shape(
        "one difference between the two inventories",
        Out("feature", TEXT, "the feature's id"),
        Out("kind", one_of(KINDS), "what kind of change: a feature added or removed, its placement "
            "(current), its usage wall (limit), an answered signal, or the advice"),
        Out("field", TEXT, "the field that changed: feature, current, limit, a signal's name, or advice"),
        Out("old", VALUE, "the value before (null: none; for an added feature, null)"),
        Out("new", VALUE, "the value after (null: none; for a removed feature, null)"),
    )


@record
class InventoryDiff:
    """The changes from the inventory ``old`` to ``new``."""

    old: str
    new: str
    changes: tuple[Change, ...]

    JSON: ClassVar[Shape] = Shape(
        "what changed between two inventories ('diff --format json')",
        Out("format_version", const(FORMAT_VERSION), "the format's version; fields are only added "
            "within a version", lambda d: FORMAT_VERSION),
        Out("tool", Tool.JSON, "what produced the result", lambda d: Tool()),
        Out("old", TEXT, "the inventory before: a file or REF:path"),
        Out("new", TEXT, "the inventory after: a file or REF:path"),
        Out("changes", list_of(Change.JSON), "the changes, in the new inventory's feature order "
            "(removed features last)"),
    )
