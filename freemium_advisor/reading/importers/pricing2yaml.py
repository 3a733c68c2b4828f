"""Import a Pricing2Yaml pricing (the SPHERE project's format for SaaS pricings).

Where the product placed each feature becomes only ``current`` (the cheapest plan that
includes it), ``addon`` (sold only as an add-on) and ``limit`` (the free plan's usage wall).
``metered`` names what a usage limit linked to the feature counts, whatever its values.
It never becomes a signal: advice must follow from what a feature is, not from where the
product happens to sell it today.
"""

from __future__ import annotations

import math
import re
from pathlib import PurePath
from typing import Any

from freemium_advisor.base.errors import InputError, did_you_mean, one_of
from freemium_advisor.base.limits import MAX_IMPORTED_FEATURES
from freemium_advisor.base.validate import Checker, Invalid
from freemium_advisor.base.yamlpos import STDIN_NAME, Document, load_yaml, type_name
from freemium_advisor.model.inventory import FORMAT_VERSION, ID_PATTERN, ID_RULE
from freemium_advisor.reading.importers import IMPORTED_PRODUCT, humanize

FREE_TIER = "free"  # the tier prepended when no plan is free


# The syntax versions this importer was written for: every 2.x, and 3.0.
KNOWN_SYNTAX = re.compile(r"^(2(\.\d+)*|3(\.0)*)$")
# A pricing lists what each plan offers, never whether using the product brings in other
# people: the inventory leaves `collaborative` at its default, and says so.
COLLABORATIVE_NOTE = (
    "a pricing does not say whether collaboration is at the product's core: 'collaborative' "
    "is left false; set 'collaborative: true' in the inventory if using the product brings in "
    "other people"
)


def import_pricing2yaml(text: str, path: str, notes: list[str] | None = None) -> dict:
    """Turn Pricing2Yaml text into an inventory dict; ``path`` is only used in messages.

    Tiers are the plans, cheapest first (numeric prices ascending, then the others such as
    "Contact Sales" in file order). Without a price-0 plan a ``free`` tier is prepended and
    the model is ``paid-only``. Bad structure raises
    :class:`~freemium_advisor.base.errors.InputErrors`: every problem, each at its node.
    What the import could not read or had to assume is added to ``notes``: a syntax version
    it was not written for, and ``collaborative``, which no pricing says.
    """
    doc = load_yaml(text, path)
    if doc.data is None:
        raise InputError(doc.path, 1, 1, "the pricing file is empty")
    check = Checker(doc)
    pricing = check.attempt(lambda: _Pricing(doc, check), None)
    inventory = check.attempt(lambda: pricing.inventory(), None) if pricing else None
    check.done()
    assert pricing is not None and inventory is not None  # else done() raised the problem
    if notes is not None:
        notes.extend(pricing.notes)
        notes.append(COLLABORATIVE_NOTE)
    return inventory


def _included(value: Any) -> bool:
    """Whether a plan's value for a feature means the plan offers it."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, float)):
        return value > 0
    if isinstance(value, str):
        return value.strip().lower() not in ("", "none")
    return bool(value)  # a list of options (['CARD', 'INVOICE']) offers what it lists


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


class _Pricing:
    """Reads a pricing, reporting every problem to ``check``; an unusable part (a plan that
    is not a mapping, say) is left out of what is read after it."""

    def __init__(self, doc: Document, check: Checker):
        self.doc = doc
        self.check = check
        self.root = self.mapping(doc.data, (), "a Pricing2Yaml pricing")
        self.notes: list[str] = []

    def fail(self, path: tuple, message: str, *, at_key: bool = False) -> Invalid:
        return self.check.fail(path, message, at_key=at_key)

    def report(self, path: tuple, message: str, *, at_key: bool = False) -> None:
        self.check.report(path, message, at_key=at_key)

    def mapping(self, value: Any, path: tuple, what: str, *, optional: bool = False) -> dict:
        if value is None and optional:
            return {}
        if not isinstance(value, dict):
            raise self.fail(path, f"{what} must be a mapping, not {type_name(value)}")
        return value

    def section(self, key: str, item: str, *, required: bool) -> dict:
        """A top-level mapping whose every entry (an ``item``) is a mapping too; the entries
        that are not are reported and left out."""
        if key not in self.root:
            if required:
                self.report((), f"the pricing has no '{key}'")
            return {}
        section = self.check.attempt(
            lambda: self.mapping(self.root[key], (key,), f"'{key}'", optional=not required), {},
        )
        return {
            name: entry for name, entry in section.items()
            if self.check.attempt(lambda: self.mapping(entry, (key, name), f"{item} '{name}'"), None)
            is not None
        }

    def syntax_version(self) -> None:
        """``syntaxVersion`` must be a version; every 2.x and 3.0 pricing imports alike, and
        another version is read the same way with a note saying so (a newer syntax may
        mean something this importer does not know)."""
        if "syntaxVersion" not in self.root:
            return
        value = self.root["syntaxVersion"]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.report(
                ("syntaxVersion",), f"'syntaxVersion' must be a version like '2.1', not {type_name(value)}"
            )
        elif not KNOWN_SYNTAX.match(str(value).strip()):
            line = self.doc.value_mark(("syntaxVersion",))[0]
            self.notes.append(
                f"syntaxVersion '{value}' (line {line}) is not one this importer was written "
                "for (2.x, 3.0): it was read as 2.x; check the inventory"
            )

    def inventory(self) -> dict:
        self.syntax_version()
        features = self.section("features", "feature", required=True)
        if len(features) > MAX_IMPORTED_FEATURES:
            raise self.fail(("features",), f"more than {MAX_IMPORTED_FEATURES:,} features to import")
        for key in features:
            if not ID_PATTERN.match(key):
                self.report(("features", key), f"invalid feature id {key!r}: use {ID_RULE}", at_key=True)
        limits = self.section("usageLimits", "usage limit", required=False)
        # A product sold only through add-ons has no plans ('plans: null' in Pricing2Yaml).
        addons = self.section("addOns", "add-on", required=False)
        sold_as_addons = bool(addons)
        plans = self.section("plans", "plan", required=not sold_as_addons)
        if not sold_as_addons and self.root.get("plans") == {}:
            self.report(("plans",), "the pricing has no plans")
        prices = {plan: self.check.attempt(lambda: self.price(plan), None) for plan in plans}
        has_free = 0 in prices.values()
        rung = _rungs(plans, prices)
        # Cheapest first; the sort is stable, so equal prices keep their file order.
        order = sorted(plans, key=lambda plan: (prices[plan] is None, prices[plan] or 0))
        tiers = [plan for plan in order if rung[plan] == plan]
        values = {plan: self.plan_values(plan, "features", features) for plan in order}
        limit_values = {plan: self.plan_values(plan, "usageLimits", limits) for plan in tiers}
        in_addons = self.addon_features(addons, plans, features)
        linked = self.linked_limits(limits, features)

        items = []
        for key, spec in features.items():
            item = self.describe(key, spec, linked, limits)
            including = [rung[plan] for plan in order if _included(values[plan][key])]
            current = min(including, key=tiers.index) if including else None
            if current is not None:
                item["current"] = current
            elif key in in_addons:
                item["addon"] = True
            # A usage wall only exists on a free plan that offers the feature at all.
            if has_free and current == tiers[0]:
                limit = self.limit(linked.get(key, ()), limits, limit_values, tiers)
                if limit:
                    item["limit"] = limit
            items.append(item)

        if not has_free:
            tiers.insert(0, FREE_TIER if FREE_TIER not in plans else f"{FREE_TIER}-tier")
        product = {
            "name": self.product_name(),
            "description": self.product_description(),
            "model": "freemium" if has_free else "paid-only",
            "tiers": tiers,
        }
        return {"version": FORMAT_VERSION, "product": product, "features": items}

    def describe(self, key: str, spec: dict, linked: dict, limits: dict) -> dict:
        """What a feature is: id, name, description, category, and what meters it."""
        item = {"id": key, "name": humanize(key)}
        description = self.text(spec, ("features", key), "description")
        if description:
            item["description"] = description
        category = _category(spec)
        if category:
            item["category"] = category
        if linked.get(key):
            # That a usage limit counts the feature is what the feature is; the limit's
            # values are where plans draw lines, and never leave the pricing.
            item["metered"] = self.limit_metric(linked[key][0], limits)
        return item

    def price(self, plan: str) -> float | None:
        """A plan's numeric price, or ``None`` for "Contact Sales" and the like."""
        raw = self.root["plans"][plan].get("price")
        if raw is not None and (isinstance(raw, bool) or not isinstance(raw, (int, float, str))):
            raise self.fail(
                ("plans", plan, "price"),
                f"plan '{plan}' has an invalid price: a number or text, not {type_name(raw)}",
            )
        price = _number(raw)
        if price is None and isinstance(raw, str):
            try:
                price = float(raw)
            except ValueError:
                return None
        if price is not None and (not math.isfinite(price) or price < 0):
            raise self.fail(("plans", plan, "price"), f"plan '{plan}' has an invalid price {raw!r}")
        return price

    def plan_values(self, plan: str, section: str, specs: dict) -> dict:
        """Every feature's (or limit's) value in a plan: its own, else the default."""
        kind = "feature" if section == "features" else "usage limit"
        path = ("plans", plan, section)
        own = self.check.attempt(lambda: self.mapping(
            self.root["plans"][plan].get(section), path, f"'{section}' of plan '{plan}'",
            optional=True,
        ), {})
        values = {key: spec.get("defaultValue") for key, spec in specs.items()}
        for key, entry in own.items():
            with self.check.each():
                values[key] = self.entry_value(entry, (*path, key), specs, f"plan '{plan}'", kind)
        return values

    def entry_value(self, entry: Any, path: tuple, specs: dict, where: str, kind: str) -> Any:
        """The ``value`` of a ``key: {value: ...}`` entry naming a known feature or limit."""
        key = path[-1]
        if key not in specs:
            raise self.fail(
                path, f"unknown {kind} '{key}' in {where}{did_you_mean(key, specs)}", at_key=True
            )
        entry = self.mapping(entry, path, f"'{key}' in {where}")
        if "value" not in entry:
            raise self.fail(path, f"'{key}' in {where} has no 'value'", at_key=True)
        return entry["value"]

    def addon_features(self, addons: dict, plans: dict, features: dict) -> set[str]:
        """The features some add-on includes."""
        found: set[str] = set()
        for addon, spec in addons.items():
            path = ("addOns", addon)
            available = spec.get("availableFor") or []
            if not isinstance(available, list):
                self.report(
                    (*path, "availableFor"),
                    f"'availableFor' of add-on '{addon}' must be a list of plan names, "
                    f"not {type_name(available)}",
                )
                available = []
            for index, plan in enumerate(available):
                if not isinstance(plan, str):
                    self.report(
                        (*path, "availableFor", index),
                        f"'availableFor' of add-on '{addon}' must list plan names, not {type_name(plan)}",
                    )
                elif plan not in plans:
                    self.report(
                        (*path, "availableFor", index),
                        f"unknown plan '{plan}' in add-on '{addon}'{did_you_mean(str(plan), plans)}"
                        f"; the plans are {one_of(plans)}",
                    )
            own = self.check.attempt(lambda: self.mapping(
                spec.get("features"), (*path, "features"), f"'features' of add-on '{addon}'",
                optional=True,
            ), {})
            for key, entry in own.items():
                with self.check.each():
                    value = self.entry_value(
                        entry, (*path, "features", key), features, f"add-on '{addon}'", "feature"
                    )
                    if _included(value):
                        found.add(key)
        return found

    def linked_limits(self, limits: dict, features: dict) -> dict[str, list[str]]:
        """For each feature, the usage limits linked to it, in file order."""
        linked: dict[str, list[str]] = {}
        for name, spec in limits.items():
            path = ("usageLimits", name, "linkedFeatures")
            keys = spec.get("linkedFeatures") or []
            if not isinstance(keys, list):
                self.report(path, f"'linkedFeatures' must be a list of features, not {type_name(keys)}")
                continue
            for index, key in enumerate(keys):
                if not isinstance(key, str):
                    self.report(
                        (*path, index),
                        f"'linkedFeatures' of usage limit '{name}' must list feature names, "
                        f"not {type_name(key)}",
                    )
                elif key not in features:
                    self.report(
                        (*path, index),
                        f"unknown feature '{key}' in usage limit '{name}'"
                        f"{did_you_mean(str(key), features)}",
                    )
                else:
                    linked.setdefault(key, []).append(name)
        return linked

    def limit(self, names: list, limits: dict, values: dict, tiers: list) -> dict | None:
        """The first linked limit whose value on the free plan is below the top plan's."""
        for name in names:
            free = _number(values[tiers[0]][name])
            top = _number(values[tiers[-1]][name])
            if free is not None and top is not None and 0 <= free < top:
                return {"metric": self.limit_metric(name, limits), "free": free}
        return None

    def limit_metric(self, name: str, limits: dict) -> str:
        """What a usage limit counts: its unit, else words from its key."""
        return self.text(limits[name], ("usageLimits", name), "unit") or _metric(name)

    def text(self, spec: dict, path: tuple, key: str) -> str:
        """``spec[key]`` as text ("" when it is missing, or reported when it is not text)."""
        value = spec.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.report((*path, key), f"'{key}' must be text, not {type_name(value)}")
            return ""
        return str(value).strip()

    def product_name(self) -> str:
        name = self.text(self.root, (), "saasName")
        if name:
            return name
        if self.doc.path == STDIN_NAME:
            return IMPORTED_PRODUCT
        return PurePath(self.doc.path).stem or IMPORTED_PRODUCT

    def product_description(self) -> str:
        version = self.text(self.root, (), "version")
        url = self.text(self.root, (), "url")
        source = ", ".join(filter(None, (version and f"version {version}", url)))
        return "Imported from a Pricing2Yaml pricing" + (f" ({source})." if source else ".")


def _rungs(plans: dict, prices: dict) -> dict[str, str]:
    """The rung of the ladder each plan stands on, as a buyer reads the pricing page.

    Every $0 plan is the free rung. A plan named after another plan with words in front
    and sold for less (``DEV_MODE_ORGANIZATION`` at 25 beside ``ORGANIZATION`` at 45) is a
    lighter seat of that plan, a parallel line and not a rung of its own; sold for more
    (``BUSINESS_PLUS`` beside ``PLUS``), it is a rung above. Every other plan is its own rung.
    """
    free = next((plan for plan in plans if prices[plan] == 0), None)
    words = {plan: [w for w in re.split(r"[^a-z0-9]+", plan.lower()) if w] for plan in plans}
    rungs = {}
    for plan in plans:
        if prices[plan] == 0:
            rungs[plan] = free
            continue
        base = [
            other for other in plans
            if other != plan and len(words[other]) < len(words[plan])
            and words[plan][-len(words[other]):] == words[other]
            and _cheaper(prices[plan], prices[other])
        ]
        rungs[plan] = max(base, key=lambda other: len(words[other])) if base else plan
    return rungs


def _cheaper(price: float | None, than: float | None) -> bool:
    """Whether a price is below another; "Contact Sales" (``None``) is above every number."""
    if price is None:
        return False
    return than is None or price < than


def _category(spec: dict) -> str:
    """``INTEGRATION`` + ``IDENTITY_PROVIDER`` -> ``integration: identity provider``."""
    parts = [
        str(spec[key]).replace("_", " ").strip().lower()
        for key in ("type", "integrationType", "automationType")
        if isinstance(spec.get(key), str) and spec[key].strip()
    ]
    return ": ".join(parts)


def _metric(limit: str) -> str:
    """A unit-less limit's metric from its key: ``useWorkspaces`` -> ``workspaces``."""
    words = humanize(limit)
    if words.lower().startswith("use ") and len(words) > 4:
        words = words[4:]
    return words[:1].lower() + words[1:] if not words[:2].isupper() else words
