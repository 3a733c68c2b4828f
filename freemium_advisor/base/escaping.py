"""Feature text made inert for its target: Markdown (tables, headings, lists) and Mermaid.

Names and descriptions come from the PM's inventory and rule messages from any rule pack, so
a ``|`` must not split a table cell, a backtick must not open code, a newline must not end a
table row, and ``<script>`` must stay text when the Markdown is shown as HTML. HTML itself is
escaped by Jinja2's autoescape.
"""

from __future__ import annotations

import re

# GitHub-flavoured Markdown honours a backslash before any ASCII punctuation; these are the
# characters that start emphasis, code, links, images, tables or strikethrough inline.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_escape(value) -> str:
    """``value`` as one line of literal Markdown text, safe inside a table cell or heading."""
    text = " ".join(str(value).split())  # newlines and tabs would end a table row
    text = "".join(_HTML.get(c, c) for c in text)  # no raw HTML reaches a renderer
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def mermaid_label(value) -> str:
    """Text for a double-quoted Mermaid label: only characters no Mermaid grammar gives a
    meaning to inside quotes (letters, digits, spaces and ``- . , ( ) / +``)."""
    text = re.sub(r"[^0-9A-Za-z .,()/+-]+", " ", str(value))
    return " ".join(text.split()) or "feature"
