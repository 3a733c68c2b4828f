"""JSON output: the stable, versioned contract that CI checks and reports build on.

Keys never disappear within a ``format_version``; features keep the inventory's order;
numbers are rounded so the same input gives byte-identical output.

The text is what ``json.dumps(data, indent=2, ensure_ascii=False)`` writes, byte for byte,
made by orjson (a C encoder: 10,000 features in a tenth of the time that ``indent=`` forces
``json`` to spend in pure Python). An analysis is written feature by feature
(:func:`stream_analysis`), so a 100,000-feature result never sits in memory as one string.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from freemium_advisor.model.signals import SIGNAL_BY_NAME

FORMAT_VERSION = 1


def _evidence(evidence) -> list[dict[str, Any]]:
    return [{"rule": e.rule, "words": list(e.words), "message": e.message} for e in evidence]


def source_to_dict(source) -> dict[str, Any] | None:
    if source is None:
        return None
    return {
        "principle": source.principle,
        "seed": source.seed,
        "timestamp": source.timestamp,
        "quote": source.quote,
    }


def reason_to_dict(reason) -> dict[str, Any]:
    return {
        "rule": reason.rule,
        "criterion": reason.criterion,
        "direction": reason.direction,
        "weight": reason.weight,
        "message": reason.message,
        "inferred": reason.inferred,
        "evidence": _evidence(reason.evidence),
        "source": source_to_dict(reason.source),
    }


def assessment_to_dict(a, shared: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """One feature's assessment; ``shared`` remembers the part that repeated features share
    (the same signals object means the same remembered assessment, see ``assessmemo``)."""
    feature = a.feature
    advice = shared.get(id(a.signals)) if shared is not None else None
    if advice is None:
        advice = _advice(a)
        if shared is not None:
            shared[id(a.signals)] = advice
    return {**_head(a), **advice, "position": {"line": feature.line, "column": feature.column}}


def _head(a) -> dict[str, Any]:
    """The keys before the shared part of an assessment."""
    return {
        "id": a.feature.id,
        "name": a.feature.name,
        "recommendation": a.recommendation,
        "tier": a.tier,
        "tier_is_guess": a.tier_is_guess,
        "current": a.feature.current,
    }


def _advice(a, unsupported: dict | None = None) -> dict[str, Any]:
    """The part of a feature's assessment that repeated features share. ``unsupported``
    remembers the entry of a signal with no evidence (most of them, in every feature), by
    its name, value and source, so that one is built once per run."""
    return {
        "score": a.score,
        "margin": a.margin,
        "confidence": a.confidence,
        "confidence_label": a.confidence_label,
        "evidence": a.evidence,
        "limit": (
            {"metric": a.limit_metric, "rule": a.limit_rule}
            if a.recommendation == "free-limited" else None
        ),
        "wall_advice": a.wall_advice,
        "criteria": a.criteria,
        "default": a.default,
        "questions": list(a.questions),
        "signals": {
            name: _signal(name, s) if s.evidence or unsupported is None
            else _unsupported_signal(name, s, unsupported)
            for name, s in a.signals.items()
        },
        "reasons": [reason_to_dict(r) for r in a.reasons],
    }


def _signal(name: str, s) -> dict[str, Any]:
    return {
        "value": SIGNAL_BY_NAME[name].to_json(s.value),
        "source": s.source,
        "evidence": _evidence(s.evidence),
    }


def _unsupported_signal(name: str, s, known: dict) -> dict[str, Any]:
    key = (name, type(s.value), s.value, s.source)  # True and 1 are equal, not the same
    entry = known.get(key)
    if entry is None:
        entry = known[key] = _signal(name, s)
    return entry


def finding_to_dict(f) -> dict[str, Any]:
    return {
        "check": f.check,
        "title": f.title,
        "severity": f.severity,
        "feature": f.feature,
        "message": f.message,
        "file": f.file,
        "position": {"line": f.line, "column": f.column},
        "fingerprint": f.fingerprint,
        "inferred": f.inferred,
        "help": f.help,
        "source": source_to_dict(f.source),
        "suppression": suppression_to_dict(f.suppression),
    }


def suppression_to_dict(s) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"kind": s.kind, "reason": s.reason, "owner": s.owner, "expires": s.expires}


def header_to_dict(analysis) -> dict[str, Any]:
    """What produced the result, from which rules and which input."""
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": analysis.tool.name, "version": analysis.tool.version},
        "rules": {"fingerprint": analysis.rules_fingerprint, "packs": list(analysis.rule_packs)},
        "file": analysis.path,
    }


def analysis_to_dict(analysis) -> dict[str, Any]:
    return {
        **_analysis_head(analysis),
        "features": [assessment_to_dict(a, {}) for a in analysis.assessments],
        **_analysis_tail(analysis),
    }


def _analysis_head(analysis) -> dict[str, Any]:
    product = analysis.inventory.product
    return {
        **header_to_dict(analysis),
        "product": {
            "name": product.name,
            "model": product.model,
            "trial_days": product.trial_days,
            "collaborative": product.collaborative,
            "tiers": [{"name": t.name, "audience": t.audience} for t in product.tiers],
        },
        "summary": analysis.summary(),
    }


def _analysis_tail(analysis) -> dict[str, Any]:
    return {
        "findings": [finding_to_dict(f) for f in analysis.findings],
        "suppressed": [finding_to_dict(f) for f in analysis.suppressed],
    }


def _dumps(data: Any) -> bytes:
    # json.dumps(indent=2, ensure_ascii=False) to the byte: the same separators, indentation,
    # escapes and number forms (numbers here are rounded floats and small whole numbers).
    return orjson.dumps(data, option=orjson.OPT_INDENT_2)


def _dump(data: Any) -> str:
    return (_dumps(data) + b"\n").decode("utf-8")


# Unescaped quotes only occur around keys and strings, so this is the "features" key of the
# top level and nothing else.
_FEATURES = b'\n  "features": [],\n'


def stream_analysis(analysis, options=None) -> Iterator[bytes]:
    """The whole analysis as UTF-8 JSON, in pieces: the same bytes as :func:`render_analysis`."""
    if not analysis.assessments:
        yield _dumps(analysis_to_dict(analysis)) + b"\n"
        return
    frame = _dumps({**_analysis_head(analysis), "features": [], **_analysis_tail(analysis)})
    before, after = frame.split(_FEATURES)
    yield before + b'\n  "features": ['
    # Repeated features share their advice (assessmemo): its text is made once, already
    # indented for its place in the list, and only the feature's own fields around it per
    # feature.
    # The pieces of a batch of features are joined once (a feature's text is copied once, not
    # once per piece and again per batch: at 10,000 features the JSON is 44 MB).
    shared: dict[int, bytes] = {}
    unsupported: dict[tuple, dict[str, Any]] = {}
    separator = b"\n    "
    batch: list[bytes] = []
    for count, a in enumerate(analysis.assessments, 1):
        advice = shared.get(id(a.signals))
        if advice is None:
            advice = shared[id(a.signals)] = (
                b"," + _dumps(_advice(a, unsupported))[1:-2].replace(b"\n", b"\n    ")
                + b",\n      \"position\": {\n        \"line\": "
            )
        feature = a.feature
        batch += (
            separator, _dumps(_head(a))[:-2].replace(b"\n", b"\n    "), advice,
            b"%d,\n        \"column\": %d\n      }\n    }" % (feature.line, feature.column),
        )
        separator = b",\n    "
        if count % 256 == 0:
            yield b"".join(batch)
            batch = []
    batch += (b"\n  ],\n", after, b"\n")
    yield b"".join(batch)


def render_analysis(analysis, options=None) -> str:
    """The whole analysis as JSON."""
    return b"".join(stream_analysis(analysis, options)).decode("utf-8")


def render_explanation(explanation, options=None) -> str:
    """One feature's assessment as JSON, plus the what-if answers that flip it."""
    data = {**header_to_dict(explanation.analysis), **assessment_to_dict(explanation.assessment)}
    data["flips"] = [
        {"signal": f.signal, "value": f.value, "recommendation": f.recommendation,
         "tier": f.tier, "score": f.score}
        for f in explanation.flips
    ]
    return _dump(data)


def render_check(run, options=None) -> str:
    """The CI gate's result: the verdict and counts, then every file's full analysis."""
    first = run.results[0] if run.results else None
    data = {
        "format_version": FORMAT_VERSION,
        "tool": {"name": first.tool.name, "version": first.tool.version} if first else None,
        "gate": {"fail_on": run.fail_on, "failed": run.failed, "counts": run.counts()},
        "results": [analysis_to_dict(a) for a in run.results],
    }
    return _dump(data)
