"""The fuzz harness stays runnable: every seed loads, and a few mutants of each target run
(the long run is ``python -m fuzz.run``, in ``.ci/run``)."""

from __future__ import annotations

import pytest

from freemium_advisor.base.errors import InputError
from fuzz.run import fuzz_test, main
from fuzz.targets import TARGETS, seeds


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_seed_is_valid(target):
    corpus = seeds(target)
    assert corpus
    for seed in corpus:
        TARGETS[target](seed)  # seeds are valid: mutants start from real, deep inputs


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_few_mutants(target):
    fuzz_test(target, 15)()


def test_the_runner(capsys):
    assert main(["--seconds", "0", "--target", "csv"]) == 0
    assert capsys.readouterr().out.startswith("fuzz: no crash in")


def test_a_crash_is_reported(monkeypatch):
    def crash(data: bytes) -> None:
        raise ZeroDivisionError("a crash")

    monkeypatch.setitem(TARGETS, "csv", crash)
    with pytest.raises(ZeroDivisionError):
        fuzz_test("csv", 5)()


def test_an_input_error_is_not_a_crash(monkeypatch):
    def refuse(data: bytes) -> None:
        raise InputError("x", 1, 1, "bad")

    monkeypatch.setitem(TARGETS, "csv", refuse)
    fuzz_test("csv", 5)()
