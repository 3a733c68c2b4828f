"""JSON output: the stable, versioned contract that CI checks and reports build on.

Keys never disappear within a ``format_version``; features keep the inventory's order;
numbers are rounded so the same input gives byte-identical output.
"""

from __future__ import annotations

import json
from typing import Any

from freemium_advisor.signals import SIGNAL_BY_NAME, json_value

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


def assessment_to_dict(a) -> dict[str, Any]:
    feature = a.feature
    return {
        "id": feature.id,
        "name": feature.name,
        "recommendation": a.recommendation,
        "tier": a.tier,
        "tier_is_guess": a.tier_is_guess,
        "current": feature.current,
        "score": a.score,
        "margin": a.margin,
        "confidence": a.confidence,
        "confidence_label": a.confidence_label,
        "limit": (
            {"metric": a.limit_metric, "rule": a.limit_rule}
            if a.recommendation == "free-limited" else None
        ),
        "wall_advice": a.wall_advice,
        "criteria": a.criteria,
        "default": a.default,
        "questions": list(a.questions),
        "signals": {
            name: {
                "value": json_value(SIGNAL_BY_NAME[name], s.value),
                "source": s.source,
                "evidence": _evidence(s.evidence),
            }
            for name, s in a.signals.items()
        },
        "reasons": [reason_to_dict(r) for r in a.reasons],
        "position": {"line": feature.line, "column": feature.column},
    }


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
        "features": [assessment_to_dict(a) for a in analysis.assessments],
        "findings": [finding_to_dict(f) for f in analysis.findings],
        "suppressed": [finding_to_dict(f) for f in analysis.suppressed],
    }


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_analysis(analysis, options=None) -> str:
    """The whole analysis as JSON."""
    return _dump(analysis_to_dict(analysis))


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
