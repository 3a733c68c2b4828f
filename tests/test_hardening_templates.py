"""A user's report template (``report --template``) is read like every input and rendered
within bounds: never read forever, never overwritten, never left to run or grow unbounded."""

from __future__ import annotations

import json
import os
import time

import pytest
import yaml

import freemium_advisor.render.user_template
from tests.conftest import EXAMPLES
from tests.test_hardening_inputs import assert_bad_input

WHITEBOARD = str(EXAMPLES / "whiteboard.yaml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_template_is_refused_before_reading(run, tmp_path):
    fifo = tmp_path / "t.j2"
    os.mkfifo(fifo)
    result = run("report", WHITEBOARD, "--template", str(fifo))
    assert_bad_input(result, f"{fifo}: error:", "cannot read the template: is a FIFO, not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_template_is_refused_before_reading(run):
    assert_bad_input(run("report", WHITEBOARD, "--template", "/dev/zero"), "/dev/zero: error:", "is a device")


def test_the_template_is_never_overwritten(run, write):
    template = write("t.j2", "{{ product.name }}\n")
    result = run("report", WHITEBOARD, "--template", template, "-o", template)
    assert_bad_input(result, f"{template}: error:", "refusing to overwrite an input file")
    assert open(template).read() == "{{ product.name }}\n"


@pytest.mark.parametrize("body, message", [
    ("{{ 'x' * 1000000000 }}", "a value longer than 200,000 would be built"),
    ("{{ 9 ** (9 ** 9) }}", "an exponent above 64"),
    ("{{ '%0999999999d' % 1 }}", "'%' formatting is not allowed"),
    ("{{ (range(100000)|list) * 100000 }}", "a value longer than 200,000 would be built"),
])
def test_a_template_cannot_build_huge_values(run, write, body, message):
    template = write("t.j2", body + "\n")
    started = time.perf_counter()
    result = run("report", WHITEBOARD, "--template", template)
    assert time.perf_counter() - started < 5
    assert_bad_input(result, f"{template}:1: error:", message)


BIG = "a value longer than 200,000 would be built"
SHARED = "range(1000)|map('attr', 'nope')|map('default', 'x' * 100000)|list"  # 1,000 uses of one text


# Each of these is one C call that Jinja2's time limit cannot interrupt: its arguments are
# checked before it runs.
@pytest.mark.parametrize("body, message", [
    ("{{ product.name.ljust(10**9) }}", f"{BIG} by 'ljust'"),
    ("{{ product.name.rjust(10**9) }}", f"{BIG} by 'rjust'"),
    ("{{ product.name.center(10**9) }}", f"{BIG} by 'center'"),
    ("{{ product.name.zfill(10**9) }}", f"{BIG} by 'zfill'"),
    ("{{ product.name|center(10**9) }}", f"{BIG} by 'center'"),
    ("{{ ('x' * 100000).replace('x', 'yyyyyyyy') }}", f"{BIG} by 'replace'"),
    ("{{ 'x'|replace('', 'y' * 199999) }}", f"{BIG} by 'replace'"),
    ("{{ ('x' * 150000).join(['a', 'b', 'c']) }}", f"{BIG} by 'join'"),
    ("{{ ['a', 'b', 'c']|join('x' * 150000) }}", f"{BIG} by 'join'"),
    ("{{ (" + SHARED + ")|join }}", f"{BIG} by 'join'"),
    ("{{ '{:>1000000000}'.format(1) }}", f"{BIG} by 'format'"),
    ("{{ '{0:{1}}'.format('x', 10**9) }}", f"{BIG} by 'format'"),
    ("{{ '{:.1000000000f}'.format(1.5) }}", f"{BIG} by 'format'"),
    ("{{ ('{0}' * 60000).format('x' * 100000) }}", f"{BIG} by 'format'"),
    ("{{ '{a}{a}{a}'.format_map({'a': 'x' * 100000}) }}", f"{BIG} by 'format'"),
    ("{{ '%1000000000d'|format(1) }}", f"{BIG} by 'format'"),
    ("{{ '%*d'|format(10**9, 1) }}", f"{BIG} by 'format'"),
    ("{{ ('%(a)s' * 1000)|format(a='x' * 1000) }}", f"{BIG} by 'format'"),
    ("{{ ('\t' * 100000).expandtabs(1000) }}", f"{BIG} by 'expandtabs'"),
    ("{{ 'x' * 1000000000 }}", BIG),
    ("{{ [[1] * 1000] * 1000 }}", BIG),
    ("{% set ns = namespace(x=10) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}"
     "{% endfor %}", "a number of more than 4,096 bits"),
    ("{{ '%0999999999d' % 1 }}", "'%' formatting is not allowed"),
    ("{{ '%0999999999d'.encode() % 1 }}", "'%' formatting is not allowed"),
    ("{{ 'ab'.translate({97: 'x' * 150000}) }}", f"{BIG} by 'translate'"),
    ("{{ (10).to_bytes(10**9, 'big') }}", f"{BIG} by 'to_bytes'"),
    ("{{ dict.fromkeys(range(100000), 'x' * 100000) }}", f"{BIG} by 'fromkeys'"),
    ("{{ ('a\\n' * 100000)|indent(1000) }}", f"{BIG} by 'indent'"),
    ("{{ ('x' * 100)|wordwrap(1, wrapstring='y' * 100000) }}", f"{BIG} by 'wordwrap'"),
    ("{{ ('http://a.b ' * 10000)|urlize(target='x' * 1000) }}", f"{BIG} by 'urlize'"),
    ("{{ [1]|batch(10**9, 0)|list }}", f"{BIG} by 'batch'"),
    ("{{ [1]|slice(10**9)|list }}", f"{BIG} by 'slice'"),
    ("{{ features|tojson(indent=1000000) }}", "'tojson' indents by at most 64"),
    ("{{ (range(10000)|batch(1)|list)|sum(start=[]) }}", "'sum' adds numbers only"),
    ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}"
     "{% endfor %}", f"{BIG} by '~'"),
    ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x %}{{ ns.x }}{{ ns.x }}"
     "{% endset %}{% endfor %}", "the output would be longer than 67,108,864 characters"),
    ("{{ " + SHARED + " }}", "printing a value would write more than 67,108,864 characters"),
    ("{{ (" + SHARED + ")|tojson }}", "tojson would write more than 67,108,864 characters"),
    ("{{ (" + SHARED + ")|md }}", "md would write more than 67,108,864 characters"),
    ("{{ '{}'.format(" + SHARED + ") }}", "format would write more than 67,108,864 characters"),
    ("{{ lipsum(10**9) }}", "'lipsum' is undefined"),
    # A case mapping may turn one character into three: checked on what it built.
    ("{{ ('\u00df' * 150000).upper() }}", f"{BIG} by 'upper'"),
    ("{{ ('\ufb03' * 70000).upper() }}", f"{BIG} by 'upper'"),
    ("{{ ('\u0130' * 150000).lower() }}", f"{BIG} by 'lower'"),
    ("{{ ('\u00df ' * 100000).title() }}", f"{BIG} by 'title'"),
    ("{{ ('\u00df' * 150000).casefold() }}", f"{BIG} by 'casefold'"),
    ("{{ ('\u00df' * 150000).swapcase() }}", f"{BIG} by 'swapcase'"),
    ("{{ ('\ufb03' + 'a' * 199998).capitalize() }}", f"{BIG} by 'capitalize'"),
    ("{{ ('\u00df' * 150000)|upper }}", f"{BIG} by 'upper'"),
    ("{{ ('\u00df ' * 100000)|title }}", f"{BIG} by 'title'"),
    ("{{ ('\ufb03' + 'a' * 199998)|capitalize }}", f"{BIG} by 'capitalize'"),
])
def test_a_template_cannot_grow_a_value_through_methods_and_filters(run, write, body, message):
    template = write("t.j2", body + "\n")
    started = time.perf_counter()
    result = run("report", WHITEBOARD, "--template", template)
    assert time.perf_counter() - started < 5
    assert_bad_input(result, f"{template}:1: error: template error: ", message)


def test_bounded_operations_work_within_their_bounds(run, write):
    template = write("t.j2", (
        "[{{ 'ab'.ljust(4) }}|{{ 'ab'.rjust(4, '.') }}|{{ 'ab'.center(6, '*') }}|{{ '7'.zfill(3) }}"
        "|{{ 'a-b'.replace('-', ' to ') }}|{{ ', '.join(['x', 'y']) }}|{{ '{:>4}|{:.2f}'.format(1, 2.5) }}"
        "|{{ 'a\tb'.expandtabs(2) }}|{{ 'ab' * 2 }}|{{ 7 % 4 }}|{{ '%05.1f'|format(2.25) }}"
        "|{{ product.tiers|map(attribute='name')|join('/') }}|{{ 'x'|center(3) }}|{{ 'a b'|replace(' ', '_') }}"
        "|{{ product.name ~ '!' }}|{{ [1, 2, 3]|sum }}|{{ [1, 2, 3]|batch(2, 0)|list }}"
        "|{{ 'a\nb'|indent(2) }}|{{ {'k': 1}|tojson(indent=1) }}"
        "|{{ 'stra\u00dfe'.upper() }}|{{ 'stra\u00dfe'|upper }}|{{ 'aB'.swapcase() }}]\n"
    ))
    result = run("report", WHITEBOARD, "--template", template)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "[ab  |..ab|**ab**|007|a to b|x, y|   1|2.50|a b|abab|3|002.2|free/starter/business/enterprise"
        "| x |a_b|Boardly!|6|[[1, 2], [3, 0]]|a\n  b|{\n \"k\": 1\n}|STRASSE|STRASSE|Ab]\n"
    )


STEPS = "the template would take more than {:,} steps (loop items, calls and items read by filters)"


@pytest.mark.parametrize("body", [
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{% for a in range(100000) %}{% for b in range(100000) if false %}{% endfor %}{% endfor %}",
    "{% for a in range(100000) %}{{ range(100000)|sum }}{% endfor %}",
    "{% for a in range(100000) %}{{ range(100000)|map('string')|join }}{% endfor %}",
    "{% for a in range(100000) %}{{ ('x' * 100000).replace('x', 'y') }}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{% for x in range(2) recursive %}{% if loop.depth < 40 %}{{ loop(range(2)) }}{% endif %}{% endfor %}",
])
def test_a_template_that_would_run_too_long_is_stopped_by_its_steps(run, write, body):
    template = write("t.j2", body + "\n")
    started = time.perf_counter()
    result = run("report", WHITEBOARD, "--template", template)
    assert time.perf_counter() - started < 5  # about 1 s; Deliver 7 asks for 2 s
    steps = freemium_advisor.render.user_template.render_steps(
        json.loads(run("analyze", WHITEBOARD, "-f", "json").stdout))
    assert steps == 500_000 + 20 * 1311
    assert_bad_input(result, f"{template}:1: error: template error: ", STEPS.format(steps))


def test_the_steps_grow_with_the_inventory(run, write, tmp_path):
    """A template that takes more steps than the base on a small inventory is fine on a
    large one: 2,000 features allow 500,000 steps plus 20 per value of the result."""
    inventory = yaml.safe_load(open(WHITEBOARD, encoding="utf-8"))
    features = inventory["features"]
    inventory["features"] = [{**features[i % len(features)], "id": f"f{i}"} for i in range(2000)]
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    # 600,000 loop items: more than the whiteboard's 526,220 steps.
    template = write("t.j2", "{% for a in range(6) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
                             "{{ features|length }}\n")
    assert run("report", WHITEBOARD, "--template", template).exit_code == 2
    result = run("report", str(path), "--template", template)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2000\n"


def test_a_template_that_runs_too_long_is_stopped(run, write, monkeypatch):
    """The time limit stays as a backstop behind the steps."""
    monkeypatch.setattr(freemium_advisor.render.user_template, "RENDER_SECONDS", 1)
    monkeypatch.setattr(freemium_advisor.render.user_template, "RENDER_STEPS", 10**12)
    template = write("t.j2", "{% for a in range(100000) %}{% for b in range(100000) %}"
                             "{% endfor %}{% endfor %}\n")
    started = time.perf_counter()
    result = run("report", WHITEBOARD, "--template", template)
    assert time.perf_counter() - started < 10
    assert_bad_input(result, f"{template}:1: error:", "template error: rendering took more than 1 s")
