"""``.freemium-advisor.yaml``: the settings a repository's checks share, found upwards.

```yaml
rules: [pricing-rules/]          # rule packs, relative to this file
fail_on: warning                 # error | warning | note | never
format: text                     # the default --format of 'check'
baseline: .freemium-baseline.json
strict: true                     # findings that rest on guesses keep their full severity
```

It is looked for in the working folder, then each folder above it (``--config FILE`` names
another). Every command that reads rules loads its ``rules`` (so a terminal and CI give the
same advice); ``check`` also reads ``fail_on``, ``format``, ``baseline`` and ``strict``. Validated as
strictly as an inventory, with the same toolkit (every unknown key or wrong value, one line
each with line and column), by every command that reads it; options given on the command
line win over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from freemium_advisor.base.validate import Checker
from freemium_advisor.base.yamlpos import load_yaml, read_text

CONFIG_NAME = ".freemium-advisor.yaml"
CONFIG_KEYS = ("rules", "fail_on", "format", "baseline", "strict")


@dataclass(frozen=True)
class Config:
    """Settings from a config file; ``None`` where it says nothing. Paths are resolved."""

    path: str | None = None
    rules: tuple[str, ...] | None = None
    fail_on: str | None = None
    format: str | None = None
    baseline: str | None = None
    strict: bool | None = None


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``.freemium-advisor.yaml`` from ``start`` (the working folder) upwards."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def load_config(path: str | Path, fail_on_choices: tuple[str, ...], formats: tuple[str, ...]) -> Config:
    """Read and validate a config file (every problem at once); paths are relative to its folder."""
    name, text = read_text(str(path))
    doc = load_yaml(text, name)
    data = doc.data
    if data is None:
        return Config(path=name)
    check = Checker(doc)
    data = check.attempt(lambda: check.mapping(data, (), CONFIG_NAME), None)
    if data is None:
        check.done()
    check.keys(data, (), CONFIG_KEYS, (), "config")
    folder = Path(path).parent
    rules = check.attempt(lambda: _rules(check, data), None) if "rules" in data else None
    fail_on = check.attempt(lambda: _choice(check, data, "fail_on", fail_on_choices), None)
    fmt = check.attempt(lambda: _choice(check, data, "format", formats), None)
    baseline = check.attempt(lambda: check.text(data["baseline"], ("baseline",), "baseline"), None) \
        if "baseline" in data else None
    strict = check.attempt(lambda: _flag(check, data, "strict"), None)
    check.done()
    return Config(
        path=name,
        rules=tuple(str(folder / r) for r in rules) if rules is not None else None,
        fail_on=fail_on,
        format=fmt,
        baseline=str(folder / baseline) if baseline else None,
        strict=strict,
    )


def _rules(check: Checker, data: dict) -> list[str]:
    value = data["rules"]
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise check.fail(("rules",), "'rules' must be a rule pack path or a list of them")
    return value


def _choice(check: Checker, data: dict, key: str, choices: tuple[str, ...]) -> str | None:
    if key not in data:
        return None
    return check.choice(data[key], (key,), choices, key)


def _flag(check: Checker, data: dict, key: str) -> bool | None:
    if key not in data:
        return None
    if not isinstance(data[key], bool):
        raise check.fail((key,), f"'{key}' must be true or false")
    return data[key]
