"""The CI gate: ``check`` (fail a build on findings), ``validate`` (what ``check`` would
refuse, without checking) and ``diff`` (what a change alters)."""

import os
from dataclasses import replace
from enum import Enum
from typing import Any, List, Optional

import typer

from freemium_advisor.cli.app import (
    CONFIG_OPTION,
    COLOR_OPTION,
    EXIT_FOUND,
    exit_codes,
    EXIT_FINDINGS,
    OUTPUT_OPTION,
    RULES_OPTION,
    app,
    format_choices,
    format_option,
    render_options,
    rule_packs,
)
from freemium_advisor.base.errors import InputError, did_you_mean
from freemium_advisor.base.escaping import text_line
from freemium_advisor.base.textfile import STDIN
from freemium_advisor.formats import formats_for, formatter
from freemium_advisor.base.outputs import STDOUT, distinct_outputs, write_output, write_outputs
from freemium_advisor.cli.gateoptions import (
    BASELINE_OPTION,
    DEFAULT_FILE,
    FILES_ARGUMENT,
    GATE_CONFIG_OPTION,
    IGNORE_OPTION,
    SELECT_OPTION,
)

CheckFormat = format_choices("check")
DiffFormat = format_choices("diff")
FailOn = Enum("FailOn", {n: n for n in ("error", "warning", "note", "never")}, type=str)
def read_gate(
    files: list[str] | None, rules: list[str] | None, config: str | None, baseline: str | None,
    select: list[str] | None, ignore: list[str] | None, *, base: str | None = None,
    settings_baseline: bool = True,
) -> tuple[Any, Any]:
    """Read what a check reads, every problem of it at once: the settings file, the rule
    packs, the check choice, the baseline (``baseline``, else the settings file's unless
    ``settings_baseline`` is off), the ``--base`` ref and each inventory. Returns the
    settings (``None`` without a file) and the :class:`~freemium_advisor.engine.gate.GateInputs`."""
    from freemium_advisor.engine.findings import check_choice
    from freemium_advisor.engine.gate import Problems, read_inputs
    from freemium_advisor.reading.basediff import verify_ref

    problems = Problems()
    settings = problems.attempt(lambda: _settings(config, problems))
    files = list(files or (settings and settings.files) or (DEFAULT_FILE,))
    if files.count(STDIN) > 1:  # the second read would find stdin empty
        raise InputError(None, None, None, "'-' (stdin) is named more than once; stdin can be read only once")
    if base is not None:  # an empty --base is an unknown ref, never "no --base"
        problems.attempt(lambda: verify_ref(base, files[0]))
    packs = rules or (settings and settings.rules) or ()
    nowhere = (None, None, None)

    def choice():
        return check_choice(
            [(name, nowhere) for name in _names(select)] or (settings and settings.select) or (),
            [(name, nowhere) for name in _names(ignore)] or (settings and settings.ignore) or (),
            (settings and settings.severity) or (),
        )

    inputs = read_inputs(
        files, packs, baseline=baseline or (settings_baseline and settings and settings.baseline) or None,
        choice=choice,
        problems=problems,
    )
    return settings, inputs


def _settings(config: str | None, problems: Any) -> Any:
    """The settings file's settings (``None`` without one), as far as they are right: its
    problems go to ``problems``, and what the rest of it names is still read."""
    from freemium_advisor.engine.gate import FAIL_ON
    from freemium_advisor.reading.config import find_config, read_config

    path = config or find_config()
    if not path:
        return None
    settings, errors = read_config(path, FAIL_ON, formats_for("check"))
    for error in errors:
        problems.add(error)
    return settings


def _names(values: list[str] | None) -> list[str]:
    """``--select a,b --select c``: every name, in order."""
    return [name.strip() for value in values or () for name in value.split(",") if name.strip()]


@app.command(epilog=exit_codes(EXIT_FOUND))
def check(
    files: Optional[List[str]] = FILES_ARGUMENT,
    format: Optional[CheckFormat] = typer.Option(
        None, "--format", "-f", case_sensitive=False, show_default=False, metavar="FORMAT",
        help="text, json, github, gitlab, sarif, junit or markdown, to stdout or -o [default: "
        "text; github when GITHUB_ACTIONS=true].",
    ),
    write: Optional[List[str]] = typer.Option(
        None, "--write", "-w", metavar="FORMAT=PATH",
        help="Also write the findings in FORMAT to PATH, from the same run (repeatable), e.g. "
        "'--write sarif=advisor.sarif --write junit=junit.xml'.",
    ),
    fail_on: Optional[FailOn] = typer.Option(
        None, "--fail-on", case_sensitive=False, show_default=False, metavar="LEVEL",
        help="error, warning, note or never: fail (exit 1) on findings of this severity or "
        "worse [default: error].",
    ),
    select: Optional[List[str]] = SELECT_OPTION,
    ignore: Optional[List[str]] = IGNORE_OPTION,
    rules: Optional[List[str]] = RULES_OPTION,
    baseline: Optional[str] = BASELINE_OPTION,
    write_baseline: Optional[str] = typer.Option(
        None, "--write-baseline", metavar="FILE",
        help="Record today's findings in FILE (and exit 0), to accept them all at once.",
    ),
    update_baseline: Optional[str] = typer.Option(
        None, "--update-baseline", metavar="FILE",
        help="Rewrite the baseline FILE with today's findings (and exit 0), listing on stderr "
        "each recorded finding it drops.",
    ),
    base: Optional[str] = typer.Option(
        None, "--base", metavar="REF",
        help="Report only findings a change introduced (new, or more severe) since this git "
        "ref: since its merge base with HEAD, as 'git diff REF...HEAD' compares.",
    ),
    strict: Optional[bool] = typer.Option(
        None, "--strict", show_default=False,
        help="Keep findings that rest on guessed (inferred) signals at full severity; by "
        "default they are notes [default: strict in the settings file, else off].",
    ),
    config: Optional[str] = GATE_CONFIG_OPTION,
    output: str = OUTPUT_OPTION,
    color: Optional[bool] = COLOR_OPTION,
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="Print only the findings: no summary line on stderr.",
    ),
    verbose: bool = typer.Option(
        False, "--verbose", "-v",
        help="List on stderr every YAML or JSON file of a checked folder that is not an "
        "inventory, and why.",
    ),
) -> None:
    """Check inventories in CI: fail on findings at or above --fail-on.

    Compares each feature's current tier with the advice and runs the catalog checks
    ('freemium-advisor checks list'). Waivers in the inventory, a --baseline and --base REF
    leave out what was accepted; the summary line (on stderr) counts findings by severity,
    the suppressed ones and the files of checked folders that are not inventories.

    Formats: <text|json|github|gitlab|sarif|junit|markdown>

    Example: freemium-advisor check features.yaml --base origin/main -f github --write sarif=advisor.sarif
    """
    from freemium_advisor.engine.gate import run_check
    from freemium_advisor.reading.basediff import texts_at_base

    if write_baseline and update_baseline:
        raise InputError(None, None, None, "--write-baseline and --update-baseline both write a baseline; give one")
    writes = [_write_option(value) for value in write or ()]
    if quiet and verbose:
        raise InputError(None, None, None, "--quiet and --verbose ask for opposite things; give one")
    # Writing a baseline records every finding: no baseline filters them, and only the one
    # being updated is read (to list what the update drops).
    updating = update_baseline if update_baseline and os.path.exists(update_baseline) else None
    settings, inputs = read_gate(
        files, rules, config, updating if update_baseline else None if write_baseline else baseline,
        select, ignore, base=base, settings_baseline=not (write_baseline or update_baseline),
    )
    fmt = (format.value if format else None) or (settings and settings.format) or (
        "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    )
    threshold = (fail_on.value if fail_on else None) or (settings and settings.fail_on) or "error"
    baseline_file = update_baseline or baseline or (settings and settings.baseline)
    if write_baseline and baseline_file and _same_path(write_baseline, baseline_file):
        raise InputError(
            write_baseline, None, None,
            f"is the baseline this run reads; to rewrite it, use --update-baseline {write_baseline} "
            "(it lists the recorded findings it drops)",
        )
    # Writing a baseline, the report goes only to a file named with -o.
    report = None if (write_baseline or update_baseline) and output == STDOUT else output or STDOUT
    distinct_outputs(**{"--output": report, "--write-baseline": write_baseline,
                        "--update-baseline": update_baseline},
                     **{f"--write {name}={path}": path for name, path in writes})
    strict = bool(strict or (settings and settings.strict))
    read = (*inputs.paths, *inputs.ruleset.files)
    if verbose:
        for path, why in inputs.skipped:
            typer.echo(text_line(f"{path}: skipped: {why}"), err=True)

    new_baseline = write_baseline or update_baseline
    if new_baseline:
        run = run_check(replace(inputs, baseline=None), threshold, strict=strict)
        reports = [(fmt, output)] if output != STDOUT else []
        _write_reports(run, reports + writes, color, read)
        _write_baseline(run, new_baseline, inputs.baseline, inputs=read, quiet=quiet)
        return

    base_texts = texts_at_base(inputs.paths, base) if base is not None else None
    run = run_check(inputs, threshold, base_texts=base_texts, base_ref=base, strict=strict)
    _write_reports(run, [(fmt, output or STDOUT), *writes], color, read)
    if not quiet:
        typer.echo(run.summary(), err=True)
    if run.failed:
        raise typer.Exit(EXIT_FINDINGS)


def _write_option(value: str) -> tuple[str, str]:
    """``--write FORMAT=PATH`` as ``(format, path)``; anything else is a usage error."""
    name, equals, path = value.partition("=")
    formats = formats_for("check")
    if not equals or not path:
        raise InputError(None, None, None, f"--write '{value}': expected FORMAT=PATH, e.g. sarif=advisor.sarif")
    if name.lower() not in formats:
        raise InputError(
            None, None, None,
            f"--write '{value}': unknown format '{name}'{did_you_mean(name.lower(), formats)}; "
            f"expected one of {', '.join(formats)}",
        )
    return name.lower(), path


def _write_reports(run, reports: list[tuple[str, str]], color: bool | None, read: tuple[str, ...]) -> None:
    """Render the run once per format asked for and write every report, all or none."""
    texts = [(formatter("check", fmt)(run, render_options(color, path)), path) for fmt, path in reports]
    write_outputs(texts, inputs=read)


def _write_baseline(run, path: str, old, *, inputs: tuple[str, ...], quiet: bool = False) -> None:
    """Write ``run``'s findings as the baseline ``path``; with the ``old`` baseline that
    file held, list each recorded finding the new one drops (fixed, or gone with its
    feature), so that an update never forgets anything silently."""
    from freemium_advisor.reading.baseline import baseline_text
    from freemium_advisor.engine.gate import plural

    findings = run.findings
    dropped = old.dropped(findings) if old is not None else []
    write_output(baseline_text(findings), path, inputs=inputs, replacing=path if old is not None else None)
    for entry in sorted(dropped, key=lambda e: (e.fingerprint, e.file or "")):
        typer.echo(text_line(f"{path}: dropped {entry.fingerprint} ({entry.described()})"), err=True)
    if quiet:
        return
    kept = len({(f.file, f.fingerprint) for f in findings})
    summary = f"Wrote {plural(kept, 'finding')} to {path}"
    if old is not None:
        added = len({(f.file, f.fingerprint) for f in findings if not old.accepts(f)})
        summary += f" ({added} new, {len(dropped)} dropped)"
    typer.echo(text_line(summary + "."), err=True)


def _same_path(first: str, second: str) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)


def validate_inventories(
    files: list[str] | None, rules: list[str] | None, config: str | None, baseline: str | None,
    select: list[str] | None, ignore: list[str] | None,
) -> None:
    """``validate``: read and analyze exactly what ``check`` would, and say each file is ok
    (``FILE: ok (N features)``), or list every problem ``check`` would refuse (exit 2)."""
    from freemium_advisor.engine.analysis import analyze

    _, inputs = read_gate(files, rules, config, baseline, select, ignore)
    for inventory in inputs.inventories:
        # A rule that fails while it runs is refused by 'check' too: evaluate as it does.
        analyze(inventory, inputs.ruleset, choice=inputs.choice)
    for inventory in inputs.inventories:
        count = len(inventory.features)
        typer.echo(text_line(f"{inventory.path}: ok ({count} feature{'' if count == 1 else 's'})"))


@app.command(epilog=exit_codes())
def diff(
    old: str = typer.Argument(..., help="The inventory before: a file or REF:path.", metavar="OLD"),
    new: str = typer.Argument(..., help="The inventory after: a file or REF:path.", metavar="NEW"),
    format: DiffFormat = format_option(DiffFormat),
    rules: Optional[List[str]] = RULES_OPTION,
    config: Optional[str] = CONFIG_OPTION,
) -> None:
    """List what changed between two inventories: placement, signals and advice.

    Features are matched by id; each line is one change ('~'), an added ('+') or a
    removed ('-') feature.

    Example: freemium-advisor diff main:features.yaml features.yaml
    """
    from freemium_advisor.engine.analysis import analyze
    from freemium_advisor.reading.basediff import read_revision
    from freemium_advisor.reading.inventory_reader import parse_inventory
    from freemium_advisor.engine.inventorydiff import diff_analyses
    from freemium_advisor.reading.rulepacks import load_ruleset

    ruleset = load_ruleset(rule_packs(rules, config))
    analyses = []
    for spec in (old, new):
        name, text = read_revision(spec)
        analyses.append(analyze(parse_inventory(text, name), ruleset))
    result = diff_analyses(*analyses)
    write_output(formatter("diff", format.value)(result, render_options(None, STDOUT)), STDOUT)
