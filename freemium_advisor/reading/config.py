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
from pathlib import Path

from freemium_advisor.base.record import record
from freemium_advisor.base.errors import InputError, InputErrors, did_you_mean, one_of
from freemium_advisor.base.validate import Checker
from freemium_advisor.reading.checkcatalog import SEVERITIES, check_by_id
from freemium_advisor.base.yamlpos import load_yaml, read_text

CONFIG_NAME = ".freemium-advisor.yaml"
CONFIG_KEYS = ("rules", "files", "fail_on", "format", "baseline", "strict", "select", "ignore", "severity")
# Where a setting is written: (file, line, column).
Where = tuple
LEVELS = (*SEVERITIES, "off")  # a check's severity, or off


@record
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
    config, errors = read_config(path, fail_on_choices, formats)
    if errors:
        raise InputErrors(list(errors))
    return config


def read_config(
    path: str | Path, fail_on_choices: tuple[str, ...], formats: tuple[str, ...],
) -> tuple[Config, tuple[InputError, ...]]:
    """A config file's settings, each left out (``None``) where it is wrong, and every
    problem found (in file order): ``check`` and ``validate`` go on reading what the rest
    of it names, so that one run lists every problem. A file that cannot be read or parsed
    at all is an :class:`InputError`."""
    name, text = read_text(str(path))
    doc = load_yaml(text, name)
    data = doc.data
    if data is None:
        return Config(path=name), ()
    check = Checker(doc)
    data = check.attempt(lambda: check.mapping(data, (), CONFIG_NAME), None)
    if data is None:
        return Config(path=name), tuple(check.errors)
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
    config = Config(
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
    return config, tuple(sorted(check.errors, key=lambda e: (e.line or 0, e.column or 0)))


def _paths(check: Checker, data: dict, key: str, what: str) -> list[str]:
    value = data[key]
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise check.fail((key,), f"'{key}' must be {what} or a list of them")
    return value


def _names(check: Checker, doc, data: dict, key: str) -> tuple[tuple[str, Where], ...]:
    """A list of check ids or severities (one may be written alone), each with its place;
    each unknown one is reported, naming the closest."""
    if key not in data:
        return ()
    value = data[key]
    items = [(value, (key,))] if isinstance(value, str) else (
        [(v, (key, i)) for i, v in enumerate(value)] if isinstance(value, list) else None)
    if not items or not all(isinstance(v, str) and v for v, _ in items):
        raise check.fail((key,), f"'{key}' must be a check id or severity, or a list of them")
    known = (*check_by_id(), *SEVERITIES)
    for name, path in items:
        if name not in known:
            check.report(path, f"{key}: no check or severity '{name}'{did_you_mean(name, known)}")
    return tuple((v, _where(doc, path)) for v, path in items if v in known)


def _severity(check: Checker, doc, data: dict) -> tuple[tuple[str, str, Where], ...]:
    """``check id: level`` pairs, each with the place of its check id; an unknown check or
    level is reported, naming the closest."""
    if "severity" not in data:
        return ()
    value = check.mapping(data["severity"], ("severity",), "'severity'")
    catalog = check_by_id()
    pairs = []
    for check_id, level in value.items():
        path = ("severity", check_id)
        level = "off" if level is False else level  # YAML 1.1 reads a bare `off` as false
        if str(check_id) not in catalog:
            check.report(path, f"severity: no check '{check_id}'{did_you_mean(str(check_id), catalog)}",
                         at_key=True)
        elif level not in LEVELS:
            check.report(path, f"severity of '{check_id}': unknown level '{level}'; expected {one_of(LEVELS)}",
                         at_key=True)
        else:
            pairs.append((str(check_id), level, _where(doc, path, at_key=True)))
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
