"""The format interface: one small protocol per kind of result.

A format is a function from a result to text. Each command renders one kind of result and
offers the formats listed for it in :data:`freemium_advisor.formats.COMMAND_FORMATS`; the
CLI builds its ``--format`` choices from that table, so a format offered for one command can
never be asked of another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from freemium_advisor.base.record import record

if TYPE_CHECKING:  # pragma: no cover - types only
    from freemium_advisor.engine.gate import CheckRun
    from freemium_advisor.engine.inventorydiff import InventoryDiff
    from freemium_advisor.result import Analysis, Explanation
    from freemium_advisor.model.rules import RuleSet


@record
class RenderOptions:
    """How the text is shown: colors (ANSI) or not, the width to lay tables out at, and
    which features a report details (``changed``, ``all`` or ``none``)."""

    color: bool = False
    width: int = 100
    detail: str = "changed"


class AnalysisFormat(Protocol):
    """Renders a whole analysis (``analyze``, and the CI and report commands)."""

    def __call__(self, analysis: Analysis, options: RenderOptions) -> str: ...


class ExplanationFormat(Protocol):
    """Renders one feature's explanation (``explain``)."""

    def __call__(self, explanation: Explanation, options: RenderOptions) -> str: ...


class RuleSetFormat(Protocol):
    """Renders the rules in force (``rules list``)."""

    def __call__(self, ruleset: RuleSet, options: RenderOptions) -> str: ...


class CheckRunFormat(Protocol):
    """Renders the CI gate's result (``check``): findings of every file, and the verdict."""

    def __call__(self, run: CheckRun, options: RenderOptions) -> str: ...


class DiffFormat(Protocol):
    """Renders the changes between two inventories (``diff``)."""

    def __call__(self, diff: InventoryDiff, options: RenderOptions) -> str: ...
