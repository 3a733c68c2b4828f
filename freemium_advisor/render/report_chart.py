"""The report's growth-against-friction chart: where each feature sits, which features share
a point, and which points carry a name.

Growth value (the weights for free) rises up the chart, friction and cost (the weights for
gating) to the right, on one scale, so the diagonal is where they balance. Features at the same
place share a point; past :data:`MAX_POINTS` places, nearby ones are grouped on a coarser grid
(a density view: thousands of features stay a few hundred points, far below Mermaid's 50,000
characters). Up to :data:`LABEL_ALL_UP_TO` features every point is named, past that only the
top moves; every point stays drawn. The Markdown and HTML formats draw these points.
"""

from __future__ import annotations

from freemium_advisor.base.record import record



# Above this many features a chart labels only the top moves; every point stays drawn.
LABEL_ALL_UP_TO = 25
# Above this many distinct points a chart groups nearby features (a density view).
MAX_POINTS = 300
CHART_LABEL = 40  # characters of a point's label; the full names are in the appendix


@record
class ChartPoint:
    """Features at one place on the growth-against-friction chart (0..1 both ways)."""

    x: float
    y: float
    recommendation: str
    features: tuple  # the report's FeatureReport of each feature here, in input order
    label: str  # "" when the point is drawn without a name
    # Whose label goes first where labels compete for room: the best-ranked move it holds,
    # then input order.
    priority: tuple[int, int]
    # The names a label should give: every top move the point holds, best first (else the
    # label's feature, or none), and those moves' ranks.
    named: tuple[str, ...] = ()
    ranks: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.features)


def quadrant_points(features: tuple, moves: dict[int, int], unranked: int) -> tuple[ChartPoint, ...]:
    """The points of ``features`` (the report's, in input order): friction and cost (x)
    against growth value (y) on one scale for both axes, so that the diagonal is where the two
    balance, inside 0.05..0.95 so points stay on the chart. ``moves`` ranks the top moves by
    feature number; ``unranked`` is a rank below every one of them."""
    if not features:
        return ()
    top = max([max(f.growth, f.friction) for f in features] + [1.0])
    places = {(f.friction, f.growth, f.assessment.recommendation) for f in features}
    # A coarser grid when there are many places, so the chart stays readable and small.
    step = 0.01 if len(places) <= MAX_POINTS else (0.05 if len(places) <= 4 * MAX_POINTS else 0.1)
    points: dict[tuple, list] = {}
    for f in features:
        x = _snap(0.05 + 0.9 * f.friction / top, step)
        y = _snap(0.05 + 0.9 * f.growth / top, step)
        points.setdefault((x, y, f.assessment.recommendation), []).append(f)
    label_all = len(features) <= LABEL_ALL_UP_TO
    drawn = []
    for (x, y, recommendation), members in points.items():
        named = sorted((f for f in members if label_all or f.number in moves),
                       key=lambda f: (moves.get(f.number, unranked), f.number))
        label = ""
        if named:
            label = named[0].feature.name
            if len(members) > 1:
                label += f" +{len(members) - 1}"
        priority = (min((moves[f.number] for f in members if f.number in moves), default=unranked),
                    members[0].number)
        held = sorted((moves[f.number], f.feature.name) for f in members if f.number in moves)
        named = tuple(name for _, name in held) or ((named[0].feature.name,) if named else ())
        drawn.append(ChartPoint(x, y, recommendation, tuple(members), _clip(label, CHART_LABEL), priority,
                                named, tuple(rank for rank, _ in held)))
    # Labelled points last, so a name is drawn over the dots, the most important first.
    return tuple(sorted(drawn, key=lambda p: (bool(p.label), p.priority)))


def _snap(value: float, step: float) -> float:
    return round(round(value / step) * step, 2)


def _clip(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
