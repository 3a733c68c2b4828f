"""Output formats: one small module per format, all behind the same two functions.

Every format module offers ``render(analysis, options) -> str`` (the whole analysis) and
``render_explanation(explanation, options) -> str`` (one feature). The CLI picks a module
by name from ``FORMATS``; adding a format means adding a module and a line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from types import ModuleType

from freemium_advisor.formats import json_format, terminal


@dataclass(frozen=True)
class RenderOptions:
    """How the text is shown: colors (ANSI) or not, and the width to wrap tables at."""

    color: bool = False
    width: int = 100


class OutputFormat(str, Enum):
    """The ``--format`` choices."""

    table = "table"
    json = "json"


FORMATS: dict[OutputFormat, ModuleType] = {
    OutputFormat.table: terminal,
    OutputFormat.json: json_format,
}


def formatter(name: OutputFormat | str) -> ModuleType:
    """The module that renders format ``name``."""
    return FORMATS[OutputFormat(name)]
