"""``diff`` output: one line per change (text), or the list of changes (JSON)."""

from __future__ import annotations

import json


def _value(value: str | None) -> str:
    return "(none)" if value is None else value


def render_text(diff, options=None) -> str:
    """``feature: current free -> pro``; added and removed features say so."""
    lines = []
    for c in diff.changes:
        if c.kind == "added":
            lines.append(f"+ {c.feature}: added (advice {c.new})")
        elif c.kind == "removed":
            lines.append(f"- {c.feature}: removed (advice was {c.old})")
        else:
            lines.append(f"~ {c.feature}: {c.field} {_value(c.old)} -> {_value(c.new)}")
    if not lines:
        lines.append(f"No changes between {diff.old} and {diff.new}.")
    return "\n".join(lines) + "\n"


def render_json(diff, options=None) -> str:
    """The changes as a JSON document."""
    data = {
        "old": diff.old, "new": diff.new,
        "changes": [
            {"feature": c.feature, "kind": c.kind, "field": c.field, "old": c.old, "new": c.new}
            for c in diff.changes
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
