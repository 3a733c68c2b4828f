"""The report's plan as a buyer sees it: the features by category, a cell per tier, today's
placement beside the advice's, and which cells the advice changes.
"""

from __future__ import annotations

from freemium_advisor.base.record import record
from freemium_advisor.render.report_features import FeatureReport

# The plan's marks: in a tier, free behind a wall, not in it; taken out of it by the advice;
# after a change only the defaults speak for (not advised yet).
MARKS = {"yes": "✓", "wall": "wall", "no": ""}
REMOVED = "–"
UNADVISED = "?"


@record
class PlanRow:
    """One feature of the plan: a cell per tier, today's and the advice's, and which changed.

    A cell is ``yes`` (included), ``wall`` (free behind a usage wall) or ``no``. A change
    only the defaults speak for (``unadvised``) is not advised yet, as the top moves say."""

    feature: FeatureReport
    today: tuple[str, ...]
    advised: tuple[str, ...]
    unadvised: bool = False

    @property
    def differs(self) -> tuple[bool, ...]:
        """Per tier: whether the advice's cell differs from today's (never for a feature
        without a tier today, which has nothing to change)."""
        if self.feature.today is None:
            return tuple(False for _ in self.advised)
        return tuple(t != a for t, a in zip(self.today, self.advised))

    @property
    def changed(self) -> tuple[bool, ...]:
        """Per tier: whether the advice changes the cell, as advice (a change only the
        defaults speak for does not)."""
        return tuple(d and not self.unadvised for d in self.differs)

    @property
    def cells(self) -> tuple[tuple[str, str, bool], ...]:
        """(today, advised, changed) per tier, side by side, as marks: ``✓`` included,
        ``wall`` free behind a usage wall, ``–`` taken out by the advice, else nothing; a
        cell a change not advised yet would alter is followed by ``?`` and not changed."""
        return tuple(
            (MARKS[t], (REMOVED if a == "no" else MARKS[a]) + (UNADVISED if self.unadvised else ""),
             not self.unadvised) if differs else (MARKS[t], MARKS[a], False)
            for t, a, differs in zip(self.today, self.advised, self.differs)
        )


@record
class PlanGroup:
    category: str
    rows: tuple[PlanRow, ...]



def plan(features: tuple[FeatureReport, ...], product, unadvised: set[int]) -> tuple[PlanGroup, ...]:
    """The features by category, today beside the advice; ``unadvised``: the numbers of the
    changes only the defaults speak for."""
    names = product.tier_names()
    groups: dict[str, list[PlanRow]] = {}
    for f in features:
        a, feature = f.assessment, f.feature
        today = _cells(names, feature.current, feature.limit is not None)
        advised = _cells(names, a.tier, a.recommendation == "free-limited")
        groups.setdefault(feature.category.strip(), []).append(
            PlanRow(f, today, advised, f.number in unadvised))
    # Categories in the order they first appear; features without one last.
    return tuple(PlanGroup(category or "without a category", tuple(rows))
                 for category, rows in sorted(groups.items(), key=lambda item: not item[0]))


def _cells(tiers: list[str], tier: str | None, walled: bool) -> tuple[str, ...]:
    """A feature in ``tier`` is in every tier from it up; free behind a wall in the free tier."""
    if tier is None or tier not in tiers:
        return tuple("no" for _ in tiers)
    start = tiers.index(tier)
    return tuple(
        "no" if i < start else ("wall" if i == 0 and walled else "yes") for i in range(len(tiers))
    )
