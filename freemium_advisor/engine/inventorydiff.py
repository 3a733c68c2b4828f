"""What changed between two inventories: placement, signals and the advice.

Features are matched by id. For each feature present in both, the placement (``current``,
``limit``), the answered signals and the advice (recommendation and tier) are compared;
features only in one of them are added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from freemium_advisor.result import Analysis
from freemium_advisor.model.signals import SIGNAL_BY_NAME


@dataclass(frozen=True)
class Change:
    """One difference: ``kind`` is added, removed, placement, limit, signal or advice."""

    feature: str
    kind: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class InventoryDiff:
    old: str
    new: str
    changes: tuple[Change, ...]


def _advice(a) -> str:
    tier = f" in {a.tier}" if a.recommendation == "gated" and a.tier else ""
    return f"{a.recommendation}{tier}"


def _limit(feature) -> str | None:
    if feature.limit is None:
        return None
    free = "" if feature.limit.free is None else f" (free {feature.limit.free:g})"
    return f"{feature.limit.metric}{free}"


def _signals(feature) -> dict[str, str]:
    return {n: SIGNAL_BY_NAME[n].display(v) for n, v in feature.signals.items()}


def diff_analyses(old: Analysis, new: Analysis) -> InventoryDiff:
    """The changes from ``old`` to ``new``, in the new file's feature order (removed last)."""
    before = {a.feature.id: a for a in old.assessments}
    after_ids = {a.feature.id for a in new.assessments}
    changes: list[Change] = []
    for a in new.assessments:
        fid = a.feature.id
        if fid not in before:
            changes.append(Change(fid, "added", "feature", None, _advice(a)))
            continue
        b = before[fid]
        if b.feature.current != a.feature.current:
            changes.append(Change(fid, "placement", "current", b.feature.current, a.feature.current))
        if _limit(b.feature) != _limit(a.feature):
            changes.append(Change(fid, "limit", "limit", _limit(b.feature), _limit(a.feature)))
        old_signals, new_signals = _signals(b.feature), _signals(a.feature)
        for name in SIGNAL_BY_NAME:
            if old_signals.get(name) != new_signals.get(name):
                changes.append(Change(fid, "signal", name, old_signals.get(name), new_signals.get(name)))
        if _advice(b) != _advice(a):
            changes.append(Change(fid, "advice", "advice", _advice(b), _advice(a)))
    for b in old.assessments:
        if b.feature.id not in after_ids:
            changes.append(Change(b.feature.id, "removed", "feature", _advice(b), None))
    return InventoryDiff(old.path, new.path, tuple(changes))
