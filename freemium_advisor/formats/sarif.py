"""``check --format sarif``: SARIF 2.1.0, for GitHub code scanning and other viewers.

Rules come from the check catalog (id, title, help, help URI); each result carries its
rule, level, location and the finding's fingerprint; waived findings carry a suppression, and
with a baseline or ``--base`` every result says whether it is new or unchanged. Messages are
shown by code-scanning viewers as text: their controls are escapes in the text itself.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from urllib.parse import quote

from freemium_advisor.base.escaping import json_document, text_line
from freemium_advisor.reading.checkcatalog import load_checks

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "note": "note"}
INFORMATION_URI = "https://github.com/freemium-advisor/freemium-advisor"


def _rule(spec) -> dict:
    full = spec.help if spec.source is None else f"{spec.help} Source: {spec.source.cite()}."
    return {
        "id": spec.id,
        "name": "".join(part.title() for part in spec.id.split("-")),
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": full},
        "help": {"text": spec.help},
        "helpUri": spec.help_uri,
        "defaultConfiguration": {"level": LEVELS[spec.severity]},
    }


def _uri(path: str) -> str:
    # A URI reference: forward slashes, and spaces or '#' escaped; a relative path stays
    # relative so that code scanning resolves it against the repository root.
    return quote(PurePath(path).as_posix(), safe="/:")


def _result(finding, index: dict[str, int], compared: bool) -> dict:
    result = {
        "ruleId": finding.check,
        "ruleIndex": index[finding.check],
        "level": LEVELS[finding.severity],
        "message": {"text": text_line(finding.message)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(finding.file)},
                "region": {"startLine": finding.line, "startColumn": finding.column},
            },
        }],
        "partialFingerprints": {"freemiumAdvisor/v1": finding.fingerprint},
    }
    kind = finding.suppression.kind if finding.suppression else None
    if kind == "waiver":
        result["suppressions"] = [{"kind": "inSource", "justification": text_line(finding.suppression.reason)}]
    elif compared:
        # A finding already there (baseline, --base) is not accepted, only old: say so, and
        # let the viewer keep tracking it; one whose wording changed since is "updated".
        result["baselineState"] = "new" if not kind else (
            "updated" if finding.suppression.was is not None else "unchanged")
    return result


def render_check(run, options=None) -> str:
    """One SARIF run: the catalog as rules, findings (and suppressed ones) as results."""
    specs = load_checks()
    index = {spec.id: i for i, spec in enumerate(specs)}
    tool = run.results[0].tool if run.results else None
    results = [_result(f, index, run.compared) for f in (*run.findings, *run.suppressed)]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "freemium-advisor",
                "version": tool.version if tool else "",
                "informationUri": INFORMATION_URI,
                "rules": [_rule(spec) for spec in specs],
            }},
            "results": results,
        }],
    }
    return json_document(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
