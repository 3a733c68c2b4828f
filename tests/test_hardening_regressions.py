"""Crashes found by fuzzing and probing, each kept as a regression test."""

from __future__ import annotations

import pytest

from tests.test_hardening_inputs import assert_bad_input

RULE = """\
rules:
  - id: probe
    criterion: virality
    title: Probe
    when: "true"
    direction: free
    weight: 1
    message: hi
    source: {principle: p}
"""


@pytest.mark.parametrize("product, kind", [("[a]", "a list"), ("x", "text"), ("3", "a number")])
def test_an_example_whose_product_is_not_a_mapping(run, write, product, kind):
    # Was: TypeError ('list' object is not a mapping) from 'rules test'; then a failing
    # example; now the pack is refused when it loads, at the product.
    pack = write("pack.yaml", RULE + f"    examples: {{fires: [{{product: {product}}}]}}\n")
    assert_bad_input(run("rules", "test", "-r", pack), pack + ":10:34:",
                     f"rule 'probe': an example's 'product' must be a mapping, not {kind}")


def test_a_source_seed_that_is_not_text(run, write):
    # Was: accepted, and 'rules docs' printed the Python list.
    pack = write("pack.yaml", RULE.replace("{principle: p}", "{principle: p, seed: [a]}"))
    assert_bad_input(run("rules", "docs", "-r", pack), pack + ":9:34:", "source seed must be text, not a list")


def test_a_disabled_id_that_is_a_list(run, write):
    # Was: TypeError (unhashable type: 'list').
    pack = write("pack.yaml", "disable: [[a]]\n")
    assert_bad_input(run("rules", "list", "-r", pack), pack + ":1:11:", "a rule id must be text, not a list")


def test_a_bare_unknown_field_is_caught_when_the_pack_loads(run, write):
    # Was: only nested fields were checked; 'feature.nope' alone failed at evaluation.
    pack = write("pack.yaml", "override:\n  virality-high: {when: feature.nope}\n")
    assert_bad_input(run("rules", "list", "-r", pack), pack + ":2:25:", "unknown feature field 'nope'")


def test_deep_nesting_below_libyaml_limit(run, write):
    # Was: RecursionError while building 900 levels that libyaml (limit 1,000) accepts.
    path = write("inv.yaml", "a: " + "[" * 900 + "]" * 900 + "\n")
    assert_bad_input(run("validate", path), path + ":1:67:", "nested deeper than 64 levels")


def test_a_thousands_of_digits_integer(run, write):
    # Was: ValueError (Exceeds the limit (4300 digits) for integer string conversion).
    path = write("inv.yaml", "version: " + "1" * 5000 + "\n")
    assert_bad_input(run("validate", path), path + ":1:10:", "number too large")


def test_linked_features_holding_a_list(run, write):
    # Was: TypeError (unhashable type: 'list').
    path = write("p.yml", "features: {chat: {}}\nusageLimits:\n  seats: {linkedFeatures: [[chat]]}\n"
                 "plans: {FREE: {price: 0}}\n")
    assert_bad_input(run("import", "pricing2yaml", path), path + ":3:28:", "must list feature names, not a list")


@pytest.mark.parametrize("text", ["9" * 5000, "[" * 100_000 + "]" * 100_000])
def test_a_hostile_baseline(run, write, text):
    # Was: ValueError (integer string conversion) and RecursionError (JSON nesting).
    inventory = write("inv.yaml", "product: {name: x}\nfeatures: []\n")
    baseline = write("b.json", text)
    assert_bad_input(run("check", inventory, "--baseline", baseline), baseline + ": error:", "not a baseline")


@pytest.mark.parametrize("version", ["true", "1.0", '"1"', "2", "null"])
def test_a_baseline_version_that_is_not_1(run, write, version):
    # Was: 'baseline_version: true' loaded (true == 1 in Python).
    inventory = write("inv.yaml", "product: {name: x}\nfeatures: []\n")
    baseline = write("b.json", f'{{"baseline_version": {version}, "findings": []}}')
    assert_bad_input(run("check", inventory, "--baseline", baseline), baseline + ": error:",
                     "not a baseline (expected baseline_version 1 and a findings list)")
    accepted = write("ok.json", '{"baseline_version": 1, "findings": []}')
    assert run("check", inventory, "--baseline", accepted).exit_code == 0


@pytest.mark.parametrize("args", [
    ("check", "INV", "--base=--output=OUT", "--fail-on", "never"),
    ("diff", "INV", "--", "--output=OUT:inv.yaml"),
])
def test_a_git_ref_is_never_an_option(run, write, tmp_path, args):
    # Defence in depth: 'git show --output=FILE' would write a file.
    inventory = write("inv.yaml", "product: {name: x}\nfeatures: []\n")
    out = tmp_path / "out"
    argv = [a.replace("INV", inventory).replace("OUT", str(out)) for a in args]
    result = run(*argv)
    assert result.exit_code == 2
    assert "error: unknown git ref '--output=" in result.stderr
    assert not out.exists()


def test_a_product_without_a_name(run, write):
    # Found by atheris: KeyError 'name' once the missing key had been reported.
    path = write("inv.yaml", "product: {nam: x}\nfeatures: []\n")
    assert_bad_input(run("validate", path), f"{path}:1:11:", "unknown product key 'nam' (did you mean 'name'?)")
