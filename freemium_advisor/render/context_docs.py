"""The reference of what a ``report --template`` sees, generated from the result's JSON Schema.

A user's template gets the JSON result as its context, so its documentation is the schema,
walked field by field: ``docs/report-context.md`` is this module's output, and a test fails
when it drifts. Regenerate it with ``python -m freemium_advisor.render.context_docs docs/report-context.md``.
"""

from __future__ import annotations

import sys
from typing import Any

from freemium_advisor.base.outputs import STDOUT, write_output
from freemium_advisor.result.schema import result_schema

# Objects whose keys are a fixed list (every criterion, every signal) with one shape: one row
# for the pattern instead of ten identical ones.
_SAME_SHAPE_MIN = 3

INTRO = """\
# What a report template sees

`freemium-advisor report FILE --template PATH` renders your own Jinja2 template instead of
the built-in report. The template runs in Jinja2's immutable sandbox, with undefined names as
errors (the message names the template, its line and the missing name; exit 2). With
`--format html` its output is autoescaped; with `--format markdown` (the default) it is not, so
pass feature text through the `md` filter.

Its context is the JSON result of `freemium-advisor analyze FILE --format json`: each
top-level field below is a variable (`product`, `features`, `findings`...). This page is
generated from the result's JSON Schema (`freemium-advisor schema --result`); a test keeps it
current.

## Filters

| filter | what it does |
|---|---|
| `md` | makes text inert in Markdown: one line, `\\|`, `` \\` ``, `*`, `_`, `[`, `]`, `~` escaped, `<`, `>`, `&` as entities |
| `mermaid` | text for a double-quoted Mermaid label (letters, digits, spaces and `- . , ( ) / +`) |
| `signed` | a weight with its sign: `+3`, `-0.5`, `0` |
| `number` | a number without trailing zeros: `3`, `0.5` |

## Example

```jinja
# {{ product.name|md }}
{% for f in features %}
- {{ f.name|md }}: {{ f.recommendation }} ({{ f.tier|md if f.tier else "no tier" }})
{% endfor %}
```

A line holding only a block tag (`{% for %}`, `{% endif %}`) leaves no trace in the output
(Jinja2's `trim_blocks` and `lstrip_blocks` are on), and neither does the newline after a block
tag that ends a line: write conditions inline as expressions, as above, to keep line breaks.

## Fields

`[]` is an item of a list; `<name>` one of the keys listed.

| field | type | meaning |
|---|---|---|
"""


# What each field means, where the schema itself carries no description. A field without a
# meaning here or in the schema fails the docs test, so a new result field gets documented.
MEANINGS = {
    "format_version": "the result format's version; fields are only added within a version",
    "tool": "what produced the result",
    "tool.name": "the tool's name",
    "tool.version": "the tool's version",
    "rules.fingerprint": "changes whenever any rule, override or policy in force changes",
    "rules.packs": "`builtin`, then each `--rules` path, in load order",
    "product": "the product as the inventory describes it",
    "product.name": "the product's name",
    "product.model": "its business model",
    "product.trial_days": "the trial's length, for trial and reverse-trial models",
    "product.collaborative": "collaboration or one-to-many at the core",
    "product.tiers": "the tiers, cheapest first; the first is the free tier",
    "product.tiers[].name": "the tier's name",
    "product.tiers[].audience": "who the tier is sold to",
    "summary": "how many features get each recommendation",
    "features": "one entry per feature, in the inventory's order",
    "features[].id": "the feature's id in the inventory",
    "features[].name": "the feature's name (any text: escape it for your target)",
    "features[].recommendation": "the advice",
    "features[].current": "the tier it sits in today, if the inventory says",
    "features[].score": "free weight minus limit and gated weight",
    "features[].margin": "the weight that would have to move to change the advice",
    "features[].confidence": "the measured accuracy of the advice's confidence band (0 when unknown)",
    "features[].confidence_label": "the confidence in words: the label the band's measured accuracy earns (policy)",
    "features[].evidence": "what the decisive reasons rest on: `answered`, `inferred` or `none`",
    "features[].limit.metric": "what the wall should count (`AI credits`, `GB of storage`...)",
    "features[].limit.rule": "the metric rule that named it",
    "features[].criteria": "the net score of every criterion (positive leans free)",
    "features[].signals": "every signal, answered, inferred or unset",
    "features[].signals.<name>.value": "a level name, an audience, true/false, or null",
    "features[].signals.<name>.source": "`explicit` (the PM answered), `inferred` (from words) or `unset`",
    "features[].signals.<name>.evidence": "the inference rules that set it",
    "features[].reasons": "the score rules that fired, in rule order",
    "features[].reasons[].rule": "the rule's id",
    "features[].reasons[].criterion": "the criterion it weighs",
    "features[].reasons[].direction": "which way it pushes",
    "features[].reasons[].weight": "how hard it pushes",
    "features[].reasons[].message": "why, in words (rendered from the rule's message)",
    "features[].reasons[].evidence": "the inferences behind the signals it read",
    "features[].position": "where the feature starts in the inventory",
    "findings": "where today's placement disagrees with the advice, in check order",
    "findings[].check": "the check's id",
    "findings[].title": "the check's title",
    "findings[].severity": "how serious it is",
    "findings[].feature": "the feature it is about, or null for the product",
    "findings[].message": "what is wrong, in words",
    "findings[].file": "the inventory file",
    "findings[].position": "where to look in the file",
    "findings[].fingerprint": "a stable identity (check and subject), for waivers and baselines",
    "findings[].help": "how to fix it",
    "findings[].suppression.kind": "what accepted it: a waiver, the baseline, or --base",
    "findings[].suppression.reason": "why, in the words of whoever accepted it",
    "findings[].suppression.owner": "who accepted it, if the waiver says",
    "findings[].suppression.expires": "the date the waiver ends, if it says",
}
_SHARED_MEANINGS = {
    "evidence[].rule": "the inference rule",
    "evidence[].words": "the words it found in the feature's text",
    "evidence[].message": "what it concluded, in words",
    "source.principle": "the framework principle",
    "source.seed": "the write-up of the talk it cites",
    "source.timestamp": "where in the talk (hh:mm:ss)",
    "source.quote": "a paraphrase from the write-up, not a quotation of the speaker",
    "position.line": "1-based line",
    "position.column": "1-based column",
}


def meaning(path: str, schema_description: str) -> str:
    """What the field at ``path`` means: the schema's description, else this module's."""
    if schema_description:
        return schema_description
    if path.startswith("suppressed[]."):
        path = "findings[]." + path[len("suppressed[]."):]  # the same finding, accepted
    if path in MEANINGS:
        return MEANINGS[path]
    for suffix, text in _SHARED_MEANINGS.items():
        if path.endswith("." + suffix):
            return text
    return ""


def _type(schema: dict[str, Any]) -> str:
    if "const" in schema:
        return f'`"{schema["const"]}"`' if isinstance(schema["const"], str) else f"`{schema['const']}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "oneOf" in schema:
        return " or ".join(_type(option) for option in schema["oneOf"])
    kind = schema.get("type", "any")
    kinds = kind if isinstance(kind, list) else [kind]
    words = {"array": "list", "object": "object", "string": "text", "integer": "integer",
             "number": "number", "boolean": "true/false", "null": "null"}
    text = " or ".join(words.get(k, k) for k in kinds)
    if "pattern" in schema:
        text += f" (`{schema['pattern']}`)"
    return text


def _object_of(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema inside ``schema`` (itself, or the object branch of a oneOf)."""
    if schema.get("type") == "object":
        return schema
    for option in schema.get("oneOf", ()):
        if option.get("type") == "object":
            return option
    return None


def _rows(path: str, schema: dict[str, Any], description: str = ""):
    yield path, _type(schema), schema.get("description", description)
    if schema.get("type") == "array" and "items" in schema:
        yield from _children(path + "[]", schema["items"])
    else:
        obj = _object_of(schema)
        if obj is not None:
            yield from _children(path, obj)


def _children(path: str, schema: dict[str, Any]):
    obj = _object_of(schema)
    if obj is None:
        return
    properties = obj.get("properties", {})
    shapes = list(properties.values())
    if len(shapes) >= _SAME_SHAPE_MIN and all(s == shapes[0] for s in shapes):
        keys = ", ".join(f"`{k}`" for k in properties)
        yield from _rows(f"{path}.<name>", shapes[0], f"one per name: {keys}")
        return
    for key, child in properties.items():
        yield from _rows(f"{path}.{key}" if path else key, child)


def analysis_schema() -> dict[str, Any]:
    """The schema of one analysis: what ``analyze --format json`` prints and a template sees
    (the result schema also describes the CI gate's result, which templates never get)."""
    schema = result_schema()
    return schema.get("$defs", {}).get("analysis", schema)


def render_context_docs() -> str:
    """The Markdown reference of the template context, one row per field."""
    lines = [INTRO.rstrip("\n")]
    for path, kind, description in _children("", analysis_schema()):
        cell = meaning(path, description).replace("|", "\\|")
        lines.append(f"| `{path}` | {kind.replace('|', chr(92) + '|')} | {cell} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - the documented way to regenerate the page
    write_output(render_context_docs(), sys.argv[1] if len(sys.argv) > 1 else STDOUT)
