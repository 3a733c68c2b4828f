"""``.freemium-advisor.yaml``: the settings a repository's checks share, found upwards.

```yaml
rules: [pricing-rules/]          # rule packs, relative to this file
files: [features.yaml]           # what 'check' and 'validate' read when given no FILE
fail_on: warning                 # error | warning | note | never
format: text                     # the default --format of 'check'
baseline: .freemium-baseline.json
strict: true                     # findings that rest on guesses keep their full severity
select: [error, no-aha-in-free]  # report only these checks or severities (default: all)
ignore: [not-collaborative]      # never report these checks or severities
severity:                        # a check's severity for 'check', or off
  no-habit-in-free: note
```

It is looked for in the working folder, then each folder above it (``--config FILE`` names
another). Every command that reads rules loads its ``rules`` (so a terminal and CI give the
same advice); ``check`` also reads the rest (``validate`` its ``files``, ``baseline`` and
check choice, as it reads what ``check`` reads). Check ids are checked against the catalog
by :func:`~freemium_advisor.engine.findings.check_choice`, with the rest of what a check
reads. Validated as
strictly as an inventory, with the same toolkit (every unknown key or wrong value, one line
each with line and column), by every command that reads it; options given on the command
line win over it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from freemium_advisor.base.validate import Checker
from freemium_advisor.base.yamlpos import load_yaml, read_text

CONFIG_NAME = ".freemium-advisor.yaml"
CONFIG_KEYS = ("rules", "files", "fail_on", "format", "baseline", "strict", "select", "ignore", "severity")
# Where a setting is written: (file, line, column).
Where = tuple


@dataclass(frozen=True)
class Config:
    """Settings from a config file; ``None`` where it says nothing. Paths are resolved."""

    path: str | None = None
    rules: tuple[str, ...] | None = None
    fail_on: str | None = None
    format: str | None = None
    baseline: str | None = None
    strict: bool | None = None
    files: tuple[str, ...] | None = None
    select: tuple[tuple[str, Where], ...] = ()
    ignore: tuple[tuple[str, Where], ...] = ()
    severity: tuple[tuple[str, str, Where], ...] = ()


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
    rules = check.attempt(lambda: _paths(check, data, "rules", "a rule pack path"), None) \
        if "rules" in data else None
    files = check.attempt(lambda: _paths(check, data, "files", "an inventory file or folder"), None) \
        if "files" in data else None
    select = check.attempt(lambda: _names(check, doc, data, "select"), ())
    ignore = check.attempt(lambda: _names(check, doc, data, "ignore"), ())
    severity = check.attempt(lambda: _severity(check, doc, data), ())
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
        # Shown as written when under the working folder, as a path given on the command line is.
        files=tuple(os.path.relpath(folder / f) for f in files) if files is not None else None,
        select=select,
        ignore=ignore,
        severity=severity,
    )


def _paths(check: Checker, data: dict, key: str, what: str) -> list[str]:
    value = data[key]
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise check.fail((key,), f"'{key}' must be {what} or a list of them")
    return value


def _names(check: Checker, doc, data: dict, key: str) -> tuple[tuple[str, Where], ...]:
    """A list of check ids or severities (one may be written alone), each with its place."""
    if key not in data:
        return ()
    value = data[key]
    items = [(value, (key,))] if isinstance(value, str) else (
        [(v, (key, i)) for i, v in enumerate(value)] if isinstance(value, list) else None)
    if not items or not all(isinstance(v, str) and v for v, _ in items):
        raise check.fail((key,), f"'{key}' must be a check id or severity, or a list of them")
    return tuple((v, _where(doc, path)) for v, path in items)


def _severity(check: Checker, doc, data: dict) -> tuple[tuple[str, str, Where], ...]:
    """``check id: level`` pairs, each with the place of its check id."""
    if "severity" not in data:
        return ()
    value = check.mapping(data["severity"], ("severity",), "'severity'")
    pairs = []
    for check_id, level in value.items():
        if not isinstance(level, str):  # 'off' unquoted is YAML's false
            level = {False: "off"}.get(level, level)
        if not isinstance(level, str):
            raise check.fail(("severity", check_id), f"the severity of '{check_id}' must be error, warning, note or off")
        pairs.append((str(check_id), level, _where(doc, ("severity", check_id), at_key=True)))
    return tuple(pairs)


def _where(doc, path: tuple, *, at_key: bool = False) -> Where:
    error = doc.error(path, "", at_key=at_key)
    return error.path, error.line, error.column


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
