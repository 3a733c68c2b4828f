"""The rule engine: infer missing signals from words, fire score rules, decide each feature.

The engine is a library. It knows features, products and rules, and nothing of terminals,
files or formats: ``evaluate(inventory, ruleset)`` returns one :class:`Assessment` per
feature, in inventory order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from freemium_advisor.decide import UNKNOWN, Weights, choose_tier, confidence_label, decide
from freemium_advisor.inventory import Feature, Inventory, Product
from freemium_advisor.rules import Rule, RuleSet
from freemium_advisor.signals import (
    AUDIENCE,
    AUDIENCES,
    CRITERION_IDS,
    DEFAULT_CRITERION,
    FLAG,
    LEVEL,
    LEVELS,
    SIGNAL_BY_NAME,
    SIGNALS,
    display_value,
)
from freemium_advisor.words import head_phrase, normalize, without_phrase

# What a usage wall counts when nothing better names it: every feature can be counted in uses.
FALLBACK_METRIC = "uses per month"

EXPLICIT = "explicit"
INFERRED = "inferred"
UNSET = "unset"


@dataclass(frozen=True)
class Evidence:
    """Words an inference rule found, and what it concluded from them."""

    rule: str
    words: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Signal:
    """A signal's value for one feature, and where the value came from."""

    name: str
    value: Any
    source: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Reason:
    """A score rule that fired for a feature."""

    rule: str
    criterion: str
    direction: str
    weight: float
    message: str
    inferred: bool
    evidence: tuple[Evidence, ...] = ()

    @property
    def contribution(self) -> float:
        """Signed weight: positive towards free, negative towards a wall or a gate."""
        return self.weight if self.direction == "free" else -self.weight


@dataclass(frozen=True)
class Assessment:
    """The advice for one feature, with everything needed to explain it."""

    feature: Feature
    recommendation: str
    tier: str | None
    weights: Weights
    margin: float
    confidence: float
    confidence_label: str
    reasons: tuple[Reason, ...]
    signals: dict[str, Signal] = field(compare=False)
    limit_metric: str | None = None
    # With confidence "unknown": the signals whose answer alone would change the advice.
    questions: tuple[str, ...] = ()
    # Every reason for the advice rests on signals inferred from words, none on an answer.
    by_words: bool = False

    @property
    def wall_advice(self) -> str | None:
        """What to do with the usage wall the free tier has today (``limit``), if it has one.

        ``raise`` it when the growth value clearly outweighs the usage cost (the advice leans
        free with high confidence: a generous wall); ``keep`` it for any other free-limited
        advice; ``remove`` it when the feature should be free without one, or not free at all.
        """
        if self.feature.limit is None:
            return None
        if self.recommendation == "free-limited":
            return "raise" if self.weights.score > 0 and self.confidence_label == "high" else "keep"
        return "remove"

    @property
    def tier_is_guess(self) -> bool:
        """A gated feature whose audience nobody answered and no word suggested: its tier is
        the cheapest paid one by default, a guess rather than a reading of the evidence."""
        return self.recommendation == "gated" and self.signals["audience"].source == UNSET
    @property
    def score(self) -> float:
        return round(self.weights.score, 3)

    @property
    def criteria(self) -> dict[str, float]:
        """Net contribution of each criterion, every criterion listed."""
        totals = dict.fromkeys(CRITERION_IDS, 0.0)
        for reason in self.reasons:
            if reason.criterion in totals:
                totals[reason.criterion] += reason.contribution
        return {k: round(v, 3) + 0.0 for k, v in totals.items()}

    @property
    def default(self) -> float:
        """Net contribution of the default rules: what holds when no criterion speaks."""
        return round(sum(r.contribution for r in self.reasons
                         if r.criterion == DEFAULT_CRITERION.id), 3) + 0.0

    @property
    def known(self) -> bool:
        """Whether anything but the default speaks: an answered or inferred signal, or a
        rule that read the feature itself (being metered, say)."""
        return self.confidence_label != UNKNOWN

    @property
    def main_reason(self) -> Reason | None:
        """The heaviest reason that agrees with the recommendation."""
        agreeing = AGREEING[self.recommendation]
        candidates = [
            (order, r) for order, r in enumerate(self.reasons) if r.direction in agreeing
        ]
        if not candidates:
            return None
        # Highest weight first; on a tie the PM's own answers before inferred ones, then the
        # direction listed first, then rule order.
        return min(
            candidates,
            key=lambda item: (-item[1].weight, item[1].inferred,
                              agreeing.index(item[1].direction), item[0]),
        )[1]


# The directions of the reasons that speak for each recommendation.
AGREEING = {
    "free": ("free",),
    "free-limited": ("limit", "free"),
    "gated": ("gated", "limit"),
}


class Engine:
    """A rule set made ready to evaluate features."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.infer_rules = ruleset.of_kind("infer")
        self.score_rules = ruleset.of_kind("score")
        self.metric_rules = ruleset.of_kind("metric")

    def infer(self, feature: Feature, product_context: dict) -> dict[str, Signal]:
        """Resolve every signal: the PM's answer, else what the words imply, else unset."""
        values: dict[str, Any] = {s.name: s.unset for s in SIGNALS}
        values.update(feature.signals)
        evidence: dict[str, list[Evidence]] = {}
        context = {"signals": values, "feature": _feature_context(feature), "product": product_context}
        texts = _Texts(feature, product_context["name"])
        for rule in self.infer_rules:
            targets = [(n, v) for n, v in rule.sets if n not in feature.signals]
            if not targets:
                continue  # the PM answered every signal this rule could infer
            words = texts.match(rule)
            if not words or (rule.when and not rule.when(context)):
                continue
            found = Evidence(
                rule.id, words,
                rule.message.render({**_message_context(context, values), "words": _quote(words)}),
            )
            for name, value in targets:
                current = values[name] if name in evidence else None
                if current is None or _stronger(name, value, current):
                    values[name] = value
                    evidence[name] = [found]
                elif value == current:
                    evidence[name].append(found)
        return {
            spec.name: Signal(
                spec.name,
                values[spec.name],
                EXPLICIT if spec.name in feature.signals
                else INFERRED if spec.name in evidence else UNSET,
                tuple(evidence.get(spec.name, ())),
            )
            for spec in SIGNALS
        }

    def assess(
        self, feature: Feature, product: Product, signals: dict[str, Signal] | None = None,
        product_context: dict | None = None,
    ) -> Assessment:
        """Assess one feature; pass ``signals`` to ask "what if the signals were these?"."""
        product_context = product_context or _product_context(product)
        if signals is None:
            signals = self.infer(feature, product_context)
        values = {name: s.value for name, s in signals.items()}
        context = {"signals": values, "feature": _feature_context(feature), "product": product_context}
        message_context = _message_context(context, values)
        reasons = []
        free = limit = gated = 0.0
        for rule in self.score_rules:
            if not rule.when(context):
                continue
            read = [signals[name] for name in rule.reads]
            evidence = tuple(e for s in read if s.source == INFERRED for e in s.evidence)
            reasons.append(Reason(
                rule.id, rule.criterion, rule.direction, rule.weight,
                rule.message.render(message_context),
                any(s.source == INFERRED for s in read), evidence,
            ))
            if rule.direction == "free":
                free += rule.weight
            elif rule.direction == "limit":
                limit += rule.weight
            else:
                gated += rule.weight
        weights = Weights(free, limit, gated)
        decision = decide(weights, self.ruleset.policy)
        tier = choose_tier(decision.recommendation, signals["audience"].value, product)
        metric = None
        if decision.recommendation == "free-limited":
            metric = self.wall_metric(feature, product)
        confidence, label, questions = decision.confidence, decision.confidence_label, ()
        by_words = _decided_by_words(reasons, decision.recommendation)
        if not any(s.source != UNSET for s in signals.values()) and all(
            r.criterion == DEFAULT_CRITERION.id for r in reasons
        ):
            # Only the default spoke: there is no margin worth the name to report.
            confidence, label = 0.0, UNKNOWN
            questions = self.questions(feature, product, signals, decision.recommendation,
                                       product_context)
        elif by_words:
            label = confidence_label(decision.confidence, self.ruleset.policy, steps_down=1)
        return Assessment(
            feature, decision.recommendation, tier.name if tier else None, weights,
            decision.margin, confidence, label,
            tuple(reasons), signals, metric, questions, by_words,
        )

    def questions(self, feature: Feature, product: Product, signals: dict[str, Signal],
                  recommendation: str, product_context: dict) -> tuple[str, ...]:
        """The signals for which some answer alone changes the recommendation."""
        deciding = []
        for spec in SIGNALS:
            for value in _answers(spec):
                if value == signals[spec.name].value:
                    continue
                changed = {**signals, spec.name: Signal(spec.name, value, EXPLICIT)}
                outcome = self.assess(feature, product, changed, product_context)
                if outcome.recommendation != recommendation:
                    deciding.append(spec.name)
                    break
        return tuple(deciding)

    def wall_metric(self, feature: Feature, product: Product) -> str | None:
        """What a usage wall should count: today's wall, the metric the pricing meters the
        feature by, the first metric rule whose words the feature uses, else uses."""
        if feature.limit:
            return feature.limit.metric
        if feature.metered:
            return feature.metered
        return self.suggest_metric(feature, product) or FALLBACK_METRIC

    def suggest_metric(self, feature: Feature, product: Product) -> str | None:
        """The usage-wall metric of the first metric rule whose words the feature uses."""
        texts = _Texts(feature, product.name)
        for rule in self.metric_rules:
            words = texts.match(rule)
            if words:
                return rule.metric.render({"words": _quote(words), "word": words[0]})
        return None


def evaluate(inventory: Inventory, ruleset: RuleSet) -> tuple[Assessment, ...]:
    """Assess every feature of the inventory, in inventory order."""
    engine = Engine(ruleset)
    product_context = _product_context(inventory.product)
    return tuple(
        engine.assess(feature, inventory.product, product_context=product_context)
        for feature in inventory.features
    )


def rule_fires(rule: Rule, feature: Feature, product: Product) -> bool:
    """Whether one rule fires for a feature on its own, reading only the PM's answers.

    This is what a rule's ``examples`` are checked with: each rule is tested in isolation.
    """
    values = {s.name: feature.signals.get(s.name, s.unset) for s in SIGNALS}
    context = {"signals": values, "feature": _feature_context(feature),
               "product": _product_context(product)}
    if rule.kind != "score":
        if rule.kind == "infer" and all(n in feature.signals for n, _ in rule.sets):
            return False
        if not _Texts(feature, product.name).match(rule):
            return False
    return rule.when is None or rule.when(context)


class _Texts:
    """A feature's words as word lists read them, normalized once per combination of fields."""

    def __init__(self, feature: Feature, product_name: str):
        self.feature = feature
        self.product_name = product_name
        self._cache: dict[tuple[str, ...], str] = {}

    def match(self, rule: Rule) -> tuple[str, ...]:
        """The rule's words found in the fields it reads, or nothing if an ``unless`` word is.

        ``unless`` reads the whole name where ``words`` read only its head: in "Export to
        Excel for reporting" the export is the feature, and "for reporting" still vetoes it.
        """
        words = rule.words.find_normalized(self.text(rule.fields))
        if words and rule.unless and rule.unless.find_normalized(
            self.text(unless_fields(rule.fields))
        ):
            return ()
        return words

    def text(self, fields: tuple[str, ...]) -> str:
        text = self._cache.get(fields)
        if text is None:
            raw = " ".join(field_text(self.feature, name) for name in fields)
            text = self._cache[fields] = without_phrase(raw, self.product_name)
        return text


def _answers(spec) -> tuple:
    if spec.kind == LEVEL:
        return tuple(range(len(LEVELS)))
    if spec.kind == AUDIENCE:
        return AUDIENCES
    return (True, False)


def _decided_by_words(reasons: list[Reason], recommendation: str) -> bool:
    """Whether every reason that speaks for the recommendation rests on inferred signals."""
    agreeing = [r for r in reasons
                if r.direction in AGREEING[recommendation] and r.criterion != DEFAULT_CRITERION.id]
    return bool(agreeing) and all(r.inferred for r in agreeing)


def field_text(feature: Feature, field_name: str) -> str:
    """The text of one field a word list reads: a feature attribute, or the name's head."""
    if field_name == "head":
        return head_phrase(feature.name)
    return getattr(feature, field_name)


def unless_fields(fields: tuple[str, ...]) -> tuple[str, ...]:
    """The fields an ``unless`` list reads: the same, with the whole name for its head."""
    return tuple(dict.fromkeys("name" if f == "head" else f for f in fields))


def _stronger(name: str, value: Any, current: Any) -> bool:
    kind = SIGNAL_BY_NAME[name].kind
    if kind == AUDIENCE:
        return AUDIENCES.index(value) > AUDIENCES.index(current)
    if kind == FLAG:
        return bool(value) and not current
    return value > current


def _quote(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _feature_context(feature: Feature) -> dict:
    # Only what describes the feature: never where it sits today (current, limit, addon),
    # so the advice cannot simply echo the present placement. Being metered (some usage of it
    # is counted) is what the feature is, not where it sits: the count's values never show.
    return {
        "id": feature.id, "name": feature.name, "description": feature.description,
        "category": feature.category, "text": feature.text, "metered": feature.metered or "",
        # How many words the name has, as word lists count them ("Auto-scaling" is two).
        "name_words": len(normalize(feature.name).split()),
    }


def _product_context(product: Product) -> dict:
    return {
        "name": product.name, "description": product.description, "model": product.model,
        "trial_days": product.trial_days, "collaborative": product.collaborative,
        "tiers": product.tier_names(),
    }


def _message_context(context: dict, values: dict) -> dict:
    shown = {s.name: display_value(s, values[s.name]) for s in SIGNALS}
    return {**context, "signals": shown}
