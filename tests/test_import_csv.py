"""CSV import: the happy path exactly, every error kind with its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from freemium_advisor.base.errors import InputError
from freemium_advisor.reading.importers import dump_inventory
from freemium_advisor.reading.importers.csv_table import import_csv
from freemium_advisor.reading.inventory_reader import parse_inventory

FIXTURES = Path(__file__).parent / "fixtures" / "import"
COLUMNS = (
    "id, name, description, category, current, addon, limit_metric, limit_free, virality, "
    "commoditized, aha, habit, friction, cost_to_serve, data_value, landing, audience or "
    "production"
)
LEVELS = "none, low, medium or high (or true/false)"


def error(text: str, path: str = "team.csv") -> str:
    with pytest.raises(InputError) as caught:
        import_csv(text, path)
    return str(caught.value)


TEAM = {
    "version": 1,
    "product": {
        "name": "Team",
        "model": "freemium",
        "tiers": ["free", "Plus", "enterprise"],
    },
    "features": [
        {"id": "share-board", "name": "Share boards",
         "description": "Invite anyone, even guests,\nto a board", "category": "collaboration",
         "current": "free", "limit": {"metric": "boards", "free": 3},
         "signals": {"virality": "high", "audience": "team", "production": False}},
        {"id": "sso", "name": "Single sign-on", "category": "security", "current": "enterprise",
         "signals": {"audience": "enterprise", "production": True}},
        {"id": "ai-summaries", "name": "AI summaries", "current": "Plus", "addon": True,
         "signals": {"virality": "none"}},
        {"id": "exports", "name": "Exports", "addon": False,
         "limit": {"metric": "exports/month"}, "signals": {"virality": "high"}},
    ],
}


def test_happy_path_exactly():
    text = (FIXTURES / "team.csv").read_text(encoding="utf-8")
    assert import_csv(text, "sheets/team.csv") == TEAM


def test_output_validates_and_is_deterministic():
    text = (FIXTURES / "team.csv").read_text(encoding="utf-8")
    dumped = dump_inventory(import_csv(text, "team.csv"), header="Imported from team.csv")
    assert dumped == dump_inventory(import_csv(text, "team.csv"), header="Imported from team.csv")
    inventory = parse_inventory(dumped, "team.yaml")
    share = inventory.feature("share-board")
    assert share.description == "Invite anyone, even guests,\nto a board"
    assert share.signals == {"virality": 3, "audience": "team", "production": False}
    assert inventory.feature("exports").limit.free is None
    assert inventory.product.tier_names() == ["free", "Plus", "enterprise"]
    assert "    description: |-\n      Invite anyone, even guests,\n      to a board\n" in dumped
    assert "    signals: {virality: high, audience: team, production: false}\n" in dumped


def test_header_names_are_normalized_and_bom_crlf_and_semicolons_work():
    text = "\ufeffID;Feature Name;Cost-To-Serve;LIMIT FREE;limit-metric\r\nx;X;Medium;2.5;GB\r\n"
    with pytest.raises(InputError) as caught:
        import_csv(text, "t.csv")
    assert str(caught.value).splitlines() == [
        "t.csv:1: error: the header has no 'name' column",
        f"t.csv:1:2: error: unknown column 'Feature Name'; expected {COLUMNS}",
    ]
    text = text.replace("Feature Name", "Name")
    assert import_csv(text, "t.csv")["features"] == [
        {"id": "x", "name": "X", "limit": {"metric": "GB", "free": 2.5},
         "signals": {"cost_to_serve": "medium"}},
    ]


def test_current_tiers_match_case_insensitively_and_only_tiers_in_use_are_kept():
    text = "id,name,current\na,A,Pro\nb,B,Team\nc,C,team\nd,D,FREE\ne,E,Enterprise\n"
    notes: list[str] = []
    data = import_csv(text, "t.csv", notes=notes)
    assert data["product"]["tiers"] == ["free", "pro", "Team", "enterprise"]
    assert [f["current"] for f in data["features"]] == ["pro", "Team", "Team", "free", "enterprise"]
    assert notes == [
        "the tier order free, pro, Team, enterprise (cheapest first) is a guess from the plan "
        "names; pass --tiers to set it"
    ]


def test_unknown_plan_names_go_below_enterprise_in_the_order_first_seen():
    data = import_csv("id,name,current\na,A,Gold\nb,B,Enterprise\nc,C,Silver\n", "t.csv")
    assert data["product"]["tiers"] == ["free", "Gold", "Silver", "enterprise"]


def test_the_default_ladder_needs_no_note():
    notes: list[str] = []
    data = import_csv("id,name,current\na,A,pro\nb,B,enterprise\n", "t.csv", notes=notes)
    assert (data["product"]["tiers"], notes) == (["free", "pro", "enterprise"], [])
    assert import_csv("id,name\na,A\n", "t.csv")["product"]["tiers"] == [
        "free", "pro", "business", "enterprise",
    ]


def test_tiers_and_name_given_on_the_command_line(run, tmp_path):
    sheet = tmp_path / "team.csv"
    sheet.write_text("id,name,current\na,A,Plus\nb,B,team\n", encoding="utf-8")
    result = run("import", "csv", str(sheet), "--tiers", "free, plus, team, enterprise", "--name", "Boardly")
    assert (result.exit_code, result.stderr) == (0, "")
    data = yaml.safe_load(result.stdout)
    assert data["product"] == {
        "name": "Boardly", "model": "freemium", "tiers": ["free", "plus", "team", "enterprise"],
    }
    assert [f["current"] for f in data["features"]] == ["plus", "team"]
    wrong = run("import", "csv", str(sheet), "--tiers", "free,pro")
    assert (wrong.exit_code, wrong.stderr) == (
        2, f"{sheet}:2:3: error: unknown tier 'Plus'; --tiers lists free or pro\n"
        f"{sheet}:3:3: error: unknown tier 'team'; --tiers lists free or pro\n"
    )
    guessed = run("import", "csv", str(sheet))
    assert guessed.exit_code == 0
    assert guessed.stderr == (
        f"{sheet}: note: the tier order free, Plus, team (cheapest first) is a guess from the "
        "plan names; pass --tiers to set it\n"
    )


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("sheets/boardly_features.csv", "Boardly features"),
        ("my-product.csv", "My product"),
        ("Boardly.csv", "Boardly"),
        ("<stdin>", "Imported product"),
        ("__.csv", "Imported product"),
    ],
)
def test_product_name_from_the_file_stem(path, name):
    assert import_csv("id,name\n", path)["product"]["name"] == name


def test_header_only_gives_no_features():
    assert import_csv("id,name\n\n", "t.csv")["features"] == []


def test_trailing_unnamed_columns_are_ignored_when_empty():
    assert import_csv("id,name,,\na,A,,\n", "t.csv")["features"] == [{"id": "a", "name": "A"}]


def test_row_line_is_where_a_multi_line_row_starts():
    text = 'id,name,description\na,A,"one\ntwo\nthree"\nb,B,x\nc,,y\n'
    assert error(text) == (
        "team.csv:6:2: error: missing 'name' (every row needs an id and a name)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "team.csv:1:1: error: the CSV file is empty; its first row must name the columns "
             "(id, name...)"),
        ("id,name,viraltiy\n",
         f"team.csv:1:3: error: unknown column 'viraltiy' (did you mean 'virality'?); "
         f"expected {COLUMNS}"),
        ("id,name,Name\n", "team.csv:1:3: error: duplicate column 'name' (also column 2)"),
        ("name,description\n", "team.csv:1: error: the header has no 'id' column"),
        ("id,description\n", "team.csv:1: error: the header has no 'name' column"),
    ],
)
def test_header_errors(text, message):
    assert error(text) == message


HEADER = "id,name,virality,audience,production,addon,limit_metric,limit_free,current\n"
GOOD = "a,A,high,user,yes,no,boards,3,free\n"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",B,,,,,,,", "team.csv:3:1: error: missing 'id' (every row needs an id and a name)"),
        ("b,,,,,,,,", "team.csv:3:2: error: missing 'name' (every row needs an id and a name)"),
        ("a,Again,,,,,,,", "team.csv:3:1: error: duplicate feature id 'a' (first used on line 2)"),
        ("b c,B,,,,,,,", "team.csv:3:1: error: invalid feature id 'b c': use letters, digits "
                         "and - _ . & / % +, starting with a letter or digit"),
        ("b,B,hihg,,,,,,", f"team.csv:3:3: error: unknown level 'hihg' for signal 'virality' "
                           f"(did you mean 'high'?); expected {LEVELS}"),
        ("b,B,,teams,,,,,", "team.csv:3:4: error: unknown audience 'teams' (did you mean 'team'?); "
                            "expected user, team, admin or enterprise"),
        ("b,B,,,maybe,,,,", "team.csv:3:5: error: 'production' must be true or false, not 'maybe'"),
        ("b,B,,,,sometimes,,,", "team.csv:3:6: error: 'addon' must be true or false, not 'sometimes'"),
        ("b,B,,,,,,3,", "team.csv:3:8: error: 'limit_free' needs a 'limit_metric' (what is limited)"),
        ("b,B,,,,,seats,-1,", "team.csv:3:8: error: 'limit_free' must be a number, 0 or more, not '-1'"),
        ("b,B,,,,,seats,many,", "team.csv:3:8: error: 'limit_free' must be a number, 0 or more, "
                                "not 'many'"),
        ("b,B,,,,,,", "team.csv:3:9: error: the row has 8 cells but the header has 9 columns"),
        ("b,B,,,,,,,,", "team.csv:3:10: error: the row has 10 cells but the header has 9 columns"),
        ('b,"B,,,,,,,', "team.csv:3: error: invalid CSV: unexpected end of data"),
        ('b,"B"x,,,,,,,', "team.csv:3: error: invalid CSV: ',' expected after '\"'"),
    ],
)
def test_row_errors(row, message):
    assert error(HEADER + GOOD + row + "\n") == message


def test_every_problem_in_one_run():
    assert error(HEADER + GOOD + "b c,,hihg,teams,,,,3,\nd,D\na,A,,,,,,,\n").splitlines() == [
        "team.csv:3:1: error: invalid feature id 'b c': use letters, digits and - _ . & / % +, "
        "starting with a letter or digit",
        "team.csv:3:2: error: missing 'name' (every row needs an id and a name)",
        f"team.csv:3:3: error: unknown level 'hihg' for signal 'virality' (did you mean 'high'?); "
        f"expected {LEVELS}",
        "team.csv:3:4: error: unknown audience 'teams' (did you mean 'team'?); "
        "expected user, team, admin or enterprise",
        "team.csv:3:8: error: 'limit_free' needs a 'limit_metric' (what is limited)",
        "team.csv:4:3: error: the row has 2 cells but the header has 9 columns",
        "team.csv:5:1: error: duplicate feature id 'a' (first used on line 2)",
    ]


def test_every_header_problem_in_one_run():
    assert error("nmae,colour\n").splitlines() == [
        "team.csv:1: error: the header has no 'id' column",
        f"team.csv:1:1: error: unknown column 'nmae' (did you mean 'name'?); expected {COLUMNS}",
        f"team.csv:1:2: error: unknown column 'colour'; expected {COLUMNS}",
    ]
    assert error("Id,nmae,id,colour\n").splitlines() == [
        f"team.csv:1:2: error: unknown column 'nmae' (did you mean 'name'?); expected {COLUMNS}",
        "team.csv:1:3: error: duplicate column 'id' (also column 1)",
        f"team.csv:1:4: error: unknown column 'colour'; expected {COLUMNS}",
    ]


def test_the_briefs_example_message():
    text = "id,name,virality\na,A,high\nb,B,low\nc,C,hihg\n"
    assert error(text) == (
        f"team.csv:4:3: error: unknown level 'hihg' for signal 'virality' (did you mean 'high'?); "
        f"expected {LEVELS}"
    )


def test_a_value_under_an_unnamed_column():
    assert error("id,name,\na,A,oops\n") == "team.csv:2:3: error: the value 'oops' has no column name"


def test_levels_are_case_insensitive_and_true_false_map_to_high_none():
    text = "id,name,aha,habit,landing\na,A,MEDIUM,true,False\n"
    assert import_csv(text, "t.csv")["features"][0]["signals"] == {
        "aha": "medium", "habit": "high", "landing": "none",
    }


def test_every_problem_of_a_sheet_is_reported_in_one_run(run, write):
    # A bad level does not hide the duplicate id after it, and a misnamed column does not
    # hide the problems of the rows (nor is each of its cells reported again).
    path = write("s.csv", "id,nmae,aha\na,Alpha,hgih\na,Gamma,\n,B,x\n")
    result = run("import", "csv", path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"{path}:1:2: error: unknown column 'nmae' (did you mean 'name'?); expected {COLUMNS}",
        f"{path}:2:3: error: unknown level 'hgih' for signal 'aha' (did you mean 'high'?); "
        "expected none, low, medium or high (or true/false)",
        f"{path}:3:1: error: duplicate feature id 'a' (first used on line 2)",
        f"{path}:4:1: error: missing 'id' (every row needs an id and a name)",
        f"{path}:4:3: error: unknown level 'x' for signal 'aha'; expected none, low, medium or high (or true/false)",
    ]
