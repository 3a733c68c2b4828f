"""The plain-text table (long tables, no colors) prints exactly what rich prints."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from freemium_advisor.engine.analysis import analyze, analyze_file
from freemium_advisor.formats import RenderOptions, terminal
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.reading.rulepacks import load_ruleset
from tests.conftest import EXAMPLES


def through_rich(analysis, options: RenderOptions) -> str:
    console, buffer = terminal.text_console(options)
    terminal._print_table(console, analysis)
    terminal._print_split(console, analysis)
    terminal._print_findings(console, analysis, plain=False)
    return buffer.getvalue()


@pytest.mark.parametrize("width", [80, 99, 100, 137, 1000])
@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_print_as_rich_prints_them(example, width):
    analysis = analyze_file(str(EXAMPLES / example))
    options = RenderOptions(color=False, width=width)
    assert terminal._plain_table(analysis, width) is not None
    assert terminal.render_analysis(analysis, options) == through_rich(analysis, options)


WORDS = st.text(alphabet="abcXYZ -/.,:'é中😀\u0301", min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(
    product=WORDS, tiers=st.lists(WORDS, min_size=1, max_size=4, unique=True),
    names=st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=5),
    width=st.integers(80, 220),
)
def test_any_names_print_as_rich_prints_them(product, tiers, names, width):
    document = {
        "product": {"name": product, "tiers": tiers},
        "features": [{"id": f"f{i}", "name": name, "current": tiers[i % len(tiers)]}
                     for i, name in enumerate(names)],
    }
    inventory = parse_inventory(yaml.safe_dump(document, allow_unicode=True), "names.yaml")
    analysis = analyze(inventory, load_ruleset(()))
    options = RenderOptions(color=False, width=width)
    assert terminal.render_analysis(analysis, options) == through_rich(analysis, options)
