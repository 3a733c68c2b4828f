"""Where the data that ships with the tool lives: rule packs, templates and the schema.

An installed wheel carries them inside the package (``freemium_advisor/rules``); a source
checkout keeps them at the top of the repository, next to the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The folder ``rules``, ``templates`` or ``schema``, installed or in a checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"freemium-advisor is installed without its '{name}' folder")
