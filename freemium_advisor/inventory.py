"""The feature inventory: its data model and its strict, kind validation.

``load_inventory("features.yaml")`` returns an :class:`Inventory` or raises
:class:`~freemium_advisor.errors.InputErrors` naming the file, line and column of every
problem found (in file order), with a did-you-mean hint wherever a name was misspelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from freemium_advisor.errors import InputError, did_you_mean, one_of
from freemium_advisor.signals import AUDIENCES, MODELS, SIGNAL_BY_NAME
from freemium_advisor.validate import Checker, Invalid
from freemium_advisor.yamlpos import Document, load_yaml, read_text, type_name

FORMAT_VERSION = 1
DEFAULT_TIERS = ("free", "pro", "business", "enterprise")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-&/%+]*$")
ID_RULE = "letters, digits and - _ . & / % +, starting with a letter or digit"

TOP_KEYS = ("version", "product", "features")
PRODUCT_KEYS = ("name", "description", "model", "trial_days", "collaborative", "tiers")
TIER_KEYS = ("name", "audience")
FEATURE_KEYS = (
    "id", "name", "description", "category", "current", "addon", "limit", "signals",
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
    return _InventoryReader(load_yaml(text, path)).inventory()


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


def _looks_like_csv(path: str, data: Any) -> bool:
    return not isinstance(data, dict) and (
        path.lower().endswith(".csv") or (isinstance(data, str) and "," in data)
    )


class _InventoryReader:
    """Reads an inventory document into the model, reporting every problem it finds."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.check = Checker(doc)

    def inventory(self) -> Inventory:
        check = self.check
        data = self.doc.data
        if data is None:
            raise InputError(self.doc.path, 1, 1, "the inventory is empty")
        if _looks_like_csv(self.doc.path, data):
            raise InputError(
                self.doc.path, 1, 1,
                "this looks like a CSV spreadsheet, not an inventory; convert it with "
                f"'freemium-advisor import csv {self.doc.path} -o features.yaml'",
            )
        if not isinstance(data, dict):
            raise self.doc.error((), f"the inventory must be a mapping, not {type_name(data)}")
        if "syntaxVersion" in data or "saasName" in data:
            raise self.doc.error(
                ("syntaxVersion" if "syntaxVersion" in data else "saasName",),
                "this is a Pricing2Yaml pricing, not an inventory; convert it with "
                f"'freemium-advisor import pricing2yaml {self.doc.path} -o features.yaml'",
                at_key=True,
            )
        check.keys(data, (), TOP_KEYS, ("product", "features"), "top-level")
        version = data.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION or isinstance(version, bool):
            check.report(("version",), f"unsupported inventory version {version!r} (expected 1)")
        product = check.attempt(lambda: self.product(data.get("product")), None) if "product" in data else None
        features = self.features(data.get("features"), product)
        check.done()
        assert product is not None  # a missing or unusable product was reported above
        return Inventory(self.doc.path, product, features)

    def product(self, value: Any) -> Product:
        check, path = self.check, ("product",)
        value = check.mapping(value, path, "'product'")
        check.keys(value, path, PRODUCT_KEYS, ("name",), "product")
        name = check.attempt(lambda: check.text(value["name"], (*path, "name"), "name"), "")
        description = check.attempt(lambda: check.text(
            value.get("description", ""), (*path, "description"), "description", allow_empty=True,
        ), "")
        model = check.attempt(
            lambda: check.choice(value.get("model", "freemium"), (*path, "model"), MODELS, "model"),
            "freemium",
        )
        trial_days = check.attempt(lambda: self.trial_days(value, model), None)
        collaborative = check.attempt(lambda: check.boolean(
            value.get("collaborative", False), (*path, "collaborative"), "collaborative",
        ), False)
        tiers = self.tiers(value.get("tiers", list(DEFAULT_TIERS)), (*path, "tiers"))
        return Product(
            name, description, model, trial_days, collaborative, tiers,
            self.positions(path, value),
        )

    def trial_days(self, value: dict, model: str) -> int | None:
        path = ("product", "trial_days")
        trial_days = value.get("trial_days")
        if trial_days is None:
            return None
        if model not in ("trial", "reverse-trial"):
            raise self.check.fail(
                path, f"'trial_days' only applies to the trial and reverse-trial models, not {model}",
                at_key=True,
            )
        if isinstance(trial_days, bool) or not isinstance(trial_days, int) or trial_days < 1:
            raise self.check.fail(path, "'trial_days' must be a whole number of days, 1 or more")
        return trial_days

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
        check = self.check
        if not isinstance(value, list) or not value:
            raise check.fail(path, "'tiers' must be a non-empty list of tier names, cheapest first")
        names: list[str] = []
        declared: list[str | None] = []
        for index, item in enumerate(value):
            with check.each():
                name, audience = self.tier(item, (*path, index))
                if name in names:
                    raise check.fail((*path, index), f"duplicate tier '{name}'")
                names.append(name)
                declared.append(audience)
        if not names:
            raise Invalid()
        defaults = default_tier_audiences(names)
        return tuple(
            Tier(name, audience or default)
            for name, audience, default in zip(names, declared, defaults)
        )

    def tier(self, item: Any, path: tuple) -> tuple[str, str | None]:
        check = self.check
        if not isinstance(item, dict):
            return check.text(item, path, "tier name"), None
        check.keys(item, path, TIER_KEYS, ("name",), "tier")
        name = check.text(item.get("name"), (*path, "name"), "name")
        audience = None
        if "audience" in item:
            audience = check.attempt(
                lambda: check.choice(item["audience"], (*path, "audience"), AUDIENCES, "audience"),
                None,
            )
        return name, audience

    def features(self, value: Any, product: Product | None) -> tuple[Feature, ...]:
        check, path = self.check, ("features",)
        if value is None:
            return ()
        if not isinstance(value, list):
            check.report(path, f"'features' must be a list, not {type_name(value)}")
            return ()
        first_line: dict[str, int] = {}
        features = []
        for index, item in enumerate(value):
            with check.each():
                feature = self.feature(item, (*path, index), product)
                if feature.id in first_line:
                    raise check.fail(
                        (*path, index, "id"),
                        f"duplicate feature id '{feature.id}' (first used on line {first_line[feature.id]})",
                    )
                first_line[feature.id] = feature.line
                features.append(feature)
        return tuple(features)

    def feature(self, value: Any, path: tuple, product: Product | None) -> Feature:
        check = self.check
        value = check.mapping(value, path, "a feature")
        check.keys(value, path, FEATURE_KEYS, ("id", "name"), "feature")
        feature_id = check.text(value.get("id"), (*path, "id"), "id") if "id" in value else None
        if feature_id is not None and not ID_PATTERN.match(feature_id):
            check.report((*path, "id"), f"invalid feature id {feature_id!r}: use {ID_RULE}")
        name = check.attempt(lambda: check.text(value["name"], (*path, "name"), "name"), None) \
            if "name" in value else None
        description = check.attempt(lambda: check.text(
            value.get("description", ""), (*path, "description"), "description", allow_empty=True,
        ), "")
        category = check.attempt(lambda: check.text(
            value.get("category", ""), (*path, "category"), "category", allow_empty=True,
        ), "")
        current = check.attempt(lambda: self.current(value.get("current"), (*path, "current"), product), None)
        addon = check.attempt(lambda: check.boolean(value.get("addon", False), (*path, "addon"), "addon"), False)
        limit = check.attempt(lambda: self.limit(value["limit"], (*path, "limit")), None) \
            if "limit" in value else None
        signals = check.attempt(lambda: self.signals(value.get("signals"), (*path, "signals")), {})
        if feature_id is None or name is None:
            raise Invalid()
        mark = self.doc.value_mark(path)
        return Feature(
            feature_id, name, description, category, current, addon, limit, signals,
            mark.line, mark.column, self.positions(path, value),
        )

    def current(self, current: Any, path: tuple, product: Product | None) -> str | None:
        if current is None or product is None:
            return None
        tier_names = product.tier_names()
        current = str(current) if not isinstance(current, bool) else current
        if current not in tier_names:
            raise self.check.fail(
                path,
                f"unknown tier {str(current)!r} in 'current'{did_you_mean(str(current), tier_names)}"
                f"; the tiers are {one_of(tier_names)}",
            )
        return current

    def limit(self, value: Any, path: tuple) -> Limit:
        check = self.check
        value = check.mapping(value, path, "'limit'")
        check.keys(value, path, LIMIT_KEYS, ("metric",), "limit")
        metric = check.text(value.get("metric"), (*path, "metric"), "metric")
        free = value.get("free")
        if free is not None:
            free = check.number(free, (*path, "free"), "free")
        return Limit(metric, free)

    def signals(self, value: Any, path: tuple) -> dict[str, Any]:
        check = self.check
        if value is None:
            return {}
        value = check.mapping(value, path, "'signals'")
        signals: dict[str, Any] = {}
        for key, raw in value.items():
            spec = SIGNAL_BY_NAME.get(key)
            if spec is None:
                check.report(
                    (*path, key), f"unknown signal '{key}'{did_you_mean(key, SIGNAL_BY_NAME)}",
                    at_key=True,
                )
            elif raw is not None:  # an empty answer ("virality:") means "not answered"
                try:
                    signals[key] = spec.parse(raw)
                except ValueError as exc:
                    check.report((*path, key), str(exc))
        return signals
