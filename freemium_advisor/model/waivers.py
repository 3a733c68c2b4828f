"""Waivers: a deliberate decision, written in the inventory next to what it accepts.

```yaml
  - id: voting-timer
    current: business
    waive:
      - check: gated-growth-feature
        reason: Workshops are our upgrade trigger this quarter.
        owner: pricing@boardly.example
        expires: 2027-03-31
```

A feature's waiver accepts a feature check's finding on that feature; the product's waivers
accept catalog checks (product and tier scope). A waived finding is reported as suppressed
and never fails a build. An expired waiver stops suppressing and is a finding of its own; a
waiver whose check no longer fires is reported as stale. This module reads and validates
waivers; :func:`freemium_advisor.engine.findings.apply_waivers` applies them.

``expires`` is an ISO date, ``YYYY-MM-DD`` and nothing else (not ``20270331``, not a week
date such as ``2027-W13-3``, whatever a Python version's ``date.fromisoformat`` accepts),
and it is compared with today's date in UTC (:func:`utc_today`): two CI runners in different
time zones judge the same commit alike. A waiver holds through its ``expires`` day, UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from freemium_advisor.base.record import record
from freemium_advisor.base.validate import Checker, Invalid
from freemium_advisor.base.yamlpos import type_name

WAIVER_KEYS = ("check", "reason", "owner", "expires")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def utc_today() -> dt.date:
    """Today's date in UTC: the date waivers expire by, the same on every runner."""
    return dt.datetime.now(dt.timezone.utc).date()


@record
class Waiver:
    """One accepted finding: which check, why, who owns the decision, until when."""

    check: str
    reason: str
    owner: str | None
    expires: dt.date | None
    file: str
    line: int
    column: int

    def expired(self, today: dt.date) -> bool:
        """Past its ``expires`` date (a waiver is still good on the day itself)."""
        return self.expires is not None and self.expires < today


def parse_waivers(
    check: Checker, path: tuple, value: Any, check_problem: Callable[[str], str | None] | None = None,
) -> tuple[Waiver, ...]:
    """Validate a ``waive:`` list at ``path``; every problem is reported with line and column.

    Problems go to ``check`` (the reader's :class:`~freemium_advisor.base.validate.Checker`), so a
    file with several mistakes lists them all, every problem of each waiver included;
    ``check_problem`` says what is wrong with the check a waiver names (one the catalog lacks),
    if anything. A broken waiver is left out.
    """
    if value is None:
        return ()
    if not isinstance(value, list):
        check.report(path, f"'waive' must be a list of waivers, not {type_name(value)}")
        return ()
    waivers = []
    for index, item in enumerate(value):
        with check.each():
            waivers.append(_waiver(check, (*path, index), item, check_problem))
    return tuple(waivers)


def _waiver(check: Checker, path: tuple, item: Any, check_problem: Callable[[str], str | None] | None) -> Waiver:
    item = check.mapping(item, path, "a waiver")
    before = len(check.errors)
    check.keys(item, path, WAIVER_KEYS, (), "waiver")
    if "check" not in item:
        check.report(path, "a waiver needs the 'check' it accepts")
    if "reason" not in item:
        check.report(path, "a waiver needs a 'reason'")

    def field(key: str, read: Callable[[Any, tuple], Any]) -> Any:
        return check.attempt(lambda: read(item[key], (*path, key)), None) if key in item else None

    name = field("check", lambda v, at: check.text(v, at, "check"))
    reason = field("reason", lambda v, at: check.text(v, at, "reason"))
    owner = field("owner", lambda v, at: check.text(v, at, "owner"))
    expires = field("expires", lambda v, at: _date(check, at, v))
    problem = check_problem(name) if name is not None and check_problem is not None else None
    if problem:
        check.report(path, problem)
    if len(check.errors) > before:
        raise Invalid()
    mark = check.doc.value_mark(path)
    return Waiver(name, " ".join(reason.split()), owner, expires, check.path, mark.line, mark.column)


def _date(check: Checker, path: tuple, value: Any) -> dt.date:
    # Only text: a YAML integer (20270331) or a date-time is not a date, on any Python.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise check.fail(path, f"waiver 'expires' must be a date like 2027-03-31 (YYYY-MM-DD), not {value!r}")


def waivers_schema(check_ids: list[str]) -> dict[str, Any]:
    """The JSON Schema of a ``waive:`` list whose waivers may name ``check_ids``."""
    return {
        "description": "accepted findings: each waiver names a check, why, and until when",
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["check", "reason"],
            "properties": {
                "check": {"enum": check_ids},
                "reason": {"type": "string", "minLength": 1},
                "owner": {"type": "string", "minLength": 1},
                "expires": {"description": "YYYY-MM-DD (UTC); past it the finding counts again",
                            "type": "string", "format": "date",
                            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            },
        },
    }
