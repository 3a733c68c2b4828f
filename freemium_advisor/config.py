"""``.freemium-advisor.yaml``: the settings a repository's checks share, found upwards.

```yaml
rules: [pricing-rules/]          # rule packs, relative to this file
fail_on: warning                 # error | warning | note | never
format: text                     # the default --format of 'check'
baseline: .freemium-baseline.json
```

It is looked for in the working folder, then each folder above it. Validated as strictly as
an inventory (unknown keys, wrong types: one line with line and column); options given on
the command line win over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from freemium_advisor.errors import did_you_mean, one_of
from freemium_advisor.yamlpos import Document, load_yaml, read_text, type_name

CONFIG_NAME = ".freemium-advisor.yaml"
CONFIG_KEYS = ("rules", "fail_on", "format", "baseline")


@dataclass(frozen=True)
class Config:
    """Settings from a config file; ``None`` where it says nothing. Paths are resolved."""

    path: str | None = None
    rules: tuple[str, ...] | None = None
    fail_on: str | None = None
    format: str | None = None
    baseline: str | None = None


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``.freemium-advisor.yaml`` from ``start`` (the working folder) upwards."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def load_config(path: str | Path, fail_on_choices: tuple[str, ...], formats: tuple[str, ...]) -> Config:
    """Read and validate a config file; paths in it are relative to its folder."""
    name, text = read_text(str(path))
    doc = load_yaml(text, name)
    data = doc.data
    if data is None:
        return Config(path=name)
    if not isinstance(data, dict):
        raise doc.error((), f"{CONFIG_NAME} must be a mapping, not {type_name(data)}")
    for key in data:
        if key not in CONFIG_KEYS:
            raise doc.error(
                (key,), f"unknown setting '{key}'{did_you_mean(key, CONFIG_KEYS)}; expected {one_of(CONFIG_KEYS)}",
                at_key=True,
            )
    folder = Path(path).parent
    rules = None
    if "rules" in data:
        value = data["rules"]
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise doc.error(("rules",), "'rules' must be a rule pack path or a list of them")
        rules = tuple(str(folder / v) for v in value)
    return Config(
        path=name,
        rules=rules,
        fail_on=_choice(doc, data, "fail_on", fail_on_choices),
        format=_choice(doc, data, "format", formats),
        baseline=str(folder / _text(doc, data, "baseline")) if "baseline" in data else None,
    )


def _choice(doc: Document, data: dict, key: str, choices: tuple[str, ...]) -> str | None:
    if key not in data:
        return None
    value = data[key]
    if value not in choices:
        raise doc.error(
            (key,), f"unknown {key} {str(value)!r}{did_you_mean(str(value), choices)}; expected {one_of(choices)}",
        )
    return value


def _text(doc: Document, data: dict, key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise doc.error((key,), f"'{key}' must be a path")
    return value
