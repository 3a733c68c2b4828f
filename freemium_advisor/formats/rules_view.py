"""Views of the rules themselves: the list, one rule in full, and the Markdown reference."""

from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text

from freemium_advisor.base.escaping import document, json_document
from freemium_advisor.formats.terminal import text_console
from freemium_advisor.model.signals import LEVELS, RULE_CRITERIA
from freemium_advisor.render.templating import render_template


def _sets(rule) -> str:
    return ", ".join(
        f"{name}: {LEVELS[value] if isinstance(value, int) and not isinstance(value, bool) else str(value).lower()}"
        for name, value in rule.sets
    )


def _effect(rule) -> str:
    """What a rule does, in one short phrase: ``free +3`` or ``sets virality: high``."""
    if rule.kind == "score":
        return f"{rule.direction} {rule.weight:g}"
    if rule.kind == "infer":
        return f"sets {_sets(rule)}"
    return f"wall on {rule.metric.source}"


def render_list_json(ruleset, options=None) -> str:
    """All rules in load order, as JSON (the shape of :data:`~freemium_advisor.result.catalog.RULE`)."""
    from freemium_advisor.result.catalog import RULE_LIST

    data = RULE_LIST.convert(ruleset.rules, {})
    return json_document(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def render_list_table(ruleset, options=None) -> str:
    """All rules in load order, as a table."""
    console, buffer = text_console(options)
    table = Table(title=f"{len(ruleset.rules)} rules", title_justify="left")
    table.add_column("Id", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Criterion", no_wrap=True)
    table.add_column("Effect", overflow="fold")
    table.add_column("Source", overflow="fold")
    for rule in ruleset.rules:
        table.add_row(rule.id, rule.kind, rule.criterion, _effect(rule), rule.source.cite())
    console.print(table)
    if ruleset.disabled:
        console.print(f"Disabled: {', '.join(ruleset.disabled)}")
    return buffer.getvalue()


def render_rule(rule, options) -> str:
    """One rule with everything it is made of."""
    console, buffer = text_console(options)
    console.print(Text(f"{rule.id}: {rule.title}", style="bold"))
    rows = [("kind", rule.kind), ("criterion", rule.criterion), ("effect", _effect(rule))]
    if rule.when:
        rows.append(("when", rule.when.source))
    if rule.words:
        rows.append(("words", ", ".join(rule.words.words)))
    if rule.unless:
        rows.append(("unless", ", ".join(rule.unless.words)))
    rows += [
        ("message", rule.message.source),
        ("source", rule.source.cite()),
    ]
    if rule.source.seed:
        rows.append(("seed", rule.source.seed))
    if rule.source.quote:
        rows.append(("quote", f"\"{rule.source.quote}\""))
    rows.append(("defined at", rule.origin))
    for outcome in ("fires", "silent"):
        for case in rule.example_cases(outcome):
            rows.append((f"{outcome} on", json.dumps(case, sort_keys=True)))
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(key, Text(value))
    console.print(table)
    return buffer.getvalue()


def render_docs(ruleset) -> str:
    """The Markdown rule reference, from ``templates/rules.md.j2``."""
    by_criterion = [
        (criterion, [r for r in ruleset.rules if r.criterion == criterion.id])
        for criterion in RULE_CRITERIA
    ]
    return document(render_template(
        "rules.md.j2", ruleset=ruleset, by_criterion=by_criterion, effect=_effect,
        dumps=lambda case: json.dumps(case, sort_keys=True),
    ))
