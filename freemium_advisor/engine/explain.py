"""What-ifs: for each feature, which single answer would flip its advice.

The search decides the feature again with one signal changed at a time (every other value of
every signal, nearest first), through the same rules and the same decision and tier choice
as the advice, never approximated. It asks the engine only for the decision
(:meth:`~freemium_advisor.engine.rule_engine.Engine.what_if`, remembered by the values the
score rules read) and the tier: what a flip says, without rendering any rule's message. The
answers are carried by the result (:attr:`~freemium_advisor.result.Assessment.what_ifs`),
which ``explain`` reads; the report asks a :class:`WhatIfSearch` for those of the features it
shows alone, since searching every feature's costs more than the analysis itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from freemium_advisor.engine.decide import choose_tier
from freemium_advisor.engine.rule_engine import Engine, engine_for
from freemium_advisor.model.inventory import Product
from freemium_advisor.model.signals import AUDIENCE, AUDIENCES, LEVEL, LEVELS, SIGNALS
from freemium_advisor.result import INFERRED, Analysis, Assessment, Explanation, Flip, Signal


class WhatIfSearch:
    """The what-ifs of an analysis's assessments, searched when first asked for. Features
    that share their assessment (the same text, see ``assessmemo``) share their what-ifs,
    searched once; an assessment that already carries them is answered from them."""

    def __init__(self, analysis: Analysis):
        self._engine = engine_for(analysis.ruleset)
        self._product = analysis.inventory.product
        self._searched: dict[int, tuple] = {}
        self._decided: dict[tuple, tuple[Flip, ...]] = {}

    def __call__(self, assessment: Assessment) -> tuple[Flip, ...]:
        if assessment.what_ifs is not None:
            return assessment.what_ifs
        found = self._searched.get(id(assessment.signals))
        if found is None:  # the signals are kept with their what-ifs: the id stays theirs
            found = self._searched[id(assessment.signals)] = (
                assessment.signals,
                what_ifs(self._engine, assessment, self._product, self._decided),
            )
        return found[1]


def with_what_ifs(analysis: Analysis, feature_ids: Collection[str] | None = None) -> Analysis:
    """The analysis with the what-ifs of the features named (every feature by default) in
    their assessments (see :class:`WhatIfSearch`)."""
    search = WhatIfSearch(analysis)

    def carry(assessment: Assessment) -> Assessment:
        if assessment.what_ifs is not None or (
            feature_ids is not None and assessment.feature.id not in feature_ids
        ):
            return assessment
        return _with_what_ifs(assessment, search(assessment))

    return replace(analysis, assessments=tuple(map(carry, analysis.assessments)))


def explain(analysis: Analysis, feature_id: str) -> Explanation:
    """Explain one feature of an analysis, with its what-ifs (searched now if the analysis
    was built without them); an unknown id raises ``KeyError``."""
    assessment = analysis.assessment(feature_id)
    if assessment.what_ifs is None:
        analysis = with_what_ifs(analysis, (feature_id,))
        assessment = analysis.assessment(feature_id)
    return Explanation(analysis, assessment)


def offered_values(spec, current: Signal) -> tuple:
    """The answers a PM may give for a signal: every answer, except for an audience the words
    name: then the guess and its neighbours only (what ``ask`` offers and the what-ifs weigh).
    Words that name a buyer (SAML, audit log, admin) say who it is for; a single user
    for SSO would contradict them. A level guessed from words (virality from 'share') is a
    judgement of effect, and every answer to it stays open: it is what settles the guess."""
    if spec.kind == LEVEL:
        return tuple(range(len(LEVELS)))
    if spec.kind != AUDIENCE:
        return (True, False)
    if current.source != INFERRED:
        return AUDIENCES
    at = AUDIENCES.index(current.value)
    return AUDIENCES[max(at - 1, 0): at + 2]


def what_ifs(engine: Engine, assessment: Assessment, product: Product,
             decided: dict | None = None) -> tuple[Flip, ...]:
    """For each signal, the smallest change of its answer that changes the advice (the
    recommendation, or the tier a gated feature goes to).

    ``decided`` remembers the flips of features that score alike (the same values read by the
    score rules, the same audience, production use and type's audience): they flip alike.
    """
    feature = assessment.feature
    values = {name: s.value for name, s in assessment.signals.items()}
    context = engine.scoring_context(feature, product, values)
    type_audience = engine.ruleset.policy.type_audience(feature.category)
    scored = engine.scoring_key(context)
    key = None if scored is None or decided is None else (
        scored, values["audience"], assessment.signals["audience"].source, values["production"],
        type_audience,
    )
    if key is not None and key in decided:
        return decided[key]
    now = (assessment.recommendation, assessment.tier)
    flips = []
    for spec in SIGNALS:
        offered = offered_values(spec, assessment.signals[spec.name])
        for value in spec.alternatives(values[spec.name]):
            if value not in offered:  # an answer the feature's own words rule out
                continue
            weights, decision = engine.what_if(context, spec.name, value)
            changed = {**values, spec.name: value}
            tier = choose_tier(decision.recommendation, changed["audience"], product,
                               bool(changed["production"]), type_audience)
            outcome = (decision.recommendation, tier.name if tier else None)
            if outcome != now:
                # The score as an assessment shows it (Assessment.score): three decimals,
                # never -0.
                flips.append(Flip(spec.name, spec.display(value), *outcome,
                                  round(weights.score, 3) + 0.0))
                break  # the nearest value that flips is the useful one
    found = tuple(flips)
    if key is not None:
        decided[key] = found
    return found


def _with_what_ifs(assessment: Assessment, flips: tuple[Flip, ...]) -> Assessment:
    """``dataclasses.replace(assessment, what_ifs=flips)`` at a fraction of its cost (a frozen
    dataclass without ``__post_init__``: a copy of its fields is the same object)."""
    copy = object.__new__(Assessment)
    copy.__dict__.update(assessment.__dict__)
    object.__setattr__(copy, "what_ifs", flips)
    return copy

