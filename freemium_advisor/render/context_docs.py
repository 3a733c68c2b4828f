"""The reference of what a ``report --template`` sees, generated from the result's JSON Schema.

A user's template gets the JSON result as its context, so its documentation is the schema,
walked field by field, each field's meaning its description (declared with the field in
:mod:`freemium_advisor.result`): ``docs/report-context.md`` is this module's output, and a
test fails when it drifts. Regenerate it with ``python -m freemium_advisor.render.context_docs docs/report-context.md``.
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
errors (the message names the template, its line and the missing name; exit 2), and within
bounds: no value over 200,000 characters or items, at most 500,000 steps (loop items, calls,
items read by filters) plus 20 per value of the result, at most 10 seconds; the README's
"Your own template" says how each is counted. Past a bound the render is exit 2. With
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
        cell = description.replace("|", "\\|")
        lines.append(f"| `{path}` | {kind.replace('|', chr(92) + '|')} | {cell} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - the documented way to regenerate the page
    write_output(render_context_docs(), sys.argv[1] if len(sys.argv) > 1 else STDOUT)
