"""The starter inventory that ``init`` writes, rendered from ``templates/starter.yaml.j2``."""

from __future__ import annotations

from freemium_advisor.reading.schema import SCHEMA_FILE
from freemium_advisor.render.templating import render_template


def starter_inventory(name: str, path: str) -> str:
    """A commented inventory for product ``name`` that passes validation."""
    shown = "features.yaml" if path == "-" else path
    return render_template("starter.yaml.j2", name=name, path=shown, schema_url=SCHEMA_FILE)
