"""``diff`` output: one line per change (text), or the list of changes (JSON)."""

from __future__ import annotations

import json

from freemium_advisor.base.escaping import json_document, text_line


def _value(value: str | None) -> str:
    return "(none)" if value is None else text_line(value)


def render_text(diff, options=None) -> str:
    """``feature: current free -> pro``; added and removed features say so."""
    lines = []
    for c in diff.changes:
        feature = text_line(c.feature)
        if c.kind == "added":
            lines.append(f"+ {feature}: added (advice {_value(c.new)})")
        elif c.kind == "removed":
            lines.append(f"- {feature}: removed (advice was {_value(c.old)})")
        else:
            lines.append(f"~ {feature}: {c.field} {_value(c.old)} -> {_value(c.new)}")
    if not lines:
        lines.append(f"No changes between {text_line(diff.old)} and {text_line(diff.new)}.")
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
    return json_document(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
