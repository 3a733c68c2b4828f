"""What changed between two inventories: placement, signals and the advice.

Features are matched by id. For each feature present in both, the placement (``current``,
``limit``), the answered signals and the advice (recommendation and tier) are compared;
features only in one of them are added or removed. Values are kept as data (see
:mod:`freemium_advisor.result.diff`): the formats say them for people or for scripts.
"""

from __future__ import annotations

from freemium_advisor.model.signals import SIGNAL_BY_NAME
from freemium_advisor.result import Analysis
from freemium_advisor.result.diff import Change, InventoryDiff

__all__ = ["Change", "InventoryDiff", "diff_analyses"]


def _advice(a) -> dict:
    return {"recommendation": a.recommendation, "tier": a.tier}


def _limit(feature) -> dict | None:
    if feature.limit is None:
        return None
    return {"metric": feature.limit.metric, "free": feature.limit.free}


def _signals(feature) -> dict:
    return {n: SIGNAL_BY_NAME[n].to_json(v) for n, v in feature.signals.items() if v is not None}


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
