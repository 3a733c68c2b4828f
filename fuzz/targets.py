"""The fuzz targets: bytes in; a result or an :class:`InputError` out, never anything else.

Each target is what the command does with a file a stranger wrote, end to end: decode, parse,
validate, and for rule packs evaluate every rule on a small inventory; an imported inventory
must also validate, since the tool writes it for the user to analyze. The configuration and
the baseline of 'check' are read too. ``expressions`` is differential: a condition and a
message compiled without Jinja2 must compile, fail and evaluate exactly as Jinja2's sandbox
does.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from freemium_advisor.engine.analysis import analyze
from freemium_advisor.reading.baseline import read_baseline
from freemium_advisor.reading.config import load_config
from freemium_advisor.engine.explain import explain
from freemium_advisor.model.expressions import FEATURE_FIELDS, PRODUCT_FIELDS, Condition, MessageTemplate
from freemium_advisor.formats import RenderOptions, formats_for, formatter, rules_view
from freemium_advisor.engine.gate import FAIL_ON
from freemium_advisor.reading.importers import dump_inventory
from freemium_advisor.reading.importers.csv_table import import_csv
from freemium_advisor.reading.importers.pricing2yaml import import_pricing2yaml
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.engine.examples import ruleset_examples
from freemium_advisor.reading.rulepacks import builtin_rule_dir, load_ruleset
from freemium_advisor.model.sandbox import JinjaCondition, JinjaMessage
from freemium_advisor.model.signals import SIGNALS
from freemium_advisor.base.textfile import decode_text

CORPUS = Path(__file__).resolve().parent / "corpus"
NAME = "fuzzed"


def inventory(data: bytes) -> None:
    """Validate an inventory, analyze it with the built-in rules, and render every format."""
    parsed = parse_inventory(decode_text(data, NAME), NAME)
    _render(analyze(parsed, _builtin_rules()))


def rules(data: bytes) -> None:
    """Load a rule pack after two built-in files, run its examples, and evaluate it."""
    path = _scratch_file()
    path.write_bytes(data)
    # The policy and the virality rules (which the seeds override) stand for the built-in
    # pack: loading all of it would make every input ten times slower.
    base = [str(builtin_rule_dir() / name) for name in ("policy.yaml", "virality.yaml")]
    ruleset = load_ruleset([*base, str(path)], builtin=False)
    ruleset_examples(ruleset)
    _render(analyze(_sample_inventory(), ruleset))
    rules_view.render_list_table(ruleset, RenderOptions())
    rules_view.render_list_json(ruleset)
    rules_view.render_docs(ruleset)
    for rule in ruleset.rules:
        rules_view.render_rule(rule, RenderOptions())


def csv(data: bytes) -> None:
    """Import a CSV sheet; the inventory written must validate."""
    _validates(import_csv(decode_text(data, NAME), NAME))


def pricing2yaml(data: bytes) -> None:
    """Import a Pricing2Yaml pricing; the inventory written must validate."""
    _validates(import_pricing2yaml(decode_text(data, NAME), NAME))


def config(data: bytes) -> None:
    """Load a ``.freemium-advisor.yaml``."""
    path = _scratch_file()
    path.write_bytes(data)
    load_config(path, FAIL_ON, formats_for("check"))


def baseline(data: bytes) -> None:
    """Read a baseline file (JSON)."""
    path = _scratch_file()
    path.write_bytes(data)
    read_baseline(str(path))


def expressions(data: bytes) -> None:
    """A ``condition`` and a ``message`` (YAML): the plain compiler and Jinja2's sandbox agree
    on whether each compiles, with what error, and on what it gives for a few contexts."""
    import yaml

    try:
        sources = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return
    if not isinstance(sources, dict):
        return
    condition, message = sources.get("condition"), sources.get("message")
    if isinstance(condition, str):
        _agree(lambda: Condition(condition), lambda: JinjaCondition(condition),
               lambda c, context: c(context), ("reads", "fields"))
    if isinstance(message, str):
        _agree(lambda: MessageTemplate(message, ("words",)),
               lambda: JinjaMessage(message, ("words",)),
               lambda m, context: " ".join(m.render(context).split()), ())


def _agree(plain, jinja, run, attributes) -> None:
    """(A message's fields are left out: Jinja2 folds constants in the tree it reads them
    from, so the plain compiler may list more; tests/test_plain_expressions.py checks them.)"""
    first, second = _outcome(plain), _outcome(jinja)
    if first[0] != second[0] or (first[0] == "error" and first[1:] != second[1:]):
        raise AssertionError(f"compiling: plain {first} but Jinja2 {second}")
    if first[0] == "error":
        return
    for name in attributes:
        if getattr(first[1], name) != getattr(second[1], name):
            raise AssertionError(f"{name}: plain {getattr(first[1], name)} but Jinja2 {getattr(second[1], name)}")
    for context in _contexts():
        got, expected = _outcome(lambda: run(first[1], context)), _outcome(lambda: run(second[1], context))
        if got != expected:
            raise AssertionError(f"for {context}: plain {got} but Jinja2 {expected}")


def _outcome(call):
    try:
        return ("ok", call())
    except Exception as exc:  # noqa: BLE001 - the failure itself is compared
        return ("error", type(exc).__name__, str(exc))


@lru_cache(maxsize=1)
def _contexts() -> tuple[dict, ...]:
    signals = [
        {s.name: s.unset for s in SIGNALS},
        {s.name: (2 if s.kind == "level" else "team" if s.kind == "audience" else True) for s in SIGNALS},
        {s.name: value for s, value in zip(SIGNALS, ["1", None, [1], 1.5, True, "", {}, -1, 3, "x"])},
    ]
    features = [
        {f: "" for f in FEATURE_FIELDS},
        {"id": "f1", "name": "Shared boards", "description": "Invite guests", "category": "domain",
         "text": "Shared boards Invite guests domain", "metered": "boards", "name_words": 2},
        {f: value for f, value in zip(FEATURE_FIELDS, [None, 3, ["a"], True, 2.5, {}, "x"])},
    ]
    products = [
        {"name": "P", "description": "", "model": "freemium", "trial_days": None,
         "collaborative": True, "tiers": ["free", "pro"]},
        {f: value for f, value in zip(PRODUCT_FIELDS, [[], 0, None, "14", False, "free"])},
    ]
    return tuple(
        {"signals": s, "feature": f, "product": p, "words": w}
        for s, f, p, w in zip(signals * 2, features * 2, products * 3, ["'sso'", ["a", 1], None, 3, "", True])
    )


TARGETS: dict[str, Callable[[bytes], None]] = {
    "inventory": inventory, "rules": rules, "csv": csv, "pricing2yaml": pricing2yaml,
    "config": config, "baseline": baseline, "expressions": expressions,
}


def seeds(target: str) -> list[bytes]:
    """The seed corpus of a target, in name order."""
    return [path.read_bytes() for path in sorted((CORPUS / target).iterdir()) if path.is_file()]


def _render(analysis) -> None:
    for name in formats_for("analyze"):
        formatter("analyze", name)(analysis, RenderOptions())
    if analysis.assessments:
        explanation = explain(analysis, analysis.assessments[0].feature.id)
        for name in formats_for("explain"):
            formatter("explain", name)(explanation, RenderOptions())


def _validates(data: dict) -> Inventory:
    return parse_inventory(dump_inventory(data), "imported")


@lru_cache(maxsize=1)
def _builtin_rules():
    return load_ruleset()


@lru_cache(maxsize=1)
def _sample_inventory() -> Inventory:
    return parse_inventory((CORPUS / "inventory" / "whiteboard.yaml").read_text("utf-8"), "sample")


@lru_cache(maxsize=1)
def _scratch_file() -> Path:
    # Rule packs are read from files; one scratch file is rewritten for every input.
    handle, name = tempfile.mkstemp(prefix="fuzz-pack-", suffix=".yaml")
    os.close(handle)
    return Path(name)
