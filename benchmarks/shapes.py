"""Inventories of a realistic shape, for the limits test and the speed of ``check --base``.

A real catalog's feature has more than a name: a description, a category, the tier it sits
in, often a usage wall (``limit``) or a metering, and a few answered signals. These build
such inventories from the real pricings' feature names and descriptions (tests/data), every
feature distinct, and a changed copy where a given share of the features moved or were
re-answered, as in a pull request.
"""

from __future__ import annotations

import json
import random

from benchmarks.speed import corpus

TIERS = ("free", "pro", "business", "enterprise")
METRICS = ("boards", "projects", "GB of storage", "API calls per month", "seats", "runs per month")
LEVELS = ("none", "low", "medium", "high")
LEVEL_SIGNALS = ("virality", "aha", "habit", "commoditized", "friction", "cost_to_serve")


def realistic_features(count: int, seed: int = 0) -> list[dict]:
    """``count`` distinct features with descriptions, categories, tiers, walls and signals."""
    names = corpus()
    pick = random.Random(seed)
    features = []
    for i in range(count):
        name, description, category = names[i % len(names)]
        feature = {
            "id": f"f{i}",
            "name": f"{name} {i // len(names) + 1}" if i >= len(names) else name,
            "description": description or f"{name} for every team, with history and sharing.",
            "category": category.lower() or "general",
            "current": TIERS[pick.randrange(len(TIERS))],
        }
        if pick.random() < 0.3:
            feature["limit"] = {"metric": pick.choice(METRICS), "free": pick.randrange(1, 100)}
            feature["current"] = "free"
        if pick.random() < 0.2:
            feature["metered"] = pick.choice(METRICS)
        answered = pick.sample(LEVEL_SIGNALS, pick.randrange(0, 4))
        signals = {name: pick.choice(LEVELS) for name in answered}
        if pick.random() < 0.3:
            signals["audience"] = pick.choice(("user", "team", "admin", "enterprise"))
        if signals:
            feature["signals"] = signals
        features.append(feature)
    return features


def inventory_text(features: list[dict]) -> str:
    """The inventory YAML of ``features`` (block style, as people write it).

    Written line by line: PyYAML's dumper builds a node per value in Python, which takes most
    of a 100,000-feature test's time. Text is double-quoted as JSON writes it (a JSON string is
    a YAML double-quoted scalar)."""
    lines = ["version: 1", "product:", "  name: Bench", "  collaborative: true",
             f"  tiers: [{', '.join(TIERS)}]", "features:"]
    for feature in features:
        lines += _block(feature, "  - ", "    ")
    return "\n".join(lines) + "\n"


def changed(features: list[dict], share: float, seed: int = 1) -> list[dict]:
    """A copy of ``features`` in which ``share`` of them changed: every other one moved to
    another tier, the rest re-answered a signal."""
    pick = random.Random(seed)
    result = [dict(f) for f in features]
    for n, i in enumerate(pick.sample(range(len(result)), max(1, round(len(result) * share)))):
        feature = result[i]
        if n % 2 == 0:
            feature["current"] = TIERS[(TIERS.index(feature["current"]) + 1) % len(TIERS)]
        else:
            feature["signals"] = {**feature.get("signals", {}), "habit": pick.choice(LEVELS)}
    return result


def _block(mapping: dict, first: str, rest: str) -> list[str]:
    lines = []
    for index, (key, value) in enumerate(mapping.items()):
        lead = first if index == 0 else rest
        if isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            lines += _block(value, rest + "  ", rest + "  ")
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:")
            for item in value:
                lines += _block(item, rest + "  - ", rest + "    ")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
