"""Jinja2 templates from ``templates/`` (starter inventory, rule docs, and later reports)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from freemium_advisor.resources import data_dir
from freemium_advisor.textfile import remember_read


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(data_dir("templates"))),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render_template(template: str, **context) -> str:
    """Render ``templates/<template>`` with ``context``; a missing variable is an error."""
    loaded = _environment().get_template(template)
    if loaded.filename:
        remember_read(loaded.filename)  # so that no output of this run overwrites it
    return loaded.render(**context)
