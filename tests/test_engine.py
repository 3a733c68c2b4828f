"""The engine on small inventories: what it infers and from which words, which answer wins,
how weights become a decision and a tier, and what the what-if search reports."""

from __future__ import annotations

import pytest

from freemium_advisor.engine.analysis import analyze, analyze_file
from freemium_advisor.engine.decide import Decision, Weights, choose_tier, decide
from freemium_advisor.engine.rule_engine import EXPLICIT, INFERRED, UNSET, Engine, Signal
from freemium_advisor.engine.explain import explain
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.model.signals import LEVELS, SIGNAL_BY_NAME
from tests.conftest import EXAMPLES

RULESET = load_ruleset()


def analysis_of(text: str, ruleset=RULESET):
    return analyze(parse_inventory(text, "f.yaml"), ruleset)


def assessment_of(text: str, feature_id: str, ruleset=RULESET):
    return analysis_of(text, ruleset).assessment(feature_id)


def fired(assessment) -> list[str]:
    return [r.rule for r in assessment.reasons]


def product(tiers: list[str]):
    text = f"product: {{name: Acme, tiers: {tiers}}}\nfeatures: []\n"
    return parse_inventory(text, "f.yaml").product


FOUR_TIERS = ["free", "pro", "business", "enterprise"]


# --- inference versus the PM's answer --------------------------------------------------

SSO = """\
product: {name: Acme}
features:
  - id: sso
    name: SAML single sign-on
  - id: sso-user
    name: SAML single sign-on
    signals: {audience: user}
"""


def test_identity_words_infer_the_enterprise_buyer_and_gate_in_the_top_tier():
    sso = assessment_of(SSO, "sso")
    audience = sso.signals["audience"]
    assert (audience.value, audience.source) == ("enterprise", INFERRED)
    assert [e.rule for e in audience.evidence] == ["infer-enterprise-identity"]
    assert "saml" in audience.evidence[0].words
    assert (sso.recommendation, sso.tier) == ("gated", "enterprise")
    assert "audience-enterprise" in fired(sso)


def test_an_explicit_answer_wins_over_the_words():
    sso = assessment_of(SSO, "sso-user")
    audience = sso.signals["audience"]
    assert audience == Signal("audience", "user", EXPLICIT, ())
    assert "audience-enterprise" not in fired(sso)
    assert all(e.rule != "infer-enterprise-identity" for r in sso.reasons for e in r.evidence)


def test_unanswered_signals_without_evidence_are_unset():
    sso = assessment_of(SSO, "sso")
    unset = {name: (s.value, s.evidence) for name, s in sso.signals.items() if s.source == UNSET}
    assert unset == {
        name: (spec.unset, ()) for name, spec in SIGNAL_BY_NAME.items() if name != "audience"
    }


def test_a_reason_is_inferred_when_a_signal_it_reads_was_inferred():
    sso = assessment_of(SSO, "sso")
    by_rule = {r.rule: r for r in sso.reasons}
    enterprise = by_rule["audience-enterprise"]
    assert enterprise.inferred is True
    assert enterprise.evidence == sso.signals["audience"].evidence
    # A rule that reads no signal is never inferred.
    assert by_rule["needs-strategic-reason"].inferred is False
    assert by_rule["needs-strategic-reason"].evidence == ()


def test_no_reason_is_inferred_when_every_signal_was_answered():
    sso = assessment_of(SSO, "sso-user")
    assert [(r.rule, r.inferred, r.evidence) for r in sso.reasons if r.inferred or r.evidence] == []


@pytest.mark.parametrize("name", ["whiteboard.yaml", "database.yaml", "survey.yaml"])
def test_inferred_flags_match_the_sources_of_the_signals_read(name):
    analysis = analyze_file(str(EXAMPLES / name))
    checked = 0
    for a in analysis.assessments:
        for reason in a.reasons:
            read = analysis.ruleset.get(reason.rule).reads
            assert reason.inferred == any(a.signals[s].source == INFERRED for s in read), (
                a.feature.id, reason.rule,
            )
            checked += reason.inferred
    assert checked, "the example has no inferred reason to check"


def evidence(assessment) -> list[tuple[str, tuple[str, ...]]]:
    """Every (inference rule, words) behind the assessment's inferred signals."""
    return [(e.rule, e.words) for s in assessment.signals.values() for e in s.evidence]


def test_the_product_name_is_no_evidence():
    text = "product: {name: Slack}\nfeatures:\n  - id: connect\n    name: Slack Connect\n"
    connect = assessment_of(text, "connect")
    assert [words for _, words in evidence(connect) if "slack" in words] == []


def test_the_product_name_is_blanked_before_any_word_list_reads(write):
    pack = write("pack.yaml", """
        rules:
          - id: infer-chat-tools
            kind: infer
            criterion: commoditization
            title: Chat integrations are table stakes
            words: [slack]
            sets: {commoditized: high}
            message: "{{ words }}"
            source: {principle: Ours}
    """)
    ruleset = load_ruleset([pack])
    inventory = "product: {{name: {}}}\nfeatures:\n  - id: connect\n    name: Slack Connect\n"
    in_slack = assessment_of(inventory.format("Slack"), "connect", ruleset)
    elsewhere = assessment_of(inventory.format("Acme"), "connect", ruleset)
    assert evidence(in_slack) == []
    assert ("infer-chat-tools", ("slack",)) in evidence(elsewhere)


# --- decisions ---------------------------------------------------------------------------

POLICY = RULESET.policy


def test_the_shipped_policy_the_decisions_below_assume():
    assert POLICY.min_growth_for_wall == 3.0
    assert POLICY.confidence_labels == (("high", 0.9), ("medium", 0.8), ("low", 0.65))


# The margin is the weight that would have to move to change the advice.
@pytest.mark.parametrize("weights,decision", [
    # Leaning free, no usage reason.
    (Weights(free=3, gated=0.5), Decision("free", 2.5)),
    # Leaning free with a usage reason: free behind a wall.
    (Weights(free=4, limit=1, gated=0.5), Decision("free-limited", 2.5)),
    # Leaning gated only because of usage, with strong growth value: free behind a wall.
    (Weights(free=4, limit=4, gated=1), Decision("free-limited", 1.0)),
    (Weights(free=5, limit=8, gated=1), Decision("free-limited", 2.0)),
    (Weights(free=3, gated=1), Decision("free", 2.0)),
    (Weights(free=5, gated=3), Decision("free", 2.0)),
    # Moderate growth value (aha medium) with a moderate cost: a wall, not a gate.
    (Weights(free=1.5, limit=1, gated=0.5), Decision("free-limited", 0.5)),
    # Moderate growth value against production use (2.5): gated.
    (Weights(free=1.5, limit=2.5, gated=0.5), Decision("gated", 1.5)),
    # The same without enough growth value to earn a wall: gated.
    (Weights(free=1, limit=3), Decision("gated", 2.0)),
    # Growth value, but no more than the gating reasons: gated.
    (Weights(free=3, limit=1, gated=3), Decision("gated", 1.0)),
    (Weights(gated=4), Decision("gated", 4.0)),
    (Weights(free=1, gated=2.5), Decision("gated", 1.5)),
    # A tie is gated: freemium needs a strategic reason.
    (Weights(free=2, gated=2), Decision("gated", 0.0)),
    (Weights(free=2.5, gated=2.5), Decision("gated", 0.0)),
    (Weights(), Decision("gated", 0.0)),
], ids=["free", "free-limited-by-score", "free-limited-by-growth", "strong-growth-large-cost",
        "half", "five-to-three", "moderate-growth-moderate-cost",
        "moderate-growth-production", "wall-without-growth", "growth-not-above-gates",
        "gated", "gated-by-more", "tie", "tie-with-the-default", "nothing"])
def test_decide(weights, decision):
    assert decide(weights, POLICY) == decision


@pytest.mark.parametrize("audience,tier", [
    ("user", "pro"),
    (None, "pro"),
    ("team", "business"),
    ("admin", "business"),
    ("enterprise", "enterprise"),
])
def test_a_gated_feature_goes_to_the_cheapest_tier_sold_to_its_audience(audience, tier):
    four = product(FOUR_TIERS)
    assert [(t.name, t.audience) for t in four.tiers] == [
        ("free", "user"), ("pro", "user"), ("business", "admin"), ("enterprise", "enterprise"),
    ]
    assert choose_tier("gated", audience, four).name == tier


@pytest.mark.parametrize("audience,tier", [
    ("admin", "enterprise"),
    ("team", "business"),
    ("user", "pro"),
    (None, "pro"),
])
def test_production_use_raises_an_admin_control_to_the_enterprise_tier(audience, tier):
    assert choose_tier("gated", audience, product(FOUR_TIERS), production=True).name == tier


@pytest.mark.parametrize("category,tier", [
    ("management", "business"),
    ("information", "business"),
    ("guarantee", "enterprise"),
    ("integration: identity provider", "pro"),
    ("", "pro"),
])
def test_without_an_audience_the_type_chooses_the_tier(category, tier):
    said = POLICY.type_audience(category)
    assert choose_tier("gated", None, product(FOUR_TIERS), type_audience=said).name == tier
    # An audience read from words or answered wins over the type.
    assert choose_tier("gated", "user", product(FOUR_TIERS), type_audience=said).name == "pro"


def test_the_type_audiences_are_policy_a_pack_may_change(write):
    pack = write("pack.yaml", "policy:\n  type_audiences: {management: null, support: team}\n")
    policy = load_ruleset([pack]).policy
    assert policy.type_audience("management") is None
    assert policy.type_audience("support: chat") == "team"
    assert policy.type_audience("guarantee") == "enterprise"
    assert load_ruleset([pack]).fingerprint != RULESET.fingerprint


def test_a_tier_is_a_guess_only_when_no_audience_and_no_type_speaks():
    inventory = """\
product: {name: Acme, tiers: [free, pro, business, enterprise]}
features:
  - {id: zorp, name: Zorp frobnicator}
  - {id: zorp-managed, name: Zorp frobnicator, category: management}
"""
    plain, managed = (assessment_of(inventory, i) for i in ("zorp", "zorp-managed"))
    assert (plain.recommendation, plain.tier, plain.tier_is_guess) == ("gated", "pro", True)
    assert (managed.recommendation, managed.tier, managed.tier_is_guess) == (
        "gated", "business", False)


@pytest.mark.parametrize("recommendation", ["free", "free-limited"])
@pytest.mark.parametrize("audience", ["user", "enterprise", None])
def test_a_feature_not_gated_goes_to_the_free_tier(recommendation, audience):
    assert choose_tier(recommendation, audience, product(FOUR_TIERS)).name == "free"


@pytest.mark.parametrize("audience", ["user", "team", "admin", "enterprise", None])
def test_with_only_a_free_tier_there_is_no_tier_to_gate_into(audience):
    only_free = product(["free"])
    assert choose_tier("gated", audience, only_free) is None
    assert choose_tier("free", audience, only_free).name == "free"


def test_an_audience_above_every_paid_tier_goes_to_the_top_one():
    assert choose_tier("gated", "enterprise", product(["free", "pro"])).name == "pro"
    assert [t.audience for t in product(["free", "personal"]).tiers] == ["user", "user"]
    assert choose_tier("gated", "enterprise", product(["free", "personal"])).name == "personal"


# --- what would flip it ----------------------------------------------------------------

FRICTION = """\
product: {name: Acme}
features:
  - id: gated-by-friction
    name: Alpha one
    signals: {friction: high, aha: high}
  - id: without-friction
    name: Alpha one
    signals: {aha: high}
"""


def test_what_ifs_name_the_answer_that_would_ungate_a_feature():
    analysis = analysis_of(FRICTION)
    assert analysis.assessment("without-friction").recommendation != "gated"
    explanation = explain(analysis, "gated-by-friction")
    assert explanation.assessment.recommendation == "gated"
    flips = {f.signal: f for f in explanation.flips}
    assert flips["friction"].recommendation != "gated"
    assert flips["friction"].tier == "free"


def test_each_flip_is_the_nearest_answer_that_changes_the_outcome():
    analysis = analysis_of(FRICTION)
    assessment = analysis.assessment("gated-by-friction")
    engine = Engine(RULESET)

    def outcome(signal: str, value) -> str:
        changed = {**assessment.signals, signal: Signal(signal, value, EXPLICIT)}
        return engine.assess(assessment.feature, analysis.inventory.product, changed).recommendation

    flips = explain(analysis, "gated-by-friction").flips
    assert flips
    for flip in flips:
        assert flip.signal in SIGNAL_BY_NAME
        if SIGNAL_BY_NAME[flip.signal].kind != "level":
            continue
        current = assessment.signals[flip.signal].value
        target = LEVELS.index(flip.value)
        assert outcome(flip.signal, target) == flip.recommendation
        distance = abs(target - current)
        nearer = [v for v in range(len(LEVELS)) if 0 < abs(v - current) < distance]
        assert [outcome(flip.signal, v) for v in nearer] == ["gated"] * len(nearer)
        assert SIGNAL_BY_NAME[flip.signal].display(target) == flip.value


# --- honest confidence ---------------------------------------------------------------------

NO_EVIDENCE = """\
product: {name: Acme}
features:
  - id: zorp
    name: Zorp frobnicator
  - id: zorp-viral
    name: Zorp frobnicator
    signals: {virality: high}
  - id: sso
    name: SAML single sign-on
"""


def test_without_any_signal_the_confidence_is_unknown_and_the_questions_are_listed():
    zorp = assessment_of(NO_EVIDENCE, "zorp")
    assert (zorp.recommendation, zorp.confidence, zorp.confidence_label, zorp.known) == (
        "gated", 0.0, "unknown", False,
    )
    assert zorp.evidence == "none"
    # Only the default fired, shown as the default and under no criterion of the framework.
    assert [(r.rule, r.criterion) for r in zorp.reasons] == [("needs-strategic-reason", "default")]
    assert zorp.default == -0.5 and set(zorp.criteria.values()) == {0.0}
    # Each question is one whose answer alone changes the advice (cost and production use
    # only confirm a gate, so they are not asked).
    assert zorp.questions == (
        "virality", "commoditized", "aha", "habit", "data_value", "landing", "audience",
    )


def test_one_answer_makes_the_confidence_known_again():
    viral = assessment_of(NO_EVIDENCE, "zorp-viral")
    # One reason for free and none against it: the band of free advice with one net reason.
    assert (viral.recommendation, viral.confidence, viral.confidence_label, viral.evidence) == (
        "free", band(POLICY, "free", 1), "low", "answered",
    )
    assert viral.questions == ()


def test_advice_decided_by_inferred_signals_says_it_rests_on_a_guess():
    sso = assessment_of(NO_EVIDENCE, "sso")
    assert (sso.recommendation, sso.evidence) == ("gated", "inferred")
    assert (sso.confidence, sso.confidence_label) == (band(POLICY, "gated", 1), "medium")
    assert all(r.inferred for r in sso.reasons if r.criterion != "default")


@pytest.mark.parametrize("bands,expected", [
    # The first band that holds the advice gives its measured accuracy, which earns a label.
    ("[{advice: free, net_reasons: 1, accuracy: 0.95}]", (0.95, "high")),
    ("[{advice: free, net_reasons: 2, accuracy: 0.95}, {advice: free, net_reasons: 1, accuracy: 0.81}]",
     (0.81, "medium")),
    # An accuracy below every label's promise is no promise: unknown, and no number.
    ("[{advice: free, net_reasons: 1, accuracy: 0.6}]", (0.0, "unknown")),
    # No band holds it.
    ("[{advice: gated, net_reasons: 1, accuracy: 0.95}]", (0.0, "unknown")),
])
def test_a_packs_bands_give_the_confidence(write, bands, expected):
    pack = write("pack.yaml", f"policy:\n  confidence_bands: {bands}\n")
    viral = assessment_of(NO_EVIDENCE, "zorp-viral", load_ruleset([pack]))
    assert (viral.confidence, viral.confidence_label) == expected


def band(policy, advice: str, net: int) -> float:
    """The accuracy of the first shipped band that holds such advice."""
    return next(b.accuracy for b in policy.confidence_bands
                if b.advice == advice and net >= b.net_reasons)


@pytest.mark.parametrize("name", ["Zorblax", "Gadget", "Frobnicate the wibbles", "Quux"])
@pytest.mark.parametrize("category", ["", ", category: domain"])
def test_words_no_list_knows_are_no_evidence(name, category):
    # The Pricing2Yaml type `domain` (half of all imported features) is no evidence either: a
    # one-word name of that type only leans the advice free, as a default (aha-bare-head-noun).
    text = (f"product: {{name: Acme, tiers: [free, pro]}}\nfeatures:\n"
            f"  - {{id: f, name: {name}, current: pro{category}}}\n")
    a = assessment_of(text, "f")
    by_default = category and " " not in name
    assert (a.recommendation, a.confidence_label, a.evidence, a.known) == (
        "free" if by_default else "gated", "unknown", "none", False,
    )
    assert [r.rule for r in a.reasons] == (
        ["aha-bare-head-noun", "needs-strategic-reason"] if by_default else ["needs-strategic-reason"])
    assert {r.criterion for r in a.reasons} == {"default"}


def test_a_bare_noun_no_list_knows_is_a_default_whatever_its_type():
    text = "product: {name: Acme}\nfeatures:\n  - {id: f, name: Issues, category: domain}\n"
    a = assessment_of(text, "f")
    assert (a.recommendation, a.evidence, a.confidence_label) == ("free", "none", "unknown")
    text = "product: {name: Acme}\nfeatures:\n  - {id: f, name: Issues}\n"
    a = assessment_of(text, "f")
    assert (a.recommendation, a.evidence, a.confidence_label) == ("gated", "none", "unknown")
    # The core objects a word list knows still count, typed or not.
    text = "product: {name: Acme}\nfeatures:\n  - {id: f, name: Boards, category: domain}\n"
    a = assessment_of(text, "f")
    assert (a.recommendation, a.evidence) == ("free", "inferred")
    assert [r.rule for r in a.reasons] == ["aha-medium", "needs-strategic-reason"]


EVIDENCE = """\
product: {name: Acme, tiers: [free, pro, enterprise]}
features:
  - id: answered
    name: Share boards
    signals: {virality: high}
  - id: guess-decides
    name: SAML single sign-on
    signals: {aha: medium}
  - id: guess-not-needed
    name: SAML single sign-on
    signals: {audience: enterprise}
  - id: answered-none
    name: Zorp frobnicator
    signals: {virality: none, commoditized: none, aha: none, habit: none, data_value: none,
              landing: none, audience: user}
  - id: default-with-questions
    name: Zorp frobnicator
    signals: {virality: none}
"""


@pytest.mark.parametrize("feature,recommendation,evidence", [
    # The answer alone gives the advice; the inferred sharing only agrees.
    ("answered", "free", "answered"),
    # The answer leans free; only the enterprise audience guessed from 'SAML' gates it.
    ("guess-decides", "gated", "inferred"),
    # The answered audience gates it whatever the words add.
    ("guess-not-needed", "gated", "answered"),
    # Nothing speaks but the default, and no unanswered signal could change that.
    ("answered-none", "free", "answered"),
    # Only the default speaks, and unanswered signals could change it.
    ("default-with-questions", "gated", "none"),
])
def test_evidence_is_what_the_decisive_reasons_rest_on(feature, recommendation, evidence):
    a = assessment_of(EVIDENCE, feature)
    assert (a.recommendation, a.evidence) == (recommendation, evidence)


def test_a_tie_is_zero_never_negative_zero():
    tie = assessment_of(
        "product: {name: Acme}\nfeatures:\n  - id: f\n    name: F one\n"
        "    signals: {landing: medium, habit: medium, audience: team}\n", "f",
    )
    # landing 1 + habit 1 free against team 1.5 + the default 0.5 gated.
    assert (tie.recommendation, tie.score, tie.margin, tie.confidence) == ("gated", 0.0, 0.0, 0.0)
    assert str(tie.margin) != "-0.0" and str(tie.score) != "-0.0"
    assert all(str(v) != "-0.0" for v in tie.criteria.values())


def test_a_metered_feature_is_evidence_enough_for_a_usage_wall():
    text = """\
product: {name: Acme}
features:
  - id: zorp
    name: Zorp frobnicator
    metered: zorps
"""
    zorp = assessment_of(text, "zorp")
    assert (zorp.recommendation, zorp.limit_metric, zorp.known) == ("free-limited", "zorps", True)
    assert [r.rule for r in zorp.reasons] == [
        "needs-strategic-reason", "metered-usage-based-freemium", "metered-usage-wall",
    ]
    # Two reasons for the wall, read from the metering: a guess, in the band of two net reasons.
    assert (zorp.confidence, zorp.confidence_label, zorp.evidence) == (
        band(POLICY, "free", 2), "medium", "inferred",
    )


WALLS = """\
product: {name: Acme, tiers: [free, pro]}
features:
  - id: keep
    name: Zorp frobnicator
    limit: {metric: zorps, free: 3}
    signals: {aha: medium, cost_to_serve: medium}
  - id: raise
    name: Zorp frobnicator
    limit: {metric: zorps, free: 3}
    signals: {aha: high, virality: high, cost_to_serve: medium}
  - id: remove
    name: Zorp frobnicator
    limit: {metric: zorps, free: 3}
    signals: {virality: high}
  - id: no-wall-today
    name: Zorp frobnicator
    signals: {aha: high, cost_to_serve: medium}
"""


def test_a_wall_today_is_kept_raised_or_removed_and_every_wall_names_a_metric():
    analysis = analysis_of(WALLS)
    assert [(a.feature.id, a.recommendation, a.limit_metric, a.wall_advice)
            for a in analysis.assessments] == [
        # Moderate growth value with a moderate cost: a wall, and today's is right.
        ("keep", "free-limited", "zorps", "keep"),
        # Growth value clearly outweighs the cost (6 free to 1): keep a wall, a generous one.
        ("raise", "free-limited", "zorps", "raise"),
        ("remove", "free", None, "remove"),
        # No metric rule reads "Zorp": every feature can be counted in uses.
        ("no-wall-today", "free-limited", "uses per month", None),
    ]


def test_growth_words_count_only_in_the_head_of_the_name():
    text = """\
product: {name: Acme}
features:
  - id: notes
    name: Searchable notes
  - id: inside
    name: Zorp frobnicator for notes
"""
    analysis = analysis_of(text)
    assert analysis.assessment("notes").signals["aha"].source == INFERRED
    assert analysis.assessment("inside").signals["aha"].source == UNSET


def test_one_engine_per_rule_set_and_the_same_advice_with_its_memos_warm():
    """An analysis is the same whether its rule set's engine is new or has assessed other
    products before (what it remembers depends on the rule set and the values alone)."""
    from dataclasses import replace

    from freemium_advisor.engine import rule_engine

    other = replace(RULESET)  # the same rules, another rule set
    assert rule_engine.engine_for(RULESET) is rule_engine.engine_for(RULESET)
    assert rule_engine.engine_for(other) is not rule_engine.engine_for(RULESET)
    inventories = [parse_inventory(p.read_text(encoding="utf-8"), p.name) for p in sorted(EXAMPLES.glob("*.yaml"))]
    warm = [analyze(inventory, RULESET).assessments for inventory in inventories]
    for inventory, assessments in zip(inventories, warm):
        rule_engine._ENGINES.clear()  # a new engine, remembering nothing
        assert analyze(inventory, RULESET).assessments == assessments
