"""A rich console whose text never carries a control character or bidirectional control.

Tables and trees are laid out by rich from names anyone wrote; rich passes ESC, C1 controls
and bidirectional overrides through as they are. This console shows them as escapes
(:func:`~freemium_advisor.base.escaping.document`) in every piece of text it writes, while
the color codes it adds itself stay codes.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment

from freemium_advisor.base.escaping import document


class EscapingConsole(Console):
    """:class:`rich.console.Console` with every text segment made inert before it is styled."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # The one place rich turns segments into text: the segment's own text is the user's,
        # the style around it (ANSI codes) and control segments are rich's.
        return super()._render_buffer(
            segment if segment.control else Segment(document(segment.text), segment.style)
            for segment in buffer
        )
