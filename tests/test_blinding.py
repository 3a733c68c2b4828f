"""Plan blinding: import never turns plan membership into anything the engine reads, so the
advice for a pricing is identical when its plans are emptied; and the benchmark's blinding
really removes every trace of placement."""

from __future__ import annotations

import copy
import functools
import random
from pathlib import Path

import pytest
import yaml

from freemium_advisor.engine.analysis import analyze
from benchmarks.realworld_scoring import BLIND_VALUE, blind, evaluate_pricing
from freemium_advisor.base.yamlpos import Document
from freemium_advisor.reading.importers import dump_inventory
from freemium_advisor.reading.importers.pricing2yaml import import_pricing2yaml
from freemium_advisor.reading.inventory_reader import parse_inventory, read_inventory
from freemium_advisor.reading.rulepacks import load_ruleset

DATASET = Path(__file__).parent / "data" / "pricing2yaml"
PRICINGS = sorted(DATASET.glob("*/*.yml"))
RULESET = load_ruleset()


def pricing_id(path: Path) -> str:
    return path.relative_to(DATASET).with_suffix("").as_posix()


def advice(pricing: dict, name: str) -> list[tuple[str, str, str | None]]:
    """Import a parsed pricing and analyze it with the built-in rules. The inventory is read
    from the data the import writes (its YAML text, which only lays that data out, is pinned
    by tests/test_import_pricing2yaml.py): whatever reaches the engine passes through it."""
    text = yaml.dump(pricing, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    inventory = read_inventory(Document(import_pricing2yaml(text, name), name, {}, None))
    assessments = analyze(inventory, RULESET).assessments
    return [(a.feature.id, a.recommendation, a.tier) for a in assessments]


@functools.cache
def pricing_of(path: Path) -> tuple[dict, list]:
    """The parsed pricing at ``path`` and its advice, computed once for the tests below."""
    pricing = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return pricing, advice(pricing, path.name)


def empty_plans(pricing: dict) -> dict:
    """A copy whose plans and add-ons include nothing; feature defaults are left as they are."""
    emptied = copy.deepcopy(pricing)
    for plan in (emptied.get("plans") or {}).values():
        plan["features"] = None
        plan["usageLimits"] = None
    for addon in (emptied.get("addOns") or {}).values():
        for key in ("features", "usageLimits", "usageLimitsExtensions"):
            addon[key] = None
    return emptied


def test_the_dataset_is_there():
    """The parametrized tests below would pass vacuously on an empty dataset."""
    assert len(PRICINGS) >= 79
    assert DATASET / "slack" / "2024.yml" in PRICINGS


@pytest.mark.parametrize("path", PRICINGS, ids=pricing_id)
def test_advice_is_the_same_when_plans_are_emptied(path):
    pricing, original = pricing_of(path)
    assert original, "the pricing imports no feature"
    assert advice(empty_plans(pricing), path.name) == original
    assert advice(blind(pricing), path.name) == original


def shuffled_without_plan_descriptions(pricing: dict, seed: int) -> dict:
    """A copy whose features (and usage limits) come in another order, with every plan's
    and add-on's description removed."""
    changed = copy.deepcopy(pricing)
    for section in ("features", "usageLimits"):
        if isinstance(changed.get(section), dict):
            items = list(changed[section].items())
            random.Random(seed).shuffle(items)
            changed[section] = dict(items)
    for section in ("plans", "addOns"):
        for spec in (changed.get(section) or {}).values():
            if isinstance(spec, dict):
                spec.pop("description", None)
    return changed


@pytest.mark.parametrize("path", PRICINGS, ids=pricing_id)
def test_advice_is_the_same_when_features_are_shuffled_and_plan_descriptions_removed(path):
    """Order in the file and the plans' sales copy are no evidence about a feature."""
    pricing, advice_as_read = pricing_of(path)
    original = sorted(advice_as_read)
    for seed in (1, 2):
        changed = shuffled_without_plan_descriptions(pricing, seed)
        assert list(changed["features"]) != list(pricing["features"]) or len(pricing["features"]) < 2
        assert sorted(advice(changed, path.name)) == original


@pytest.mark.parametrize("path", PRICINGS, ids=pricing_id)
def test_blind_leaves_no_trace_of_placement(path):
    pricing = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    untouched = copy.deepcopy(pricing)
    blinded = blind(pricing)
    assert pricing == untouched, "blind() changed its argument"
    for plan in (blinded.get("plans") or {}).values():
        assert (plan["features"], plan["usageLimits"]) == (None, None)
    for addon in (blinded.get("addOns") or {}).values():
        assert (addon["features"], addon["usageLimits"], addon["usageLimitsExtensions"]) == (
            None, None, None,
        )
    defaults = [
        spec["defaultValue"]
        for section in ("features", "usageLimits")
        for spec in (blinded.get(section) or {}).values()
    ]
    assert defaults and all(d is BLIND_VALUE for d in defaults)
    # Everything that describes the features stays.
    assert list(blinded["features"]) == list(pricing["features"])
    assert [s.get("description") for s in blinded["features"].values()] == [
        s.get("description") for s in pricing["features"].values()
    ]


def test_evaluate_pricing_scores_every_feature_a_plan_places():
    name = "slack/2024.yml"
    text = (DATASET / name).read_text(encoding="utf-8")
    real = parse_inventory(dump_inventory(import_pricing2yaml(text, name)), name)
    placed = [f for f in real.features if f.current is not None]
    assert 0 < len(placed) < len(real.features)  # add-on-only features have no placement

    has_free_plan, score = evaluate_pricing(text, name, RULESET)

    assert has_free_plan is True
    assert score.count == len(placed)
    assert [(p.feature, p.real_tier) for p in score.placements] == [
        (f.id, f.current) for f in placed
    ]
    assert [p.real_free for p in score.placements] == [f.current == "FREE" for f in placed]
