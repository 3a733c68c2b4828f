"""The bundled examples get the outcomes the framework implies for the cases it names."""

from __future__ import annotations

import pytest

from freemium_advisor.engine.analysis import analyze_file
from tests.conftest import EXAMPLES

EXPECTED = {
    # Miro: shared boards spread the product (00:47:45); boards themselves stay free behind
    # a count wall; identity and compliance controls go to the top tier.
    "whiteboard.yaml": {
        "share-board": ("free", "free"),
        "create-boards": ("free-limited", "free"),
        "templates": ("free", "free"),
        "realtime-collaboration": ("free", "free"),
        "export-image": ("free", "free"),
        "private-boards": ("gated", "starter"),
        "version-history": ("gated", "starter"),
        "voting-timer": ("free", "free"),
        "team-analytics": ("gated", "business"),
        "sso": ("gated", "enterprise"),
        "audit-logs": ("gated", "enterprise"),
    },
    # MongoDB Atlas: a free shared cluster without a time limit, paid production (00:43:57).
    "database.yaml": {
        "shared-cluster": ("free-limited", "free"),
        "data-explorer": ("free", "free"),
        "drivers": ("free", "free"),
        "full-text-search": ("free-limited", "free"),
        "charts": ("free-limited", "free"),
        "sample-datasets": ("free", "free"),
        "dedicated-clusters": ("gated", "dedicated"),
        "point-in-time-restore": ("gated", "dedicated"),
        "auto-scaling": ("gated", "dedicated"),
        "performance-advisor": ("gated", "dedicated"),
        "customer-managed-keys": ("gated", "enterprise"),
        "ldap": ("gated", "enterprise"),
        "database-auditing": ("gated", "enterprise"),
    },
    # SurveyMonkey: every respondent sees the product (00:47:50); removing the footer that
    # invites them is friction to growth and is paid (00:51:09).
    "survey.yaml": {
        "create-surveys": ("free", "free"),
        "collect-by-link": ("free", "free"),
        "view-responses": ("free-limited", "free"),
        "remove-branding": ("gated", "individual"),
        "skip-logic": ("gated", "individual"),
        "export-spss": ("gated", "individual"),
        "ai-builder": ("free-limited", "free"),
        "shared-workspace": ("gated", "team"),
        "industry-benchmarks": ("gated", "team"),
        "hipaa": ("gated", "enterprise"),
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_recommendations(name):
    analysis = analyze_file(str(EXAMPLES / name))
    got = {a.feature.id: (a.recommendation, a.tier) for a in analysis.assessments}
    assert got == EXPECTED[name]


def test_every_example_is_covered():
    assert sorted(p.name for p in EXAMPLES.glob("*.yaml")) == sorted(EXPECTED)


def test_free_limited_features_name_their_wall():
    walls = {
        a.feature.id: a.limit_metric
        for name in EXPECTED
        for a in analyze_file(str(EXAMPLES / name)).assessments
        if a.recommendation == "free-limited"
    }
    assert walls == {
        "create-boards": "editable boards",  # the inventory's own limit wins
        "shared-cluster": "MB of storage",
        "full-text-search": "search indexes",
        "charts": "GB of data transfer per month",
        "view-responses": "responses per survey",
        "ai-builder": "AI credits per month",  # suggested by the metric-ai rule
    }


def test_findings_point_at_the_current_tier_line():
    analysis = analyze_file(str(EXAMPLES / "whiteboard.yaml"))
    assert [(f.check, f.severity, f.feature, f.line, f.column) for f in analysis.findings] == [
        ("gated-growth-feature", "error", "voting-timer", 79, 5),
    ]
