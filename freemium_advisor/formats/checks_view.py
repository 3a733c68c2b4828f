"""The checks as a list (``checks list``: a line each, or JSON) and the check reference
(docs/checks.md), generated from the files under ``checks/``."""

from __future__ import annotations

import json
import re

import yaml

from freemium_advisor.engine.findings import catalog
from freemium_advisor.reading.checkcatalog import (
    ADVICE_FIELDS,
    FEATURE_FIELDS,
    FIELDS,
    GROUNDS,
    MAPPINGS,
    WHOLE_VALUES,
)


def render_list_text(checks, options=None) -> str:
    """A line per check: id, severity in force, scope, title; a severity the rule packs
    changed says what it was."""
    lines = []
    for spec, severity in checks:
        changed = f" (default {spec.severity})" if severity != spec.severity else ""
        lines.append(f"{spec.id:<28} {severity:<8} {spec.scope:<8} {spec.title}{changed}")
    return "".join(line + "\n" for line in lines)


def render_list_json(checks, options=None) -> str:
    """The checks as JSON (the shape of :data:`~freemium_advisor.result.catalog.CHECK`)."""
    from freemium_advisor.base.escaping import json_document
    from freemium_advisor.result.catalog import CHECK_LIST

    data = CHECK_LIST.convert(list(checks), {})
    return json_document(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _example(example: dict) -> str:
    return yaml.safe_dump(example, sort_keys=False, default_flow_style=None, width=100).rstrip()


def _names() -> list[str]:
    """The table of what a feature check's ``when`` reads."""
    lines = ["| name | what it is |", "|---|---|"]
    described = {"feature": FEATURE_FIELDS, "advice": ADVICE_FIELDS}
    for name, what in MAPPINGS.items():
        if name in described:
            lines.append(f"| `{name}` | {what}: |")
            lines += [f"| `{name}.{f}` | {text} |" for f, text in described[name].items()]
        else:
            fields = ", ".join(f"`{f}`" for f in FIELDS[name])
            lines.append(f"| `{name}.<field>` | {what}; the fields: {fields} |")
    lines += [f"| `{name}` | {what} |" for name, what in WHOLE_VALUES.items()]
    return lines


def render_docs() -> str:
    """Markdown: a table of every check, what a ``when`` reads, then each check's condition or
    function, message, help, source and examples."""
    specs = catalog()
    lines = [
        "# Check reference",
        "",
        "Generated from `checks/` by `freemium-advisor checks docs -o docs/checks.md`; do not edit.",
        "",
        "`check` fails a build on findings at or above `--fail-on`; `analyze` lists them. A rule",
        "pack may change a check's severity (`policy: {severity: {CHECK: warning}}`, or `off`); a",
        "finding that rests on inferred signals only is one severity lower. To accept a finding,",
        "waive it in the inventory: `waive: [{check: CHECK, reason: ..., owner: ..., expires: 2027-03-31}]`",
        "on the feature (feature checks) or on the product (product and tier checks).",
        "",
        "| check | severity | scope | title |",
        "|---|---|---|---|",
    ]
    lines += [f"| [`{s.id}`](#{s.id}) | {s.severity} | {s.scope} | {s.title} |" for s in specs]
    lines += [
        "",
        "## What makes a check fire",
        "",
        "Each check is one YAML file under `checks/`: its id, title, severity, scope, message",
        "template, help, the passage of the framework it encodes, examples (inventories it must",
        "fire on, `fails`, and stay quiet on, `passes`) and what makes it fire:",
        "",
        "- `when`: a feature check's condition, in the rules' expression language (names and",
        "  their fields, constants, `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `and`, `or`, `not`,",
        "  parentheses), read for each feature against the names below; the check fires on every",
        "  feature it holds for. Its message reads the same names.",
        "- `rests_on`: what such a finding rests on, one of "
        + ", ".join(f"`{g}`" for g in GROUNDS if not g.startswith("signals.")) + ",",
        "  or `signals.<name>`. When every reason in it (or the signal) was inferred from the",
        "  feature's words, the finding is one severity lower and names those words.",
        "- `at`: the feature key a finding points at (`current`); without it, the feature itself.",
        "- `logic`: the name of the Python function (in `freemium_advisor/engine/checklogic.py`) of",
        "  a check that reads the whole catalog at once (a product or tier check, or a feature",
        "  check no condition can say). A name with no function is refused when the catalog loads.",
        "",
        "A waiver check has neither: the inventory's waivers raise it. Every test of a `when`, and",
        "every guard of a function, has an example that goes red without it.",
        "",
        "What a `when` reads for each feature:",
        "",
        *_names(),
    ]
    for s in specs:
        lines += ["", f"## {s.id}", "", f"**{s.title}** ({s.severity}, {s.scope} check)", ""]
        if s.when is not None:
            lines += [f"Fires when: `{' '.join(s.when.source.split())}`", ""]
            if s.rests_on:
                lines += [f"Rests on: `{s.rests_on}`", ""]
        elif s.logic is not None:
            lines += [f"Logic: `{s.logic}`", ""]
        else:
            lines += ["Raised by the waivers it is about.", ""]
        lines += [f"Message template: `{s.message}`", "", s.help, ""]
        if s.source:
            cite = f"{s.source.principle} ({s.source.seed} {s.source.timestamp})"
            lines += [f"Source: {cite}", ""]
            if s.source.quote:
                lines += [f"> {s.source.quote}", ""]
        for outcome, label in (("fails", "Fires on"), ("passes", "Quiet on")):
            for example in s.examples.get(outcome, ()):
                lines += [f"{label}:", "", "```yaml", _example(example), "```", ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"
