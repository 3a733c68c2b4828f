"""The feature inventory's data model: product, tiers, features, limits.

:mod:`freemium_advisor.reading.inventory_reader` reads and validates inventory files into it.
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

from freemium_advisor.base.record import record
from freemium_advisor.model.waivers import Waiver

FORMAT_VERSION = 1
DEFAULT_TIERS = ("free", "pro", "business", "enterprise")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-&/%+]*$")
ID_RULE = "letters, digits and - _ . & / % +, starting with a letter or digit"

TOP_KEYS = ("version", "product", "features")
PRODUCT_KEYS = ("name", "description", "model", "trial_days", "collaborative", "tiers", "waive")
TIER_KEYS = ("name", "audience")
FEATURE_KEYS = (
    "id", "name", "description", "category", "current", "addon", "limit", "metered", "signals",
    "waive",
)
LIMIT_KEYS = ("metric", "free")


@record
class Tier:
    """A plan, cheapest first; ``audience`` is who the tier is sold to."""

    name: str
    audience: str


@record
class Product:
    name: str
    description: str
    model: str
    trial_days: int | None
    collaborative: bool
    tiers: tuple[Tier, ...]
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)
    waivers: tuple[Waiver, ...] = field(default=(), compare=False)

    def position(self, key: str) -> tuple[int, int]:
        """Where ``key`` of the product is written (the product's start if it is not)."""
        return self.positions.get(key, self.positions.get("", (1, 1)))

    @property
    def free_tier(self) -> Tier:
        """The first tier is the free one (for a paid-only product: the one it could add)."""
        return self.tiers[0]

    @property
    def paid_tiers(self) -> tuple[Tier, ...]:
        return self.tiers[1:]

    def tier_names(self) -> list[str]:
        return [t.name for t in self.tiers]


@record
class Limit:
    """The usage wall the free tier has today: ``{metric: boards, free: 3}``."""

    metric: str
    free: float | int | None


@record
class Feature:
    """One line of the inventory. ``signals`` holds only what the PM answered explicitly."""

    id: str
    name: str
    description: str
    category: str
    current: str | None
    addon: bool
    limit: Limit | None
    signals: dict[str, Any]
    line: int
    column: int
    # (line, column) of each key written for this feature: "current", "signals.virality"...
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)
    waivers: tuple[Waiver, ...] = field(default=(), compare=False)
    # What the product counts when the feature is used ("boards", "API calls"): a fact about
    # the feature, unlike ``limit``, which is where today's free tier draws the line.
    metered: str | None = None

    def position(self, key: str) -> tuple[int, int]:
        """Where ``key`` is written, or where the feature starts if it is not written."""
        return self.positions.get(key, (self.line, self.column))

    @property
    def text(self) -> str:
        """Everything an inference rule may read: name, description and category."""
        return " ".join(part for part in (self.name, self.description, self.category) if part)


@record
class Inventory:
    path: str
    product: Product
    features: tuple[Feature, ...]

    def feature(self, feature_id: str) -> Feature:
        """Return the feature with this id; an unknown id raises ``KeyError``."""
        for feature in self.features:
            if feature.id == feature_id:
                return feature
        raise KeyError(feature_id)


# Who a tier is sold to, smallest buyer first (signals.AUDIENCES, which imports this module).
AUDIENCE_ORDER = ("user", "team", "admin", "enterprise")

# Plan names that say outright who a tier is sold to; other names get an audience by position.
TIER_NAME_AUDIENCES = (
    ("enterprise", ("enterprise", "corporate", "grid")),
    ("team", ("team", "teams")),
    ("user", ("individual", "personal", "solo")),
)


def tier_audience_from_name(name: str) -> str | None:
    """``'ENTERPRISE_GRID'`` -> ``'enterprise'``; ``None`` when the name says nothing."""
    words = set(re.split(r"[^a-z]+", name.lower()))
    for audience, hints in TIER_NAME_AUDIENCES:
        if words & set(hints):
            return audience
    return None


def _position_audiences(paid: int) -> list[str]:
    """Who each of ``paid`` paid tiers serves by its position alone, cheapest first."""
    if paid <= 0:
        return []
    ladders = {1: ["enterprise"], 2: ["team", "enterprise"], 3: ["user", "admin", "enterprise"]}
    return ladders.get(paid) or ["user", "user"] + ["team"] * (paid - 4) + ["admin", "enterprise"]


def default_tier_audiences(names: list[str]) -> list[str]:
    """Who each tier is sold to when the inventory does not say.

    A tier's audience is the most demanding buyer it serves: a gated feature goes to the
    cheapest paid tier whose audience reaches the feature's. A name that says it
    (``Team``, ``Enterprise``, ``Personal``) wins; otherwise by position: one paid tier
    serves everyone; of two, the cheaper serves teams and the other the enterprise; of three
    or more, the top one serves the enterprise and the one below it admins (and teams); the
    cheapest serves single users, and so does the next of four or more; any between serve
    teams. The tier named for the enterprise is the top of that ladder, as a buyer reads the
    page: plans priced above it (a bundle, a premium enterprise line) serve the enterprise
    too. Audiences never go down as the price goes up: a tier is sold to no smaller buyer
    than a cheaper one.
    """
    hinted = [tier_audience_from_name(name) for name in names]
    # A hint names the tier for that audience once: the last tier carrying it (a cheap
    # "Dev mode enterprise" seat below the real Enterprise plan keeps its position).
    hinted = [h if h and h not in hinted[i + 1:] else None for i, h in enumerate(hinted)]
    hinted[:1] = [None] * len(hinted[:1])
    top = hinted.index("enterprise") if "enterprise" in hinted else len(names) - 1
    by_position = ["user", *_position_audiences(top)] + ["enterprise"] * (len(names) - 1 - top)
    rank = AUDIENCE_ORDER.index
    audiences = []
    for index, (hint, position) in enumerate(zip(hinted, by_position)):
        # An unhinted tier is sold to no bigger buyer than a dearer tier's name says.
        later = [rank(h) for h in hinted[index + 1:] if h]
        audiences.append(hint or AUDIENCE_ORDER[min([rank(position), *later])])
    for index in range(1, len(audiences)):
        if rank(audiences[index]) < rank(audiences[index - 1]):
            audiences[index] = audiences[index - 1]
    return ["user", *audiences[1:]] if audiences else audiences
