"""The CI gate: ``check`` (fail a build on findings) and ``diff`` (what a change alters)."""

from __future__ import annotations

import os
from enum import Enum
from typing import List, Optional

import typer

from freemium_advisor.cli.app import (
    CONFIG_OPTION,
    COLOR_OPTION,
    EXIT_CODES_HELP,
    EXIT_FINDINGS,
    OUTPUT_OPTION,
    RULES_OPTION,
    app,
    format_choices,
    format_option,
    render_options,
    load_settings,
    rule_packs,
)
from freemium_advisor.base.errors import InputError
from freemium_advisor.base.escaping import text_line
from freemium_advisor.formats import formatter
from freemium_advisor.base.outputs import STDOUT, distinct_outputs, write_output

CheckFormat = format_choices("check")
DiffFormat = format_choices("diff")
FailOn = Enum("FailOn", {n: n for n in ("error", "warning", "note", "never")}, type=str)


@app.command(epilog=EXIT_CODES_HELP)
def check(
    files: List[str] = typer.Argument(
        ..., help="Inventory files, or folders to search for inventories.", metavar="FILE",
    ),
    format: Optional[CheckFormat] = typer.Option(
        None, "--format", "-f", case_sensitive=False, show_default=False, metavar="FORMAT",
        help="text, json, github, gitlab, sarif, junit or markdown [default: text; github "
        "when GITHUB_ACTIONS=true].",
    ),
    fail_on: Optional[FailOn] = typer.Option(
        None, "--fail-on", case_sensitive=False, show_default=False, metavar="LEVEL",
        help="error, warning, note or never: fail (exit 1) on findings of this severity or "
        "worse [default: error].",
    ),
    rules: Optional[List[str]] = RULES_OPTION,
    baseline: Optional[str] = typer.Option(
        None, "--baseline", metavar="FILE", help="Report only findings not recorded in this baseline.",
    ),
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
        help="Report only findings a change introduced or altered since this git ref.",
    ),
    strict: Optional[bool] = typer.Option(
        None, "--strict", show_default=False,
        help="Keep findings that rest on guessed (inferred) signals at full severity; by "
        "default they are notes [default: strict in the settings file, else off].",
    ),
    config: Optional[str] = typer.Option(
        None, "--config", metavar="FILE",
        help="Settings file [default: the nearest .freemium-advisor.yaml upwards]: rule packs, "
        "fail_on, format, baseline and strict; options given here win.",
    ),
    output: str = OUTPUT_OPTION,
    color: Optional[bool] = COLOR_OPTION,
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

    Example: freemium-advisor check features.yaml --base origin/main --format github
    """
    from freemium_advisor.reading.baseline import read_baseline
    from freemium_advisor.reading.basediff import file_at_ref, verify_ref
    from freemium_advisor.engine.gate import discover, run_check
    from freemium_advisor.reading.rulepacks import load_ruleset

    settings = load_settings(config)
    fmt = (format.value if format else None) or (settings and settings.format) or (
        "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    )
    threshold = (fail_on.value if fail_on else None) or (settings and settings.fail_on) or "error"
    if base is not None:
        verify_ref(base, files[0])  # an empty --base is an unknown ref, never "no --base"
    if write_baseline and update_baseline:
        raise InputError(None, None, None, "--write-baseline and --update-baseline both write a baseline; give one")
    baseline_file = update_baseline or baseline or (settings and settings.baseline)
    if write_baseline and baseline_file and _same_path(write_baseline, baseline_file):
        raise InputError(
            write_baseline, None, None,
            f"is the baseline this run reads; to rewrite it, use --update-baseline {write_baseline} "
            "(it lists the recorded findings it drops)",
        )
    distinct_outputs(**{"--output": output, "--write-baseline": write_baseline})
    packs = rules or (settings and settings.rules) or ()
    strict = bool(strict or (settings and settings.strict))
    ruleset = load_ruleset(packs)
    found = discover(files)
    if verbose:
        for path, why in found.skipped:
            typer.echo(text_line(f"{path}: skipped: {why}"), err=True)
    paths = list(found.files)

    new_baseline = write_baseline or update_baseline
    if new_baseline:
        old = read_baseline(update_baseline) if update_baseline and os.path.exists(update_baseline) else None
        run = run_check(paths, ruleset, threshold, skipped=found.skipped, strict=strict)
        _write_baseline(run, new_baseline, old, inputs=(*paths, *ruleset.files))
        if output != STDOUT:  # the report too, when asked for: no output named is lost
            text = formatter("check", fmt)(run, render_options(color, output))
            write_output(text, output, inputs=(*paths, *ruleset.files))
        return

    accepted = read_baseline(baseline_file) if baseline_file else None
    base_texts = {p: file_at_ref(p, base) for p in paths} if base is not None else None
    run = run_check(paths, ruleset, threshold, baseline=accepted, base_texts=base_texts, base_ref=base,
                    skipped=found.skipped, strict=strict)
    output = output or STDOUT
    text = formatter("check", fmt)(run, render_options(color, output))
    write_output(text, output, inputs=(*paths, *ruleset.files))
    typer.echo(run.summary(), err=True)
    if run.failed:
        raise typer.Exit(EXIT_FINDINGS)


def _write_baseline(run, path: str, old: frozenset[str] | None, *, inputs: tuple[str, ...]) -> None:
    """Write ``run``'s findings as the baseline ``path``; with the ``old`` baseline that
    file held, list each recorded finding the new one drops (fixed, or gone with its
    feature), so that an update never forgets anything silently."""
    from freemium_advisor.reading.baseline import baseline_text
    from freemium_advisor.engine.gate import plural

    kept = {f.fingerprint for f in run.findings}
    dropped = sorted(old - kept) if old is not None else []
    names = _recorded_names(path) if dropped else {}
    write_output(baseline_text(run.findings), path, inputs=inputs, replacing=path if old is not None else None)
    for fingerprint in dropped:
        typer.echo(text_line(f"{path}: dropped {fingerprint} ({names.get(fingerprint, 'no longer found')})"), err=True)
    added = len(kept - old) if old is not None else len(kept)
    summary = f"Wrote {plural(len(kept), 'finding')} to {path}"
    if old is not None:
        summary += f" ({added} new, {len(dropped)} dropped)"
    typer.echo(text_line(summary + "."), err=True)


def _recorded_names(path: str) -> dict[str, str]:
    """What each fingerprint of a valid baseline file stood for: ``check on subject``."""
    import json

    from freemium_advisor.base.textfile import read_text

    entries = json.loads(read_text(path)[1])["findings"]
    return {
        e["fingerprint"]: f"{e.get('check')} on {e.get('subject') or 'the product'}"
        for e in entries
    }


def _same_path(first: str, second: str) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)


@app.command(epilog=EXIT_CODES_HELP)
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
