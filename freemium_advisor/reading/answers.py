"""A filled-in questionnaire (``ask FILE --answers q.csv``): the answers to write, checked.

The CSV is the one ``ask --export`` writes: a header row naming at least ``feature``,
``signal`` and ``answer``, then one row per question. A row whose answer is empty is skipped,
and so is one the inventory holds already with the same value (a rerun changes nothing).
Every problem (a row edited out of shape, an unknown feature or signal, an answer the signal
does not take or that ``ask`` would not offer, a signal answered twice, or answered already
in the inventory with another value) is an error at the row's line, and all of them are
reported in one run, before anything is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from freemium_advisor.base.record import record
from freemium_advisor.base.errors import InputError, InputErrors, did_you_mean, one_of
from freemium_advisor.base.textfile import STDIN, read_text
from freemium_advisor.base.yamledit import add_entries
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.reading.inventory_reader import parse_inventory
from freemium_advisor.model.signals import SIGNAL_BY_NAME

NEEDED_COLUMNS = ("feature", "signal", "answer")


@record
class Answer:
    """One answer to write: ``signal: value`` on ``feature``, from ``line`` of the file."""

    feature: str
    signal: str
    value: str  # as the inventory writes it: high, team, true
    line: int


@record
class Answers:
    """The answers of a questionnaire to write, and how many of its rows the inventory holds
    already, with the same value (a rerun of the same file writes nothing)."""

    new: list[Answer]
    unchanged: int


# For a feature id and a signal, the answers ``ask`` offers (``None``: every answer).
Offered = Callable[[str, str], "tuple[str, ...] | None"]


def read_answers(path: str, inventory: Inventory, offered: Offered | None = None) -> Answers:
    """The answers of a filled-in questionnaire (``-``: stdin), checked against the inventory
    and, with ``offered``, against the answers ``ask`` offers for each row."""
    if path != STDIN and not path.lower().endswith(".csv"):
        raise InputError(path, None, None, "answers are read from a CSV file (ask --export q.csv writes one)")
    name, text = read_text(path)
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = _next_row(rows, name)
    if header is None:
        raise InputError(name, 1, 1, "the questionnaire is empty; expected a header row")
    header = [cell.strip() for cell in header]
    missing = [c for c in NEEDED_COLUMNS if c not in header]
    if missing:
        raise InputError(name, 1, 1, f"the header row has no column {one_of(missing)}")
    at = {column: header.index(column) for column in NEEDED_COLUMNS}
    features = {f.id: f for f in inventory.features}
    errors: list[InputError] = []
    answers: list[Answer] = []
    unchanged = 0
    seen: dict[tuple[str, str], int] = {}
    while True:
        try:
            row = _next_row(rows, name)
        except InputError as exc:
            errors.append(exc)  # the rest of the file cannot be read row by row
            break
        if row is None:
            break
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(InputError(name, line, 1, f"this row has {len(row)} fields, the header "
                                                    f"{len(header)}: was it edited out of shape?"))
            continue
        feature_id, signal, answer = (row[at[c]].strip() for c in NEEDED_COLUMNS)
        if not answer:
            continue
        problem = _problem(feature_id, signal, answer, features, inventory.path)
        if problem is None and (feature_id, signal) in seen:
            problem = f"'{signal}' of '{feature_id}' is answered twice (first on line {seen[feature_id, signal]})"
        if problem:
            errors.append(InputError(name, line, 1, problem))
            continue
        seen[feature_id, signal] = line
        spec = SIGNAL_BY_NAME[signal]
        parsed = spec.parse(_typed(spec, answer), booleans_as_levels=False)
        value = spec.display(parsed)
        written = features[feature_id].signals.get(signal)
        if written is not None:
            if written == parsed:  # the same answer again: nothing to write
                unchanged += 1
                continue
            errors.append(InputError(name, line, 1, (
                f"'{signal}' of '{feature_id}' is answered in {inventory.path} already, as "
                f"{spec.display(written)}; change it there"
            )))
            continue
        choices = offered(feature_id, signal) if offered else None
        if choices is not None and value not in choices:
            errors.append(InputError(name, line, 1, (
                f"'{feature_id}': {signal} {value} contradicts the feature's own words; "
                f"ask offers {one_of(choices)}"
            )))
            continue
        answers.append(Answer(feature_id, signal, value, line))
    if errors:
        raise InputErrors(errors)
    return Answers(answers, unchanged)


def _next_row(rows, name: str) -> list[str] | None:
    """The next row of ``rows`` (``None`` at the end); a row that is not CSV (a quote never
    closed, text after a closing quote) is an error at the line the row starts on."""
    start = rows.line_num + 1
    try:
        return next(rows, None)
    except csv.Error as exc:
        reason = "a quoted field is never closed" if "end of data" in str(exc) else str(exc)
        raise InputError(name, start, 1, f"malformed row: {reason}") from None


def _problem(feature_id: str, signal: str, answer: str, features: dict, where: str) -> str | None:
    if feature_id not in features:
        return f"no feature '{feature_id}' in {where}{did_you_mean(feature_id, features)}"
    spec = SIGNAL_BY_NAME.get(signal)
    if spec is None:
        return f"unknown signal '{signal}'{did_you_mean(signal, SIGNAL_BY_NAME)}"
    typed = _typed(spec, answer)
    if spec.kind == "flag" and not isinstance(typed, bool):
        # The answer as written: "not text" would not say which cell is wrong.
        return f"'{feature_id}': '{signal}' must be true or false, not {answer!r}"
    try:
        spec.parse(typed, booleans_as_levels=False)
    except ValueError as exc:
        return f"'{feature_id}': {exc}"
    return None


def _typed(spec, answer: str):
    """A flag's answer as the boolean it names; every other answer is text."""
    if spec.kind == "flag" and answer.lower() in ("true", "false"):
        return answer.lower() == "true"
    return answer.lower()


def with_answers(text: str, inventory: Inventory, answers: list[Answer]) -> str:
    """The inventory's text with the answers written into each feature's ``signals`` (see
    :mod:`freemium_advisor.base.yamledit`): checked by reading it back, so that what is
    written is an inventory that holds exactly these answers."""
    index = {f.id: i for i, f in enumerate(inventory.features)}
    by_feature: dict[str, list[tuple[str, str]]] = {}
    for answer in answers:
        by_feature.setdefault(answer.feature, []).append((answer.signal, answer.value))
    edited = text
    for feature_id, entries in by_feature.items():
        try:
            edited = add_entries(edited, ("features", index[feature_id]), "signals", entries)
        except ValueError as exc:
            feature = inventory.feature(feature_id)
            raise InputError(inventory.path, feature.line, feature.column,
                             f"cannot write the answers into '{feature_id}': {exc}") from None
    written = parse_inventory(edited, inventory.path)
    for answer in answers:
        got = written.feature(answer.feature).signals.get(answer.signal)
        spec = SIGNAL_BY_NAME[answer.signal]
        if got is None or spec.display(got) != answer.value:
            raise InputError(inventory.path, None, None,
                             f"writing '{answer.signal}' of '{answer.feature}' did not read back; nothing written")
    return edited
