"""A user's report template (``report --template``) is read like every input and rendered
within bounds: never read forever, never overwritten, never left to run or grow unbounded."""

from __future__ import annotations

import os
import time

import pytest

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


def test_a_template_that_runs_too_long_is_stopped(run, write, monkeypatch):
    monkeypatch.setattr(freemium_advisor.render.user_template, "RENDER_SECONDS", 1)
    template = write("t.j2", "{% for a in range(100000) %}{% for b in range(100000) %}"
                             "{% endfor %}{% endfor %}\n")
    started = time.perf_counter()
    result = run("report", WHITEBOARD, "--template", template)
    assert time.perf_counter() - started < 10
    assert_bad_input(result, f"{template}:1: error:", "template error: rendering took more than 1 s")
