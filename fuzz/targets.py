"""The fuzz targets: bytes in; a result or an :class:`InputError` out, never anything else.

Each target is what the command does with a file a stranger wrote, end to end: decode, parse,
validate, and for rule packs evaluate every rule on a small inventory; an imported inventory
must also validate, since the tool writes it for the user to analyze. The configuration and
the baseline of 'check' are read too. ``expressions`` compiles a condition and a message of
the rule language and evaluates them on odd contexts: each compiles or is refused, and gives a
result or fails, with an :class:`ExpressionError` and nothing else. ``discovery`` must never
pass over a file that loads as an inventory, and ``outputs`` puts a stranger's file name and
names through every format: no control or bidirectional character may reach the text, nor a
line the format did not mean.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from freemium_advisor.engine.analysis import analyze
from freemium_advisor.reading.baseline import read_baseline
from freemium_advisor.reading.config import load_config
from freemium_advisor.engine.explain import explain
from freemium_advisor.model.expressions import (
    FEATURE_FIELDS,
    PRODUCT_FIELDS,
    Condition,
    ExpressionError,
    MessageTemplate,
)
from freemium_advisor.formats import RenderOptions, formats_for, formatter, rules_view
from freemium_advisor.engine.gate import FAIL_ON, CheckRun, discover
from freemium_advisor.reading.importers import dump_inventory
from freemium_advisor.reading.importers.csv_table import import_csv
from freemium_advisor.reading.importers.pricing2yaml import import_pricing2yaml
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.reading.inventory_reader import load_inventory, parse_inventory
from freemium_advisor.engine.examples import ruleset_examples
from freemium_advisor.reading.rulepacks import builtin_rule_dir, load_ruleset
from freemium_advisor.model.signals import SIGNALS
from freemium_advisor.base.errors import InputError
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


def discovery(data: bytes) -> None:
    """A file in a checked folder: found as an inventory, or passed over only when it does
    not load as one (a skipped file that loads would be a gate failing open)."""
    folder = _scratch_folder()
    path = folder / "inventory.yaml"
    path.write_bytes(data)
    try:
        found = discover([str(folder)]).files
    except InputError:
        found = ()
    if found:
        return
    try:
        load_inventory(str(path))
    except InputError:
        return
    raise AssertionError("a file that loads as an inventory was passed over")


# Characters no output may carry as they are (tab and newline are layout).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SGR = re.compile("\x1b\\[[0-9;]*m")
_WORKFLOW_COMMAND = re.compile(r"::(error|warning|notice) file=[^,\n]*,line=\d+,col=\d+,title=[^\n]*::[^\n]*")


def outputs(data: bytes) -> None:
    """``{file: ..., product: ..., feature: ...}`` (YAML): a file name and names anyone could
    write, through every format of ``check``, ``analyze`` and ``explain``, in color too."""
    import yaml

    try:
        spec = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return
    if not isinstance(spec, dict):
        return
    file, product, feature = (str(spec.get(key, key)) for key in ("file", "product", "feature"))
    inventory = parse_inventory(yaml.safe_dump({
        "version": 1, "product": {"name": product, "tiers": ["free", "pro"]},
        "features": [{"id": "share", "name": feature, "current": "pro", "signals": {"virality": "high"}}],
    }), file)
    analysis = analyze(inventory, _builtin_rules())
    run = CheckRun((analysis,), "note")
    for color in (False, True):
        options = RenderOptions(color=color)
        texts = [formatter("check", name)(run, options) for name in formats_for("check")]
        texts += [formatter("analyze", name)(analysis, options) for name in formats_for("analyze")]
        explanation = explain(analysis, "share")
        texts += [formatter("explain", name)(explanation, options) for name in formats_for("explain")]
        for text in texts:
            found = _UNSAFE.search(_SGR.sub("", text))
            if found:
                raise AssertionError(f"U+{ord(found.group()):04X} reached an output: {text!r}")
    lines = formatter("check", "github")(run, RenderOptions()).splitlines()
    if len(lines) != len(run.findings) or not all(map(_WORKFLOW_COMMAND.fullmatch, lines)):
        raise AssertionError(f"a workflow command line the format did not mean: {lines!r}")
    if len(formatter("check", "text")(run, RenderOptions()).splitlines()) != len(run.findings):
        raise AssertionError("a finding of the text format is not one line")
    result = json.loads(formatter("check", "json")(run, RenderOptions()))["results"][0]
    if (result["file"], result["product"]["name"]) != (file, inventory.product.name):
        raise AssertionError("JSON does not give the names back")


def expressions(data: bytes) -> None:
    """A ``condition`` and a ``message`` (YAML), compiled and evaluated for a few contexts."""
    import yaml

    try:
        sources = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return
    if not isinstance(sources, dict):
        return
    condition, message = sources.get("condition"), sources.get("message")
    parts = []
    if isinstance(condition, str):
        parts.append((lambda: Condition(condition), lambda compiled, context: compiled(context)))
    if isinstance(message, str):
        parts.append((lambda: MessageTemplate(message, ("words",)),
                      lambda compiled, context: compiled.render(context)))
    for compile_, run in parts:
        try:
            compiled = compile_()
        except ExpressionError:
            continue
        for context in _contexts():
            try:
                run(compiled, context)
            except ExpressionError:
                pass


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
    "discovery": discovery, "outputs": outputs,
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
def _scratch_folder() -> Path:
    # A folder holding one file, rewritten for every input, as 'check FOLDER' walks it.
    return Path(tempfile.mkdtemp(prefix="fuzz-folder-"))


@lru_cache(maxsize=1)
def _scratch_file() -> Path:
    # Rule packs are read from files; one scratch file is rewritten for every input.
    handle, name = tempfile.mkstemp(prefix="fuzz-pack-", suffix=".yaml")
    os.close(handle)
    return Path(name)
