"""Explanations: why one feature got its recommendation, and what would change it.

The what-if search re-assesses the feature with one signal changed at a time (every level of
every signal), so "what would flip the decision" is computed by the same engine and rules,
never approximated.
"""

from __future__ import annotations

from dataclasses import dataclass

from freemium_advisor.engine.rule_engine import Engine
from freemium_advisor.result import EXPLICIT, Analysis, Assessment, Signal
from freemium_advisor.model.signals import SIGNALS


@dataclass(frozen=True)
class Flip:
    """Answering ``signal: value`` would change the advice to ``recommendation`` in ``tier``.

    The advice changes when the recommendation does, or when a gated feature moves to
    another paid tier (a different audience), which is a change a PM acts on too.
    """

    signal: str
    value: str
    recommendation: str
    tier: str | None
    score: float


@dataclass(frozen=True)
class Explanation:
    """One feature's assessment within its analysis, and the answers that would flip it."""

    analysis: Analysis
    assessment: Assessment
    flips: tuple[Flip, ...]


def explain(analysis: Analysis, feature_id: str) -> Explanation:
    """Explain one feature of an analysis; an unknown id raises ``KeyError``."""
    assessment = analysis.assessment(feature_id)
    engine = Engine(analysis.ruleset)
    return Explanation(analysis, assessment, what_ifs(engine, assessment, analysis.inventory.product))


def what_ifs(engine: Engine, assessment: Assessment, product) -> tuple[Flip, ...]:
    """For each signal, the smallest change of its answer that changes the advice (the
    recommendation, or the tier a gated feature goes to)."""
    flips = []
    for spec in SIGNALS:
        current = assessment.signals[spec.name].value
        for value in spec.alternatives(current):
            changed = dict(assessment.signals)
            changed[spec.name] = Signal(spec.name, value, EXPLICIT)
            outcome = engine.assess(assessment.feature, product, changed)
            if (outcome.recommendation, outcome.tier) != (assessment.recommendation, assessment.tier):
                flips.append(Flip(
                    spec.name, spec.display(value), outcome.recommendation,
                    outcome.tier, outcome.score,
                ))
                break  # the nearest value that flips is the useful one
    return tuple(flips)
