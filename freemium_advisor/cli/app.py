"""The command-line application: its groups, the options every command shares, errors.

Every expected failure becomes one line on stderr and exit 2: bad input of any kind (an
:class:`~freemium_advisor.base.errors.InputError` from anywhere in the library) and usage errors
(an unknown option, a bad ``--format`` value, a missing argument). Exit 1 only ever means
findings at or above the threshold, or failing rule or check examples; ``--help`` stays rich.
"""

import os
import re
import shutil
import sys
from enum import Enum
from typing import Any

import typer
from typer.core import TyperGroup

import freemium_advisor.cli.typer_adapter as typer_adapter
from freemium_advisor.cli.typer_adapter import click_exceptions

from freemium_advisor import __version__
from freemium_advisor.base.errors import InputError
from freemium_advisor.formats import RenderOptions, formats_for
from freemium_advisor.base.escaping import text_line
from freemium_advisor.base.outputs import (
    SIGNAL_EXIT_BASE,
    SIGPIPE_NUMBER,
    STDOUT,
    ClosedPipe,
    Interrupted,
    StdoutFailed,
    abandon_stdout,
    guarded_stdout,
    signals_interrupt,
)
from freemium_advisor.base.textfile import forget_reads

PROG = "freemium-advisor"
MAX_WIDTH = 1_000  # columns of a table, whatever COLUMNS says
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_CLOSED_PIPE = SIGNAL_EXIT_BASE + SIGPIPE_NUMBER

EXIT_INTERRUPTED = SIGNAL_EXIT_BASE + 2  # SIGINT: Ctrl-C, as a shell reports it

# What each exit status means; a command's help lists the ones it can return.
EXIT_FOUND = {EXIT_FINDINGS: "findings at or above --fail-on"}
EXIT_EXAMPLES_FAIL = {EXIT_FINDINGS: "an example fails"}
EXIT_STOPPED = {EXIT_INTERRUPTED: "stopped by Ctrl-C, the answers given so far written"}


def exit_codes(extra: dict[int, str] | None = None) -> str:
    """A command's help footer: 0 and 2, which every command can return, and the ``extra``
    codes this one can return too."""
    meanings = {EXIT_OK: "done", EXIT_BAD_INPUT: "bad input or usage", **(extra or {})}
    return "Exit codes: " + "; ".join(f"{code} {meanings[code]}" for code in sorted(meanings)) + "."


EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 findings at or above the threshold ('check'), or failing rule or "
    "check examples ('rules test', 'checks test'); 2 bad input or usage; 130 'ask' stopped by "
    "Ctrl-C. Each command's help lists its own."
)


typer_adapter.install()


class OneLineErrors(TyperGroup):
    """A command group whose every expected failure is one line on stderr.

    Stdout never fails the run with a traceback either: text its encoding cannot hold is
    escaped, a closed pipe ends the run quietly with 141 (128 + SIGPIPE, what a shell shows
    for a process the signal ended), a full device is one line and exit 2. SIGTERM and SIGINT
    remove the temporary file of a write in progress and exit with 128 + the signal.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        with guarded_stdout(), signals_interrupt():
            try:
                code = self._run(args, prog_name, complete_var, **extra)
                sys.stdout.flush()  # now, while a failure can still be reported as one
            except ClosedPipe:
                abandon_stdout()
                code = EXIT_CLOSED_PIPE
            except StdoutFailed as exc:
                _error_lines(exc)
                code = EXIT_BAD_INPUT
            except Interrupted as exc:
                code = exc.status
        sys.exit(code)

    def _run(self, args, prog_name, complete_var, **extra) -> int:
        ClickException, NoArgsIsHelpError, UsageError = click_exceptions()

        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:
            typer.echo(exc.ctx.get_help(), err=True)
            return EXIT_BAD_INPUT
        except UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else prog_name or PROG
            typer.echo(text_line(f"{where}: error: {_usage_message(exc).rstrip('.')}; see '{where} --help'"), err=True)
            return EXIT_BAD_INPUT
        except ClickException as exc:
            typer.echo(text_line(f"{prog_name or PROG}: error: {_one_line(exc.format_message())}"), err=True)
            return EXIT_BAD_INPUT
        except InputError as exc:
            _error_lines(exc)
            return EXIT_BAD_INPUT
        except typer.Abort:
            typer.echo(f"{prog_name or PROG}: aborted", err=True)
            return EXIT_BAD_INPUT
        return result if isinstance(result, int) else EXIT_OK


def _error_lines(exc: InputError) -> None:
    """Each problem on one line of stderr, whatever the file names and messages hold."""
    if isinstance(exc, StdoutFailed):
        abandon_stdout()  # what is still buffered for it would only fail again at exit
    for error in getattr(exc, "errors", (exc,)):
        typer.echo(text_line(str(error)), err=True)


def _usage_message(exc: Exception) -> str:
    """A usage error in our own words: one parenthetical at most, a did-you-mean as every
    other error of the tool writes it."""
    possibilities = getattr(exc, "possibilities", None)
    if getattr(exc, "option_name", None) and possibilities:
        names = " or ".join(f"'{name}'" for name in sorted(possibilities))
        return _one_line(f"{exc.message} (did you mean {names}?)")
    message = _one_line(exc.format_message())
    extra = _EXTRA_ARGUMENTS.fullmatch(message)
    if extra:
        words = extra.group(1).split()
        return f"unexpected extra argument{'s' if len(words) > 1 else ''}: {' '.join(words)}"
    return message


# Click's wording for arguments left over: "Got unexpected extra argument(s) (a b)".
_EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra argument\(s\) \((.*)\)")


def _one_line(message: str) -> str:
    # The parameter coercion prefixes choice errors with its own category name.
    return " ".join(message.replace("Value error, ", "").split())


def _typer(help: str, epilog: str = EXIT_CODES_HELP) -> typer.Typer:
    return typer.Typer(
        cls=OneLineErrors,
        help=help,
        epilog=epilog,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        rich_markup_mode="markdown",
    )


app = _typer(
    "Decide, feature by feature, what to give away free, what to keep free behind a usage "
    "wall and what to gate (and in which tier), with a rationale that cites Elena Verna's "
    "B2B growth framework.\n\n"
    "Start with 'freemium-advisor init', then 'freemium-advisor analyze features.yaml'.\n\n"
    "Example: freemium-advisor analyze examples/whiteboard.yaml"
)
rules_app = _typer(
    "List, show, test and document the rules (built-in and your own packs).\n\n"
    "Example: freemium-advisor rules show virality-high",
    exit_codes({EXIT_FINDINGS: "an example fails ('rules test')"}),
)
import_app = _typer(
    "Turn an existing pricing page or spreadsheet into a feature inventory.\n\n"
    "Example: freemium-advisor import csv features.csv --tiers free,pro,enterprise -o features.yaml",
    exit_codes(),
)
checks_app = _typer(
    "List, test and document the checks behind 'check' and the findings of 'analyze'.\n\n"
    "Example: freemium-advisor checks list --rules my-rules.yaml",
    exit_codes({EXIT_FINDINGS: "an example fails ('checks test')"}),
)
app.add_typer(rules_app, name="rules")
app.add_typer(import_app, name="import")
app.add_typer(checks_app, name="checks")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Freemium and paywall design advisor."""
    forget_reads()  # each run guards its own inputs against being overwritten


# --- options every command writes the same way ---------------------------------------------

RULES_OPTION = typer.Option(
    None, "--rules", "-r",
    help="A rule pack (YAML file or folder) to load after the built-in rules; repeatable.",
    metavar="PATH",
)
CONFIG_OPTION = typer.Option(
    None, "--config", metavar="FILE",
    help="Settings file [default: the nearest .freemium-advisor.yaml upwards]; its rule packs "
    "are loaded unless --rules is given.",
)
OUTPUT_OPTION = typer.Option(
    STDOUT, "--output", "-o", help="Write to this file instead of stdout ('-' is stdout).",
    metavar="FILE",
)
COLOR_OPTION = typer.Option(
    None, "--color/--no-color",
    help="Force colors on or off (default: on for a terminal, off if NO_COLOR is set).",
    show_default=False,
)


def load_settings(config: str | None) -> Any:
    """The :class:`~freemium_advisor.reading.config.Config` of ``--config FILE``, else of the nearest
    ``.freemium-advisor.yaml`` upwards, else ``None``: validated in full whatever the command."""
    from freemium_advisor.reading.config import find_config, load_config

    path = config or find_config()
    if not path:
        return None
    from freemium_advisor.engine.gate import FAIL_ON

    return load_config(path, FAIL_ON, formats_for("check"))


def rule_packs(rules: list[str] | None, config: str | None) -> tuple[str, ...]:
    """The rule packs in force: ``--rules`` when given, else the settings file's ``rules``.

    Every command that reads rules reads them this way, so the advice in a terminal is the
    advice ``check`` gives in CI. The settings file is read (and a bad one reported) either way."""
    settings = load_settings(config)
    if rules:
        return tuple(rules)
    return (settings.rules or ()) if settings else ()


def format_choices(command: str) -> type[Enum]:
    """An enum of the formats ``command`` offers: its ``--format`` choices and nothing else."""
    names = formats_for(command)
    return Enum(f"{command.title().replace(' ', '')}Format", {n: n for n in names}, type=str)


def format_option(choices: type[Enum], help: str = "Output format.") -> Any:
    """The ``--format`` option for an enum made by :func:`format_choices`; the first is the default."""
    return typer.Option(next(iter(choices)), "--format", "-f", help=help, case_sensitive=False)


def render_options(color: bool | None, output: str) -> RenderOptions:
    """Colors and width for text going to ``output`` (``-`` is stdout)."""
    to_terminal = output == STDOUT and sys.stdout.isatty()
    if color is None:
        # no-color.org: a NO_COLOR that is set and not empty turns colors off.
        color = to_terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    if to_terminal:
        width = shutil.get_terminal_size((100, 24)).columns
    else:
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() and int(columns) > 0 else 100
    # COLUMNS=100000000 would have a table drawn that wide: minutes and gigabytes.
    return RenderOptions(color=bool(color), width=min(width, MAX_WIDTH))
