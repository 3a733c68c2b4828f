"""The terminal views: `analyze`'s table (laid out once, colours painted over it), the split
summary, narrow terminals, and `explain`'s tree."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from freemium_advisor.engine.analysis import analyze, analyze_file
from freemium_advisor.formats import RenderOptions
from freemium_advisor.formats.terminal import render_analysis, split_cells, wrap
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.reading.rulepacks import load_ruleset
from tests.conftest import EXAMPLES

WHITEBOARD = str(EXAMPLES / "whiteboard.yaml")
ANSI_CODE = re.compile("\x1b\\[[0-9;]*m")

WORDY = """\
version: 1
product:
  name: Wordy
  tiers: [free, pro]
features:
  - id: long
    name: Supercalifragilisticexpialidocious exports
    current: pro
    signals: {cost_to_serve: high, aha: high}
  - id: cjk
    name: 共有ボード with guests
    current: free
    signals: {virality: high}
  - id: lines
    name: "Two\\nlines"
    current: free
"""
# A word too long for its column ends in an ellipsis (the Main reason column folds instead),
# a character two cells wide takes two, a newline in a name is shown as an escape (a name is
# one line in every output).
WORDY_AT_80 = """\
Wordy: freemium advice
┏━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Feature          ┃ Current ┃ Advice       ┃ Tier ┃   Conf. ┃ Main reason     ┃
┡━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ Supercalifragil… │ pro     │ free-limited │ free │    0.87 │ aha-high        │
│ exports          │         │ wall: uses   │      │         │                 │
│                  │         │ per month    │      │         │                 │
│ 共有ボード with  │ free    │ free         │ free │    0.69 │ virality-high   │
│ guests           │         │              │      │         │                 │
│ Two\\nlines       │ free    │ gated        │ pro  │ unknown │ no evidence;    │
│                  │         │              │      │         │ ask: virality,  │
│                  │         │              │      │         │ commoditized,   │
│                  │         │              │      │         │ aha, habit,     │
│                  │         │              │      │         │ data_value,     │
│                  │         │              │      │         │ landing,        │
│                  │         │              │      │         │ audience        │
└──────────────────┴─────────┴──────────────┴──────┴─────────┴─────────────────┘
"""


@pytest.mark.parametrize("text,width,fold,lines", [
    ("Share boards with guests", 21, True, ["Share boards with", "guests"]),
    ("abcdefghij klm", 4, True, ["abcd", "efgh", "ij", "klm"]),
    ("abcdefghij klm", 4, False, ["abcdefghij", "klm"]),
    ("共有ボード ab", 6, True, ["共有ボ", "ード", "ab"]),
    ("a  b", 10, True, ["a  b"]),
    ("a\tb\nc", 10, True, ["a b", "c"]),
    ("", 5, True, [""]),
])
def test_wrap_breaks_between_words_by_terminal_cells(text, width, fold, lines):
    assert wrap(text, width, fold=fold) == lines


def test_the_table_lays_out_long_words_wide_characters_and_newlines(write):
    analysis = analyze_file(write("wordy.yaml", WORDY))
    text = render_analysis(analysis, RenderOptions(color=False, width=80))
    table = [line.rstrip() for line in text.splitlines()[:17]]
    assert table == WORDY_AT_80.splitlines()
    assert {cell_len(line) for line in text.splitlines()[:17]} == {80}


WORDS = st.text(alphabet="abcXYZ -/.,:'é中😀\u0301", min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(
    product=WORDS, tiers=st.lists(WORDS, min_size=1, max_size=4, unique=True),
    names=st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=5),
    width=st.integers(80, 220),
)
def test_any_names_keep_the_columns_straight_and_the_advice_whole(product, tiers, names, width):
    document = {
        "product": {"name": product, "tiers": tiers},
        "features": [{"id": f"f{i}", "name": name, "current": tiers[i % len(tiers)]}
                     for i, name in enumerate(names)],
    }
    inventory = parse_inventory(yaml.safe_dump(document, allow_unicode=True), "names.yaml")
    analysis = analyze(inventory, load_ruleset(()))
    lines = render_analysis(analysis, RenderOptions(color=False, width=width)).splitlines()
    bottom = next(i for i, line in enumerate(lines) if line.startswith("└"))
    table = lines[:bottom + 1]
    assert {cell_len(line) for line in table} == {width}
    rows = [line for line in table if line.startswith("│")]
    advice = [line.split("│")[3].strip() for line in rows if line.split("│")[3].strip() in
              ("free", "free-limited", "gated")]
    assert advice == [a.recommendation for a in analysis.assessments]


@pytest.mark.parametrize("width", [50, 79, 80, 100, 137])
def test_colours_are_painted_over_the_same_layout(width):
    analysis = analyze_file(WHITEBOARD)
    plain = render_analysis(analysis, RenderOptions(color=False, width=width))
    painted = render_analysis(analysis, RenderOptions(color=True, width=width))
    assert painted != plain
    assert ANSI_CODE.sub("", painted) == plain
    assert "\x1b[33mfree-limited\x1b[0m" in painted
    assert "\x1b[1;31merror\x1b[0m [gated-growth-feature]" in painted


def test_analyze_ends_with_a_compact_split(run):
    lines = run("analyze", WHITEBOARD).stdout.splitlines()
    start = lines.index("11 features: 5 free, 1 free-limited, 5 gated.")
    assert lines[start + 1] == "█" * 18 + "▒" * 4 + "░" * 18
    assert lines[start + 2] == "█ free, ▒ free-limited, ░ gated"
    assert lines[start + 3] == "Advised per tier: free 6, starter 2, business 1, enterprise 2."
    assert lines[start + 4] == "1 finding:"


@pytest.mark.parametrize("summary,width,expected", [
    ({"free": 5, "free-limited": 1, "gated": 5}, 40, {"free": 18, "free-limited": 4, "gated": 18}),
    ({"free": 99, "free-limited": 1, "gated": 0}, 10, {"free": 9, "free-limited": 1, "gated": 0}),
    ({"free": 1, "free-limited": 1, "gated": 1}, 3, {"free": 1, "free-limited": 1, "gated": 1}),
    ({"free": 1, "free-limited": 0, "gated": 1}, 5, {"free": 3, "free-limited": 0, "gated": 2}),
    ({"free": 0, "free-limited": 0, "gated": 0}, 40, {"free": 0, "free-limited": 0, "gated": 0}),
])
def test_split_cells_fill_the_bar_and_show_every_recommendation_given(summary, width, expected):
    assert split_cells(summary, width) == expected


@pytest.mark.parametrize("columns", [50, 60, 79])
def test_narrow_terminal_lists_features_and_never_cuts_the_advice(run, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    lines = run("analyze", WHITEBOARD).stdout.splitlines()
    assert all(len(line) <= columns for line in lines[:-3])  # the finding line is never wrapped
    assert "Editable boards" in lines
    advice = lines[lines.index("Editable boards") + 1]
    assert advice.startswith("  free-limited in free")
    voting = lines[lines.index("Voting and timer") + 1: lines.index("Voting and timer") + 3]
    assert voting == ["  free in free", "  today business; confidence 0.85; aha-medium"]


@pytest.mark.parametrize("columns", [80, 100, 140])
def test_table_keeps_the_advice_whole(run, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    out = run("analyze", WHITEBOARD).stdout
    assert out.splitlines()[1].startswith("┏")  # a table from 80 columns on
    assert re.search(r"│ free-limited +│", out)
    for word in ("free", "gated"):
        assert f"│ {word} " in out


def test_explain_renders_the_reasoning_as_a_tree(run):
    lines = run("explain", WHITEBOARD, "team-analytics").stdout.splitlines()
    start = lines.index("Rules that fired")
    tree = lines[start + 1:]
    assert tree[0] == "└── towards a gate: 3"
    assert tree[1].startswith("    ├── -2.5 audience-admin (audience): Admins, not everyday")
    assert any("└── inferred by infer-admin-controls from 'company wide'" in line for line in tree)


def test_explain_tree_has_a_branch_per_direction_heaviest_first(run):
    lines = run("explain", WHITEBOARD, "create-boards").stdout.splitlines()
    branches = [line for line in lines if line[:4] in ("├── ", "└── ")]
    assert branches == ["├── towards free: 5", "├── towards a usage wall: 1", "└── towards a gate: 0.5"]
    rules = [m.group(1) for line in lines if (m := re.match(r"^[│ ]   [├└]── [+-][\d.]+ (\S+) ", line))]
    assert rules == ["aha-high", "habit-high", "cost-to-serve-medium", "needs-strategic-reason"]


def test_explain_names_a_change_of_tier_as_a_flip(run):
    out = run("explain", WHITEBOARD, "version-history").stdout
    assert "  audience: team -> gated in 'business'" in out
