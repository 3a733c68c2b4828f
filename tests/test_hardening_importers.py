"""Hostile and broken import sources (CSV sheets, Pricing2Yaml pricings): one clear line,
exit 2, no traceback; and the odd but real shapes import instead of failing."""

from __future__ import annotations

import codecs

import pytest
import yaml

from tests.test_hardening_inputs import assert_bad_input

HEADER = "id,name,description,current,limit_metric,limit_free,virality\n"


@pytest.fixture
def source(tmp_path):
    def make(name: str, data: str | bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return str(path)

    return make


CSV_CASES = [
    ("a row with too many cells", HEADER + "a,A,,free,,,high,extra\n", ":2:8:",
     "the row has 8 cells but the header has 7 columns"),
    ("a row with too few cells", HEADER + "a,A\n", ":2:3:", "the row has 2 cells but the header has 7 columns"),
    ("an unknown column", "id,name,colour\n", ":1:3:", "unknown column 'colour'"),
    ("a duplicate column", "id,name,Name\n", ":1:3:", "duplicate column 'name'"),
    ("a formula as a tier name", HEADER + "a,A,,=cmd|' /C calc'!A0,,,\n", ":2:4:",
     "\"=cmd|' /C calc'!A0\" looks like a spreadsheet formula, not a tier name"),
    ("an @ formula as a tier name", HEADER + "a,A,,@SUM(A1),,,\n", ":2:4:", "looks like a spreadsheet formula"),
    ("a + formula as a tier name", HEADER + "a,A,,+1+1,,,\n", ":2:4:", "looks like a spreadsheet formula"),
    ("a formula as an id", HEADER + "=1+1,A,,,,,\n", ":2:1:", "invalid feature id '=1+1'"),
    ("a huge limit", HEADER + "a,A,,,boards," + "9" * 5000 + ",\n", ":2:6:", "'limit_free' must be a number"),
    ("a limit over the largest integer", HEADER + "a,A,,,boards,1e30,\n", ":2:6:", "'limit_free' must be a number"),
    ("an infinite limit", HEADER + "a,A,,,boards,inf,\n", ":2:6:", "'limit_free' must be a number"),
    ("a nan limit", HEADER + "a,A,,,boards,nan,\n", ":2:6:", "'limit_free' must be a number"),
    ("an unknown level", HEADER + "a,A,,,,,hihg\n", ":2:7:", "unknown level 'hihg'"),
    ("an unclosed quote", HEADER + 'a,"A\n', ":2:", "invalid CSV"),
    ("an empty file", "", ":1:1:", "the CSV file is empty"),
    ("no id column", "name\nA\n", ":1:", "the header has no 'id' column"),
    ("a NUL byte", HEADER + "a,A\0,,,,,\n", ":2:4:", "NUL byte"),
    ("an escape sequence", HEADER + "a,A\x1b[2J,,,,,\n", ":2:4:", "control character U+001B"),
    ("not UTF-8", HEADER + "a,\xe4,,,,,\n", ":2:3:", "not UTF-8 text"),
    ("a huge cell", HEADER + "a," + "x" * 200_000 + ",,,,,\n", ":2:", "invalid CSV: field larger than field limit"),
]


@pytest.mark.parametrize("data, where, message", [c[1:] for c in CSV_CASES], ids=[c[0] for c in CSV_CASES])
def test_bad_csv(run, source, data, where, message):
    if isinstance(data, str) and "\xe4" in data:
        data = data.encode("latin-1")
    path = source("t.csv", data)
    assert_bad_input(run("import", "csv", path), path + where, message)


def test_utf16_csv(run, source):
    path = source("t.csv", codecs.BOM_UTF16_LE + (HEADER + "a,A,,,,,\n").encode("utf-16-le"))
    assert_bad_input(run("import", "csv", path), path + ":1:1:", "UTF-16")


def test_formula_looking_text_cells_are_kept_as_text(run, source, tmp_path):
    path = source("t.csv", HEADER + "a,=HYPERLINK(\"http://x\"),\"@SUM(A1), -2+3\",,,,\n")
    out = tmp_path / "inv.yaml"
    result = run("import", "csv", path, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    feature = yaml.safe_load(out.read_text())["features"][0]
    assert feature["name"] == '=HYPERLINK("http://x")'
    assert feature["description"] == "@SUM(A1), -2+3"
    assert "current" not in feature
    assert run("validate", str(out)).exit_code == 0


PRICING = """\
saasName: Tool
features:
  chat: {valueType: BOOLEAN, defaultValue: false}
  export: {valueType: BOOLEAN, defaultValue: false}
usageLimits:
  messages: {valueType: NUMERIC, defaultValue: 10, linkedFeatures: [chat]}
plans:
  FREE: {price: 0, features: {chat: {value: true}}}
  PRO:
    price: 9
    features: {chat: {value: true}, export: {value: true}}
    usageLimits: {messages: {value: .inf}}
"""
ADDONS = """\
addOns:
  exporter:
    price: 5
    features: {export: {value: true}}
"""

ALIAS_BOMB = "b0: &b0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"b{i}: &b{i} [{', '.join(['*b' + str(i - 1)] * 10)}]\n" for i in range(1, 7)
) + "features: *b6\n"

P2Y_CASES = [
    ("plans null without add-ons", PRICING.split("plans:")[0] + "plans: null\n", ":7:8:",
     "'plans' must be a mapping, not null"),
    ("features null", "features: null\nplans: {A: {price: 0}}\n", ":1:11:", "'features' must be a mapping, not null"),
    ("a feature that is a list", "features: {chat: [a]}\nplans: {A: {price: 0}}\n", ":1:18:",
     "feature 'chat' must be a mapping, not a list"),
    ("a list where a feature name is expected",
     PRICING.replace("linkedFeatures: [chat]", "linkedFeatures: [[chat]]"), ":6:",
     "'linkedFeatures' of usage limit 'messages' must list feature names, not a list"),
    ("a mapping where a feature name is expected",
     PRICING.replace("linkedFeatures: [chat]", "linkedFeatures: [{chat: 1}]"), ":6:",
     "must list feature names, not a mapping"),
    ("linkedFeatures as a mapping",
     PRICING.replace("linkedFeatures: [chat]", "linkedFeatures: {chat: 1}"), ":6:",
     "'linkedFeatures' must be a list of features, not a mapping"),
    ("a list where a plan name is expected",
     PRICING + ADDONS + "    availableFor: [[PRO]]\n", ":17:20:",
     "'availableFor' of add-on 'exporter' must list plan names, not a list"),
    ("availableFor as a mapping", PRICING + ADDONS + "    availableFor: {PRO: 1}\n", ":17:19:",
     "'availableFor' of add-on 'exporter' must be a list of plan names, not a mapping"),
    ("a list as a price", PRICING.replace("price: 9", "price: [9]"), ":10:12:",
     "plan 'PRO' has an invalid price: a number or text, not a list"),
    ("a mapping as a price", PRICING.replace("price: 9", "price: {usd: 9}"), ":10:12:",
     "plan 'PRO' has an invalid price: a number or text, not a mapping"),
    ("a boolean as a price", PRICING.replace("price: 9", "price: true"), ":10:12:", "not a boolean"),
    ("a 5,000-digit price", PRICING.replace("price: 9", "price: " + "9" * 5000), ":10:12:", "number too large"),
    ("a 5,000-digit price as text", PRICING.replace("price: 9", "price: '" + "9" * 5000 + "'"), ":10:12:",
     "plan 'PRO' has an invalid price"),
    ("an infinite price", PRICING.replace("price: 9", "price: .inf"), ":10:12:", "plan 'PRO' has an invalid price"),
    ("a nan price", PRICING.replace("price: 9", "price: .nan"), ":10:12:", "'.nan' (not a number)"),
    ("a negative price", PRICING.replace("price: 9", "price: -1"), ":10:12:", "invalid price"),
    ("an unknown feature in a plan", PRICING.replace("export: {value: true}}", "exprt: {value: true}}"),
     ":11:37:", "unknown feature 'exprt' in plan 'PRO' (did you mean 'export'?)"),
    ("a plan without a value", PRICING.replace("{chat: {value: true}}}", "{chat: {}}}"),
     ":8:31:", "'chat' in plan 'FREE' has no 'value'"),
    ("a top-level list", "- a\n", ":1:1:", "a Pricing2Yaml pricing must be a mapping, not a list"),
    ("an alias bomb", ALIAS_BOMB, ":", "YAML aliases expand this document"),
]


@pytest.mark.parametrize("text, where, message", [c[1:] for c in P2Y_CASES], ids=[c[0] for c in P2Y_CASES])
def test_bad_pricing2yaml(run, source, text, where, message):
    path = source("p.yml", text)
    assert_bad_input(run("import", "pricing2yaml", path), path + where, message)


def imported(run, source, tmp_path, text: str) -> dict:
    path = source("p.yml", text)
    out = tmp_path / "inv.yaml"
    result = run("import", "pricing2yaml", path, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert run("validate", str(out)).exit_code == 0
    return yaml.safe_load(out.read_text())


@pytest.mark.parametrize("plans", ["plans: null\n", "plans: {}\n", ""])
def test_a_product_sold_only_through_add_ons_imports(run, source, tmp_path, plans):
    text = PRICING.split("plans:")[0].replace("usageLimits:\n  messages: {valueType: NUMERIC, defaultValue: 10, linkedFeatures: [chat]}\n", "")
    inventory = imported(run, source, tmp_path, text + plans + ADDONS)
    assert inventory["product"]["tiers"] == ["free"]
    assert inventory["product"]["model"] == "paid-only"
    assert [f.get("addon", False) for f in inventory["features"]] == [False, True]


@pytest.mark.parametrize("section", ["usageLimits", "addOns"])
def test_null_optional_sections_import(run, source, tmp_path, section):
    text = PRICING if section == "addOns" else PRICING.replace(
        "usageLimits:\n  messages: {valueType: NUMERIC, defaultValue: 10, linkedFeatures: [chat]}\n", ""
    ).replace("    usageLimits: {messages: {value: .inf}}\n", "")
    inventory = imported(run, source, tmp_path, text + f"{section}: null\n")
    assert [f["id"] for f in inventory["features"]] == ["chat", "export"]


def test_an_unlimited_usage_limit_is_fine(run, source, tmp_path):
    inventory = imported(run, source, tmp_path, PRICING)
    assert inventory["features"][0]["limit"] == {"metric": "messages", "free": 10}


def test_too_many_csv_rows(run, source):
    from freemium_advisor.base.limits import MAX_IMPORTED_FEATURES as most

    path = source("t.csv", "id,name\n" + "".join(f"f{i},F\n" for i in range(most + 1)))
    assert_bad_input(run("import", "csv", path), path + f":{most + 2}:1:", f"more than {most:,} features to import")


def test_too_many_pricing2yaml_features(run, source):
    from freemium_advisor.base.limits import MAX_IMPORTED_FEATURES as most

    features = "".join(f"  f{i}: {{}}\n" for i in range(most + 1))
    path = source("p.yml", "features:\n" + features + "plans: {FREE: {price: 0}}\n")
    assert_bad_input(run("import", "pricing2yaml", path), path + ":2:3:", f"more than {most:,} features to import")
