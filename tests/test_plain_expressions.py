"""Plain conditions and messages (compiled without Jinja2) against Jinja2's sandbox.

:mod:`freemium_advisor.model.plainexpr` compiles the plain subset of rule conditions and messages to
closures; everything else goes to the sandbox. Here both compile the same sources (the built-in
rules and checks, and generated ones): they must accept and refuse the same sources, read the
same fields, and give the same result or the same error for the same values.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from freemium_advisor.reading.checkcatalog import _plain, load_checks
from freemium_advisor.model.expressions import (
    FEATURE_FIELDS,
    FIELDS_OF,
    LEVEL_CONSTANTS,
    PRODUCT_FIELDS,
    Condition,
    ExpressionError,
    MessageTemplate,
)
from freemium_advisor.model.plainexpr import Names, PlainCondition, PlainTemplate, Unsupported, as_str
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.model.sandbox import JinjaCondition, JinjaMessage
from freemium_advisor.model.signals import AUDIENCES, LEVELS, SIGNALS

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONDITION_NAMES = Names(FIELDS_OF, (), LEVEL_CONSTANTS)

# Values a field may hold, the odd ones included: a plain expression must agree on all of them
# (or step aside), not only on the values the engine gives it.
ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 5), st.floats(-2, 4, allow_nan=False),
    st.sampled_from(["", "user", "team", "admin", "Domain", "SSO login", "x y", "1"]),
    st.lists(st.sampled_from(["free", "pro", 3, 1.5]), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 2), max_size=2),
)


def _signal_value(spec):
    if spec.kind == "level":
        return st.one_of(st.integers(0, len(LEVELS) - 1), ODD)
    if spec.kind == "audience":
        return st.one_of(st.sampled_from((None, *AUDIENCES)), ODD)
    return st.one_of(st.booleans(), ODD)


CONTEXTS = st.fixed_dictionaries({
    "signals": st.fixed_dictionaries({s.name: _signal_value(s) for s in SIGNALS}),
    "feature": st.fixed_dictionaries({f: ODD for f in FEATURE_FIELDS}),
    "product": st.fixed_dictionaries({f: ODD for f in PRODUCT_FIELDS}),
    "words": ODD, "metric": ODD, "word": ODD,
})


def _outcome(call):
    """The result, or the error's type and text: what a user sees either way."""
    try:
        return ("ok", call())
    except Exception as exc:  # noqa: BLE001 - comparing failures is the point
        return ("error", type(exc).__name__, str(exc))


def _same_condition(source: str, contexts: list[dict]) -> None:
    compiled = _outcome(lambda: Condition(source))
    reference = _outcome(lambda: JinjaCondition(source))
    assert compiled[0] == reference[0], (source, compiled, reference)
    if compiled[0] == "error":
        assert compiled[1:] == reference[1:], source
        return
    condition, jinja = compiled[1], reference[1]
    assert (condition.reads, condition.fields) == (jinja.reads, jinja.fields), source
    for context in contexts:
        assert _outcome(lambda: condition(context)) == _outcome(lambda: jinja(context)), (source, context)


def _same_message(source: str, extra: tuple[str, ...], contexts: list[dict]) -> None:
    compiled = _outcome(lambda: MessageTemplate(source, extra))
    reference = _outcome(lambda: JinjaMessage(source, extra))
    assert compiled[0] == reference[0], (source, compiled, reference)
    if compiled[0] == "error":
        assert compiled[1:] == reference[1:], source
        return
    message, jinja = compiled[1], reference[1]
    # Jinja2's optimizer folds constants in the tree it reads the fields from ("none and x"
    # never reads x): the plain compiler may read more, never less.
    if jinja.fields is not None:
        assert set(jinja.fields) <= set(message.fields), source
    for context in contexts:
        expected = _outcome(lambda: " ".join(jinja.render(context).split()))
        assert _outcome(lambda: message.render(context)) == expected, (source, context)


# --- the built-in rules and checks --------------------------------------------------------


def _builtin_parts():
    for rule in load_ruleset().rules:
        if rule.when is not None:
            yield rule.id, "when", rule.when.source, ()
        yield rule.id, "message", rule.message.source, rule.message.extra
        if getattr(rule, "metric", None) is not None:
            yield rule.id, "metric", rule.metric.source, rule.metric.extra


BUILTIN = list(_builtin_parts())


@pytest.mark.parametrize(("rule", "part", "source", "extra"), BUILTIN,
                         ids=[f"{r}-{p}" for r, p, _, _ in BUILTIN])
def test_every_builtin_condition_and_message_is_plain(rule, part, source, extra):
    """The built-in rules never need Jinja2 (which is why a run does not import it)."""
    if part == "when":
        PlainCondition(source, CONDITION_NAMES)
    else:
        PlainTemplate(source, Names(FIELDS_OF, extra), str)


@pytest.mark.parametrize("check", load_checks(), ids=lambda c: c.id)
def test_every_check_message_is_plain(check):
    assert _plain(check.message) is not None


@SETTINGS
@given(st.lists(CONTEXTS, min_size=3, max_size=3))
def test_builtin_rules_agree_with_jinja(contexts):
    for _, part, source, extra in BUILTIN:
        if part == "when":
            _same_condition(source, contexts)
        else:
            _same_message(source, extra, contexts)


CHECK_VARIABLES = st.fixed_dictionaries({
    name: ODD for name in (
        "count", "free", "basis", "candidates", "viral", "viral_count", "tier", "audience",
        "check", "subject", "expires", "reason", "owner", "walls", "gated_weight",
        "free_weight", "growth", "days", "model",
    )
}).flatmap(lambda v: st.fixed_dictionaries({
    **{k: st.just(x) for k, x in v.items()},
    "feature": st.fixed_dictionaries({"id": ODD, "name": ODD, "current": ODD}),
    "advice": st.fixed_dictionaries({k: ODD for k in (
        "recommendation", "tier", "wall", "confidence", "label", "why")}),
}))
CHECK_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@SETTINGS
@given(CHECK_VARIABLES)
def test_check_messages_agree_with_jinja(variables):
    for check in load_checks():
        expected = _outcome(lambda: " ".join(
            CHECK_ENV.from_string(check.message).render(**variables).split()))
        assert _outcome(lambda: check.render(variables)) == expected, check.id


def test_check_message_with_a_missing_variable_fails_as_jinja_does():
    check = next(c for c in load_checks() if c.id == "no-free-tier")
    with pytest.raises(Exception, match="'free' is undefined"):
        check.render({})


def test_an_analysis_with_the_builtin_rules_does_not_import_jinja2(tmp_path):
    program = (
        "import sys\n"
        "from freemium_advisor.engine.analysis import analyze_file\n"
        "analyze_file('examples/whiteboard.yaml')\n"
        "print('jinja2' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


# --- generated sources --------------------------------------------------------------------

FIELD = st.sampled_from(
    [f"signals.{s.name}" for s in SIGNALS] + [f"feature.{f}" for f in FEATURE_FIELDS]
    + [f"product.{f}" for f in PRODUCT_FIELDS]
)
CONSTANT = st.sampled_from(
    [*LEVELS, "true", "false", "none", "True", "None", "0", "1", "2", "2.5", "'user'",
     '"team"', "''", "'sso'", "('', 'domain')", "[1, 2]", "()", "(1,)", "[]", "['a',]"]
)
ODD_PART = st.sampled_from([
    "signals", "feature.nope", "signals.ah", "hi", "_x", "feature.__class__", "x.y", "1 + 2",
    "'a' ~ 'b'", "feature.name.upper()", "feature.name is defined", "a if b else c",
    "feature['name']", "{'a': 1}", "1 < 2 < 3", "feature.name | join", "feature.name | length",
    "feature.name | lower(1)", "'a' 'b'", "'\\n'", "-1", "01", "1e3", "é", "feature . name",
    "not", "in", "(", "[1,", "range(3)", "loop",
])
OPERATOR = st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in"])


def _expressions():
    value = st.one_of(FIELD, CONSTANT, st.builds(lambda f, x: f"{f} | {x}", FIELD,
                                                 st.sampled_from(["lower", "upper"])))
    compare = st.one_of(value, st.builds(lambda a, o, b: f"{a} {o} {b}", value, OPERATOR, value))
    return st.recursive(
        st.one_of(compare, ODD_PART),
        lambda inner: st.one_of(
            st.builds(lambda a, b: f"{a} and {b}", inner, inner),
            st.builds(lambda a, b: f"{a} or {b}", inner, inner),
            st.builds(lambda a: f"not {a}", inner),
            st.builds(lambda a: f"({a})", inner),
            st.builds(lambda a, b: f"({a}, {b})", inner, inner),
        ),
        max_leaves=5,
    )


EXPRESSIONS = _expressions()


@SETTINGS
@given(EXPRESSIONS, st.lists(CONTEXTS, min_size=4, max_size=4))
def test_generated_conditions_agree_with_jinja(source, contexts):
    _same_condition(source, contexts)


def _templates():
    text = st.sampled_from(["", "Text ", " and ", "{", "}", "%}", "}}", "\n", "a  b", "'"])
    output = st.one_of(
        st.builds(lambda e: "{{ " + e + " }}", EXPRESSIONS),
        st.sampled_from(["{{ words }}", "{{ metric }}", "{{ word }}", "{{ high }}",
                         "{{- words }}", "{{ words -}}", "{# note #}", "{% raw %}x{% endraw %}",
                         "{% for x in words %}{{ x }}{% endfor %}", "{{ words ", "{% if %}"]),
    )
    leaf = st.one_of(text, output)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda a, b: a + b, inner, inner),
            st.builds(lambda c, a: "{% if " + c + " %}" + a + "{% endif %}", EXPRESSIONS, inner),
            st.builds(lambda c, a, b: "{% if " + c + " %}" + a + "{% else %}" + b + "{% endif %}",
                      EXPRESSIONS, inner, inner),
            st.builds(lambda c, a, d, b: "{% if " + c + " %}" + a + "{% elif " + d + " %}" + b
                      + "{% endif %}", EXPRESSIONS, inner, EXPRESSIONS, inner),
        ),
        max_leaves=4,
    )


@SETTINGS
@given(_templates(), st.sampled_from([(), ("words",), ("words", "metric"), ("words", "word")]),
       st.lists(CONTEXTS, min_size=3, max_size=3))
def test_generated_messages_agree_with_jinja(source, extra, contexts):
    _same_message(source, extra, contexts)


@SETTINGS
@given(_templates(), CHECK_VARIABLES)
def test_generated_check_templates_agree_with_jinja(source, variables):
    variables = {**variables, "signals": {"aha": 1}, "product": {"name": "P"}}
    try:
        plain = PlainTemplate(source, Names(None), as_str)
    except Unsupported:
        return
    # Compared as a check's message is shown, whitespace collapsed (Jinja2 also drops one
    # trailing newline and rewrites line breaks).
    expected = _outcome(lambda: " ".join(CHECK_ENV.from_string(source).render(**variables).split()))
    got = _outcome(lambda: " ".join(plain.render(variables).split()))
    if got[0] == "ok":  # a plain render that meets anything unusual steps aside for Jinja2
        assert got == expected, source


# --- what is never plain --------------------------------------------------------------------

NOT_PLAIN_CONDITIONS = [
    "feature.__class__", "_x", "signals", "feature.nope", "feature.name.upper",
    "feature.name.upper()", "feature['name']", "1 + 1", "-1", "'a' ~ 'b'", "x if y else z",
    "feature.name is defined", "1 < 2 < 3", "feature.name | join(',')", "feature.name | length",
    "feature.name | lower(1)", "'a' 'b'", "'\\x41'", "{'a': 1}", "range(10)", "é", "01",
    "1e3", "1_000", "signals.aha >= hi", "product.tiers[0]", "lipsum", "feature.name}}",
]
NOT_PLAIN_MESSAGES = [
    "{{- words }}", "{{ words -}}", "{%- if words %}x{% endif %}", "{# comment #}",
    "{% for w in words %}{{ w }}{% endfor %}", "{% raw %}{{ x }}{% endraw %}",
    "{% set x = 1 %}", "{{ words }", "{% if words %}x", "{% else %}", "{% endif %}",
    "{% if words %}x{% else %}y{% else %}z{% endif %}", "{% if words %}x{% endif junk %}",
    "{{ high }}", "{{ signals }}", "{{ words ~ words }}", "{{ words.x }}",
]


@pytest.mark.parametrize("source", NOT_PLAIN_CONDITIONS)
def test_not_plain_conditions_go_to_jinja(source):
    with pytest.raises(Unsupported):
        PlainCondition(source, CONDITION_NAMES)
    _same_condition(source, [])


@pytest.mark.parametrize("source", NOT_PLAIN_MESSAGES)
def test_not_plain_messages_go_to_jinja(source):
    with pytest.raises(Unsupported):
        PlainTemplate(source, Names(FIELDS_OF, ("words",)), str)
    _same_message(source, ("words",), [])


def test_a_plain_condition_reads_what_it_names_in_order():
    condition = Condition("signals.habit >= high and (signals.aha == low or product.collaborative)")
    assert condition.reads == ("habit", "aha")
    assert condition.fields == (("product", "collaborative"), ("signals", "aha"), ("signals", "habit"))
    assert condition._plain is not None


def test_a_plain_condition_that_fails_reports_as_jinja_does():
    condition = Condition("signals.audience >= high")
    with pytest.raises(ExpressionError, match="'>=' not supported"):
        condition({"signals": {"audience": None}, "feature": {}, "product": {}})


@pytest.mark.parametrize("source", [
    "(" * 300 + "signals.aha" + ")" * 300, "not " * 400 + "signals.aha", "[" * 300 + "]" * 300,
])
def test_a_condition_nested_too_deeply_is_a_clear_error(source):
    with pytest.raises(ExpressionError, match="nested too deeply"):
        Condition(source)


def test_a_message_nested_too_deeply_is_a_clear_error():
    with pytest.raises(ExpressionError, match="nested too deeply"):
        MessageTemplate("{{ " + "(" * 300 + "words" + ")" * 300 + " }}", ("words",))


def test_nesting_counts_depth_not_groups():
    condition = Condition(" and ".join(["(signals.aha >= high)"] * 40))
    assert condition._plain is not None


@pytest.mark.parametrize("source", ["{{ signals.virality }}", "{{ product.tiers }}"])
def test_remembered_results_tell_minus_zero_from_zero(source):
    """-0.0 == 0.0, yet they print differently: a message remembered for one is not the
    other's (found by the differential test in .ci/run)."""
    message = MessageTemplate(source, ())
    rendered = []
    for value in (-0.0, 0.0, -0.0):
        context = {"signals": {"virality": value}, "feature": {}, "product": {"tiers": [value]}}
        rendered.append(message.render(context))
        assert rendered[-1] == MessageTemplate(source, ()).render(context)  # as if never seen
    assert rendered[0] == rendered[2] != rendered[1]


def test_remembered_assessments_tell_minus_zero_from_zero():
    from freemium_advisor.engine.assessmemo import content_key
    from freemium_advisor.model.inventory import Feature, Limit

    def feature(free):
        return Feature("a", "Boards", "", "", None, False, Limit("boards", free), {}, 1, 1, {}, (), None)
    assert content_key(feature(-0.0), False) != content_key(feature(0.0), False)
