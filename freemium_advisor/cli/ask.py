"""``ask``: the interview that turns guesses into answers, written into the inventory."""

import codecs
import difflib
import select
import sys
from pathlib import Path
from typing import List, Optional

import typer

from freemium_advisor.base.errors import InputError, did_you_mean
from freemium_advisor.base.escaping import text_line
from freemium_advisor.base.outputs import STDOUT, Interrupted, rewrite_file, write_output
from freemium_advisor.cli.advice import complete_feature_id
from freemium_advisor.cli.app import (
    COLOR_OPTION,
    CONFIG_OPTION,
    EXIT_INTERRUPTED,
    EXIT_STOPPED,
    RULES_OPTION,
    app,
    exit_codes,
    render_options,
    rule_packs,
)


@app.command(epilog=exit_codes(EXIT_STOPPED))
def ask(
    file: str = typer.Argument(..., help="The inventory to ask about and write answers into.",
                               metavar="FILE"),
    limit: Optional[int] = typer.Option(
        None, "--limit", "-n", min=1, metavar="N", help="Ask at most N questions.",
    ),
    feature: Optional[str] = typer.Option(
        None, "--feature", metavar="ID", help="Ask only about this feature.",
        autocompletion=complete_feature_id,
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print the change to FILE as a diff instead of writing it.",
    ),
    export: Optional[str] = typer.Option(
        None, "--export", metavar="Q.csv|Q.md|-",
        help="Write the questions to a CSV (to fill in) or Markdown file instead of asking "
        "('-': CSV to stdout).",
    ),
    answers: Optional[str] = typer.Option(
        None, "--answers", metavar="Q.csv|-",
        help="Write the answers of a filled-in questionnaire (from --export; '-' reads stdin) "
        "into FILE.",
    ),
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """Ask the questions whose answers would change the advice, and write the answers into
    FILE as signals.

    Questions come most valuable first: those whose answers change the advice the most, on
    the features whose advice rests on the least evidence. Each shows what we guessed from
    the feature's words, the answers with an example of each, and what each would make of the
    advice. Type an answer, 's' to skip, '?' for what the signal means, why it matters and
    the passage of the framework it comes from. Ctrl-C stops: the answers given so far stay
    written, and the exit status is 130. FILE is edited in place, atomically: comments, key
    order, quoting and every other line stay as they are.

    Without a terminal, or for a team: --export q.csv writes the questionnaire, --answers
    q.csv writes its answers (a bad row is an error naming its line; FILE is left untouched;
    a row FILE already holds with the same answer is skipped, so a rerun changes nothing).

    Example: freemium-advisor ask features.yaml --limit 5
    """
    from freemium_advisor.base.textfile import read_text
    from freemium_advisor.engine.analysis import analyze
    from freemium_advisor.formats.terminal import plural
    from freemium_advisor.engine.interview import offered_answers, questions
    from freemium_advisor.reading.answers import read_answers, with_answers
    from freemium_advisor.reading.inventory_reader import parse_inventory
    from freemium_advisor.reading.rulepacks import load_ruleset

    if file == STDOUT:
        raise InputError(file, None, None, "ask writes into FILE: name a file, not stdin")
    if export and answers:
        raise InputError(None, None, None, "give --export or --answers, not both")
    ruleset = load_ruleset(rule_packs(rules, config))
    name, text = read_text(file)
    inventory = parse_inventory(text, name)
    if feature is not None and feature not in {f.id for f in inventory.features}:
        known = [f.id for f in inventory.features]
        raise InputError(name, None, None, f"no feature '{feature}'{did_you_mean(feature, known)}")
    session = Session(file, text, dry_run)
    assessments = analyze(inventory, ruleset).assessments

    if answers:
        by_id = {a.feature.id: a for a in assessments}
        given = read_answers(answers, inventory, lambda f, signal: offered_answers(by_id[f], signal))
        if given.new:
            session.save(with_answers(text, inventory, given.new))
        already = f" ({given.unchanged} already there)" if given.unchanged else ""
        session.finish(f"Wrote {plural(len(given.new), 'answer')} into {file}{already}.")
        return

    found = questions(inventory, assessments, ruleset, feature)
    if export:
        _export(export, found[:limit] if limit else found, name, file)
        return
    if not sys.stdin.isatty():
        raise InputError(None, None, None, "no terminal to ask in: write the questions with "
                                           "--export q.csv, fill them in, then --answers q.csv")
    paint = render_options(color, STDOUT).color
    status = Interview(session, ruleset, feature, limit, parse_inventory, analyze, questions, paint).run()
    if status:
        raise typer.Exit(status)


def _export(path: str, found, name: str, file: str) -> None:
    from freemium_advisor.formats.questionnaire import questionnaire_csv, questionnaire_markdown
    from freemium_advisor.formats.terminal import plural

    if path == STDOUT or path.lower().endswith(".csv"):
        text = questionnaire_csv(found)
    elif path.lower().endswith(".md"):
        text = questionnaire_markdown(found, name)
    else:
        raise InputError(path, None, None, "the questionnaire is a .csv or a .md file (or '-' for CSV on stdout)")
    write_output(text, path, inputs=(file,))
    typer.echo(f"Wrote {plural(len(found), 'question')} to {'stdout' if path == STDOUT else path}.", err=True)


class Session:
    """FILE as it was and as the answers make it: each answer is written at once (atomically,
    so an interruption keeps the answers given so far and never half a file), or with
    ``dry_run`` shown as a diff at the end."""

    def __init__(self, path: str, text: str, dry_run: bool):
        self.path = path
        self.before = self.text = text
        self.dry_run = dry_run
        self.bom = Path(path).read_bytes().startswith(codecs.BOM_UTF8)

    def save(self, text: str) -> None:
        self.text = text
        if not self.dry_run:
            rewrite_file((codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8"), self.path)

    def finish(self, message: str) -> None:
        if self.dry_run:
            diff = difflib.unified_diff(
                self.before.splitlines(keepends=True), self.text.splitlines(keepends=True),
                self.path, f"{self.path} (with the answers)",
            )
            sys.stdout.write("".join(diff))
            sys.stdout.flush()
            typer.echo("Dry run: nothing written.", err=True)
        else:
            typer.echo(message, err=True)


class Interview:
    """The questions asked one at a time in a terminal, the advice worked out again after
    each answer (an answer can make other questions moot)."""

    def __init__(self, session: Session, ruleset, feature, limit, parse, analyze, questions, color: bool):
        self.session, self.ruleset, self.feature, self.limit = session, ruleset, feature, limit
        self.parse, self.analyze, self.questions = parse, analyze, questions
        self.color = color
        self.asked: set[tuple[str, str]] = set()
        self.answered = 0

    def run(self) -> int:
        """Ask until the questions run out, the limit is reached or the PM stops; the exit
        status: 0, or 128 + the signal that stopped it (130 for Ctrl-C), the answers given
        so far written either way."""
        from freemium_advisor.formats.terminal import plural

        status = 0
        try:
            while self.limit is None or len(self.asked) < self.limit:
                question = self.next()
                if question is None:
                    break
                self.ask(question)
        except EOFError:  # Ctrl-D: no more answers to read, which is no interruption
            typer.echo("\nStopped.")
        except (KeyboardInterrupt, Interrupted) as exc:
            typer.echo("\nStopped.")
            status = exc.status if isinstance(exc, Interrupted) else EXIT_INTERRUPTED
        self.session.finish(f"{plural(self.answered, 'answer')} written into {self.session.path}.")
        return status

    def next(self):
        inventory = self.parse(self.session.text, self.session.path)
        found = self.questions(inventory, self.analyze(inventory, self.ruleset).assessments,
                               self.ruleset, self.feature)
        remaining = [q for q in found if (q.feature, q.signal) not in self.asked]
        if not remaining:
            typer.echo("No more questions whose answer would change the advice.")
            return None
        return remaining[0]

    def advice(self, outcome) -> str:
        """The advice an outcome gives, in its recommendation's colour."""
        from freemium_advisor.formats.terminal import STYLE, paint

        return paint(outcome.advice(), self.color, STYLE[outcome.recommendation])

    def ask(self, q) -> None:
        from freemium_advisor.formats.terminal import paint
        from freemium_advisor.reading.answers import Answer, with_answers

        self.asked.add((q.feature, q.signal))
        number = len(self.asked)
        typer.echo("")
        # The id in brackets: a name often ends in a parenthesis of its own ("(SSO)").
        typer.echo(paint(text_line(f"[{number}] {q.name} [{q.feature}]: {q.signal}"), self.color, "bold"))
        typer.echo(f"  {q.text}")
        if q.guess:
            typer.echo(text_line(f"  We guessed {q.guess}."))
        typer.echo(f"  Now: {self.advice(q.now)}.")
        for outcome in q.outcomes:
            change = "no change" if outcome.advice() == q.now.advice() else f"-> {self.advice(outcome)}"
            typer.echo(f"    {outcome.answer:<10} {q.example(outcome.answer)} ({change})")
        while True:
            reply = read_answer(f"  Answer ({'/'.join(q.choices)}; s to skip, ? to explain): ").strip().lower()
            if reply == "s":
                typer.echo("  Skipped.")
                return
            if reply == "?":
                self.explain(q)
                continue
            outcome = next((o for o in q.outcomes if o.answer == reply), None)
            if outcome is None:
                hint = did_you_mean(reply, q.choices)
                typer.echo(text_line(f"  '{reply}' is not one of {', '.join(q.choices)}{hint}."))
                continue
            inventory = self.parse(self.session.text, self.session.path)
            answer = Answer(q.feature, q.signal, outcome.answer, 0)
            self.session.save(with_answers(self.session.text, inventory, [answer]))
            self.answered += 1
            if outcome.advice() == q.now.advice():
                typer.echo(f"  {q.signal}: {outcome.answer}; the advice stays {self.advice(q.now)}.")
            else:
                typer.echo(f"  {q.signal}: {outcome.answer}; the advice changes: "
                           f"{self.advice(q.now)} -> {self.advice(outcome)}.")
            return

    def explain(self, q) -> None:
        """What the signal means, why it matters to the advice, and the passage it comes from."""
        typer.echo(f"  What it means: {q.signal} says whether {q.meaning}.")
        typer.echo(f"  Why it matters: {q.why}.")
        if q.source is not None:
            typer.echo(f"  The framework: {q.source.cite()}")
            if q.source.quote:
                typer.echo(f"    the write-up of the talk ({q.source.seed}): \"{q.source.quote}\"")


def read_answer(prompt: str) -> str:
    """One line typed at the terminal, after ``prompt``; Ctrl-D (end of input) is EOFError.

    Not ``input()``: a Ctrl-C pressed just as the prompt appears would reach Python's handler
    only once ``input()``'s blocked read returned, after the next Enter. Waiting for the line
    in short selects lets the handler run (and the interview stop) within a fifth of a second.
    """
    sys.stdout.write(prompt)
    sys.stdout.flush()
    while not select.select([sys.stdin], [], [], 0.2)[0]:
        pass
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")
