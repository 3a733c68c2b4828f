"""Output formats: one small module per format, each command with its own list of formats.

``COMMAND_FORMATS`` says, for every command that has a ``--format`` option, which formats it
offers and which function renders each (``module:function`` inside this package, imported
only when used, so that JSON output never loads the terminal libraries). The first format
listed is the command's default. Adding a format means writing its function behind the
interface in :mod:`freemium_advisor.formats.interface` and adding it here; a test builds
every (command, format) pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module

from freemium_advisor.formats.interface import RenderOptions

__all__ = ["COMMAND_FORMATS", "RenderOptions", "formats_for", "formatter", "streamer"]

COMMAND_FORMATS: dict[str, dict[str, str]] = {
    "analyze": {
        "table": "terminal:render_analysis",
        "json": "json_format:render_analysis",
    },
    "explain": {
        "text": "terminal:render_explanation",
        "json": "json_format:render_explanation",
    },
    "report": {
        "markdown": "markdown_report:render_report",
        "html": "html_report:render_report",
    },
    "rules list": {
        "table": "rules_view:render_list_table",
        "json": "rules_view:render_list_json",
    },
    "check": {
        "text": "check_text:render_check",
        "json": "json_format:render_check",
        "github": "github:render_check",
        "gitlab": "gitlab:render_check",
        "sarif": "sarif:render_check",
        "junit": "junit:render_check",
        "markdown": "markdown_comment:render_check",
    },
    "diff": {
        "text": "diff_view:render_text",
        "json": "diff_view:render_json",
    },
    "checks list": {
        "text": "checks_view:render_list_text",
        "json": "checks_view:render_list_json",
    },
}


# Formats that can also write their result piece by piece (UTF-8 bytes, the same text as
# the formatter's), so that a large result is never one string in memory.
STREAMS: dict[tuple[str, str], str] = {
    ("analyze", "json"): "json_format:stream_analysis",
    ("analyze", "table"): "terminal:stream_analysis",
}


def formats_for(command: str) -> tuple[str, ...]:
    """The format names ``command`` offers, its default first."""
    return tuple(COMMAND_FORMATS[command])


def formatter(command: str, name: str) -> Callable[..., str]:
    """The function that renders ``command``'s result in format ``name``."""
    module_name, function = COMMAND_FORMATS[command][name].split(":")
    return getattr(import_module(f"freemium_advisor.formats.{module_name}"), function)


def streamer(command: str, name: str) -> Callable[..., Iterable[bytes]]:
    """A function that yields ``command``'s result in format ``name`` as UTF-8 pieces."""
    spec = STREAMS.get((command, name))
    if spec is None:
        render = formatter(command, name)
        return lambda result, options=None: (render(result, options).encode("utf-8"),)
    module_name, function = spec.split(":")
    return getattr(import_module(f"freemium_advisor.formats.{module_name}"), function)
