"""Import a PM's feature spreadsheet, saved as CSV, as an inventory.

One row per feature. The header row names inventory fields (``id``, ``name``,
``description``, ``category``, ``current``, ``addon``, ``limit_metric``, ``limit_free``) and
signals (``virality``, ``audience``...), in any order and case; empty cells mean "not set".
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import PurePath

from freemium_advisor.base.errors import InputError, did_you_mean, one_of
from freemium_advisor.base.limits import MAX_IMPORTED_FEATURES, MAX_INTEGER
from freemium_advisor.base.validate import Checker, Invalid
from freemium_advisor.base.yamlpos import STDIN_NAME
from freemium_advisor.model.inventory import DEFAULT_TIERS, FORMAT_VERSION, ID_PATTERN, ID_RULE
from freemium_advisor.model.signals import AUDIENCE, AUDIENCES, FLAG, LEVELS, SIGNAL_BY_NAME
from freemium_advisor.reading.importers import IMPORTED_PRODUCT

FIELDS = (
    "id", "name", "description", "category", "current", "addon", "limit_metric", "limit_free",
)
COLUMNS = FIELDS + tuple(SIGNAL_BY_NAME)
TRUE_WORDS = ("true", "yes", "y", "1", "x")
FALSE_WORDS = ("false", "no", "n", "0")
FORMULA_STARTS = tuple("=+-@")  # what makes a spreadsheet read a cell as a formula
_SEPARATOR = re.compile(r"[\s\-]+")
_DELIMITERS = (",", ";", "\t")  # spreadsheets in comma-decimal locales save with ';'


# Plan names as pricing pages use them, cheapest first: how an unknown ladder is guessed.
PLAN_ORDER = (
    "free", "starter", "basic", "personal", "individual", "plus", "standard", "pro",
    "professional", "team", "teams", "business", "premium", "enterprise",
)


def import_csv(
    text: str, path: str, *, name: str | None = None, tiers: list[str] | None = None,
    notes: list[str] | None = None,
) -> dict:
    """Turn CSV text into an inventory dict; ``path`` names the product and the messages.

    ``tiers`` is the tier ladder, cheapest first (``current`` cells must name one of them,
    in any case). Without it the ladder is the free tier and the tiers the sheet uses,
    ordered as pricing pages usually order plan names (free, starter, plus, pro, team,
    business, enterprise; other names just below enterprise): a guess, which is said in
    ``notes`` when a name outside free, pro, business and enterprise is involved. ``name`` is
    the product's name (default: from the file name). Every problem of the header and of
    the rows is raised together as :class:`~freemium_advisor.base.errors.InputErrors`,
    each at its line (the line the row starts on) and 1-based column.
    """
    check = Checker(_Sheet(path))
    rows = _rows(text.lstrip("\ufeff"), check)
    header = next(rows, None)
    if header is None:
        check.done()  # the first row is not CSV
        raise InputError(
            path, 1, 1, "the CSV file is empty; its first row must name the columns (id, name...)"
        )
    # The rows are read against the header even when it has problems: a column it lacks or
    # misnames is reported once, and every problem of the rows in its other columns too.
    columns = _columns(check, *header)
    features: list[dict] = []
    first_line: dict[str, int] = {}
    ladder = {tier.lower(): tier for tier in (tiers or DEFAULT_TIERS)}
    used: dict[str, str] = {}
    for line, cells in rows:
        if len(features) == MAX_IMPORTED_FEATURES:
            check.report((line, 1), f"more than {MAX_IMPORTED_FEATURES:,} features to import")
            break
        with check.each():
            row = _Row(check, line, columns, cells)
            # A row's id is taken, and a second use of it reported, whatever else is wrong in
            # either row: fixing one problem never reveals another.
            feature_id = row.get("id")
            if feature_id in first_line:
                check.report(
                    (line, columns.index("id") + 1),
                    f"duplicate feature id '{feature_id}' (first used on line {first_line[feature_id]})",
                )
            elif feature_id:
                first_line[feature_id] = line
            feature = row.feature()
            if "current" in feature:
                key = feature["current"].lower()
                if tiers and key not in ladder:
                    raise row.fail(
                        "current",
                        f"unknown tier {feature['current']!r}{did_you_mean(key, ladder)}"
                        f"; --tiers lists {one_of(list(ladder.values()))}",
                    )
                # "Pro" and "pro" are one tier; a known spelling, else the first seen, names it.
                feature["current"] = used.setdefault(key, ladder.get(key, feature["current"]))
            features.append(feature)
    check.done()
    product = {
        "name": name or _product_name(path),
        "model": "freemium",
        "tiers": list(ladder.values()) if tiers else _guess_ladder(used, notes),
    }
    return {"version": FORMAT_VERSION, "product": product, "features": features}


def _guess_ladder(used: dict[str, str], notes: list[str] | None) -> list[str]:
    """The free tier and the tiers in use, cheapest first by plan name."""
    if not used:
        return list(DEFAULT_TIERS)
    names = {"free": "free", **used}
    enterprise = PLAN_ORDER.index("enterprise")

    def rank(key: str) -> float:
        return PLAN_ORDER.index(key) if key in PLAN_ORDER else enterprise - 0.5

    ordered = sorted(names, key=lambda key: rank(key))  # sorted() is stable: first seen first
    ladder = [names[key] for key in ordered]
    if notes is not None and any(key not in DEFAULT_TIERS for key in ordered):
        notes.append(
            f"the tier order {', '.join(ladder)} (cheapest first) is a guess from the plan "
            "names; pass --tiers to set it"
        )
    return ladder


class _Sheet:
    """A CSV file for a :class:`Checker`: a path is ``(line, column)``, both 1-based; the
    column is ``None`` for a problem of the whole row."""

    def __init__(self, path: str):
        self.path = path

    def error(self, path: tuple, message: str, *, at_key: bool = False) -> InputError:
        line, column = path
        return InputError(self.path, line, column, message)


def _rows(text: str, check: Checker):
    """Yield ``(line, cells)`` for each non-blank row; ``line`` is where the row starts. A
    row that is not CSV is reported, and ends the reading."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            check.report((start, None), f"invalid CSV: {exc}")
            return
        if any(cell.strip() for cell in cells):
            yield start, [cell.replace("\r\n", "\n").replace("\r", "\n").strip() for cell in cells]
        start = reader.line_num + 1


def _columns(check: Checker, line: int, cells: list[str]) -> list[str | None]:
    """The field each column holds (``None`` for a column with no header, ``""`` for a wrong
    one: every problem is reported)."""
    columns: list[str | None] = []
    suggested = set()
    for index, cell in enumerate(cells, 1):
        name = _SEPARATOR.sub("_", cell.lower())
        if name and name not in COLUMNS:
            hint = did_you_mean(name, COLUMNS)
            suggested.add(hint)
            check.report((line, index), f"unknown column '{cell}'{hint}; expected {one_of(COLUMNS)}")
            name = ""
        elif name in columns:
            check.report((line, index), f"duplicate column '{name}' (also column {columns.index(name) + 1})")
            name = ""
        # None: an empty header (spreadsheets often save trailing empty columns); "": a
        # header reported above, whose cells are not reported again.
        columns.append(name if name or cell else None)
    for required in ("id", "name"):
        # A missing column that an unknown one was taken for ('nmae') is not reported twice.
        if required not in columns and did_you_mean(required, [required]) not in suggested:
            check.report((line, None), f"the header has no '{required}' column")
    return columns


class _Row:
    """One data row, read against the header; its problems are reported to ``check``."""

    def __init__(self, check: Checker, line: int, columns: list[str | None], cells: list[str]):
        self.check = check
        self.line = line
        self.columns = columns
        if len(cells) != len(columns):
            raise check.fail(
                (line, min(len(cells), len(columns)) + 1),
                f"the row has {len(cells)} cells but the header has {len(columns)} columns",
            )
        for index, (column, cell) in enumerate(zip(columns, cells), 1):
            if column is None and cell:
                check.report((line, index), f"the value {cell!r} has no column name")
        self.cells = {column: cell for column, cell in zip(columns, cells) if column}

    def fail(self, column: str, message: str) -> Invalid:
        return self.check.fail((self.line, self.columns.index(column) + 1), message)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def feature(self) -> dict:
        """The row's feature; every problem in it is reported (then :class:`Invalid`)."""
        check, before = self.check, len(self.check.errors)
        feature: dict = {}
        for column in ("id", "name"):
            # A column the header lacks is the header's problem, reported once.
            if column in self.columns and not self.get(column):
                check.report((self.line, self.columns.index(column) + 1),
                             f"missing '{column}' (every row needs an id and a name)")
            feature[column] = self.get(column)
        if feature["id"] and not ID_PATTERN.match(feature["id"]):
            check.report((self.line, self.columns.index("id") + 1),
                         f"invalid feature id {feature['id']!r}: use {ID_RULE}")
        for column in ("description", "category", "current"):
            if self.get(column):
                feature[column] = self.get(column)
        # Text cells are kept as text whatever they hold; but a tier name that a spreadsheet
        # would run as a formula ('=cmd|...') is never a real plan, and would become a tier.
        if feature.get("current", "")[:1] in FORMULA_STARTS:
            check.report(
                (self.line, self.columns.index("current") + 1),
                f"{feature['current']!r} looks like a spreadsheet formula, not a tier name",
            )
        if self.get("addon"):
            feature["addon"] = check.attempt(lambda: self.flag("addon"), False)
        limit = check.attempt(self.limit, None)
        if limit:
            feature["limit"] = limit
        signals = {name: check.attempt(lambda: self.signal(name), None)
                   for name in SIGNAL_BY_NAME if self.get(name)}
        if signals:
            feature["signals"] = signals
        if len(check.errors) > before:
            raise Invalid()
        return feature

    def flag(self, column: str) -> bool:
        word = self.get(column).lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise self.fail(
            column, f"'{column}' must be true or false, not {self.get(column)!r}"
        )

    def limit(self) -> dict | None:
        metric, free = self.get("limit_metric"), self.get("limit_free")
        if not free:
            return {"metric": metric} if metric else None
        if not metric:
            raise self.fail("limit_free", "'limit_free' needs a 'limit_metric' (what is limited)")
        try:
            number = float(free)
        except ValueError:
            number = -1.0
        if not math.isfinite(number) or not 0 <= number <= MAX_INTEGER:
            raise self.fail("limit_free", f"'limit_free' must be a number, 0 or more, not {free!r}")
        return {"metric": metric, "free": int(number) if number.is_integer() else number}

    def signal(self, name: str):
        spec = SIGNAL_BY_NAME[name]
        raw = self.get(name)
        word = raw.lower()
        if spec.kind == FLAG:
            return self.flag(name)
        if spec.kind == AUDIENCE:
            if word in AUDIENCES:
                return word
            raise self.fail(
                name,
                f"unknown audience {raw!r}{did_you_mean(word, AUDIENCES)}; expected {one_of(AUDIENCES)}",
            )
        if word in LEVELS:
            return word
        if word in ("true", "false"):
            return "high" if word == "true" else "none"  # as the YAML inventory reads them
        raise self.fail(
            name,
            f"unknown level {raw!r} for signal '{name}'{did_you_mean(word, LEVELS)}"
            f"; expected {one_of(LEVELS)} (or true/false)",
        )


def _product_name(path: str) -> str:
    """``boardly-features.csv`` -> ``Boardly features``."""
    words = "" if path == STDIN_NAME else " ".join(re.split(r"[\s_\-]+", PurePath(path).stem)).strip()
    return words[:1].upper() + words[1:] if words else IMPORTED_PRODUCT
