"""The feature inventory: its data model and its strict, kind validation.

``load_inventory("features.yaml")`` returns an :class:`Inventory` or raises an
:class:`~freemium_advisor.errors.InputError` naming the file, line and column of the first
problem, with a did-you-mean hint wherever a name was misspelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from freemium_advisor.errors import InputError, did_you_mean, one_of
from freemium_advisor.signals import (
    AUDIENCE,
    AUDIENCES,
    FLAG,
    LEVEL,
    LEVELS,
    MODELS,
    SIGNAL_BY_NAME,
    SignalSpec,
)
from freemium_advisor.yamlpos import Document, load_yaml, read_text, type_name

FORMAT_VERSION = 1
DEFAULT_TIERS = ("free", "pro", "business", "enterprise")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-&/%+]*$")
ID_RULE = "letters, digits and - _ . & / % +, starting with a letter or digit"

TOP_KEYS = ("version", "product", "features")
PRODUCT_KEYS = ("name", "description", "model", "trial_days", "collaborative", "tiers")
TIER_KEYS = ("name", "audience")
FEATURE_KEYS = (
    "id", "name", "description", "category", "current", "addon", "limit", "metered", "signals",
)
LIMIT_KEYS = ("metric", "free")


@dataclass(frozen=True)
class Tier:
    """A plan, cheapest first; ``audience`` is who the tier is sold to."""

    name: str
    audience: str


@dataclass(frozen=True)
class Product:
    name: str
    description: str
    model: str
    trial_days: int | None
    collaborative: bool
    tiers: tuple[Tier, ...]
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)

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


@dataclass(frozen=True)
class Limit:
    """The usage wall the free tier has today: ``{metric: boards, free: 3}``."""

    metric: str
    free: float | int | None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


def load_inventory(path: str) -> Inventory:
    """Read and validate an inventory file (``-`` reads stdin)."""
    name, text = read_text(path)
    return parse_inventory(text, name)


def parse_inventory(text: str, path: str) -> Inventory:
    """Validate inventory YAML text; ``path`` is only used in messages."""
    return _Validator(load_yaml(text, path)).inventory()


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


def default_tier_audiences(names: list[str]) -> list[str]:
    """Who each tier is sold to when the inventory does not say.

    A tier's audience is the most demanding buyer it serves: a gated feature goes to the
    cheapest paid tier whose audience reaches the feature's. A name that says it
    (``Team``, ``Enterprise``, ``Personal``) wins; otherwise by position: one paid tier
    serves everyone; of two, the cheaper serves teams and the other the enterprise; of three
    or more, the top one serves the enterprise and the one below it admins (and teams); the
    cheapest serves single users, and so does the next of four or more; any between serve
    teams.
    """
    paid = len(names) - 1
    if paid <= 0:
        by_position = ["user"] * len(names)
    else:
        ladders = {1: ["enterprise"], 2: ["team", "enterprise"], 3: ["user", "admin", "enterprise"]}
        tail = ladders.get(paid) or ["user", "user"] + ["team"] * (paid - 4) + ["admin", "enterprise"]
        by_position = ["user", *tail]
    hinted = [tier_audience_from_name(name) for name in names]
    # A hint names the tier for that audience once: the last tier that carries it (a cheap
    # "Dev mode enterprise" seat below the real Enterprise plan keeps its position).
    hinted = [h if h and h not in hinted[i + 1:] else None for i, h in enumerate(hinted)]
    return [
        "user" if index == 0 else hint or position
        for index, (hint, position) in enumerate(zip(hinted, by_position))
    ]


class _Validator:
    def __init__(self, doc: Document):
        self.doc = doc

    def fail(self, path: tuple, message: str, *, at_key: bool = False) -> InputError:
        return self.doc.error(path, message, at_key=at_key)

    def mapping(self, value: Any, path: tuple, what: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"{what} must be a mapping, not {type_name(value)}")
        return value

    def keys(self, value: dict, path: tuple, allowed: tuple, required: tuple, what: str):
        for key in value:
            if key not in allowed:
                raise self.fail(
                    (*path, key),
                    f"unknown {what} key '{key}'{did_you_mean(key, allowed)}"
                    f"; expected {one_of(allowed)}",
                    at_key=True,
                )
        for key in required:
            if key not in value:
                raise self.fail(path, f"{what} is missing '{key}'")

    def text(self, value: Any, path: tuple, what: str, *, allow_empty: bool = False) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(path, f"'{what}' must be text, not {type_name(value)}")
        result = str(value).strip()
        if not result and not allow_empty:
            raise self.fail(path, f"'{what}' must not be empty")
        return result

    def boolean(self, value: Any, path: tuple, what: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"'{what}' must be true or false, not {type_name(value)}")
        return value

    def inventory(self) -> Inventory:
        data = self.doc.data
        if data is None:
            raise InputError(self.doc.path, 1, 1, "the inventory is empty")
        data = self.mapping(data, (), "the inventory")
        self.keys(data, (), TOP_KEYS, ("product", "features"), "top-level")
        version = data.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise self.fail(
                ("version",), f"unsupported inventory version {version!r} (expected 1)"
            )
        product = self.product(data["product"])
        features = self.features(data["features"], product)
        return Inventory(self.doc.path, product, features)

    def product(self, value: Any) -> Product:
        path = ("product",)
        value = self.mapping(value, path, "'product'")
        self.keys(value, path, PRODUCT_KEYS, ("name",), "product")
        name = self.text(value["name"], (*path, "name"), "name")
        description = self.text(
            value.get("description", ""), (*path, "description"), "description",
            allow_empty=True,
        )
        model = value.get("model", "freemium")
        if model not in MODELS:
            raise self.fail(
                (*path, "model"),
                f"unknown model {model!r}{did_you_mean(str(model), MODELS)}"
                f"; expected {one_of(MODELS)}",
            )
        trial_days = value.get("trial_days")
        if trial_days is not None:
            if model not in ("trial", "reverse-trial"):
                raise self.fail(
                    (*path, "trial_days"),
                    f"'trial_days' only applies to the trial and reverse-trial models, not {model}",
                    at_key=True,
                )
            if isinstance(trial_days, bool) or not isinstance(trial_days, int) or trial_days < 1:
                raise self.fail(
                    (*path, "trial_days"), "'trial_days' must be a whole number of days, 1 or more"
                )
        collaborative = self.boolean(
            value.get("collaborative", False), (*path, "collaborative"), "collaborative"
        )
        tiers = self.tiers(value.get("tiers", list(DEFAULT_TIERS)), (*path, "tiers"))
        return Product(
            name, description, model, trial_days, collaborative, tiers,
            self.positions(path, value),
        )

    def positions(self, path: tuple, value: dict) -> dict[str, tuple[int, int]]:
        """Key positions of a mapping (and of its ``signals``), "" for the mapping itself."""
        mark = self.doc.value_mark(path)
        found = {"": (mark.line, mark.column)}
        for key in value:
            mark = self.doc.key_mark((*path, key))
            found[key] = (mark.line, mark.column)
        if isinstance(value.get("signals"), dict):
            for key in value["signals"]:
                mark = self.doc.key_mark((*path, "signals", key))
                found[f"signals.{key}"] = (mark.line, mark.column)
        return found

    def tiers(self, value: Any, path: tuple) -> tuple[Tier, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(path, "'tiers' must be a non-empty list of tier names, cheapest first")
        names: list[str] = []
        declared: list[str | None] = []
        for index, item in enumerate(value):
            item_path = (*path, index)
            audience = None
            if isinstance(item, dict):
                self.keys(item, item_path, TIER_KEYS, ("name",), "tier")
                name = self.text(item["name"], (*item_path, "name"), "name")
                if "audience" in item:
                    audience = self.choice(
                        item["audience"], (*item_path, "audience"), AUDIENCES, "audience"
                    )
            else:
                name = self.text(item, item_path, "tier name")
            if name in names:
                raise self.fail(item_path, f"duplicate tier '{name}'")
            names.append(name)
            declared.append(audience)
        defaults = default_tier_audiences(names)
        return tuple(
            Tier(name, audience or default)
            for name, audience, default in zip(names, declared, defaults)
        )

    def choice(self, value: Any, path: tuple, choices: tuple, what: str) -> str:
        if not isinstance(value, str) or value not in choices:
            raise self.fail(
                path,
                f"unknown {what} {str(value)!r}{did_you_mean(str(value), choices)}"
                f"; expected {one_of(choices)}",
            )
        return value

    def features(self, value: Any, product: Product) -> tuple[Feature, ...]:
        path = ("features",)
        if value is None:
            value = []
        if not isinstance(value, list):
            raise self.fail(path, f"'features' must be a list, not {type_name(value)}")
        first_line: dict[str, int] = {}
        features = []
        for index, item in enumerate(value):
            feature = self.feature(item, (*path, index), product)
            if feature.id in first_line:
                raise self.fail(
                    (*path, index, "id"),
                    f"duplicate feature id '{feature.id}' (first used on line {first_line[feature.id]})",
                )
            first_line[feature.id] = feature.line
            features.append(feature)
        return tuple(features)

    def feature(self, value: Any, path: tuple, product: Product) -> Feature:
        value = self.mapping(value, path, "a feature")
        self.keys(value, path, FEATURE_KEYS, ("id", "name"), "feature")
        feature_id = self.text(value["id"], (*path, "id"), "id")
        if not ID_PATTERN.match(feature_id):
            raise self.fail((*path, "id"), f"invalid feature id {feature_id!r}: use {ID_RULE}")
        name = self.text(value["name"], (*path, "name"), "name")
        description = self.text(
            value.get("description", ""), (*path, "description"), "description", allow_empty=True
        )
        category = self.text(
            value.get("category", ""), (*path, "category"), "category", allow_empty=True
        )
        current = value.get("current")
        if current is not None:
            tier_names = product.tier_names()
            current = str(current) if not isinstance(current, bool) else current
            if current not in tier_names:
                raise self.fail(
                    (*path, "current"),
                    f"unknown tier {str(current)!r} in 'current'{did_you_mean(str(current), tier_names)}"
                    f"; the tiers are {one_of(tier_names)}",
                )
        addon = self.boolean(value.get("addon", False), (*path, "addon"), "addon")
        limit = self.limit(value["limit"], (*path, "limit")) if "limit" in value else None
        metered = (
            self.text(value["metered"], (*path, "metered"), "metered") if "metered" in value
            else None
        )
        signals = self.signals(value.get("signals"), (*path, "signals"))
        mark = self.doc.value_mark(path)
        return Feature(
            feature_id, name, description, category, current, addon, limit, signals,
            mark.line, mark.column, self.positions(path, value), metered,
        )

    def limit(self, value: Any, path: tuple) -> Limit:
        value = self.mapping(value, path, "'limit'")
        self.keys(value, path, LIMIT_KEYS, ("metric",), "limit")
        metric = self.text(value["metric"], (*path, "metric"), "metric")
        free = value.get("free")
        if free is not None and (
            isinstance(free, bool) or not isinstance(free, (int, float)) or free < 0
        ):
            raise self.fail((*path, "free"), "'free' must be a number, 0 or more")
        return Limit(metric, free)

    def signals(self, value: Any, path: tuple) -> dict[str, Any]:
        if value is None:
            return {}
        value = self.mapping(value, path, "'signals'")
        signals: dict[str, Any] = {}
        for key, raw in value.items():
            spec = SIGNAL_BY_NAME.get(key)
            if spec is None:
                raise self.fail(
                    (*path, key),
                    f"unknown signal '{key}'{did_you_mean(key, SIGNAL_BY_NAME)}",
                    at_key=True,
                )
            if raw is None:
                continue  # an empty answer ("virality:") means "not answered"
            signals[key] = self.signal_value(spec, raw, (*path, key))
        return signals

    def signal_value(self, spec: SignalSpec, raw: Any, path: tuple) -> Any:
        if spec.kind == LEVEL:
            if raw is True:
                return LEVELS.index("high")
            if raw is False:
                return LEVELS.index("none")
            if isinstance(raw, str) and raw in LEVELS:
                return LEVELS.index(raw)
            raise self.fail(
                path,
                f"unknown level {str(raw)!r} for signal '{spec.name}'"
                f"{did_you_mean(str(raw).lower(), LEVELS)}; expected {one_of(LEVELS)} (or true/false)",
            )
        if spec.kind == AUDIENCE:
            return self.choice(raw, path, AUDIENCES, "audience")
        if spec.kind == FLAG:
            return self.boolean(raw, path, spec.name)
        raise AssertionError(spec.kind)  # pragma: no cover - SIGNALS only has three kinds
