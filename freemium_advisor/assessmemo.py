"""Assessing each distinct feature once: large catalogs repeat the same feature text.

An assessment is a pure function of the rule set, the product and what the feature says
(its name, description, category, current tier, add-on flag, limit and answered signals).
Its id, position and waivers only matter when a rule reads ``feature.id``; then the id is
part of what is remembered, and nothing is shared between features. A feature seen again
gets the first one's assessment with its own :class:`~freemium_advisor.inventory.Feature`:
the same signals, reasons and evidence objects, which also keeps a 100,000-feature result
small in memory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from freemium_advisor.inventory import Feature
from freemium_advisor.result import Assessment
from freemium_advisor.rules import RuleSet


def reads_feature_id(ruleset: RuleSet) -> bool:
    """Whether any condition or message of the rule set may read a feature's id."""
    for rule in ruleset.rules:
        for part in (rule.when, rule.message, getattr(rule, "metric", None)):
            if part is not None and getattr(part, "reads_feature_id", True):
                return True
    return False


def content_key(feature: Feature, with_id: bool) -> tuple:
    """What an assessment may depend on: everything the feature says (typed, so that ``1``
    and ``true`` differ), and its id only when a rule reads it."""
    signals = tuple((name, type(value), value) for name, value in feature.signals.items())
    limit = (feature.limit.metric, type(feature.limit.free), feature.limit.free) if feature.limit else None
    return (
        feature.id if with_id else None, feature.name, feature.description, feature.category,
        feature.current, feature.addon, limit, signals,
    )


class AssessmentMemo:
    """Remembers the assessment of each distinct feature content during one evaluation."""

    def __init__(self, ruleset: RuleSet, assess: Callable[[Feature], Assessment]):
        self._with_id = reads_feature_id(ruleset)
        self._assess = assess
        self._seen: dict[tuple, Assessment] = {}

    def __call__(self, feature: Feature) -> Assessment:
        try:
            key: Any = content_key(feature, self._with_id)
            found = self._seen.get(key)
        except TypeError:  # an unhashable value: assess it on its own
            return self._assess(feature)
        if found is None:
            found = self._seen[key] = self._assess(feature)
            return found
        return dataclasses.replace(found, feature=feature)
