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
# Every word whole: a column is as wide as its longest word, a character two cells wide
# takes two, a newline in a name is shown as an escape (a name is one line in every output),
# the label of the confidence in words, a tier nobody's answer supports marked as a guess.
WORDY_AT_100 = """\
Wordy: freemium advice
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┓
┃ Feature                            ┃ Current ┃ Advice               ┃ Conf.   ┃ Main reason      ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━━━┩
│ Supercalifragilisticexpialidocious │ pro     │ free-limited         │ medium  │ aha-high         │
│ exports                            │         │ wall: uses per month │         │                  │
│ 共有ボード with guests             │ free    │ free                 │ low     │ virality-high    │
│ Two\\nlines                         │ free    │ gated in pro (guess) │ unknown │ no evidence;     │
│                                    │         │                      │         │ ask: virality,   │
│                                    │         │                      │         │ commoditized,    │
│                                    │         │                      │         │ aha, habit,      │
│                                    │         │                      │         │ data_value,      │
│                                    │         │                      │         │ landing,         │
│                                    │         │                      │         │ audience         │
└────────────────────────────────────┴─────────┴──────────────────────┴─────────┴──────────────────┘
Conf.: how often real products agreed with advice like this, free or paid; it does not measure the
tier.
(guess): no audience answered or inferred, so the tier is the cheapest paid one.
"""
# At 60 columns the longest name does not fit a table: the list says the same, every
# wrapped line indented as its first, and never the default as a reason.
WORDY_AT_60 = """\
Wordy: freemium advice
Supercalifragilisticexpialidocious exports
  free-limited, wall: uses per month
  today pro; confidence medium; aha-high
共有ボード with guests
  free
  today free; confidence low; virality-high
Two\\nlines
  gated in pro (guess)
  today free; confidence unknown; no evidence; ask:
  virality, commoditized, aha, habit, data_value, landing,
  audience
Confidence: how often real products agreed with advice like
this, free or paid; it does not measure the tier.
(guess): no audience answered or inferred, so the tier is
the cheapest paid one.
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


@pytest.mark.parametrize("width,expected", [(100, WORDY_AT_100), (60, WORDY_AT_60)])
def test_the_table_lays_out_long_words_wide_characters_and_newlines(write, width, expected):
    analysis = analyze_file(write("wordy.yaml", WORDY))
    text = render_analysis(analysis, RenderOptions(color=False, width=width))
    shown = text[:text.index("3 features:")]
    assert [line.rstrip() for line in shown.splitlines()] == expected.splitlines()
    assert max(cell_len(line) for line in shown.splitlines()) <= width


WORDS = st.text(alphabet="abcXYZ -/.,:'é中😀\u0301", min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(
    product=WORDS, tiers=st.lists(WORDS, min_size=1, max_size=4, unique=True),
    names=st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=5),
    width=st.integers(40, 220),
)
def test_any_names_keep_the_columns_straight_and_every_word_whole(product, tiers, names, width):
    document = {
        "product": {"name": product, "tiers": tiers},
        "features": [{"id": f"f{i}", "name": name, "current": tiers[i % len(tiers)]}
                     for i, name in enumerate(names)],
    }
    inventory = parse_inventory(yaml.safe_dump(document, allow_unicode=True), "names.yaml")
    analysis = analyze(inventory, load_ruleset(()))
    lines = render_analysis(analysis, RenderOptions(color=False, width=width)).splitlines()
    expected = [(" ".join(a.feature.name.split()), a.recommendation) for a in analysis.assessments]
    if lines[1].startswith("┏"):  # a table: straight columns, each name whole in its column
        bottom = next(i for i, line in enumerate(lines) if line.startswith("└"))
        assert {cell_len(line) for line in lines[:bottom + 1]} == {width}
        blocks: list[tuple[list[str], str]] = []
        for line in lines[4:bottom]:
            name, _, advice = (cell.strip() for cell in line.split("│")[1:4])
            first = advice.split(" ")[0]
            if first in ("free", "free-limited", "gated"):
                blocks.append(([], first))
            blocks[-1][0].append(name)
        assert [(" ".join(" ".join(parts).split()), advice) for parts, advice in blocks] == expected
    else:  # a list: nothing wider than the terminal, the advice on its own line
        legend = next(i for i, line in enumerate(lines) if line.startswith("Confidence: "))
        assert all(cell_len(line) <= width for line in lines[:legend])
        advice = [line.split(" ")[2].rstrip(",") for line in lines[1:legend] if line.startswith("  ")
                  and line.split(" ")[2].rstrip(",") in ("free", "free-limited", "gated")]
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


@pytest.mark.parametrize("columns", [30, 50, 75])
def test_narrow_terminal_lists_features_and_never_cuts_the_advice(run, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    lines = run("analyze", WHITEBOARD).stdout.splitlines()
    assert all(len(line) <= columns for line in lines[:-3])  # the finding line is never wrapped
    assert "Editable boards" in lines
    advice = lines[lines.index("Editable boards") + 1]
    assert advice.startswith("  free-limited, wall: editable")
    voting = lines[lines.index("Voting and timer") + 1: lines.index("Voting and timer") + 3]
    assert voting[0] == "  free"
    assert " ".join(line.strip() for line in voting).startswith("free today business; confidence")
    # Every wrapped line keeps the indent of its block.
    block = lines[lines.index("Company-wide usage analytics") + 1: lines.index("SAML single sign-on (SSO)")]
    assert all(line.startswith("  ") for line in block)
    assert " ".join(line.strip() for line in block) == (
        "gated in business today business; confidence medium; audience-admin (inferred)"
    )


def test_the_list_wraps_with_the_indent_of_its_block(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    lines = run("analyze", WHITEBOARD).stdout.splitlines()
    at = lines.index("Editable boards")
    assert lines[at:at + 5] == [
        "Editable boards",
        "  free-limited, wall: editable",
        "  boards",
        "  today free; confidence",
        "  medium; aha-high",
    ]


@pytest.mark.parametrize("columns", [76, 80, 100, 140, 200])
def test_table_keeps_every_word_whole(run, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    out = run("analyze", WHITEBOARD).stdout
    lines = out.splitlines()
    assert lines[1].startswith("┏")  # a table from 76 columns on: its longest words fit
    assert "…" not in out
    assert re.search(r"│ free-limited +│", out)
    for word in ("Real-time", "collaboration", "enterprise", "audience-enterprise", "production-use",
                 "virality-high", "commoditized-high"):
        assert re.search(rf"[│ ]{re.escape(word)} ", out), word
    assert re.search(r"│ medium +│", out)  # the confidence's label, in words


def test_a_wide_table_keeps_a_reason_and_its_mark_on_one_line(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    out = run("analyze", WHITEBOARD).stdout
    assert re.search(r"│ audience-enterprise \(inferred\) +│", out)
    assert "│ Unlimited version history " in out
    assert re.search(r"│ gated in starter \(guess\) +│ high +│", out)


def test_the_list_says_what_the_table_says(run, monkeypatch, write):
    path = write("wordy.yaml", WORDY)
    monkeypatch.setenv("COLUMNS", "60")
    listed = run("analyze", path).stdout.split("3 features:")[0]
    monkeypatch.setenv("COLUMNS", "100")
    table = run("analyze", path).stdout.split("3 features:")[0]
    # A default is never a reason: both say what the advice lacks.
    assert "no evidence;" in listed and "no evidence;" in table
    assert "needs-strategic-reason" not in listed + table


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
