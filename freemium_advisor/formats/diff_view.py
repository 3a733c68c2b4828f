"""``diff`` output: one line per change (text), or the changes as JSON (the shape declared
in :mod:`freemium_advisor.result.diff`)."""

from __future__ import annotations

import json

from freemium_advisor.base.escaping import json_document, text_line
from freemium_advisor.result.diff import InventoryDiff

# What "nothing" is called, by the field it is about: an unanswered signal is not the
# level none, and a feature no tier holds is not in a tier called "none".
_NOTHING = {"current": "no tier", "limit": "no wall", "advice": "none", "feature": "none"}


def _said(field: str, value) -> str:
    """A change's value in words: ``gated in starter``, ``boards (free 3)``, ``unanswered``."""
    if value is None:
        return _NOTHING.get(field, "unanswered")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict) and "recommendation" in value:
        gated = value["recommendation"] == "gated" and value["tier"]
        return text_line(f"gated in {value['tier']}" if gated else value["recommendation"])
    if isinstance(value, dict):
        free = "" if value["free"] is None else f" (free {value['free']:g})"
        return text_line(f"{value['metric']}{free}")
    return text_line(str(value))


def render_text(diff: InventoryDiff, options=None) -> str:
    """``~ feature: current free -> pro``; added and removed features say so."""
    lines = []
    for c in diff.changes:
        feature = text_line(c.feature)
        if c.kind == "added":
            lines.append(f"+ {feature}: added (advice {_said('advice', c.new)})")
        elif c.kind == "removed":
            lines.append(f"- {feature}: removed (advice was {_said('advice', c.old)})")
        else:
            lines.append(f"~ {feature}: {c.field} {_said(c.field, c.old)} -> {_said(c.field, c.new)}")
    if not lines:
        lines.append(f"No changes between {text_line(diff.old)} and {text_line(diff.new)}.")
    return "\n".join(lines) + "\n"


def render_json(diff: InventoryDiff, options=None) -> str:
    """The changes as a JSON document."""
    data = InventoryDiff.JSON.to_json(diff)
    return json_document(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
