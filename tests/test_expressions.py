"""The rule language (docs/rule-language.md): every construct it has evaluates as documented,
and every construct it lacks is refused when it compiles, with its exact message."""

from __future__ import annotations

import subprocess
import sys

import pytest

from freemium_advisor.base.limits import MAX_VALUE
from freemium_advisor.model.expressions import (
    ANY_NAME,
    FEATURE_FIELDS,
    FIELDS_OF,
    LEVEL_CONSTANTS,
    PRODUCT_FIELDS,
    Condition,
    ExpressionError,
    MessageTemplate,
    Names,
)
from freemium_advisor.model.signals import SIGNALS
from freemium_advisor.reading.checkcatalog import load_checks
from freemium_advisor.reading.rulepacks import load_ruleset

SEE = "see docs/rule-language.md"


def context(**changes) -> dict:
    """A rule's context: every signal unset but aha high and audience team, and a feature."""
    signals = {s.name: s.unset for s in SIGNALS}
    signals.update(aha=3, audience="team", production=True)
    feature = {f: "" for f in FEATURE_FIELDS}
    feature.update(id="sso", name="SAML SSO", text="SAML SSO Sign in with Okta", category="domain",
                   name_words=2, metered="")
    product = {f: None for f in PRODUCT_FIELDS}
    product.update(name="Boardly", model="freemium", collaborative=True, tiers=["free", "pro"])
    found = {"signals": signals, "feature": feature, "product": product}
    for key, value in changes.items():
        found[key] = {**found[key], **value} if key in found else value
    return found


# --- the built-in rules and checks are written in it ----------------------------------------


def test_the_builtin_rules_are_written_in_the_language():
    """Every condition, message and metric of the built-in rules compiled when they loaded,
    and each reads named fields of signals, feature and product, or the words it matched."""
    parts = [getattr(rule, part) for rule in load_ruleset().rules
             for part in ("when", "message", "metric") if getattr(rule, part) is not None]
    assert {type(part) for part in parts} == {Condition, MessageTemplate}
    for part in parts:
        assert all(f[0] in FIELDS_OF if len(f) == 2 else f[0] in ("words", "word", "metric")
                   for f in part.fields), part.source


def test_every_check_message_renders_with_what_its_examples_give(run):
    assert load_checks()  # each was compiled when the catalog loaded
    assert run("checks", "test").exit_code == 0


# --- conditions -----------------------------------------------------------------------------


@pytest.mark.parametrize("source, changes, expected", [
    # fields and level names
    ("signals.aha >= high", {}, True),
    ("signals.aha == medium", {}, False),
    ("signals.aha > low", {"signals": {"aha": 1}}, False),
    ("signals.virality < low", {}, True),  # an unset level is 0, the level none
    ("signals.production", {}, True),
    ("feature.name_words == 2", {}, True),
    ("product.collaborative", {"product": {"collaborative": False}}, False),
    # text, numbers, true, false, none
    ("signals.audience == 'team'", {}, True),
    ('signals.audience == "team"', {}, True),
    ("signals.audience == none", {"signals": {"audience": None}}, True),
    ("signals.audience != none", {"signals": {"audience": None}}, False),
    ("product.trial_days == 2.5", {"product": {"trial_days": 2.5}}, True),
    ("true", {}, True),
    ("False", {}, False),
    # in, not in, lists
    ("'sso' in feature.text | lower", {}, True),
    ("'SSO' in feature.text | upper", {"feature": {"text": "sso"}}, True),
    ("'Sign In' in feature.text | title", {}, True),
    ("feature.category in ('', 'domain')", {}, True),
    ("feature.category not in ['domain']", {}, False),
    ("'pro' in product.tiers", {}, True),
    ("feature.id in [feature.name, 'sso']", {}, True),
    # and, or, not, parentheses
    ("signals.aha >= high and product.collaborative", {}, True),
    ("signals.aha < low or signals.audience == 'team'", {}, True),
    ("not signals.aha", {}, False),
    ("not (signals.aha >= high and false)", {}, True),
    ("signals.virality >= medium or signals.aha >= high and not product.collaborative", {}, False),
])
def test_a_condition_evaluates(source, changes, expected):
    assert Condition(source)(context(**changes)) is expected


def test_a_condition_reads_what_it_names():
    condition = Condition("signals.habit >= high and (signals.aha == low or product.collaborative)")
    assert condition.reads == ("habit", "aha")
    assert condition.fields == (("product", "collaborative"), ("signals", "aha"), ("signals", "habit"))
    assert not condition.reads_feature_id
    assert Condition("feature.id == 'x'").reads_feature_id


@pytest.mark.parametrize("source, message", [
    ("feature.name.__class__",
     f"attribute '__class__' is not allowed in condition 'feature.name.__class__'; {SEE}"),
    ("_x", f"name '_x' is not allowed in condition '_x'; {SEE}"),
    ("signals", f"'signals' without a field is not allowed in condition 'signals'; "
                f"name one, as signals.virality; {SEE}"),
    ("feature.nope", "unknown feature field 'nope' in condition 'feature.nope'"),
    ("signals.ah", "unknown signal 'ah' in condition 'signals.ah' (did you mean 'aha'?)"),
    ("signals.aha >= hi", "unknown name 'hi' in condition 'signals.aha >= hi' (did you mean 'high'?)"),
    ("feature.name.upper()", f"a field of a field is not allowed in condition 'feature.name.upper()'; {SEE}"),
    ("range(3)", f"a call is not allowed in condition 'range(3)'; {SEE}"),
    ("feature['name']", f"an index ('[...]') is not allowed in condition \"feature['name']\"; {SEE}"),
    ("signals.aha + 1 > 2", f"arithmetic ('+') is not allowed in condition 'signals.aha + 1 > 2'; {SEE}"),
    ("2 ** 3", f"arithmetic ('**') is not allowed in condition '2 ** 3'; {SEE}"),
    ("-1", f"arithmetic ('-') is not allowed in condition '-1'; {SEE}"),
    ("'a' ~ 'b'", f"joining with '~' is not allowed in condition \"'a' ~ 'b'\"; {SEE}"),
    ("{'a': 1}", f"a mapping ('{{...}}') is not allowed in condition \"{{'a': 1}}\"; {SEE}"),
    ("feature.name is defined",
     f"a test ('is ...') is not allowed in condition 'feature.name is defined'; {SEE}"),
    ("true if signals.aha else false",
     f"an inline if ('... if ... else ...') is not allowed in condition "
     f"'true if signals.aha else false'; {SEE}"),
    ("1 < 2 < 3", f"a chained comparison ('a < b < c') is not allowed in condition '1 < 2 < 3'; "
                  f"write 'a < b and b < c'; {SEE}"),
    ("feature.name | length", f"the filter 'length' is not allowed in condition "
                              f"'feature.name | length'; the filters are lower, upper and title; {SEE}"),
    ("product.tiers | join", f"the filter 'join' is not allowed in condition 'product.tiers | join'; "
                             f"the filters are lower, upper and title; a list prints as 'a, b' "
                             f"without one; {SEE}"),
    ("feature.name | lower(1)", f"a filter with arguments ('lower(...)') is not allowed in condition "
                                f"'feature.name | lower(1)'; {SEE}"),
    ("'a\\n'", f"a backslash in text is not allowed in condition \"'a\\\\n'\"; {SEE}"),
    ("é", f"the character 'é' is not allowed in condition 'é'; {SEE}"),
    ("signals.aha >=", "invalid condition 'signals.aha >=': a value should follow '>='"),
    ("", "invalid condition '': it is empty"),
    ("(signals.aha", "invalid condition '(signals.aha': '(' is never closed"),
    ("signals.aha high", "invalid condition 'signals.aha high': unexpected 'high'"),
    ("'sso", "invalid condition \"'sso\": text opened with ' is never closed"),
    ("01", "invalid condition '01': '01' is not a number; write a whole number or a decimal, as 3 or 2.5"),
    ("1e3", "invalid condition '1e3': '1e3' is not a number; write a whole number or a decimal, as 3 or 2.5"),
    ("x" * 2001, "a condition longer than 2,000 characters"),
])
def test_a_condition_outside_the_language_is_refused(source, message):
    with pytest.raises(ExpressionError) as error:
        Condition(source)
    assert str(error.value) == message


@pytest.mark.parametrize("source", [
    "(" * 300 + "signals.aha" + ")" * 300, "not " * 400 + "signals.aha", "[" * 300 + "]" * 300,
])
def test_a_condition_nested_too_deeply_is_refused(source):
    with pytest.raises(ExpressionError) as error:
        Condition(source)
    assert str(error.value) == f"invalid condition {source!r}: nested too deeply"


def test_nesting_counts_depth_not_groups():
    assert Condition(" and ".join(["(signals.aha >= high)"] * 40))(context()) is True


@pytest.mark.parametrize("source, changes, message", [
    ("feature.name > 3", {},
     "condition 'feature.name > 3' failed: '>' not supported between instances of 'str' and 'int'"),
    ("signals.audience >= high", {"signals": {"audience": None}},
     "condition 'signals.audience >= high' failed: '>=' not supported between instances of "
     "'NoneType' and 'int'"),
    ("'x' in product.trial_days", {},
     "condition \"'x' in product.trial_days\" failed: argument of type 'NoneType' is not iterable"),
    ("feature.name | lower", {"feature": {"name": {"a": 1}}},
     "condition 'feature.name | lower' failed: a message may print text, numbers and lists of "
     "them, not dict"),
])
def test_a_condition_that_fails_says_why(source, changes, message):
    with pytest.raises(ExpressionError) as error:
        Condition(source)(context(**changes))
    assert str(error.value) == message


def test_a_condition_over_names_of_ones_own():
    """What a check's ``when`` compiles against: the names its logic hands it."""
    names = Names({"feature": ("name", "current"), "advice": ("recommendation", "tier")},
                  ("count",), LEVEL_CONSTANTS)
    condition = Condition("advice.recommendation == 'gated' and count > 1", names)
    assert condition.fields == (("advice", "recommendation"), ("count",))
    assert condition({"advice": {"recommendation": "gated", "tier": "pro"}, "count": 2}) is True
    with pytest.raises(ExpressionError) as error:
        Condition("advice.tiers", names)
    assert str(error.value) == ("unknown advice field 'tiers' in condition 'advice.tiers' "
                                "(did you mean 'tier'?)")
    with pytest.raises(ExpressionError) as error:
        Condition("signals.aha", names)
    assert str(error.value) == "unknown name 'signals' in condition 'signals.aha'"


def test_a_condition_over_any_name_fails_on_a_missing_one():
    condition = Condition("advice.tier == 'pro' or count", ANY_NAME)
    assert condition({"advice": {"tier": "pro"}}) is True
    with pytest.raises(ExpressionError) as error:
        condition({"advice": {"tier": "team"}})
    assert str(error.value) == "condition \"advice.tier == 'pro' or count\" failed: 'count' is undefined"
    with pytest.raises(ExpressionError) as error:
        condition({"advice": {}})
    assert str(error.value) == ("condition \"advice.tier == 'pro' or count\" failed: "
                                "'advice' has no field 'tier'")


# --- messages -------------------------------------------------------------------------------


@pytest.mark.parametrize("source, changes, expected", [
    ("plain text", {}, "plain text"),
    ("{{ feature.name }} for {{ product.name }}", {}, "SAML SSO for Boardly"),
    ("{{ signals.aha }}", {"signals": {"aha": "high"}}, "high"),  # a message shows levels by name
    ("tiers {{ product.tiers }}", {}, "tiers free, pro"),
    ("{{ product.collaborative }} {{ product.trial_days }}.", {}, "true ."),
    ("{{ feature.name_words }} {{ 2.5 }} {{ 'text' }}", {}, "2 2.5 text"),
    ("{{ feature.name | lower }} {{ feature.name | upper }} {{ product.tiers | title }}", {},
     "saml sso SAML SSO Free, Pro"),
    ("{{ feature.name == 'SAML SSO' }}", {}, "true"),
    ("a{% if product.collaborative %} team{% endif %}.", {}, "a team."),
    ("{% if signals.audience == 'user' %}u{% elif signals.audience == 'team' %}t{% else %}o{% endif %}",
     {}, "t"),
    ("{% if false %}x{% else %}{% if true %}nested{% endif %}{% endif %}", {}, "nested"),
    ("  spaces\n and\tlines  ", {}, "spaces and lines"),
    ("{{ words }}", {"words": "'sso', 'saml'"}, "'sso', 'saml'"),
    ("braces } and }} alone", {}, "braces } and }} alone"),
])
def test_a_message_renders(source, changes, expected):
    assert MessageTemplate(source, ("words",)).render(context(**changes)) == expected


@pytest.mark.parametrize("source, message", [
    ("{{- words }}", f"whitespace control ('{{{{-') is not allowed in a message; {SEE}"),
    ("{{ words -}}", f"whitespace control ('-}}}}') is not allowed in a message; {SEE}"),
    ("{# note #}", f"a comment ('{{# ... #}}') is not allowed in a message; {SEE}"),
    ("{% for w in words %}{{ w }}{% endfor %}",
     f"{{% for %}} is not allowed in a message; a message has {{% if %}} only; {SEE}"),
    ("{% set x = 1 %}", f"{{% set %}} is not allowed in a message; a message has {{% if %}} only; {SEE}"),
    ("{% include 'x' %}",
     f"{{% include %}} is not allowed in a message; a message has {{% if %}} only; {SEE}"),
    ("{% unless x %}", f"{{% unless %}} is not allowed in a message; a message has {{% if %}} only; {SEE}"),
    ("{{ words }", "invalid message: a '{{' or '{%' is never closed"),
    ("{{ words %}", "invalid message: '{{' closed by '%}'"),
    ("{{ }}", "invalid message: an empty '{{ }}'"),
    ("{% if words %}x", "invalid message: {% if %} without {% endif %}"),
    ("{% else %}", "invalid message: {% else %} without {% if %}"),
    ("{% if words %}x{% else %}y{% else %}z{% endif %}", "invalid message: {% else %} after {% else %}"),
    ("{% if words %}x{% endif junk %}", "invalid message: unexpected 'junk' in {% endif %}"),
    ("{{ high }}", "unknown name 'high' in message; a message may use signals, feature, product or words"),
    ("{{ signal.aha }}", "unknown name 'signal' in message (did you mean 'signals'?); a message may "
                         "use signals, feature, product or words"),
    ("{{ signals }}", f"'signals' without a field is not allowed in a message; name one, as "
                      f"signals.virality; {SEE}"),
    ("{{ words.x }}", f"a field of 'words' is not allowed in a message; 'words' is one value; {SEE}"),
    ("{{ words ~ words }}", f"joining with '~' is not allowed in a message; {SEE}"),
    ("{{ feature.name.ljust(10) }}", f"a field of a field is not allowed in a message; {SEE}"),
    ("{{ feature.name | center(10) }}", f"the filter 'center' is not allowed in a message; the "
                                        f"filters are lower, upper and title; {SEE}"),
    ("{{ words * 3 }}", f"arithmetic ('*') is not allowed in a message; {SEE}"),
    ("{{ '%s' % words }}", f"arithmetic ('%') is not allowed in a message; {SEE}"),
])
def test_a_message_outside_the_language_is_refused(source, message):
    with pytest.raises(ExpressionError) as error:
        MessageTemplate(source, ("words",))
    assert str(error.value) == message


@pytest.mark.parametrize("source, changes, message", [
    ("{{ words }}", {"words": {"a": 1}},
     "message '{{ words }}' failed: a message may print text, numbers and lists of them, not dict"),
    ("{% if feature.name > 2 %}x{% endif %}", {},
     "message '{% if feature.name > 2 %}x{% endif %}' failed: '>' not supported between "
     "instances of 'str' and 'int'"),
    ("{{ feature.description }}{{ feature.description }}", {"feature": {"description": "d" * 100_001}},
     f"message '{{{{ feature.description }}}}{{{{ feature.description }}}}' failed: it renders more "
     f"than {MAX_VALUE:,} characters"),
])
def test_a_message_that_fails_says_why(source, changes, message):
    with pytest.raises(ExpressionError) as error:
        MessageTemplate(source, ("words",)).render(context(**changes))
    assert str(error.value) == message


def test_a_message_reads_what_it_names():
    message = MessageTemplate("{{ words }}{% if signals.aha == 'high' %}{{ feature.id }}{% endif %}",
                              ("words",))
    assert message.fields == (("feature", "id"), ("signals", "aha"), ("words",))
    assert message.reads_feature_id


def test_a_message_over_any_name_reads_its_variables():
    """A check's message: the variables its logic hands it, whatever their names."""
    message = MessageTemplate("{{ count }} in '{{ advice.tier }}'{% if owner %} ({{ owner }}){% endif %}",
                              names=ANY_NAME)
    assert message.render({"count": 2, "advice": {"tier": "pro"}, "owner": None}) == "2 in 'pro'"
    with pytest.raises(ExpressionError) as error:
        message.render({"advice": {"tier": "pro"}})
    assert str(error.value).endswith("failed: 'count' is undefined")


@pytest.mark.parametrize("source", ["{{ signals.virality }}", "{{ product.tiers }}"])
def test_remembered_results_tell_minus_zero_from_zero(source):
    """-0.0 == 0.0, yet they print differently: a message remembered for one is not the other's."""
    message = MessageTemplate(source, ())
    rendered = []
    for value in (-0.0, 0.0, -0.0):
        values = {"signals": {"virality": value}, "feature": {}, "product": {"tiers": [value]}}
        rendered.append(message.render(values))
        assert rendered[-1] == MessageTemplate(source, ()).render(values)  # as if never seen
    assert rendered[0] == rendered[2] != rendered[1]


def test_remembered_assessments_tell_minus_zero_from_zero():
    from freemium_advisor.engine.assessmemo import content_key
    from freemium_advisor.model.inventory import Feature, Limit

    def feature(free):
        return Feature("a", "Boards", "", "", None, False, Limit("boards", free), {}, 1, 1, {}, (), None)
    assert content_key(feature(-0.0), False) != content_key(feature(0.0), False)


def test_an_analysis_does_not_import_jinja2():
    """Jinja2 serves report templates only; rules never need it."""
    program = (
        "import sys\n"
        "from freemium_advisor.engine.analysis import analyze_file\n"
        "analyze_file('examples/whiteboard.yaml')\n"
        "print('jinja2' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
