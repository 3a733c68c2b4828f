"""Validation is strict and kind: every mistake is one line naming file, line and column."""

from __future__ import annotations

import pytest

from freemium_advisor.base.errors import InputError
from freemium_advisor.reading.inventory_reader import parse_inventory

HEADER = """\
version: 1
product:
  name: Boardly
  tiers: [free, pro, business, enterprise]
features:
"""

CASES = [
    # (inventory text after HEADER, expected message after "file:")
    (
        "  - id: share\n    name: Share\n    signals:\n      viraltiy: high\n",
        "9:7: error: unknown signal 'viraltiy' (did you mean 'virality'?)",
    ),
    (
        "  - id: share\n    name: Share\n    signals:\n      virality: hihg\n",
        "9:17: error: unknown level 'hihg' for signal 'virality' (did you mean 'high'?); "
        "expected none, low, medium or high (or true/false)",
    ),
    (
        "  - id: share\n    nmae: Share\n",
        "7:5: error: unknown feature key 'nmae' (did you mean 'name'?); expected id, name, "
        "description, category, current, addon, limit, metered, signals or waive",
    ),
    (
        "  - id: share\n    name: Share\n    current: premium\n",
        "8:14: error: unknown tier 'premium' in 'current'; the tiers are free, pro, business "
        "or enterprise",
    ),
    (
        "  - id: share\n    name: Share\n    current: prro\n",
        "8:14: error: unknown tier 'prro' in 'current' (did you mean 'pro'?); the tiers are "
        "free, pro, business or enterprise",
    ),
    (
        "  - id: share\n    name: Share\n  - id: share\n    name: Again\n",
        "8:9: error: duplicate feature id 'share' (first used on line 6)",
    ),
    (
        "  - id: share\n    name: Share\n    name: Again\n",
        "8:5: error: duplicate key 'name' (first defined on line 7)",
    ),
    (
        "  - id: share\n",
        "6:5: error: feature is missing 'name'",
    ),
    (
        "  - id: share\n    name: Share\n    signals:\n      audience: buyer\n",
        "9:17: error: unknown audience 'buyer' (did you mean 'user'?); expected user, team, admin or enterprise",
    ),
    (
        "  - id: share\n    name: Share\n    signals:\n      production: 3\n",
        "9:19: error: 'production' must be true or false, not a number",
    ),
    (
        "  - id: share\n    name: [Share]\n",
        "7:11: error: 'name' must be text, not a list",
    ),
    (
        "  - id: 'share it'\n    name: Share\n",
        "6:9: error: invalid feature id 'share it': use letters, digits and - _ . & / % +, "
        "starting with a letter or digit",
    ),
    (
        "  - id: share\n    name: Share\n    limit: {metric: boards, free: -1}\n",
        "8:35: error: 'free' must be a number, 0 or more",
    ),
    (
        "  - id: share\n    name: Share\n    signals: {virality: high\n",
        # libyaml and PyYAML's pure-Python parser word the problem differently.
        "9:1: error: invalid YAML: ...",
    ),
]


@pytest.mark.parametrize("body,message", CASES, ids=[m.split("error: ")[1][:40] for _, m in CASES])
def test_validation_errors_through_the_cli(run, write, body, message):
    path = write("features.yaml", HEADER + body)
    result = run("analyze", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    if message.endswith("..."):
        assert result.stderr.startswith(f"{path}:{message[:-3]}")
        assert result.stderr.count("\n") == 1
    else:
        assert result.stderr == f"{path}:{message}\n"


def test_product_errors():
    with pytest.raises(InputError) as error:
        parse_inventory("product:\n  name: X\n  model: freemum\nfeatures: []\n", "f.yaml")
    assert str(error.value) == (
        "f.yaml:3:10: error: unknown model 'freemum' (did you mean 'freemium'?); expected "
        "freemium, trial, reverse-trial or paid-only"
    )
    with pytest.raises(InputError) as error:
        parse_inventory("product:\n  name: X\n  trial_days: 14\nfeatures: []\n", "f.yaml")
    assert str(error.value) == (
        "f.yaml:3:3: error: 'trial_days' only applies to the trial and reverse-trial models, "
        "not freemium"
    )
    with pytest.raises(InputError) as error:
        parse_inventory("product:\n  name: X\n  tiers: [free, pro, free]\nfeatures: []\n", "f.yaml")
    assert str(error.value) == "f.yaml:3:22: error: duplicate tier 'free'"
    with pytest.raises(InputError) as error:
        parse_inventory("prodcut:\n  name: X\nfeatures: []\n", "f.yaml")
    assert str(error.value) == (
        "f.yaml:1:1: error: unknown top-level key 'prodcut' (did you mean 'product'?); "
        "expected version, product or features"
    )


def test_empty_and_non_mapping_documents():
    with pytest.raises(InputError, match=r"^f.yaml:1:1: error: the inventory is empty$"):
        parse_inventory("", "f.yaml")
    with pytest.raises(InputError) as error:
        parse_inventory("- a\n- b\n", "f.yaml")
    assert str(error.value) == "f.yaml:1:1: error: the inventory must be a mapping, not a list"


def test_levels_accept_booleans_and_empty_answers():
    inventory = parse_inventory(
        HEADER + "  - id: a\n    name: A\n    signals:\n      virality: true\n"
        "      aha: false\n      habit:\n",
        "f.yaml",
    )
    assert inventory.features[0].signals == {"virality": 3, "aha": 0}


def test_defaults_and_positions():
    inventory = parse_inventory(
        "product:\n  name: X\nfeatures:\n  - id: a\n    name: A\n    current: pro\n", "f.yaml"
    )
    product = inventory.product
    assert product.model == "freemium"
    assert product.collaborative is False
    assert [(t.name, t.audience) for t in product.tiers] == [
        ("free", "user"), ("pro", "user"), ("business", "admin"), ("enterprise", "enterprise"),
    ]
    feature = inventory.features[0]
    assert (feature.line, feature.column) == (4, 5)
    assert feature.position("current") == (6, 5)
    assert feature.position("signals.virality") == (4, 5)


def test_tier_audiences_from_names_and_declarations():
    inventory = parse_inventory(
        "product:\n  name: X\n  tiers: [free, personal, teams, {name: max, audience: admin},"
        " corporate]\nfeatures: []\n",
        "f.yaml",
    )
    assert [(t.name, t.audience) for t in inventory.product.tiers] == [
        ("free", "user"), ("personal", "user"), ("teams", "team"), ("max", "admin"),
        ("corporate", "enterprise"),
    ]


def test_unreadable_files(run, tmp_path):
    result = run("analyze", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'missing.yaml'}: error: no such file\n"
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"product:\n  name: Caf\xe9\n")
    result = run("analyze", str(bad))
    assert result.exit_code == 2
    assert result.stderr == f"{bad}:2:12: error: not UTF-8 text (byte 0xe9)\n"
    result = run("analyze", str(tmp_path))
    assert result.stderr == f"{tmp_path}: error: is a directory, not a file\n"


@pytest.mark.parametrize("names,expected", [
    (["free"], ["user"]),
    (["free", "pro"], ["user", "enterprise"]),
    (["free", "pro", "max"], ["user", "team", "enterprise"]),
    (["free", "pro", "business", "max"], ["user", "user", "admin", "enterprise"]),
    (["free", "a", "b", "c", "d"], ["user", "user", "user", "admin", "enterprise"]),
    (["free", "a", "b", "c", "d", "e"], ["user", "user", "user", "team", "admin", "enterprise"]),
    # A hint counts once, on the last tier carrying it: the cheap "Dev enterprise" seat
    # below the real Enterprise plan keeps its position.
    (["free", "pro", "dev enterprise", "org", "enterprise"],
     ["user", "user", "user", "admin", "enterprise"]),
    # The tier named for the enterprise tops the ladder; plans above it serve the enterprise.
    (["free", "team", "business", "enterprise", "pinnacle"],
     ["user", "team", "admin", "enterprise", "enterprise"]),
    # A plan below one named for teams is sold to no bigger buyer than teams.
    (["free", "personal", "professional", "teams"], ["user", "user", "team", "team"]),
])
def test_default_tier_audiences(names, expected):
    from freemium_advisor.model.inventory import default_tier_audiences

    assert default_tier_audiences(names) == expected


def test_validate_lists_every_problem_in_one_run(run, write):
    path = write("features.yaml", """\
        version: 1
        product:
          name: Boardly
          model: freemum
          tiers: [free, pro]
        features:
          - id: share
            name: Share
            current: prro
            signals: {viraltiy: high, aha: hihg}
          - id: share
            nmae: Again
          - id: sso
            name: SSO
            addon: maybe
          - id: export
        """)
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:4:10: error: unknown model 'freemum' (did you mean 'freemium'?); "
        "expected freemium, trial, reverse-trial or paid-only",
        f"{path}:9:14: error: unknown tier 'prro' in 'current' (did you mean 'pro'?); "
        "the tiers are free or pro",
        f"{path}:10:15: error: unknown signal 'viraltiy' (did you mean 'virality'?)",
        f"{path}:10:36: error: unknown level 'hihg' for signal 'aha' (did you mean 'high'?); "
        "expected none, low, medium or high (or true/false)",
        f"{path}:12:5: error: unknown feature key 'nmae' (did you mean 'name'?); expected id, "
        "name, description, category, current, addon, limit, metered, signals or waive",
        f"{path}:15:12: error: 'addon' must be true or false, not 'maybe'",
        f"{path}:16:5: error: feature is missing 'name'",
    ]


def test_a_text_only_feature_knows_where_each_key_is():
    """The short way of reading a plain feature (positions worked out on first use) gives the
    same feature and positions as the key-by-key way."""
    text = ("product:\n  name: X\nfeatures:\n  - id: a\n    name: A\n    description: D\n"
            "  - id: b\n    name: B\n    category: c\n    addon: false\n")
    plain, checked = parse_inventory(text, "f.yaml").features
    assert (plain.id, plain.name, plain.description, plain.category, plain.addon) == ("a", "A", "D", "", False)
    assert (plain.line, plain.column) == (4, 5)
    assert dict(plain.positions) == {"": (4, 5), "id": (4, 5), "name": (5, 5), "description": (6, 5)}
    assert plain.position("description") == (6, 5)
    assert plain.position("current") == (4, 5)
    assert dict(checked.positions)["addon"] == (10, 5)


@pytest.mark.parametrize("free,error", [
    ("1e3", None),
    ("1E3", None),
    ("2.5e-1", None),
    ("1000", None),
    ("-1e3", "'free' must be a number, 0 or more"),
    ("1e400", "'free' must be a finite number, 0 or more"),
    ("-1e400", "'free' must be a finite number, 0 or more"),
    ('"1e3"', "'free' must be a number, 0 or more"),
])
def test_the_schema_and_the_loader_agree_on_numbers(free, error):
    import json

    import jsonschema

    from freemium_advisor.reading.schema import inventory_schema

    text = ('{"version": 1, "product": {"name": "J", "model": "trial", "trial_days": 1.4e1}, '
            f'"features": [{{"id": "a", "name": "A", "limit": {{"metric": "x", "free": {free}}}}}]}}')
    schema_errors = list(jsonschema.Draft202012Validator(inventory_schema()).iter_errors(json.loads(text)))
    if error is None:
        inventory = parse_inventory(text, "j.json")
        assert schema_errors == []
        assert inventory.features[0].limit.free == json.loads(free)
        assert inventory.product.trial_days == 14
    else:
        with pytest.raises(InputError) as raised:
            parse_inventory(text, "j.json")
        assert str(raised.value) == f"j.json:1:{text.index(free) + 1}: error: {error}"
        assert [e.json_path for e in schema_errors] == ["$.features[0].limit.free"]


@pytest.mark.parametrize("free", [".inf", "-.inf", "1.0e+400"])
def test_an_infinite_yaml_number_is_not_finite(free):
    text = f"version: 1\nproduct: {{name: J}}\nfeatures:\n  - {{id: a, name: A, limit: {{metric: x, free: {free}}}}}\n"
    with pytest.raises(InputError) as raised:
        parse_inventory(text, "j.yaml")
    assert str(raised.value) == "j.yaml:4:47: error: 'free' must be a finite number, 0 or more"


def test_reading_pauses_the_garbage_collector_and_restores_it():
    """A large inventory is read with the cyclic collector paused (it would rescan every new
    feature again and again), and the caller gets it back as it was: running or not."""
    import gc

    features = "".join(
        f"  - {{id: f{i}, name: Feature {i}, current: pro, signals: {{aha: high}}}}\n" for i in range(3000)
    )
    text = HEADER + features
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        assert gc.isenabled()
        assert len(parse_inventory(text, "big.yaml").features) == 3000
        assert gc.isenabled()
        gc.disable()
        parse_inventory(text, "big.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)
    # The one collection each pause may end with (what was allocated meanwhile is then due).
    assert len(collections) <= 2
