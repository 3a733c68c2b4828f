"""The check reference (docs/checks.md), generated from the files under ``checks/``."""

from __future__ import annotations

import re

import yaml

from freemium_advisor.engine.findings import catalog


def _example(example: dict) -> str:
    return yaml.safe_dump(example, sort_keys=False, default_flow_style=None, width=100).rstrip()


def render_docs() -> str:
    """Markdown: a table of every check, then each check's message, help, source and examples."""
    specs = catalog()
    lines = [
        "# Check reference",
        "",
        "Generated from `checks/` by `freemium-advisor checks docs -o docs/checks.md`; do not edit.",
        "",
        "`check` fails a build on findings at or above `--fail-on`; `analyze` lists them. A rule",
        "pack may change a check's severity (`policy: {severity: {CHECK: warning}}`, or `off`); a",
        "finding that rests on inferred signals only is one severity lower. To accept a finding,",
        "waive it in the inventory: `waive: [{check: CHECK, reason: ..., owner: ..., expires: 2027-03-31}]`",
        "on the feature (feature checks) or on the product (product and tier checks).",
        "",
        "| check | severity | scope | title |",
        "|---|---|---|---|",
    ]
    lines += [f"| [`{s.id}`](#{s.id}) | {s.severity} | {s.scope} | {s.title} |" for s in specs]
    for s in specs:
        lines += ["", f"## {s.id}", "", f"**{s.title}** ({s.severity}, {s.scope} check)", ""]
        lines += [f"Message template: `{s.message}`", "", s.help, ""]
        if s.source:
            cite = f"{s.source.principle} ({s.source.seed} {s.source.timestamp})"
            lines += [f"Source: {cite}", ""]
            if s.source.quote:
                lines += [f"> {s.source.quote}", ""]
        for outcome, label in (("fails", "Fires on"), ("passes", "Quiet on")):
            for example in s.examples.get(outcome, ()):
                lines += [f"{label}:", "", "```yaml", _example(example), "```", ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"
