"""Assessing each distinct feature once: large catalogs repeat the same feature text.

An assessment is a pure function of the rule set, the product and what the feature says
(every field of :class:`~freemium_advisor.model.inventory.Feature` but where it is written: name,
description, category, current tier, add-on flag, limit, metering and answered signals).
Its id, position and waivers only matter when a rule reads ``feature.id``; then the id is
part of what is remembered, and nothing is shared between features. A feature seen again
gets the first one's assessment with its own :class:`~freemium_advisor.model.inventory.Feature`:
the same signals, reasons and evidence objects, which also keeps a 100,000-feature result
small in memory.

An :class:`AssessmentCache` keeps what a memo learnt for later evaluations under the same
rule set: ``check --base`` analyzes the base revision (and, when a change moves features as
the advice says, the change without those moves) with the head's cache, so that only the
features a change touched are assessed again.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any

from freemium_advisor.model.inventory import Feature, Product
from freemium_advisor.result import Assessment
from freemium_advisor.model.rules import RuleSet


def reads_feature_id(ruleset: RuleSet) -> bool:
    """Whether any condition or message of the rule set may read a feature's id."""
    for rule in ruleset.rules:
        for part in (rule.when, rule.message, getattr(rule, "metric", None)):
            if part is not None and getattr(part, "reads_feature_id", True):
                return True
    return False


# Where a feature sits in the file and what it waives: never read by an assessment.
_PLACE = ("id", "line", "column", "positions", "waivers")
_CONTENT = tuple(f.name for f in dataclasses.fields(Feature) if f.name not in _PLACE)


_GET_CONTENT = operator.attrgetter(*_CONTENT)


def content_key(feature: Feature, with_id: bool) -> tuple:
    """What an assessment may depend on: everything the feature says (typed, so that ``1``
    and ``true`` differ), and its id only when a rule reads it."""
    if not feature.signals and feature.limit is None and _plain_feature(feature):
        # The usual feature, as the reader makes it: text, nothing or a boolean in each field,
        # for which the values alone tell every content apart.
        return (feature.id if with_id else None, feature.name, feature.description,
                feature.category, feature.current, feature.addon, feature.metered)
    return (feature.id if with_id else None, *map(_typed, _GET_CONTENT(feature)))


def _plain_feature(feature: Feature) -> bool:
    current, metered = feature.current, feature.metered
    return (type(feature.name) is str and type(feature.description) is str
            and type(feature.category) is str and type(feature.addon) is bool
            and (current is None or type(current) is str)
            and (metered is None or type(metered) is str))


def _typed(value: Any) -> Any:
    if value is None or type(value) is str:  # text and nothing: no other value equals them
        return value
    if isinstance(value, dict):
        return tuple((key, _typed(item)) for key, item in value.items())
    if isinstance(value, tuple):  # a product's tiers
        return tuple(_typed(item) for item in value)
    if dataclasses.is_dataclass(value):  # a Limit: its free count may be 3 or 3.0
        return (type(value), *(_typed(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if type(value) is float:  # -0.0 == 0.0, yet they print differently
        return (float, value.hex())
    return (type(value), value)


class AssessmentCache:
    """The assessments of every evaluation under one rule set, by product: an assessment
    reads the product too, so features are shared only between equal products. Each is
    remembered by its feature's content, and by the feature object itself: an inventory
    made of another's features (the base revision of ``check --base``) gets the very same
    assessments back without working out their contents again."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self._by_product: dict[Any, tuple[dict[tuple, Assessment], dict[int, Assessment]]] = {}

    def seen(self, product: Product) -> tuple[dict[tuple, Assessment], dict[int, Assessment]]:
        """The assessments remembered for ``product``, by content and by feature object
        (new, empty stores for a new product)."""
        try:
            key: Any = _typed(tuple(getattr(product, f.name) for f in dataclasses.fields(product)
                                    if f.compare))
            hash(key)
        except TypeError:  # an unhashable value: remember nothing across evaluations
            return {}, {}
        return self._by_product.setdefault(key, ({}, {}))


class AssessmentMemo:
    """Remembers the assessment of each distinct feature content during one evaluation (and,
    with a ``cache``, across evaluations of the same product under the same rule set)."""

    def __init__(self, ruleset: RuleSet, assess: Callable[[Feature], Assessment],
                 cache: AssessmentCache | None = None, product: Product | None = None):
        self._with_id = reads_feature_id(ruleset)
        self._assess = assess
        shared = cache is not None and product is not None and cache.ruleset is ruleset
        self._seen: dict[tuple, Assessment]
        self._objects: dict[int, Assessment] | None
        self._seen, self._objects = cache.seen(product) if shared else ({}, None)

    def __call__(self, feature: Feature) -> Assessment:
        objects = self._objects
        if objects is not None:
            known = objects.get(id(feature))
            if known is not None and known.feature is feature:  # an id is reused once freed
                return known
        try:
            key: Any = content_key(feature, self._with_id)
            found = self._seen.get(key)
        except TypeError:  # an unhashable value: assess it on its own
            return self._assess(feature)
        if found is None:
            found = self._seen[key] = self._assess(feature)
        else:
            found = _with_feature(found, feature)
        if objects is not None:
            objects[id(feature)] = found
        return found


def _with_feature(assessment: Assessment, feature: Feature) -> Assessment:
    """``dataclasses.replace(assessment, feature=feature)``, at a fraction of its cost: an
    assessment is a frozen dataclass without ``__post_init__``, so a copy of its fields is
    the same object."""
    copy = object.__new__(Assessment)
    copy.__dict__.update(assessment.__dict__)
    object.__setattr__(copy, "feature", feature)
    return copy
