"""Reading an inventory file: strict, kind validation into the model.

``load_inventory("features.yaml")`` returns an :class:`~freemium_advisor.model.inventory.Inventory`
or raises :class:`~freemium_advisor.base.errors.InputErrors` naming the file, line and column of
every problem found (in file order), with a did-you-mean hint wherever a name was misspelled.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from freemium_advisor.base.errors import InputError, did_you_mean, one_of
from freemium_advisor.model.inventory import (
    DEFAULT_TIERS,
    FEATURE_KEYS,
    FORMAT_VERSION,
    ID_PATTERN,
    ID_RULE,
    LIMIT_KEYS,
    PRODUCT_KEYS,
    TIER_KEYS,
    TOP_KEYS,
    Feature,
    Inventory,
    Limit,
    Product,
    Tier,
    default_tier_audiences,
)
from freemium_advisor.model.signals import AUDIENCES, MODELS, SIGNAL_BY_NAME
from freemium_advisor.base.collector import collector_paused
from freemium_advisor.base.validate import Checker, Invalid
from freemium_advisor.model.waivers import parse_waivers
from freemium_advisor.reading.checkcatalog import waiver_problem
from freemium_advisor.base.yamlpos import Document, load_yaml, read_text, type_name


class _KeyPositions(Mapping):
    """Where each key of a feature is written, worked out when first asked: a check asks for
    one only when it reports on the feature, and then only for its 'current'; most features
    (and every rule's example) are never asked."""

    __slots__ = ("_find", "_found")

    def __init__(self, find: Callable[[], dict[str, tuple[int, int]]]):
        self._find: Callable[[], dict[str, tuple[int, int]]] | None = find
        self._found: dict[str, tuple[int, int]] | None = None

    def _positions(self) -> dict[str, tuple[int, int]]:
        if self._found is None:
            self._found = self._find()
            self._find = None
        return self._found

    def __getitem__(self, key: str) -> tuple[int, int]:
        return self._positions()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions())

    def __len__(self) -> int:
        return len(self._positions())


# A feature with only these keys, all text, is read by the short way.
_TEXT_ONLY_KEYS = frozenset({"id", "name", "description", "category"})


def load_inventory(path: str) -> Inventory:
    """Read and validate an inventory file (``-`` reads stdin)."""
    name, text = read_text(path)
    return parse_inventory(text, name)


def parse_inventory(text: str, path: str) -> Inventory:
    """Validate inventory YAML text; ``path`` is only used in messages."""
    return read_inventory(load_yaml(text, path))


def read_inventory(doc: Document) -> Inventory:
    """Validate an inventory already loaded (a rule's or check's example, say)."""
    with collector_paused():  # a feature and its parts at a time: many objects, no cycles
        return _InventoryReader(doc, Checker(doc)).inventory()


# What a rule's example leaves out: it describes one feature of some product.
EXAMPLE_PRODUCT = {"name": "Example product"}
EXAMPLE_FEATURE = {"id": "example", "name": "Example feature"}


def check_example(check: Checker, example: Any, path: tuple) -> None:
    """Check a rule's example at ``path`` of ``check``'s document as the inventory it stands
    for: a feature written as in an inventory (its id and name may be left out), perhaps with
    a ``product`` mapping (its name may be left out). Problems are recorded in ``check``."""
    reader = _InventoryReader(check.doc, check)
    with check.each():
        example = check.mapping(example, path, "an example")
        if "product" in example:
            product = check.attempt(lambda: reader.product(
                {**EXAMPLE_PRODUCT, **check.mapping(
                    example["product"], (*path, "product"), "an example's 'product'",
                )},
                (*path, "product"),
            ), None)
        else:
            product = _example_product()
        feature = {key: value for key, value in example.items() if key != "product"}
        reader.feature({**EXAMPLE_FEATURE, **feature}, path, product)


@functools.cache
def _example_product() -> Product:
    """The product of an example that names none (the same for all, so read once)."""
    doc = load_yaml(json.dumps({"product": EXAMPLE_PRODUCT}), "example")
    return _InventoryReader(doc, Checker(doc)).product(EXAMPLE_PRODUCT)



def _waivers(check: Checker, path: tuple, value: Any, *, on_feature: bool) -> tuple:
    """The waivers at ``path``; each naming a check the catalog lacks, or a check of the
    other scope, is a problem of the file, reported with the rest of them."""
    return parse_waivers(check, path, value, lambda name: waiver_problem(name, on_feature))


def _looks_like_csv(path: str, data: Any) -> bool:
    return not isinstance(data, dict) and (
        path.lower().endswith(".csv") or (isinstance(data, str) and "," in data)
    )


class _InventoryReader:
    """Reads an inventory document into the model, reporting every problem it finds to
    ``check``."""

    def __init__(self, doc: Document, check: Checker):
        self.doc = doc
        self.check = check

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

    def product(self, value: Any, path: tuple = ("product",)) -> Product:
        check = self.check
        value = check.mapping(value, path, "'product'")
        check.keys(value, path, PRODUCT_KEYS, ("name",), "product")
        # A missing name was reported by keys() above: carry on with an empty one.
        name = check.attempt(lambda: check.text(value["name"], (*path, "name"), "name"), "") \
            if "name" in value else ""
        description = check.attempt(lambda: check.text(
            value.get("description", ""), (*path, "description"), "description", allow_empty=True,
        ), "")
        model = check.attempt(
            lambda: check.choice(value.get("model", "freemium"), (*path, "model"), MODELS, "model"),
            "freemium",
        )
        trial_days = check.attempt(lambda: self.trial_days(value, model, (*path, "trial_days")), None)
        collaborative = check.attempt(lambda: check.boolean(
            value.get("collaborative", False), (*path, "collaborative"), "collaborative",
        ), False)
        tiers = self.tiers(value.get("tiers", list(DEFAULT_TIERS)), (*path, "tiers"))
        positions = self.positions(path, value)
        if isinstance(value.get("tiers"), list):
            for index, tier in enumerate(tiers):  # "tiers.pro": where each tier is written
                mark = self.doc.value_mark((*path, "tiers", index))
                positions[f"tiers.{tier.name}"] = (mark.line, mark.column)
        return Product(
            name, description, model, trial_days, collaborative, tiers, positions,
            _waivers(check, (*path, "waive"), value.get("waive"), on_feature=False),
        )

    def trial_days(self, value: dict, model: str, path: tuple) -> int | None:
        trial_days = value.get("trial_days")
        if trial_days is None:
            return None
        if model not in ("trial", "reverse-trial"):
            raise self.check.fail(
                path, f"'trial_days' only applies to the trial and reverse-trial models, not {model}",
                at_key=True,
            )
        if isinstance(trial_days, float) and trial_days.is_integer():
            trial_days = int(trial_days)  # 14.0 and 1.4e1 are whole numbers, as JSON Schema has it
        if isinstance(trial_days, bool) or not isinstance(trial_days, int) or trial_days < 1:
            raise self.check.fail(path, "'trial_days' must be a whole number of days, 1 or more")
        return trial_days

    def positions(self, path: tuple, value: dict) -> dict[str, tuple[int, int]]:
        """Key positions of a mapping (and of its ``signals``), "" for the mapping itself."""
        mark = self.doc.value_mark(path)
        found = {"": (mark.line, mark.column)}
        for key, mark in zip(value, self.doc.key_marks(path, value)):
            found[key] = (mark.line, mark.column)
        signals = value.get("signals")
        if isinstance(signals, dict):
            for key, mark in zip(signals, self.doc.key_marks((*path, "signals"), signals)):
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
            try:  # check.each(), without a context manager per feature
                feature = self.feature(item, (*path, index), product)
                if feature.id in first_line:
                    raise check.fail(
                        (*path, index, "id"),
                        f"duplicate feature id '{feature.id}' (first used on line {first_line[feature.id]})",
                    )
            except Invalid:
                continue  # recorded: go on with the next feature
            first_line[feature.id] = feature.line
            features.append(feature)
        return tuple(features)

    def feature(self, value: Any, path: tuple, product: Product | None) -> Feature:
        if type(value) is dict and _TEXT_ONLY_KEYS.issuperset(value):
            plain = self.text_only_feature(value, path)
            if plain is not None:
                return plain
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
        metered = check.attempt(
            lambda: check.text(value["metered"], (*path, "metered"), "metered"), None,
        ) if "metered" in value else None
        signals = check.attempt(lambda: self.signals(value.get("signals"), (*path, "signals")), {})
        waivers = _waivers(check, (*path, "waive"), value.get("waive"), on_feature=True)
        if feature_id is None or name is None:
            raise Invalid()
        mark = self.doc.value_mark(path)
        return Feature(
            feature_id, name, description, category, current, addon, limit, signals,
            mark.line, mark.column, _KeyPositions(lambda: self.positions(path, value)), waivers, metered,
        )

    def text_only_feature(self, value: dict, path: tuple) -> Feature | None:
        """The usual feature, made at a fraction of the cost: an id, a name, perhaps a
        description and a category, all text and valid as written. ``None`` for anything
        else, which :meth:`feature` checks key by key (and reports)."""
        feature_id, name = value.get("id"), value.get("name")
        description, category = value.get("description", ""), value.get("category", "")
        if not (type(feature_id) is str and type(name) is str and type(description) is str
                and type(category) is str):
            return None
        feature_id, name = feature_id.strip(), name.strip()
        if not name or not ID_PATTERN.match(feature_id):
            return None
        mark = self.doc.value_mark(path)
        return Feature(
            feature_id, name, description.strip(), category.strip(), None, False, None, {},
            mark.line, mark.column, _KeyPositions(lambda: self.positions(path, value)), (), None,
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
