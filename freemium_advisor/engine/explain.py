"""What-ifs: for each feature, which single answer would flip its advice.

The search re-assesses the feature with one signal changed at a time (every other value of
every signal, nearest first), so "what would flip the decision" is computed by the same
engine and rules, never approximated. The answers are carried by the result
(:attr:`~freemium_advisor.result.Assessment.what_ifs`): ``explain`` and the report read them
from there.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from freemium_advisor.engine.rule_engine import Engine
from freemium_advisor.model.inventory import Product
from freemium_advisor.model.signals import SIGNALS
from freemium_advisor.result import EXPLICIT, Analysis, Assessment, Explanation, Flip, Signal


def with_what_ifs(analysis: Analysis, feature_ids: Collection[str] | None = None) -> Analysis:
    """The analysis with the what-ifs of the features named (every feature by default) in
    their assessments. Features that share their assessment (the same text, see
    ``assessmemo``) share their what-ifs, searched once."""
    engine = Engine(analysis.ruleset)
    product = analysis.inventory.product
    searched: dict[int, tuple] = {}

    def carry(assessment: Assessment) -> Assessment:
        if assessment.what_ifs is not None or (
            feature_ids is not None and assessment.feature.id not in feature_ids
        ):
            return assessment
        found = searched.get(id(assessment.signals))
        if found is None:  # the signals are kept with their what-ifs: the id stays theirs
            found = searched[id(assessment.signals)] = (
                assessment.signals, what_ifs(engine, assessment, product),
            )
        return replace(assessment, what_ifs=found[1])

    return replace(analysis, assessments=tuple(map(carry, analysis.assessments)))


def explain(analysis: Analysis, feature_id: str) -> Explanation:
    """Explain one feature of an analysis, with its what-ifs (searched now if the analysis
    was built without them); an unknown id raises ``KeyError``."""
    assessment = analysis.assessment(feature_id)
    if assessment.what_ifs is None:
        analysis = with_what_ifs(analysis, (feature_id,))
        assessment = analysis.assessment(feature_id)
    return Explanation(analysis, assessment)


def what_ifs(engine: Engine, assessment: Assessment, product: Product) -> tuple[Flip, ...]:
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
