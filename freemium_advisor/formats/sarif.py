"""``check --format sarif``: SARIF 2.1.0, for GitHub code scanning and other viewers.

Rules come from the check catalog (id, title, help); each result carries its rule, level,
location and the finding's fingerprint, and a feature's finding the evidence its feature's
advice rests on (``properties.evidence``: ``answered``, ``inferred`` or ``none``, the
``evidence`` of the feature in the JSON); waived findings carry a suppression, and with a
baseline or ``--base`` every result says whether it is new, unchanged or updated (reworded).
Messages are shown by code-scanning viewers as text: their controls are escapes in the text
itself.

A location is relative to the repository root (``uriBaseId`` ``SRCROOT``, the nearest folder
above the working folder holding ``.git``, else the working folder), so that a viewer
resolves it against its own checkout: the log names no folder of the machine that wrote it,
and the same input gives the same bytes anywhere. A file outside that root is an absolute
``file:`` URI; stdin is ``-``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePath
from urllib.parse import quote

from freemium_advisor.base.escaping import json_document, text_line
from freemium_advisor.base.textfile import STDIN, STDIN_NAME
from freemium_advisor.reading.checkcatalog import load_checks

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "note": "note"}
ROOT_ID = "SRCROOT"
ROOT_BASE = {ROOT_ID: {"description": {"text": (
    "The root of the repository holding the checked files (the nearest folder holding .git "
    "above the folder the check ran in, else that folder). Locations are relative to it."
)}}}


def _rule(spec) -> dict:
    full = spec.help if spec.source is None else f"{spec.help} Source: {spec.source.cite()}."
    return {
        "id": spec.id,
        "name": "".join(part.title() for part in spec.id.split("-")),
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": full},
        "help": {"text": spec.help},
        "defaultConfiguration": {"level": LEVELS[spec.severity]},
    }


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder from ``start`` (the working folder) upwards that holds ``.git``
    (a folder, or a file in a worktree), else ``start`` itself."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def artifact_location(path: str, root: Path) -> dict:
    """Where a file is, as SARIF says it: relative to ``root`` (``SRCROOT``) when inside it."""
    if path in (STDIN, STDIN_NAME):
        return {"uri": STDIN}
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    # A URI reference: forward slashes, and spaces or '#' escaped.
    return {"uri": quote(PurePath(relative).as_posix(), safe="/"), "uriBaseId": ROOT_ID}


def _result(finding, index: dict[str, int], compared: bool, root: Path, evidence: str | None) -> dict:
    result = {
        "ruleId": finding.check,
        "ruleIndex": index[finding.check],
        "level": LEVELS[finding.severity],
        "message": {"text": text_line(finding.message)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact_location(finding.file, root),
                "region": {"startLine": finding.line, "startColumn": finding.column},
            },
        }],
        "partialFingerprints": {"freemiumAdvisor/v1": finding.fingerprint},
    }
    if evidence is not None:
        result["properties"] = {"evidence": evidence}
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
    root = repository_root()
    evidence = run.evidence()
    results = [_result(f, index, run.compared, root, evidence.get(id(f)))
               for f in (*run.findings, *run.suppressed)]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "freemium-advisor",
                "version": tool.version if tool else "",
                "rules": [_rule(spec) for spec in specs],
            }},
            "originalUriBaseIds": ROOT_BASE,
            "results": results,
        }],
    }
    return json_document(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
