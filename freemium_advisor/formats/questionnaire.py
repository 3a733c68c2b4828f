"""The questionnaire ``ask --export`` writes, for a team to fill in: CSV or Markdown.

One row per question, most valuable first, with the columns ``feature`` (the id), ``name``,
``signal``, ``question``, ``guess`` (what the words suggested, if anything), ``choices``,
``examples`` (what each answer means), ``changes`` (the advice each answer gives), ``now``
(today's advice) and ``answer`` (empty: fill it in, then ``ask FILE --answers q.csv``).

Every cell is made inert as in every other output: control characters and bidirectional
controls are shown as escapes (``\u202e``), in the CSV as in the Markdown. A CSV is opened in
spreadsheets, which run a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula: such
a cell is written with a single quote first (``'=cmd``), as spreadsheets themselves mark text.
The columns ``--answers`` reads back never need it: a feature id starts with a letter or a
digit, a signal is a name, and the answer is empty.
"""

from __future__ import annotations

import csv
import io

from freemium_advisor.base.escaping import markdown_escape, text_line
from freemium_advisor.engine.interview import Question

COLUMNS = ("feature", "name", "signal", "question", "guess", "choices", "examples", "changes",
           "now", "answer")


def rows(questions: list[Question]) -> list[tuple[str, ...]]:
    """The questionnaire's rows, the header first."""
    found = [COLUMNS]
    for q in questions:
        found.append((
            q.feature, q.name, q.signal, q.text, q.guess or "", ", ".join(q.choices),
            "; ".join(f"{c}: {q.example(c)}" for c in q.choices), q.changes(), q.now.advice(), "",
        ))
    return found


# What a spreadsheet reads as the start of a formula (tab and CR are escapes by then).
_FORMULA_STARTS = ("=", "+", "-", "@")


def csv_cell(value: str) -> str:
    """A cell as the CSV writes it: one line, controls shown as escapes, never a formula."""
    cell = text_line(value)
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def questionnaire_csv(questions: list[Question]) -> str:
    """The questionnaire as CSV (line breaks ``\\r\\n``, as the CSV standard has them)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([csv_cell(cell) for cell in row] for row in rows(questions))
    return buffer.getvalue()


def questionnaire_markdown(questions: list[Question], inventory_path: str) -> str:
    """The questionnaire as a Markdown table, to read and discuss (answers come back as CSV)."""
    table = rows(questions)
    lines = [
        f"# Questions about {inventory_path}",
        "",
        "Most valuable first: each answer can change the advice as `changes` says. Answer in",
        "the CSV version (`freemium-advisor ask FILE --export q.csv`), then",
        "`freemium-advisor ask FILE --answers q.csv`.",
        "",
        "| " + " | ".join(table[0]) + " |",
        "|" + "---|" * len(table[0]),
    ]
    lines += ["| " + " | ".join(markdown_escape(cell) for cell in row) + " |" for row in table[1:]]
    return "\n".join(lines) + "\n"
