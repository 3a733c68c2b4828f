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
waivers; :func:`freemium_advisor.findings.apply_waivers` applies them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from freemium_advisor.errors import did_you_mean, one_of
from freemium_advisor.yamlpos import Document, type_name

WAIVER_KEYS = ("check", "reason", "owner", "expires")


@dataclass(frozen=True)
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


def parse_waivers(doc: Document, path: tuple, value: Any) -> tuple[Waiver, ...]:
    """Validate a ``waive:`` list at ``path`` of ``doc``; every problem names line and column."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise doc.error(path, f"'waive' must be a list of waivers, not {type_name(value)}")
    waivers = []
    for index, item in enumerate(value):
        item_path = (*path, index)
        if not isinstance(item, dict):
            raise doc.error(item_path, f"a waiver must be a mapping, not {type_name(item)}")
        for key in item:
            if key not in WAIVER_KEYS:
                raise doc.error(
                    (*item_path, key),
                    f"unknown waiver key '{key}'{did_you_mean(key, WAIVER_KEYS)}"
                    f"; expected {one_of(WAIVER_KEYS)}",
                    at_key=True,
                )
        check = _text(doc, item_path, item, "check", "a waiver needs the 'check' it accepts")
        reason = _text(doc, item_path, item, "reason", "a waiver needs a 'reason'")
        owner = _text(doc, item_path, item, "owner", None) if "owner" in item else None
        expires = _date(doc, (*item_path, "expires"), item["expires"]) if "expires" in item else None
        mark = doc.value_mark(item_path)
        waivers.append(Waiver(check, reason, owner, expires, doc.path, mark.line, mark.column))
    return tuple(waivers)


def _text(doc: Document, path: tuple, item: dict, key: str, missing: str | None) -> str:
    if key not in item:
        raise doc.error(path, missing or f"a waiver needs '{key}'")
    value = item[key]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
        raise doc.error((*path, key), f"waiver '{key}' must be non-empty text")
    return " ".join(str(value).split())


def _date(doc: Document, path: tuple, value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise doc.error(path, f"waiver 'expires' must be a date like 2027-03-31, not {value!r}") from None
