"""The result declared once: the JSON, its schema and its documentation come from the shapes
on the result types; the JSON text is what ``json.dumps(indent=2)`` writes but for one
documented number form."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace

import jsonschema

from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.formats import RenderOptions, formatter
from freemium_advisor.result import Analysis, Assessment, analysis_to_dict
from freemium_advisor.result.schema import result_schema
from freemium_advisor.result.shape import NUMBER, TEXT, Out, Shape, schema_of
from tests.conftest import EXAMPLES

WHITEBOARD = str(EXAMPLES / "whiteboard.yaml")


def test_the_json_text_is_what_json_dumps_writes():
    text = formatter("analyze", "json")(analyze_file(WHITEBOARD), RenderOptions())
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_a_tiny_weight_is_written_in_orjsons_exponent_form(write):
    pack = write("pack.yaml", "override:\n  virality-high: {weight: 1.5e-7}\n")
    inventory = write("tiny.yaml", """\
        version: 1
        product: {name: Tiny}
        features:
          - {id: share, name: Share, signals: {virality: high}}
        """)
    text = formatter("analyze", "json")(analyze_file(inventory, [pack]), RenderOptions())
    assert '"weight": 1.5e-7,' in text  # json.dumps writes 1.5e-07
    document = json.loads(text)
    weights = {r["rule"]: r["weight"] for r in document["features"][0]["reasons"]}
    assert weights["virality-high"] == 1.5e-7
    expected = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert text == expected.replace('"weight": 1.5e-07,', '"weight": 1.5e-7,')


def test_repeated_features_share_their_advice_and_keep_their_own_place(write):
    inventory = write("twice.yaml", """\
        version: 1
        product: {name: Twice, tiers: [free, pro]}
        features:
          - {id: a, name: Share boards, current: free}
          - {id: b, name: Share boards, current: free}
        """)
    analysis = analyze_file(inventory)
    first, second = analysis.assessments
    assert first.signals is second.signals  # the engine's memo: one assessment's parts
    # A feature with other text, given the first one's parts, must still show its own.
    other = replace(first.feature, id="c", name="Other name", current="pro", line=9, column=3)
    analysis = replace(analysis, assessments=(first, second, replace(first, feature=other)))
    features = analysis_to_dict(analysis)["features"]
    assert [(f["id"], f["name"], f["current"], f["position"]) for f in features] == [
        ("a", "Share boards", "free", {"line": 4, "column": 5}),
        ("b", "Share boards", "free", {"line": 5, "column": 5}),
        ("c", "Other name", "pro", {"line": 9, "column": 3}),
    ]
    assert features[0]["reasons"] == features[1]["reasons"] == features[2]["reasons"]


def test_the_streamed_json_is_the_dicts_of_the_declarations():
    analysis = analyze_file(WHITEBOARD)
    text = formatter("analyze", "json")(analysis, RenderOptions())
    assert json.loads(text) == analysis_to_dict(analysis)
    assert list(json.loads(text)) == [f.key for f in Analysis.JSON.fields]
    assert list(json.loads(text)["features"][0]) == [f.key for f in Assessment.JSON.fields]


def test_a_declared_field_is_in_the_dict_the_schema_and_its_description():
    point = Shape(
        "a point",
        Out("x", NUMBER, "across"),
        Out("label", TEXT, "what it is called", lambda p: p.name.title()),
    )
    assert point.to_json(SimpleNamespace(x=1.5, name="origin")) == {"x": 1.5, "label": "Origin"}
    assert schema_of(point) == {
        "description": "a point", "type": "object", "additionalProperties": False,
        "required": ["x", "label"],
        "properties": {
            "x": {"description": "across", "type": "number"},
            "label": {"description": "what it is called", "type": "string"},
        },
    }


def test_every_field_of_the_result_schema_says_what_it_means():
    def undescribed(schema, path):
        if not isinstance(schema, dict):
            return []
        properties = list(schema.get("properties", {}).items())
        # An object with a fixed list of keys of one kind (criteria, signals, the summary)
        # is described once, where it is a field.
        keyed = len(properties) > 1 and all(child == properties[0][1] for _, child in properties)
        found = [] if keyed else [f"{path}.{key}" for key, child in properties if not child.get("description")]
        for key, child in schema.items():
            if isinstance(child, dict):
                found += undescribed(child, f"{path}.{key}")
            elif isinstance(child, list):
                found += [p for item in child for p in undescribed(item, f"{path}.{key}[]")]
        return found

    schema = result_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert undescribed(schema, "") == []


def test_an_unknown_confidence_has_no_number(run, write):
    """A label with no measured band shows no number: null, never 0.0 ("0% right")."""
    path = write("features.yaml", (
        "version: 1\nproduct: {name: Acme, tiers: [free, pro]}\nfeatures:\n"
        "  - {id: zorblax, name: Zorblax, current: pro}\n"
        "  - {id: sso, name: SAML single sign-on, signals: {audience: enterprise}}\n"
    ))
    result = run("analyze", path, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, result_schema())  # which allows null (it said number)
    by_id = {f["id"]: f for f in data["features"]}
    assert (by_id["zorblax"]["confidence"], by_id["zorblax"]["confidence_label"]) == (None, "unknown")
    assert by_id["sso"]["confidence_label"] != "unknown"
    assert 0.65 <= by_id["sso"]["confidence"] <= 1
    explained = json.loads(run("explain", path, "zorblax", "-f", "json").stdout)
    assert (explained["confidence"], explained["confidence_label"]) == (None, "unknown")
