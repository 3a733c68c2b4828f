"""Text from files anyone edits, made inert for each kind of output: one function per kind.

File names (git allows a newline in one), feature ids and names, rule and check messages all
come from inventories, rule packs or the file system, and every output is read by something
that gives some characters a meaning: a terminal (ESC starts a control sequence that can
rewrite the screen or hide a link), a CI log (a line starting with ``::`` is a GitHub
workflow command), Markdown and HTML (tags, links, @mentions), XML (control characters are
not allowed at all), and any viewer of Unicode text (a bidirectional override such as U+202E
reverses the text around it, so that a name reads as something else).

The rule is the same everywhere: control characters (C0, DEL, C1), the bidirectional
embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and the line and paragraph
separators (U+2028, U+2029) are shown as escapes (``\\n``, ``\\t``, ``\\r``, ``\\u202e``), which
are also the JSON escapes for them. Kinds that lay text out in lines (Markdown, HTML) read
a line break inside prose as a space, as their renderers do; a file name in Markdown
(``markdown_name``) shows its escapes as every other format does.

=========================  =====================================================
output kind                function
=========================  =====================================================
terminal (rich's layout)   :func:`document`, on each laid-out piece
a line of text (stderr,    :func:`text_line`
``check -f text``)
GitHub workflow command    :func:`workflow_data`, :func:`workflow_property`
Markdown                   :func:`markdown_escape`, then :func:`document` for a report
HTML                       Jinja2's autoescape, then :func:`document` for the page
XML                        :func:`text_line` (XML 1.0 allows no control character);
                           the XML writer escapes the markup
JSON                       :func:`json_document`, :func:`json_document_bytes`
=========================  =====================================================
"""

from __future__ import annotations

import re

# Every character shown as an escape: C0 controls, DEL and C1 controls, the bidirectional
# embeddings, overrides and isolates, and the Unicode line and paragraph separators.
_UNSAFE = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"


class _WhenUsed:
    """A regular expression compiled the first time it is used. A character class that
    reaches beyond Latin-1 takes a few milliseconds to compile, and most runs use one of
    these three, or none (a JSON result streamed as bytes uses the bytes one below)."""

    __slots__ = ("_source", "_pattern")

    def __init__(self, source: str):
        self._source = source
        self._pattern: re.Pattern | None = None

    def sub(self, replacement, text: str) -> str:
        pattern = self._pattern
        if pattern is None:
            pattern = self._pattern = re.compile(self._source)
        return pattern.sub(replacement, text)


_UNSAFE_RE = _WhenUsed(f"[{_UNSAFE}]")
# The same but for the layout whitespace a whole document is made of (tab, newline, CR).
_UNSAFE_IN_DOCUMENT = _WhenUsed("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# The characters JSON writers leave as they are but a viewer acts on (C0 is always escaped).
_UNSAFE_IN_JSON = _WhenUsed("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON_BYTES = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# GitHub-flavoured Markdown honours a backslash before any ASCII punctuation; these are the
# characters that start emphasis, code, links, images, tables or strikethrough inline.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# "@name" in a pull-request comment notifies that user or team; a zero-width space after
# the "@" (as Dependabot writes release notes) keeps the text and drops the notification.
_MENTION = re.compile(r"(?<![\w@])@(?=[\w-])")


def _escape(character: str) -> str:
    return _SHORT.get(character) or f"\\u{ord(character):04x}"


def _escape_match(match: re.Match) -> str:
    return _escape(match.group())


def text_line(value) -> str:
    """``value`` as part of one line of plain text: every control character (newlines too)
    and every bidirectional control is an escape, so the line stays one line and reads as
    it is stored."""
    return _UNSAFE_RE.sub(_escape_match, str(value))


def workflow_data(value) -> str:
    """``value`` as the message of a GitHub Actions workflow command (after ``::``).

    One line (:func:`text_line`) with ``%`` written ``%25``, the runner's own escape, so no
    part of a name can end the command or start another (``::stop-commands::``)."""
    return text_line(value).replace("%", "%25")


def workflow_property(value) -> str:
    """``value`` as a workflow command property (``file=``, ``title=``): :func:`workflow_data`
    with ``:`` and ``,``, which end a property, escaped too."""
    return workflow_data(value).replace(":", "%3A").replace(",", "%2C")


def markdown_escape(value) -> str:
    """``value`` as one line of literal Markdown prose, safe inside a table cell or heading:
    no tag, link, emphasis, code or @mention, and the controls shown as escapes. A line
    break or tab in prose (a description written as a YAML block) reads as a space, as a
    Markdown renderer reads it; a name uses :func:`markdown_name`."""
    text = " ".join(str(value).split())  # newlines and tabs would end a table row
    text = "".join(_HTML.get(c, c) for c in text)  # no raw HTML reaches a renderer
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text_line(text))
    return _MENTION.sub("@&#8203;", text)


def markdown_name(value) -> str:
    """A name (a file's) as :func:`markdown_escape` writes prose, but with every control
    character shown as the escape every other format shows (``\\n``, ``\\t``): a newline in
    a file name is part of the name, not a line break."""
    return markdown_escape(text_line(str(value)))


def document(text: str) -> str:
    """A whole rendered document (a report in Markdown or HTML, a terminal's laid-out text):
    every control character but its own tabs and line breaks, and every bidirectional
    control, shown as an escape. No ESC reaches a terminal: no control sequence, no hidden
    hyperlink (OSC 8), no cleared screen."""
    return _UNSAFE_IN_DOCUMENT.sub(_escape_match, text)


def json_document(text: str) -> str:
    """A serialized JSON document with the characters JSON writers leave raw (DEL, C1, the
    bidirectional controls, U+2028/9) written as ``\\uXXXX`` escapes: the data it holds is
    the same when parsed, and no viewer of the file acts on them.

    Those characters only ever occur inside JSON strings, where the escape is valid."""
    return _UNSAFE_IN_JSON.sub(_escape_match, text)


def json_document_bytes(data: bytes) -> bytes:
    """:func:`json_document` for UTF-8 bytes (a streamed JSON result's pieces)."""
    # Every sequence escaped starts with one of three bytes: where none occurs (most pieces),
    # three memchr-fast searches replace a regular expression tried at every byte.
    if b"\x7f" not in data and b"\xc2" not in data and b"\xe2" not in data:
        return data
    return _UNSAFE_IN_JSON_BYTES.sub(
        lambda m: _escape(m.group().decode("utf-8")).encode("ascii"), data,
    )


def mermaid_label(value) -> str:
    """Text for a double-quoted Mermaid label: only characters no Mermaid grammar gives a
    meaning to inside quotes (letters, digits, spaces and ``- . , ( ) / +``)."""
    text = re.sub(r"[^0-9A-Za-z .,()/+-]+", " ", str(value))
    return " ".join(text.split()) or "feature"
