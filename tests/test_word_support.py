"""The word lists read product language, not the bundled products' names for things: an entry
that finds something in only one bundled product's features needs a general reason written
beside it (a ``# why ENTRY: REASON`` comment in its rule), and there are fewer than 20."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.realworld_scoring import WordSupport, imported, word_support, without_entries
from freemium_advisor.reading.rulepacks import load_ruleset

DATASET = Path(__file__).parent / "data" / "pricing2yaml"
RULESET = load_ruleset()


def support() -> list[WordSupport]:
    inventories = {
        product.name: [imported(p.read_text(encoding="utf-8"), p.name)
                       for p in sorted(product.glob("*.yml"))]
        for product in sorted(DATASET.iterdir()) if product.is_dir()
    }
    return word_support(RULESET, inventories)


@pytest.mark.heavy
def test_single_product_entries_are_few_and_each_has_a_general_reason():
    found = support()
    assert len(found) > 300  # every entry of every list is reported
    single = [w for w in found if w.part == "words" and len(w.products) == 1]
    assert len(single) < 20
    assert [w.key for w in found if len(w.products) == 1 and not w.reason] == []


def test_without_entries_drops_words_and_rules_left_without_any():
    rule = RULESET.get("infer-enterprise-identity")
    fewer = without_entries(RULESET, {(rule.id, "words", "ldap")})
    assert "ldap" not in fewer.get(rule.id).words.words
    assert len(fewer.get(rule.id).words.words) == len(rule.words.words) - 1
    emptied = without_entries(RULESET, {(rule.id, "words", w) for w in rule.words.words})
    assert rule.id not in emptied.ids()
