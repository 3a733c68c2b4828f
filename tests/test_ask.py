"""`ask`: the interview in a terminal (through a pseudo-terminal), and through --export and
--answers; the inventory stays byte for byte what it was apart from the lines ask adds."""

from __future__ import annotations

import csv
import difflib
import io
import os
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from freemium_advisor.base.yamledit import add_entries
from freemium_advisor.reading.inventory_reader import parse_inventory
from tests.conftest import EXAMPLES, ROOT

pty = pytest.importorskip("pty")

GUESSES = """\
# The team's pricing, kept by hand.
version: 1
product:
  name: Acme   # the product
  tiers: [free, pro, enterprise]
features:
  - id: invite
    name: 'Invite guests by link'
    current: pro

  # Enterprise controls.
  - id: sso
    name: "SAML single sign-on"
    current: enterprise
  - {id: zorblax, name: Zorblax, current: pro}
  - id: board
    name: Boards
    signals:
      aha: high      # the first board is the aha moment
      virality:
"""


def questionnaire(run, path: str, tmp_path: Path, *args: str) -> list[dict]:
    out = str(tmp_path / "q.csv")
    result = run("ask", path, "--export", out, *args)
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(open(out, newline="", encoding="utf-8")))


def test_export_writes_one_row_per_question_worth_asking(run, write, tmp_path):
    path = write("features.yaml", GUESSES)
    rows = questionnaire(run, path, tmp_path)
    assert list(rows[0]) == ["feature", "name", "signal", "question", "guess", "choices",
                             "examples", "changes", "now", "answer"]
    # Every question has an answer that changes the advice, and no answer given yet.
    for row in rows:
        changes = [part.split(": ", 1)[1] for part in row["changes"].split("; ")]
        assert any(change != row["now"] for change in changes), row
        assert row["answer"] == ""
    invite = {r["signal"]: r for r in rows if r["feature"] == "invite"}
    # The guess the advice rests on is asked, and shown as the guess it is.
    assert invite["virality"]["guess"] == "virality high from 'invite', 'guests'"
    assert invite["virality"]["choices"] == "none, low, medium, high"
    assert invite["virality"]["changes"] == (
        "none: gated in 'pro'; low: gated in 'pro'; medium: free in 'free'; high: free in 'free'"
    )
    assert invite["virality"]["examples"].startswith("none: only the person using it ever sees it")


def test_no_question_contradicts_the_features_own_words(run, write, tmp_path):
    rows = questionnaire(run, write("features.yaml", GUESSES), tmp_path)
    # SSO names its buyer: never asked as a single user's feature; no answer next to the
    # enterprise changes its advice, so it is not asked at all.
    assert [r for r in rows if r["feature"] == "sso"] == []
    # Answered signals are never asked again.
    assert not any(r["feature"] == "board" and r["signal"] == "aha" for r in rows)


def test_questions_come_by_value_of_information_not_file_order(run, write, tmp_path):
    rows = questionnaire(run, write("features.yaml", GUESSES), tmp_path)
    # Zorblax has no evidence at all (confidence unknown): its questions come first, though
    # it is written after 'invite'.
    assert rows[0]["feature"] == "zorblax"
    assert [r["feature"] for r in rows].index("invite") > 0


def test_limit_and_feature_narrow_the_questions(run, write, tmp_path):
    path = write("features.yaml", GUESSES)
    assert len(questionnaire(run, path, tmp_path, "--limit", "2")) == 2
    assert {r["feature"] for r in questionnaire(run, path, tmp_path, "--feature", "invite")} == {"invite"}
    result = run("ask", path, "--feature", "invit", "--export", str(tmp_path / "q.csv"))
    assert (result.exit_code, result.stderr) == (
        2, f"{path}: error: no feature 'invit' (did you mean 'invite'?)\n",
    )


def test_markdown_export_is_a_table(run, write, tmp_path):
    path = write("features.yaml", GUESSES)
    out = tmp_path / "q.md"
    assert run("ask", path, "--export", str(out)).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"# Questions about {path}"
    header = lines.index("| feature | name | signal | question | guess | choices | examples | changes | now | answer |")
    assert lines[header + 1] == "|---|---|---|---|---|---|---|---|---|---|"
    assert len(lines) - header - 2 == len(questionnaire(run, path, tmp_path))


def test_the_csv_export_shows_controls_as_escapes_and_writes_no_formula(run, write, tmp_path):
    """Bidirectional controls are escapes, as in every output; a cell a spreadsheet would run
    as a formula starts with a quote; the rows still come back as answers."""
    path = write("features.yaml", GUESSES.replace(
        "name: 'Invite guests by link'", 'name: "=HYPERLINK(\\"x\\") guests \\u202egnp.exe \\u2066"'
    ).replace("current: pro", "current: '-pro'").replace("name: Zorblax", "name: '@Zorblax'").replace("tiers: [free, pro, enterprise]",
                                                          "tiers: [free, '-pro', enterprise]"))
    rows = questionnaire(run, path, tmp_path)
    invite = next(r for r in rows if r["feature"] == "invite")
    assert invite["name"] == "'=HYPERLINK(\"x\") guests \\u202egnp.exe \\u2066"
    zorblax = next(r for r in rows if r["feature"] == "zorblax")
    assert zorblax["name"] == "'@Zorblax"
    text = (tmp_path / "q.csv").read_text(encoding="utf-8")
    assert not any(c in text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values()), row
    # The feature, signal and answer columns never carry the quote: answers map back.
    answers = fill(rows, {("invite", "production"): "true", ("zorblax", "aha"): "high"}, tmp_path / "a.csv")
    result = run("ask", path, "--answers", answers)
    assert (result.exit_code, result.stderr) == (0, f"Wrote 2 answers into {path}.\n")


def fill(rows: list[dict], answers: dict[tuple[str, str], str], path: Path) -> str:
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "answer": answers.get((row["feature"], row["signal"]), "")})
    return str(path)


def test_answers_are_written_as_signals_and_change_the_advice(run, write, tmp_path):
    path = write("features.yaml", GUESSES)
    rows = questionnaire(run, path, tmp_path)
    answers = fill(rows, {("invite", "virality"): "none", ("zorblax", "aha"): "High"}, tmp_path / "a.csv")
    result = run("ask", path, "--answers", answers)
    assert (result.exit_code, result.stderr) == (0, f"Wrote 2 answers into {path}.\n")
    text = Path(path).read_text(encoding="utf-8")
    assert "    current: pro\n    signals:\n      virality: none\n\n  # Enterprise controls." in text
    assert "  - {id: zorblax, name: Zorblax, current: pro, signals: {aha: high}}\n" in text
    advice = run("check", path, "-f", "json")
    features = {f["id"]: f for f in __import__("json").loads(advice.stdout)["results"][0]["features"]}
    # Not viral: nothing but the default speaks for it now, and other answers could still.
    assert (features["invite"]["recommendation"], features["invite"]["evidence"]) == ("gated", "none")
    assert features["zorblax"]["recommendation"] == "free"


@pytest.mark.parametrize("answer,error", [
    ("huge", "3:1: error: 'invite': unknown level 'huge' for signal 'virality'; expected none, low, medium or high"),
])
def test_a_bad_answer_names_its_line_and_leaves_the_file_untouched(run, write, tmp_path, answer, error):
    path = write("features.yaml", GUESSES)
    before = Path(path).read_bytes()
    rows = questionnaire(run, path, tmp_path)
    rows = [r for r in rows if r["feature"] == "zorblax"][:1] + [r for r in rows if r["feature"] == "invite"]
    good = rows[0]["choices"].split(", ")[-1]
    answers = fill(rows, {("zorblax", rows[0]["signal"]): good, ("invite", "virality"): answer},
                   tmp_path / "a.csv")
    result = run("ask", path, "--answers", answers)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"{answers}:{error}\n")
    assert Path(path).read_bytes() == before


def test_rows_out_of_shape_unknown_features_and_signals_are_all_reported(run, write, tmp_path):
    path = write("features.yaml", GUESSES)
    before = Path(path).read_bytes()
    answers = write("a.csv", """\
        feature,signal,answer
        nope,virality,high
        invite,viraltiy,high
        invite,virality
        invite,virality,high
        invite,virality,low
        board,aha,low
        """)
    result = run("ask", path, "--answers", answers)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{answers}:2:1: error: no feature 'nope' in {path}",
        f"{answers}:3:1: error: unknown signal 'viraltiy' (did you mean 'virality'?)",
        f"{answers}:4:1: error: this row has 2 fields, the header 3: was it edited out of shape?",
        f"{answers}:6:1: error: 'virality' of 'invite' is answered twice (first on line 5)",
        f"{answers}:7:1: error: 'aha' of 'board' is answered in {path} already, as high; change it there",
    ]
    assert Path(path).read_bytes() == before
    csv_only = run("ask", path, "--answers", str(tmp_path / "a.md"))
    assert (csv_only.exit_code, csv_only.stderr) == (
        2, f"{tmp_path / 'a.md'}: error: answers are read from a CSV file (ask --export q.csv writes one)\n",
    )


def test_a_flag_answered_with_a_word_names_the_word(run, write):
    path = write("features.yaml", GUESSES)
    before = Path(path).read_bytes()
    answers = write("a.csv", "feature,signal,answer\ninvite,production,yes\nsso,production,True\n")
    result = run("ask", path, "--answers", answers)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"{answers}:2:1: error: 'invite': 'production' must be true or false, not 'yes'\n",
    )
    assert Path(path).read_bytes() == before


@pytest.mark.parametrize("text,error", [
    # A last row whose quote is never closed would read to the end of the file as "true\n".
    ('feature,signal,answer\ninvite,virality,high\nboard,production,"true\n',
     "3:1: error: malformed row: a quoted field is never closed"),
    ('feature,signal,answer\ninvite,virality,"hi"gh\n', "2:1: error: malformed row: ',' expected after '\"'"),
    ('feature,signal,"answer\n', "1:1: error: malformed row: a quoted field is never closed"),
])
def test_a_row_that_is_not_csv_is_refused_at_its_line(run, write, text, error):
    path = write("features.yaml", GUESSES)
    before = Path(path).read_bytes()
    answers = write("a.csv", text)
    result = run("ask", path, "--answers", answers)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"{answers}:{error}\n")
    assert Path(path).read_bytes() == before


def test_an_answer_the_interview_would_not_offer_is_refused(run, write, tmp_path):
    # The words name an enterprise buyer: the interview offers admin, enterprise only.
    path = write("features.yaml", GUESSES.replace("[free, pro, enterprise]", "[free, pro, business, enterprise]"))
    before = Path(path).read_bytes()
    answers = write("a.csv", """\
        feature,signal,answer
        sso,audience,user
        sso,production,true
        """)
    result = run("ask", path, "--answers", answers)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"{answers}:2:1: error: 'sso': audience user contradicts the feature's own words; "
               "ask offers admin or enterprise\n",
    )
    assert Path(path).read_bytes() == before
    rows = questionnaire(run, path, tmp_path, "--feature", "sso")
    assert [(r["signal"], r["choices"]) for r in rows] == [("audience", "admin, enterprise")]
    rows[0]["answer"] = "admin"
    offered = fill(rows, {("sso", "audience"): "admin"}, tmp_path / "b.csv")
    result = run("ask", path, "--answers", offered)
    assert (result.exit_code, result.stderr) == (0, f"Wrote 1 answer into {path}.\n")


def test_the_same_answers_again_change_nothing_and_other_answers_are_refused(run, write, tmp_path):
    path = write("features.yaml", GUESSES)
    answers = write("a.csv", "feature,signal,answer\ninvite,virality,none\nzorblax,aha,high\n")
    first = run("ask", path, "--answers", answers)
    assert (first.exit_code, first.stderr) == (0, f"Wrote 2 answers into {path}.\n")
    written = Path(path).read_bytes()
    again = run("ask", path, "--answers", answers)  # a CI job run twice
    assert (again.exit_code, again.stderr) == (0, f"Wrote 0 answers into {path} (2 already there).\n")
    assert Path(path).read_bytes() == written
    one_more = write("b.csv", "feature,signal,answer\ninvite,virality,none\nzorblax,habit,low\n")
    result = run("ask", path, "--answers", one_more)
    assert (result.exit_code, result.stderr) == (0, f"Wrote 1 answer into {path} (1 already there).\n")
    changed = write("c.csv", "feature,signal,answer\ninvite,virality,high\n")
    result = run("ask", path, "--answers", changed)
    assert (result.exit_code, result.stderr) == (
        2, f"{changed}:2:1: error: 'virality' of 'invite' is answered in {path} already, as none; change it there\n",
    )


def test_the_questionnaire_goes_to_stdout_and_comes_back_from_stdin(run, write):
    path = write("features.yaml", GUESSES)
    result = run("ask", path, "--export", "-", "--limit", "1")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (result.exit_code, result.stderr, len(rows)) == (0, "Wrote 1 question to stdout.\n", 1)
    rows[0]["answer"] = rows[0]["choices"].split(", ")[-1]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    result = run("ask", path, "--answers", "-", input=buffer.getvalue())
    assert (result.exit_code, result.stderr) == (0, f"Wrote 1 answer into {path}.\n")


def test_dry_run_prints_the_diff_and_writes_nothing(run, write, tmp_path):
    path = write("features.yaml", GUESSES)
    before = Path(path).read_bytes()
    rows = questionnaire(run, path, tmp_path)
    answers = fill(rows, {("invite", "virality"): "none"}, tmp_path / "a.csv")
    result = run("ask", path, "--answers", answers, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"--- {path}",
        f"+++ {path} (with the answers)",
        "@@ -7,6 +7,8 @@",
        "   - id: invite",
        "     name: 'Invite guests by link'",
        "     current: pro",
        "+    signals:",
        "+      virality: none",
        " ",
        "   # Enterprise controls.",
        "   - id: sso",
    ]
    assert result.stderr == "Dry run: nothing written.\n"
    assert Path(path).read_bytes() == before


def test_without_a_terminal_ask_says_how_to_answer_instead(run, write):
    result = run("ask", write("features.yaml", GUESSES), input="high\n")
    assert (result.exit_code, result.stderr) == (
        2, "error: no terminal to ask in: write the questions with --export q.csv, fill them "
           "in, then --answers q.csv\n",
    )


def only_lines_added(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails if any line of ``before`` changed."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), (tag, old[i1:i2], new[j1:j2])
        if tag == "insert":
            added += new[j1:j2]
    return added


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_a_whole_inventory_stays_byte_identical_apart_from_the_lines_ask_adds(run, tmp_path, example):
    path = tmp_path / example
    original = (EXAMPLES / example).read_bytes()
    path.write_bytes(original)
    rows = questionnaire(run, str(path), tmp_path)
    first = {}
    for row in rows:  # one answer for every feature asked about: the first answer offered
        first.setdefault(row["feature"], (row["signal"], row["choices"].split(", ")[0]))
    answers = fill(rows, {(f, s): a for f, (s, a) in first.items()}, tmp_path / "a.csv")
    result = run("ask", str(path), "--answers", answers)
    assert result.exit_code == 0, result.stderr
    added = only_lines_added(original.decode("utf-8"), path.read_text(encoding="utf-8"))
    assert sorted(line.strip() for line in added if line.strip() != "signals:") == sorted(
        f"{s}: {a}" for s, a in first.values()
    )
    written = parse_inventory(path.read_text(encoding="utf-8"), str(path))
    for feature, (name, answer) in first.items():
        assert written.feature(feature).signals[name] is not None


@pytest.mark.parametrize("text,expected", [
    # A block mapping: a line after its last entry, a trailing comment kept on its line.
    ("f:\n  - id: a\n    signals:\n      aha: high   # yes\n  - id: b\n",
     "f:\n  - id: a\n    signals:\n      aha: high   # yes\n      habit: low\n  - id: b\n"),
    # No signals yet: a new block after the feature's last line, not after the next comment.
    ("f:\n  - id: a\n    waive:\n      - check: x\n        reason: y\n  # b next\n\n  - id: b\n",
     "f:\n  - id: a\n    waive:\n      - check: x\n        reason: y\n    signals:\n      habit: low\n"
     "  # b next\n\n  - id: b\n"),
    # Flow mappings get the entry before their closing brace.
    ("f:\n  - {id: a}\n", "f:\n  - {id: a, signals: {habit: low}}\n"),
    ("f:\n  - id: a\n    signals: {aha: high}\n", "f:\n  - id: a\n    signals: {aha: high, habit: low}\n"),
    # A key written without a value, or as ~, gets the answer in place.
    ("f:\n  - id: a\n    signals:\n      habit:\n", "f:\n  - id: a\n    signals:\n      habit: low\n"),
    ("f:\n  - id: a\n    signals:\n      habit: ~  # later\n",
     "f:\n  - id: a\n    signals:\n      habit: low  # later\n"),
    # Windows line breaks stay Windows line breaks; a last line without one gets one.
    ("f:\r\n  - id: a\r\n    name: 'A'", "f:\r\n  - id: a\r\n    name: 'A'\r\n    signals:\r\n      habit: low\r\n"),
])
def test_entries_are_inserted_where_the_parser_says(text, expected):
    assert add_entries(text, ("f", 0), "signals", [("habit", "low")]) == expected


# --- the interview in a terminal ---------------------------------------------------------

def interview(path: str, *args: str):
    """Start ``ask`` in a pseudo-terminal; return (send, expect, wait) to talk to it."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, with the pseudo-terminal as its terminal
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "freemium_advisor", "ask", path, *args])
    seen = io.BytesIO()

    after = [0]  # where the previous expect's text ended: each expect reads on from there

    def expect(text: str, timeout: float = 30) -> str:
        """Wait for ``text`` after the previous expect's, as pexpect does (a prompt asked
        again is a new prompt, not the old one); return everything seen so far."""
        end = time.monotonic() + timeout
        while (found := seen.getvalue().find(text.encode(), after[0])) < 0:
            if time.monotonic() > end:
                raise AssertionError(f"never saw {text!r} in:\n{seen.getvalue().decode()}")
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    seen.write(os.read(fd, 4096))
                except OSError:  # the child closed the terminal
                    time.sleep(0.05)
        after[0] = found + len(text.encode())
        return seen.getvalue().decode().replace("\r\n", "\n")

    def send(text: str) -> None:
        os.write(fd, text.encode())

    def wait(timeout: float = 30) -> int:
        """The command's exit status; a command still running after ``timeout`` seconds is
        killed and the test fails, so that a lost keystroke never hangs the suite."""
        end = time.monotonic() + timeout
        while True:
            try:
                while select.select([fd], [], [], 0.2)[0]:
                    seen.write(os.read(fd, 4096))
            except OSError:
                pass
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                os.close(fd)
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() > end:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(fd)
                raise AssertionError(f"still running after {timeout} s:\n{seen.getvalue().decode()}")

    return send, expect, wait


def test_the_interview_in_a_terminal_writes_each_answer_and_shows_the_change(write):
    path = write("features.yaml", GUESSES)
    send, expect, wait = interview(path, "--feature", "invite", "--limit", "3", "--no-color")
    out = expect("; s to skip, ? to explain): ")
    assert "[1] Invite guests by link [invite]: virality" in out
    assert "  We guessed virality high from 'invite', 'guests'.\n" in out
    assert "    none       only the person using it ever sees it (a personal setting) (-> gated in 'pro')\n" in out
    assert "\x1b[" not in out
    send("?\n")
    out = expect("the write-up of the talk")
    explained = out[out.index("? to explain): ?"):].splitlines()[1:4]
    assert explained == [
        "  What it means: virality says whether using it brings in people who are not users yet.",
        "  Why it matters: a feature that spreads acquires users for you: free, it pays through the "
        "people it brings in (indirect monetization); gated, it stops spreading.",
        "  The framework: Indirect monetization through virality and network effects (00:47:45)",
    ]
    send("maybe\n")
    expect("'maybe' is not one of none, low, medium, high.")
    send("hgih\n")
    expect("'hgih' is not one of none, low, medium, high (did you mean 'high'?).")
    send("none\n")
    out = expect("the advice changes: free in 'free' -> gated in 'pro'.")
    # Written at once: the file holds the answer while the next question waits.
    expect("[2] ")
    assert "    signals:\n      virality: none\n" in Path(path).read_text(encoding="utf-8")
    expect("; s to skip, ? to explain): ")
    send("s\n")
    expect("Skipped.")
    expect("[3] ")
    expect("; s to skip, ? to explain): ")
    send("\x03")  # Ctrl-C: the answers given so far stay, nothing half-written
    out = expect("1 answer written into")
    assert wait() == 130  # 128 + SIGINT, as the README's signal rule has it
    assert "Stopped." in out
    text = Path(path).read_text(encoding="utf-8")
    assert only_lines_added(GUESSES, text) == ["    signals:\n", "      virality: none\n"]


def test_the_interview_dry_run_prints_the_diff_at_the_end(write):
    path = write("features.yaml", GUESSES)
    before = Path(path).read_bytes()
    send, expect, wait = interview(path, "--feature", "zorblax", "--limit", "1", "--dry-run")
    expect("; s to skip, ? to explain): ")
    send("user\n")
    out = expect("Dry run: nothing written.")
    assert wait() == 0
    assert "-  - {id: zorblax, name: Zorblax, current: pro}\n+  - {id: zorblax, name: Zorblax, current: pro, signals: {audience: user}}\n" in out
    assert Path(path).read_bytes() == before


def test_the_interview_paints_the_advice_in_a_terminal(write):
    path = write("features.yaml", GUESSES)
    send, expect, wait = interview(path, "--feature", "invite", "--limit", "1")
    out = expect("; s to skip, ? to explain): ")
    assert "\x1b[1m[1] Invite guests by link [invite]: virality\x1b[0m" in out
    assert "  Now: \x1b[32mfree in 'free'\x1b[0m.\n" in out
    assert "(-> \x1b[35mgated in 'pro'\x1b[0m)" in out
    send("s\n")
    expect("0 answers written into")
    assert wait() == 0


def test_ask_completes_feature_ids(tmp_path):
    env = {**os.environ, "_FREEMIUM_ADVISOR_COMPLETE": "complete_bash",
           "COMP_WORDS": "freemium-advisor ask examples/whiteboard.yaml --feature s", "COMP_CWORD": "4"}
    import subprocess

    result = subprocess.run([sys.executable, "-m", "freemium_advisor"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["share-board", "sso"]


def test_ask_help_ends_with_an_example(run):
    help_text = run("ask", "--help").stdout
    assert "Example: freemium-advisor ask features.yaml --limit 5" in help_text


def test_the_interview_quotes_a_flag_answered_with_a_word(write):
    path = write("features.yaml", GUESSES)
    before = Path(path).read_bytes()
    send, expect, wait = interview(path, "--feature", "board", "--no-color")
    expect("Answer (none/low/medium/high; s to skip, ? to explain): ")
    send("s\n")
    expect("Answer (user/team/admin/enterprise; s to skip, ? to explain): ")
    send("s\n")
    expect("Answer (true/false; s to skip, ? to explain): ")
    send("yes\n")
    # Ctrl-C once the question is asked again, as a person would press it.
    out = expect("'yes' is not one of true, false.\r\n  Answer (true/false; s to skip, ? to explain): ")
    assert "explain): yes\n  'yes' is not one of true, false." in out
    assert "[3] Boards [board]: production" in out
    send("\x03")
    assert wait() == 130
    assert Path(path).read_bytes() == before


def test_ctrl_d_at_the_prompt_ends_the_interview_as_no_more_answers(write):
    path = write("features.yaml", GUESSES)
    before = Path(path).read_bytes()
    send, expect, wait = interview(path, "--feature", "invite", "--no-color")
    expect("; s to skip, ? to explain): ")
    send("\x04")  # Ctrl-D: the end of the input, not an interruption
    out = expect("0 answers written into")
    assert "Stopped." in out
    assert wait() == 0
    assert Path(path).read_bytes() == before
