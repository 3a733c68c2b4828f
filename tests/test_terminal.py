"""The terminal views: the split summary under `analyze`, narrow terminals, and `explain`'s tree."""

from __future__ import annotations

import re

import pytest

from freemium_advisor.formats.terminal import split_cells
from tests.conftest import EXAMPLES

WHITEBOARD = str(EXAMPLES / "whiteboard.yaml")


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
    assert voting == ["  free in free", "  today business; confidence 0.87; aha-medium"]


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
    assert any("└── inferred by infer-admin-controls from 'wide'" in line for line in tree)


def test_explain_tree_has_a_branch_per_direction_heaviest_first(run):
    lines = run("explain", WHITEBOARD, "create-boards").stdout.splitlines()
    branches = [line for line in lines if line[:4] in ("├── ", "└── ")]
    assert branches == ["├── towards free: 5", "├── towards a usage wall: 1", "└── towards a gate: 0.5"]
    rules = [m.group(1) for line in lines if (m := re.match(r"^[│ ]   [├└]── [+-][\d.]+ (\S+) ", line))]
    assert rules == ["aha-high", "habit-high", "cost-to-serve-medium", "needs-strategic-reason"]


def test_explain_names_a_change_of_tier_as_a_flip(run):
    out = run("explain", WHITEBOARD, "version-history").stdout
    assert "  audience: team -> gated in 'business'" in out
