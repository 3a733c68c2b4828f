"""Properties of the engine over generated inventories (hypothesis).

Generated inventories never crash the engine; there is exactly one recommendation per
feature, in input order; an explicit answer beats inferred evidence; adding a growth signal
never moves a feature towards gating, and adding a friction signal never towards free.
"""

from __future__ import annotations

from functools import lru_cache

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
