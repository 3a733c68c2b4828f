"""User packs go through the same loader: add rules, override fields, disable by id; every
mistake in a pack is a located error."""

from __future__ import annotations

import pytest

from freemium_advisor.engine.analysis import analyze
from freemium_advisor.engine.rule_engine import inference_order
from freemium_advisor.base.errors import InputError
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.model.signals import SIGNAL_BY_NAME
from tests.conftest import EXAMPLES

# Neutral words of more than one word (a bare one-word name is a core object), so that no
# inference rule fires and only the packs under test matter.
INVENTORY = """\
product: {name: Boardly}
features:
  - id: share
    name: Alpha one
    signals: {virality: high}
  - id: webhooks
    name: Beta two
    description: Calls your endpoint on every change.
"""


def advice(packs=()):
    analysis = analyze(parse_inventory(INVENTORY, "f.yaml"), load_ruleset(packs))
    return {a.feature.id: (a.recommendation, a.score) for a in analysis.assessments}


def test_builtin_baseline():
    assert advice() == {"share": ("free", 2.5), "webhooks": ("gated", -0.5)}


# A pack of one rule of its own, as a team would write it.
WEBHOOK_PACK = """
        rules:
          - id: developer-hooks
            criterion: production
            title: Webhooks are for production integrations
            when: "'endpoint' in feature.text | lower"
            direction: gated
            weight: 2
            message: "{{ feature.name }} is wired into production systems."
            source: {principle: Our own pricing principle}
    """


def test_a_pack_adds_a_rule(write):
    pack = write("pack.yaml", WEBHOOK_PACK)
    assert advice([pack])["webhooks"] == ("gated", -2.5)
    ruleset = load_ruleset([pack])
    assert ruleset.get("developer-hooks").origin == f"{pack}:2:5"


def test_a_pack_overrides_a_weight_and_disables_a_rule(write):
    pack = write("pack.yaml", """
        override:
          virality-high: {weight: 5}
        disable: [needs-strategic-reason]
    """)
    assert advice([pack]) == {"share": ("free", 5.0), "webhooks": ("gated", 0.0)}
    assert "needs-strategic-reason" in load_ruleset([pack]).disabled


def test_a_pack_folder_is_walked_in_name_order(tmp_path):
    folder = tmp_path / "packs"
    (folder / "b").mkdir(parents=True)
    (folder / "a.yaml").write_text("override:\n  virality-high: {weight: 4}\n")
    (folder / "b" / "c.yml").write_text("override:\n  virality-high: {weight: 6}\n")
    assert load_ruleset([str(folder)]).get("virality-high").weight == 6


def test_policy_can_be_changed(write):
    pack = write("pack.yaml", "policy:\n  min_growth_for_wall: 10\n")
    assert load_ruleset([pack]).policy.min_growth_for_wall == 10


PACK_ERRORS = [
    (
        "policy:\n  confidence_labels: {sure: 0.9}\n",
        "2:23: error: unknown confidence label 'sure'; expected high, medium or low",
    ),
    ("policy:\n  confidence_labels: {high: 1.5}\n", "2:29: error: an accuracy must be a number from 0 to 1"),
    (
        "policy:\n  confidence_bands: [{advice: free, net_reasons: 1}]\n",
        "2:22: error: a confidence band needs exactly advice, net_reasons, accuracy",
    ),
    (
        "policy:\n  confidence_bands: [{advice: maybe, net_reasons: 1, accuracy: 0.8}]\n",
        "2:31: error: a band's advice is free or gated",
    ),
    (
        "policy:\n  confidence_bands: [{advice: free, net_reasons: 1.5, accuracy: 0.8}]\n",
        "2:50: error: a band's 'net_reasons' is a whole number",
    ),
    (
        "rules:\n  - id: virality-high\n    criterion: virality\n",
        "2:9: error: duplicate rule id 'virality-high' (first defined at {builtin}); use "
        "'override' to change it",
    ),
    (
        "override:\n  virality-hihg: {weight: 4}\n",
        "2:3: error: no rule 'virality-hihg' to change (did you mean 'virality-high'?)",
    ),
    (
        "disable: [aha-hihg]\n",
        "1:11: error: no rule 'aha-hihg' to change (did you mean 'aha-high'?)",
    ),
    (
        "override:\n  virality-high: {wieght: 4}\n",
        "2:19: error: rule 'virality-high': unknown key 'wieght' for a score rule "
        "(did you mean 'weight'?)",
    ),
    (
        "override:\n  infer-enterprise-identity: {weight: 4}\n",
        "2:31: error: rule 'infer-enterprise-identity': unknown key 'weight' for an infer rule",
    ),
    (
        "override:\n  virality-high: {weight: heavy}\n",
        "2:27: error: rule 'virality-high': 'weight' must be a number, 0 or more",
    ),
    (
        "override:\n  virality-high: {when: signals.viraltiy >= high}\n",
        "2:25: error: rule 'virality-high': unknown signal 'viraltiy' in condition "
        "'signals.viraltiy >= high' (did you mean 'virality'?)",
    ),
    (
        "override:\n  virality-high: {when: 'signals.virality >='}\n",
        "2:25: error: rule 'virality-high': invalid condition 'signals.virality >=': "
        "a value should follow '>='",
    ),
    (
        "override:\n  virality-high: {when: __import__('os')}\n",
        "2:25: error: rule 'virality-high': name '__import__' is not allowed in condition "
        "\"__import__('os')\"; see docs/rule-language.md",
    ),
    (
        "override:\n  virality-high: {message: '{{ signal.virality }}'}\n",
        "2:28: error: rule 'virality-high': unknown name 'signal' in message (did you mean "
        "'signals'?); a message may use signals, feature or product",
    ),
    (
        "override:\n  virality-high: {direction: paid}\n",
        "2:30: error: rule 'virality-high': unknown direction 'paid'; expected free, limit "
        "or gated",
    ),
    (
        "rulez: []\n",
        "1:1: error: unknown rule pack key 'rulez' (did you mean 'rules'?); expected rules, "
        "override, disable or policy",
    ),
    (
        "rules:\n  - id: mine\n    kind: infer\n    criterion: virality\n    title: T\n"
        "    message: M\n    source: {principle: P}\n    words: [share]\n"
        "    sets: {virality: hihg}\n",
        "9:22: error: rule 'mine': unknown level 'hihg' for signal 'virality' (did you mean "
        "'high'?); expected none, low, medium or high",
    ),
    (
        "rules:\n  - id: mine\n    criterion: virality\n    message: M\n    source: {principle: P}\n"
        "    when: 'true'\n    direction: free\n    weight: 1\n",
        "2:5: error: rule 'mine': a score rule needs 'title'",
    ),
    (
        "policy:\n  min_growth: 3\n",
        "2:3: error: unknown policy key 'min_growth' (did you mean 'min_growth_for_wall'?); "
        "expected min_growth_for_wall, confidence_labels, confidence_bands, severity or "
        "type_audiences",
    ),
    (
        "policy:\n  type_audiences: {management: admins}\n",
        "2:32: error: unknown audience 'admins' for type 'management' (did you mean 'admin'?); "
        "expected user, team, admin, enterprise or null",
    ),
    (
        "policy:\n  type_audiences: [management]\n",
        "2:19: error: 'policy.type_audiences' must map feature types to an audience",
    ),
]


@pytest.mark.parametrize("text,message", PACK_ERRORS, ids=[m.split("error: ")[1][:40] for _, m in PACK_ERRORS])
def test_pack_errors_are_located(write, text, message):
    pack = write("pack.yaml", text)
    with pytest.raises(InputError) as error:
        load_ruleset([pack])
    builtin = load_ruleset().get("virality-high").origin
    assert str(error.value) == f"{pack}:" + message.format(builtin=builtin)


def test_every_problem_of_a_rule_in_one_run(write):
    pack = write("pack.yaml", """\
rules:
  - id: mine
    criterion: virality
    titel: T
    source: {principle: P, timestamp: 1:02, seed: [a]}
    direction: paid
    weight: -1
    examples:
      fires: [{name: A, signals: {viraltiy: high}}, {product: {model: subscription}}]
      silent: {name: B}
""")
    with pytest.raises(InputError) as error:
        load_ruleset([pack])
    assert str(error.value).replace(f"{pack}:", "").splitlines() == [
        "2:5: error: rule 'mine': a score rule needs 'title'",
        "2:5: error: rule 'mine': a score rule needs 'message'",
        "2:5: error: rule 'mine': a score rule needs 'when'",
        "4:5: error: rule 'mine': unknown key 'titel' for a score rule (did you mean 'title'?)",
        "5:39: error: rule 'mine': source timestamp 62 must look like '00:51:09' (quote it)",
        "5:51: error: rule 'mine': source seed must be text, not a list",
        "6:16: error: rule 'mine': unknown direction 'paid'; expected free, limit or gated",
        "7:13: error: rule 'mine': 'weight' must be a number, 0 or more",
        "9:35: error: rule 'mine': unknown signal 'viraltiy' (did you mean 'virality'?)",
        "9:71: error: rule 'mine': unknown model 'subscription'; expected freemium, trial, "
        "reverse-trial or paid-only",
        "10:15: error: rule 'mine': 'examples.silent' must be a list of features, not a mapping",
    ]


def test_a_rule_id_of_ten_thousand_characters_is_refused(write):
    pack = write("pack.yaml", f"rules:\n  - id: {'a' * 10_000}\n    criterion: virality\n")
    with pytest.raises(InputError) as error:
        load_ruleset([pack])
    assert str(error.value) == f"{pack}:2:9: error: a rule id has at most 100 characters, not 10,000"


def test_a_rule_example_naming_an_unknown_signal_is_refused_when_the_pack_loads(run, write):
    pack = write("pack.yaml", """\
override:
  virality-high:
    examples:
      fires: [{name: Invite guests, signals: {virality: high}}]
      silent: [{name: Export, signals: {viraltiy: none}}]
""")
    for command in (("rules", "test"), ("rules", "list"), ("analyze", str(EXAMPLES / "whiteboard.yaml"))):
        result = run(*command, "-r", pack)
        assert (result.exit_code, result.stdout) == (2, ""), command
        assert result.stderr == (f"{pack}:5:41: error: rule 'virality-high': unknown signal 'viraltiy' "
                                 "(did you mean 'virality'?)\n")


def test_a_sandboxed_condition_cannot_reach_python(write):
    pack = write("pack.yaml", """
        override:
          virality-high: {when: "feature.name.__class__.__mro__"}
    """)
    with pytest.raises(InputError) as error:
        load_ruleset([pack])
    assert "rule 'virality-high': attribute '__class__' is not allowed" in str(error.value)


def test_every_broken_rule_of_a_pack_is_reported_in_one_run(run, write):
    pack = write("pack.yaml", """\
        rules:
          - id: first
            criterion: viralty
            title: A
            when: "true"
            direction: free
            weight: 1
            message: m
            source: {principle: P}
          - id: second
            criterion: virality
            title: B
            when: signals.viraltiy
            direction: free
            weight: 1
            message: m
            source: {principle: P}
        disable: [no-such-rule]
        """)
    result = run("rules", "list", "-r", pack)
    assert result.exit_code == 2
    assert [line.split(": error: ")[0] for line in result.stderr.splitlines()] == [
        f"{pack}:18:11", f"{pack}:3:16", f"{pack}:13:11",
    ]


def test_every_problem_of_a_packs_overrides_disables_and_policy_in_one_run(run, write):
    """Each override, disabled id, policy key, label, band and severity is read on its own:
    one mistake does not hide the next one in the same part of the file."""
    pack = write("pack.yaml", """\
        override:
          no-such-rule: {weight: 1}
          virality-high: {id: other, weight: 2}
        disable: [no-such-one, 7]
        policy:
          min_growth_for_walls: 1
          confidence_labels: {high: 2, medium: 0.8, lowish: 0.5}
          confidence_bands:
            - {advice: free, net_reasons: 1, accuracy: 0.9}
            - {advice: maybe, net_reasons: 1, accuracy: 0.9}
          severity: {empty-tier: loud, gated-growth-feature: off}
        """)
    result = run("rules", "list", "-r", pack)
    assert result.exit_code == 2
    assert [line.split(": error: ")[0] for line in result.stderr.splitlines()] == [
        f"{pack}:2:3", f"{pack}:3:19", f"{pack}:4:11", f"{pack}:4:24", f"{pack}:6:3",
        f"{pack}:7:29", f"{pack}:7:45", f"{pack}:10:16", f"{pack}:11:26",
    ]
    assert "unknown severity 'loud'" in result.stderr


def test_a_packs_audience_words_reach_the_built_in_rules_that_read_the_audience(write):
    """Sharing is viral unless the words name another audience: a pack that names one (loaded
    after the built-ins) is read before the built-in sharing rule, which reads the audience."""
    pack = write("pack.yaml", """
        rules:
          - id: infer-partner-portals
            kind: infer
            criterion: audience
            title: Partner portals are for the channel team
            words: [partner portal]
            sets: {audience: enterprise}
            message: "{{ words }}: partners are managed by the enterprise's channel team."
            source: {principle: Our own pricing principle}
            examples:
              fires: [{name: Partner portal}]
              silent: [{name: Board}]
    """)
    inventory = parse_inventory(
        "product: {name: Boardly}\nfeatures:\n  - {id: p, name: Share partner portal pages}\n", "f.yaml",
    )
    builtin = analyze(inventory, load_ruleset()).assessments[0].signals
    assert (builtin["virality"].source, builtin["audience"].source) == ("inferred", "unset")
    signals = analyze(inventory, load_ruleset([pack])).assessments[0].signals
    assert (signals["audience"].value, signals["audience"].source) == ("enterprise", "inferred")
    assert signals["virality"].source == "unset"


def test_inference_runs_a_rule_after_the_rules_that_set_what_it_reads(write):
    pack = write("pack.yaml", """
        rules:
          - id: reads-cost
            kind: infer
            criterion: data_value
            title: Reads the cost
            words: [widget]
            when: signals.cost_to_serve >= high
            sets: {data_value: high}
            message: "{{ words }}."
            source: {principle: Ours}
          - id: sets-cost
            kind: infer
            criterion: cost_to_serve
            title: Sets the cost
            words: [widget]
            sets: {cost_to_serve: high}
            message: "{{ words }}."
            source: {principle: Ours}
    """)
    ruleset = load_ruleset([pack])
    order = [rule.id for rule in inference_order(ruleset.of_kind("infer"))]
    assert order.index("sets-cost") < order.index("reads-cost")
    rules = ruleset.of_kind("infer")
    for rule in rules:  # every rule after the rules that set what its condition reads
        read = {f[1] for f in (rule.when.fields if rule.when else ()) if f[0] == "signals"}
        for other in rules:
            if other is not rule and read & {name for name, _ in other.sets}:
                assert order.index(other.id) < order.index(rule.id), (other.id, rule.id)
    plain = [r.id for r in rules if r.when is None]  # rules that read no signal: load order
    assert [i for i in order if i in plain] == plain
    assert advice_for(ruleset, "Widget")["data_value"] == ("high", "inferred")


def advice_for(ruleset, name: str) -> dict:
    """Each signal of a one-feature inventory, as messages show it, and its source."""
    inventory = parse_inventory(f"product: {{name: Boardly}}\nfeatures:\n  - {{id: x, name: {name}}}\n", "f.yaml")
    signals = analyze(inventory, ruleset).assessments[0].signals
    return {n: (SIGNAL_BY_NAME[n].display(s.value), s.source) for n, s in signals.items()}


def test_a_pack_is_compiled_once_until_its_text_changes(write):
    """A process that loads the same pack again (the interview after each answer) gets the
    rule set compiled the first time; an edited file is read afresh; a broken pack is never
    kept, so its errors come every time."""
    text = WEBHOOK_PACK
    pack = write("pack.yaml", text)
    first = load_ruleset([pack])
    assert load_ruleset([pack]) is first
    assert load_ruleset() is load_ruleset() and load_ruleset() is not first
    write("pack.yaml", text.replace("weight: 2", "weight: 3"))
    edited = load_ruleset([pack])
    assert edited is not first and edited.get("developer-hooks").weight == 3
    write("pack.yaml", text.replace("weight: 2", "weight: many"))
    for _ in range(2):
        with pytest.raises(InputError):
            load_ruleset([pack])
