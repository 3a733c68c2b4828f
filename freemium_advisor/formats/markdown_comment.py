"""``check --format markdown``: a pull-request comment body.

The verdict and counts, a table of the findings that count, and collapsed details: each
check's help and source, and the suppressed findings with the reason they do not count.
File names, messages and reasons go through
:func:`~freemium_advisor.base.escaping.markdown_escape` (file names through ``markdown_name``) like the report's feature text: no
tag, link, @mention or table break of theirs reaches the rendered comment, and a control
character (a newline in a file name) shows as the escape every other format shows (``\\n``).
"""

from __future__ import annotations

from freemium_advisor.base.escaping import markdown_escape, markdown_name
from freemium_advisor.reading.checkcatalog import check_by_id
from freemium_advisor.engine.gate import plural


def render_check(run, options=None) -> str:
    """The comment body, in Markdown."""
    counts = run.counts()
    verdict = "❌ failed" if run.failed else "✅ passed"
    lines = [
        f"### freemium-advisor check: {verdict}",
        "",
        f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{plural(counts['note'], 'note')}, {counts['suppressed']} suppressed; "
        f"fails on `{run.fail_on}`.",
        "",
    ]
    if run.findings:
        lines += ["| severity | where | check | message |", "|---|---|---|---|"]
        lines += [
            f"| {f.severity} | {markdown_name(f.file)}:{f.line} | `{f.check}` | {markdown_escape(f.message)} |"
            for f in run.findings
        ]
        lines.append("")
        catalog = check_by_id()
        lines += ["<details><summary>What the checks mean</summary>", ""]
        for check_id in sorted({f.check for f in run.findings}):
            spec = catalog[check_id]
            source = f" ({spec.source.cite()})" if spec.source else ""
            # The catalog's own Markdown (built in: a rule pack can only change a severity).
            lines.append(f"- **{check_id}**: {' '.join((spec.help + source).split())}")
        lines += ["", "</details>", ""]
    else:
        lines += ["No findings.", ""]
    if run.suppressed:
        lines += [f"<details><summary>{len(run.suppressed)} suppressed</summary>", ""]
        lines += [
            f"- {markdown_name(f.file)}:{f.line} `{f.check}` "
            f"({f.suppression.kind}: {markdown_escape(f.suppression.explained())})"
            for f in run.suppressed
        ]
        lines += ["", "</details>", ""]
    return "\n".join(lines)
