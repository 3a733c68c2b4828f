"""Properties of the engine over generated inventories (hypothesis).

Generated inventories never crash the engine; there is exactly one recommendation per
feature, in input order; an explicit answer beats inferred evidence; adding a growth signal
never moves a feature towards gating, and adding a friction signal never towards free.

And the bad-input classes of the gate: any text escaped for any output holds no control or
bidirectional character and no line break it did not mean (JSON gives it back); a generated
inventory in block, flow or JSON style is found in a checked folder; a waiver date is
accepted exactly when it is ``YYYY-MM-DD`` and a real date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.escaping import (
    document, json_document, json_document_bytes, markdown_escape, text_line, workflow_data,
    workflow_property,
)
from freemium_advisor.engine.gate import discover
from freemium_advisor.engine.rule_engine import EXPLICIT, Engine, evaluate
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.model.signals import AUDIENCE, AUDIENCES, FLAG, LEVELS, MODELS, SIGNALS

ORDER = {"free": 0, "free-limited": 1, "gated": 2}  # towards gating
GROWTH = ("virality", "aha", "habit", "commoditized", "data_value", "landing")
FRICTION = ("friction", "cost_to_serve", "production")
# Words the inference rules read, so that generated features get inferred signals too.
WORDS = (
    "share", "invite", "guest", "SSO", "SAML", "audit log", "AI", "storage", "export",
    "dashboard", "API", "template", "board", "comment", "admin", "SCIM", "backup", "report",
    "analytics", "integration", "Slack", "custom domain", "webhook", "history", "team",
    "whiteboard", "editor", "mobile app", "priority support", "uptime SLA", "GB", "runs",
    "credits", "onboarding", "search", "import", "sync", "permissions", "roles", "branding",
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=1)
def engine() -> Engine:
    return Engine(load_ruleset())


def signal_values(spec):
    if spec.kind == FLAG:
        return st.booleans()
    if spec.kind == AUDIENCE:
        return st.sampled_from(AUDIENCES)
    return st.one_of(st.sampled_from(LEVELS), st.booleans())


signals = st.fixed_dictionaries({}, optional={spec.name: signal_values(spec) for spec in SIGNALS})
text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


@st.composite
def inventories(draw) -> dict:
    tiers = draw(st.lists(st.sampled_from(
        ["free", "starter", "pro", "team", "business", "enterprise", "max"]
    ), min_size=1, max_size=5, unique=True))
    model = draw(st.sampled_from(MODELS))
    product = {"name": draw(text), "tiers": tiers, "model": model,
               "collaborative": draw(st.booleans())}
    if model in ("trial", "reverse-trial") and draw(st.booleans()):
        product["trial_days"] = draw(st.integers(1, 60))
    features = []
    for index in range(draw(st.integers(0, 8))):
        feature = {"id": f"f{index}", "name": draw(text)}
        if draw(st.booleans()):
            feature["description"] = draw(text)
        if draw(st.booleans()):
            feature["category"] = draw(text)
        if draw(st.booleans()):
            feature["current"] = draw(st.sampled_from(tiers))
        if draw(st.booleans()):
            feature["limit"] = {"metric": draw(text), "free": draw(st.integers(0, 1000))}
        feature["signals"] = draw(signals)
        features.append(feature)
    draw(st.randoms()).shuffle(features)  # ids out of order: order must follow the file
    return {"version": 1, "product": product, "features": features}


def parsed(data: dict):
    return parse_inventory(yaml.safe_dump(data, sort_keys=False), "generated.yaml")


@SETTINGS
@given(inventories())
def test_one_recommendation_per_feature_in_input_order(data):
    inventory = parsed(data)
    assessments = evaluate(inventory, engine().ruleset)
    assert [a.feature.id for a in assessments] == [f["id"] for f in data["features"]]
    for assessment in assessments:
        assert assessment.recommendation in ORDER
        assert 0.0 <= assessment.confidence <= 1.0


@SETTINGS
@given(inventories())
def test_an_explicit_answer_beats_inferred_evidence(data):
    inventory = parsed(data)
    for feature, assessment in zip(inventory.features, evaluate(inventory, engine().ruleset)):
        for name, value in feature.signals.items():
            assert assessment.signals[name].value == value
            assert assessment.signals[name].source == EXPLICIT
            assert assessment.signals[name].evidence == ()


def strongest(name: str):
    spec = next(s for s in SIGNALS if s.name == name)
    return True if spec.kind == FLAG else "high"


def recommendation(data: dict, index: int) -> str:
    inventory = parsed(data)
    feature = inventory.features[index]
    return engine().assess(feature, inventory.product).recommendation


@st.composite
def feature_and_signal(draw, names):
    data = draw(inventories().filter(lambda d: d["features"]))
    index = draw(st.integers(0, len(data["features"]) - 1))
    name = draw(st.sampled_from([n for n in names if n not in data["features"][index]["signals"]]
                                or ["-"]))
    return data, index, name


@SETTINGS
@given(feature_and_signal(GROWTH))
def test_adding_a_growth_signal_never_moves_towards_gating(case):
    data, index, name = case
    if name == "-":
        return  # every growth signal already answered
    before = recommendation(data, index)
    data["features"][index]["signals"][name] = strongest(name)
    after = recommendation(data, index)
    assert ORDER[after] <= ORDER[before], (name, before, after)


@SETTINGS
@given(feature_and_signal(FRICTION))
def test_adding_a_friction_signal_never_moves_towards_free(case):
    data, index, name = case
    if name == "-":
        return
    before = recommendation(data, index)
    data["features"][index]["signals"][name] = strongest(name)
    after = recommendation(data, index)
    assert ORDER[after] >= ORDER[before], (name, before, after)


# --- the gate's bad-input classes -----------------------------------------------------------

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
hostile_text = st.text(st.one_of(
    st.characters(), st.sampled_from(["\n", "\r", "\t", "\x1b", "\x85", "\u202e", "\u2066", ":", "%", "@", "<"]),
))


@SETTINGS
@given(hostile_text)
def test_escaped_text_holds_no_control_and_no_line_break(value):
    for escape in (text_line, workflow_data, workflow_property, markdown_escape):
        assert not UNSAFE.search(escape(value)), escape.__name__
    assert "%" not in workflow_data(value).replace("%25", "")
    assert not re.search("[:,]", workflow_property(value))
    assert not UNSAFE.search(document(value).replace("\n", "").replace("\t", "").replace("\r", ""))


@SETTINGS
@given(hostile_text)
def test_json_documents_escape_and_give_the_text_back(value):
    text = json.dumps({"name": value}, ensure_ascii=False)
    escaped = json_document(text)
    assert not UNSAFE.search(escaped)
    assert json.loads(escaped) == {"name": value}
    assert json_document_bytes(text.encode("utf-8", "surrogatepass")) == escaped.encode("utf-8", "surrogatepass")


STYLES = {
    "block.yaml": lambda data: yaml.safe_dump(data, sort_keys=False),
    "flow.yml": lambda data: yaml.safe_dump(data, sort_keys=False, default_flow_style=True),
    "json.json": lambda data: json.dumps(data, indent=2),
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories(), st.sampled_from(sorted(STYLES)))
def test_a_generated_inventory_in_any_style_is_found_in_a_folder(data, style):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / style).write_text(STYLES[style](data), encoding="utf-8")
        (Path(folder) / "other.yaml").write_text("services: {web: {image: nginx}}\n", encoding="utf-8")
        found = discover([folder])
    assert found.files == (str(Path(folder) / style),)
    assert found.skipped == ((str(Path(folder) / "other.yaml"), "no top-level 'product' and 'features'"),)


@SETTINGS
@given(st.one_of(
    st.dates().map(dt.date.isoformat),
    st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,3}", fullmatch=True),
    st.from_regex(r"[0-9]{4}-?W[0-9]{2}(-?[0-9])?", fullmatch=True),
    st.integers(), st.booleans(), st.text(max_size=12),
))
def test_a_waiver_date_is_accepted_exactly_when_it_is_yyyy_mm_dd(expires):
    text = yaml.safe_dump({
        "version": 1, "product": {"name": "P"},
        "features": [{"id": "a", "name": "A", "waive": [{"check": "no-signals-no-text", "reason": "r", "expires": expires}]}],
    })
    try:
        valid = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", expires) is not None and bool(dt.date.fromisoformat(expires))
    except (TypeError, ValueError):
        valid = False
    if valid:
        waiver = parse_inventory(text, "w.yaml").features[0].waivers[0]
        assert waiver.expires.isoformat() == expires
    else:
        with pytest.raises(InputError):
            parse_inventory(text, "w.yaml")
