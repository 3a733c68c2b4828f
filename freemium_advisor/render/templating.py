"""Jinja2 templates from ``templates/``: the starter inventory, the rule docs and the reports.

Built-in reports share one set of filters with users' own templates (see
:mod:`freemium_advisor.render.user_template`), so a filter used in ``templates/report.md.j2`` works in
a copy of it too.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from freemium_advisor.base.escaping import markdown_escape, mermaid_label
from freemium_advisor.base.resources import data_dir
from freemium_advisor.base.textfile import remember_read


def signed(value: float) -> str:
    """``+3``, ``-0.5``, ``0``: a weight with its direction."""
    value = round(float(value), 3) + 0.0
    return f"{value:+g}" if value else "0"


def number(value: float) -> str:
    """``3``, ``0.5``: a weight without trailing zeros."""
    return f"{round(float(value), 3) + 0.0:g}"


FILTERS = {"md": markdown_escape, "mermaid": mermaid_label, "signed": signed, "number": number}


@lru_cache(maxsize=2)
def _environment(html: bool = False) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(data_dir("templates"))),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # HTML reports escape every value; Markdown escapes feature text with the md filter.
        autoescape=html,
    )
    environment.filters.update(FILTERS)
    return environment


def render_template(template: str, **context) -> str:
    """Render ``templates/<template>`` with ``context``; a missing variable is an error.

    Templates named ``*.html.j2`` are rendered with HTML autoescape.
    """
    loaded = _environment(template.endswith(".html.j2")).get_template(template)
    if loaded.filename:
        remember_read(loaded.filename)  # so that no output of this run overwrites it
    return loaded.render(**context)
