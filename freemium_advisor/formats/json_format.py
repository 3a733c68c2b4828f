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


def reason_to_dict(reason) -> dict[str, Any]:
    return {
        "rule": reason.rule,
        "criterion": reason.criterion,
        "direction": reason.direction,
        "weight": reason.weight,
        "message": reason.message,
        "inferred": reason.inferred,
        "evidence": _evidence(reason.evidence),
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
        "limit": {"metric": a.limit_metric} if a.recommendation == "free-limited" else None,
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
        "severity": f.severity,
        "feature": f.feature,
        "message": f.message,
        "position": {"line": f.line, "column": f.column},
        "source": f.source,
    }


def analysis_to_dict(analysis) -> dict[str, Any]:
    product = analysis.inventory.product
    return {
        "format_version": FORMAT_VERSION,
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
    }


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render(analysis, options=None) -> str:
    """The whole analysis as JSON."""
    return _dump(analysis_to_dict(analysis))


def render_explanation(explanation, options=None) -> str:
    """One feature's assessment as JSON, plus the what-if answers that flip it."""
    data = {"format_version": FORMAT_VERSION, **assessment_to_dict(explanation.assessment)}
    data["flips"] = [
        {"signal": f.signal, "value": f.value, "recommendation": f.recommendation,
         "tier": f.tier, "score": f.score}
        for f in explanation.flips
    ]
    return _dump(data)
