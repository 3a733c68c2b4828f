"""The rule engine: infer missing signals from words, fire score rules, decide each feature.

The engine is a library. It knows features, products and rules, and nothing of terminals,
files or formats: ``evaluate(inventory, ruleset)`` returns one :class:`Assessment` per
feature, in inventory order.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from freemium_advisor.engine.assessmemo import AssessmentCache, AssessmentMemo
from freemium_advisor.engine.decide import Decision, choose_tier, confidence, decide
from freemium_advisor.engine.evidence import (
    GUESSED,
    NO_EVIDENCE,
    decision_evidence,
    net_reasons,
    reason_evidence,
)
from freemium_advisor.base.errors import InputError
from freemium_advisor.engine.feature_texts import FeatureTexts, word_matchers
from freemium_advisor.model.inventory import Feature, Inventory, Product
from freemium_advisor.result import (
    AGREEING,
    EXPLICIT,
    INFERRED,
    UNKNOWN,
    UNSET,
    Assessment,
    Evidence,
    Reason,
    Signal,
    Weights,
)
from freemium_advisor.model.rules import Rule, RuleSet
from freemium_advisor.model.expressions import ExpressionError
from freemium_advisor.model.signals import (
    AUDIENCE,
    AUDIENCES,
    DEFAULT_CRITERION,
    LEVEL,
    LEVELS,
    SIGNAL_BY_NAME,
    SIGNALS,
)
from freemium_advisor.base.words import words_of

# What a usage wall counts when nothing better names it: every feature can be counted in uses.
FALLBACK_METRIC = "uses per month"


class Engine:
    """A rule set made ready to evaluate features."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.infer_rules = inference_order(ruleset.of_kind("infer"))
        self.score_rules = ruleset.of_kind("score")
        self.metric_rules = ruleset.of_kind("metric")
        self._matchers = word_matchers((*self.infer_rules, *self.metric_rules))
        self._infer_keys = [(rule, ("words", rule.id)) for rule in self.infer_rules]
        self._infer_fields = tuple(dict.fromkeys(rule.fields for rule in self.infer_rules))
        # For the what-if questions: the signals some score rule's condition may read (all of
        # them when one reads a whole mapping); an answer to any other changes nothing.
        self._read_signals = {
            spec.name for spec in SIGNALS for rule in self.score_rules
            if rule.when is not None
            and (rule.when.fields is None or ("signals", spec.name) in rule.when.fields)
        }
        # Which score rules fire is a function of the values their conditions read: a few
        # dozen distinct combinations in a catalog of thousands of features.
        read = [rule.when.fields for rule in self.score_rules if rule.when is not None]
        self._score_fields = (
            None if any(f is None for f in read) else tuple(sorted({f for r in read for f in r}))
        )
        self._scored: dict[tuple, tuple[list[bool], Weights, Decision]] = {}
        # The same values read a mapping at a time: ("signals", (aha, habit...)), ...
        self._score_readers = tuple(
            (top, _reader(tuple(f[1] for f in self._score_fields if f[0] == top and len(f) == 2),
                          any(f[0] == top and len(f) != 2 for f in self._score_fields)))
            for top in dict.fromkeys(f[0] for f in self._score_fields or ())
        )
        # A what-if answer changes one signal: only the score rules that may read it (all of
        # them for a rule that may read anything) can change whether they fire.
        self._readers = {
            name: tuple(i for i, rule in enumerate(self.score_rules) if rule.when is not None
                        and (rule.when.fields is None or ("signals", name) in rule.when.fields))
            for name in self._read_signals
        }
        self._questions: dict[tuple, tuple[str, ...]] = {}
        self._unset = {spec.name: Signal(spec.name, spec.unset, UNSET) for spec in SIGNALS}
        self._unset_values = {spec.name: spec.unset for spec in SIGNALS}

    def infer(
        self, feature: Feature, product_context: dict, feature_context: dict | None = None,
    ) -> dict[str, Signal]:
        """Resolve every signal: the PM's answer, else what the words imply, else unset."""
        values = {**self._unset_values, **feature.signals}
        evidence: dict[str, list[Evidence]] = {}
        context = {"signals": values, "feature": feature_context or _feature_context(feature),
                   "product": product_context}
        shown: dict[str, Any] | None = None  # the signals as messages show them, kept current
        texts = FeatureTexts(feature, product_context["name"], self._matchers)
        in_text = texts.found(self._infer_fields)
        for rule, key in self._infer_keys:
            if key not in in_text:
                continue  # none of its words is in the text: it cannot fire
            words = fires(rule, context, texts, feature.signals)
            if words is None:
                continue
            if shown is None:
                shown = _shown(values)
            found = Evidence(
                rule.id, words,
                _render(rule, rule.message, {**context, "signals": shown, "words": _quote(words)}),
            )
            for name, value in rule.sets:
                if name in feature.signals:
                    continue  # the PM's answer stands
                current = values[name] if name in evidence else None
                if current is None or SIGNAL_BY_NAME[name].stronger(value, current):
                    values[name] = value
                    shown[name] = SIGNAL_BY_NAME[name].display(value)
                    evidence[name] = [found]
                elif value == current:
                    evidence[name].append(found)
        unset = self._unset  # a signal nobody answered is the same for every feature
        return {
            spec.name: Signal(
                spec.name,
                values[spec.name],
                EXPLICIT if spec.name in feature.signals else INFERRED,
                tuple(evidence.get(spec.name, ())),
            ) if spec.name in evidence or spec.name in feature.signals else unset[spec.name]
            for spec in SIGNALS
        }

    def assess(
        self, feature: Feature, product: Product, signals: dict[str, Signal] | None = None,
        product_context: dict | None = None,
    ) -> Assessment:
        """Assess one feature; pass ``signals`` to ask "what if the signals were these?"."""
        product_context = product_context or _product_context(product)
        feature_context = _feature_context(feature)
        if signals is None:
            signals = self.infer(feature, product_context, feature_context)
        values = {name: s.value for name, s in signals.items()}
        context = {"signals": values, "feature": feature_context, "product": product_context}
        message_context = _message_context(context, values)
        reasons, kinds = [], []
        fired, weights, decision = self.score(context)
        for rule, fire in zip(self.score_rules, fired):
            if not fire:
                continue
            read = [signals[name] for name in rule.reads]
            words = tuple(e for s in read if s.source == INFERRED for e in s.evidence)
            kind = reason_evidence(rule, signals)
            kinds.append(kind)
            reasons.append(Reason(
                rule.id, rule.criterion, rule.direction, rule.weight,
                _render(rule, rule.message, message_context),
                kind == GUESSED, words, rule.source,
            ))
        type_audience = self.ruleset.policy.type_audience(feature.category)
        tier = choose_tier(decision.recommendation, signals["audience"].value, product,
                           bool(signals["production"].value), type_audience)
        metric = metric_rule = None
        if decision.recommendation == "free-limited":
            metric, metric_rule = self.wall_metric(feature, context)
        by_words = _decided_by_words(reasons, decision.recommendation)
        answered = [name for name, s in signals.items() if s.source == EXPLICIT]
        evidence = decision_evidence(
            zip(reasons, kinds), decision.recommendation, self.ruleset.policy, decide,
            bool(answered), lambda: any(
                q not in answered for q in self.questions(context, decision.recommendation)),
        )
        questions: tuple[str, ...] = ()
        if evidence == NO_EVIDENCE:
            # Only the default spoke: no measured promise, and the questions that would decide.
            conf, label = 0.0, UNKNOWN
            questions = tuple(q for q in self.questions(context, decision.recommendation)
                              if q not in answered)
        else:
            conf, label = confidence(decision.recommendation,
                                     net_reasons(reasons, decision.recommendation),
                                     self.ruleset.policy)
        return Assessment(
            feature, decision.recommendation, tier.name if tier else None, weights,
            decision.margin, conf, label,
            tuple(reasons), signals, metric, metric_rule, questions, by_words, type_audience,
            evidence,
        )

    def score(
        self, context: dict, base: list[bool] | None = None, changed: str | None = None,
    ) -> tuple[list[bool], Weights, Decision]:
        """Which score rules fire for ``context``, their weights summed in rule order, and the
        decision: remembered by the values the rules read (the list is shared, never to be
        changed). ``base`` is what fired for a context that differs from this one only in the
        signal ``changed``: only the rules that may read that signal are asked again."""
        key = self._score_key(context)
        found = self._scored.get(key) if key is not None else None
        if found is None:
            if base is None:
                fired = [fires(rule, context) is not None for rule in self.score_rules]
            else:
                fired = list(base)
                for i in self._readers[changed]:
                    fired[i] = fires(self.score_rules[i], context) is not None
            weights = self._weights(fired)
            found = (fired, weights, decide(weights, self.ruleset.policy))
            if key is not None and len(self._scored) < 4096:
                self._scored[key] = found
        return found

    def scoring_context(self, feature: Feature, product: Product, values: dict[str, Any]) -> dict:
        """What the score rules read for ``feature`` with these signal values (what
        :meth:`score` and :meth:`what_if` take)."""
        return {"signals": values, "feature": _feature_context(feature),
                "product": _product_context(product)}

    def what_if(self, context: dict, name: str, value: Any) -> tuple[Weights, Decision]:
        """The weights and decision if signal ``name`` were ``value`` (remembered like
        :meth:`score`; no message is rendered): only the rules that may read it are asked."""
        if name not in self._read_signals:
            return self.score(context)[1:]
        changed = {**context, "signals": {**context["signals"], name: value}}
        return self.score(changed, self.score(context)[0], name)[1:]

    def scoring_key(self, context: dict) -> tuple | None:
        """What :meth:`score` remembers a context by (the values its rules read, typed), or
        ``None`` when they cannot be told: two contexts with one key score alike."""
        return self._score_key(context)

    def _score_key(self, context: dict) -> tuple | None:
        """The values (and their types) the score rules read, or ``None`` when they cannot
        be told (a rule may read anything, or a value is missing or unhashable)."""
        if self._score_fields is None:
            return None
        try:
            values = tuple(v for top, read in self._score_readers for v in read(context[top]))
            key = (*values, *map(type, values))
            hash(key)
        except (KeyError, TypeError):
            return None
        return key

    def questions(self, context: dict, recommendation: str) -> tuple[str, ...]:
        """The signals for which some answer alone changes the recommendation (the decision
        that assessing the feature with that answer would give): remembered, like the score,
        by the values the score rules read."""
        key = self._score_key(context)
        found = self._questions.get((key, recommendation)) if key is not None else None
        if found is not None:
            return found
        deciding = []
        values = context["signals"]
        base = self.score(context)[0]
        for spec in SIGNALS:
            if spec.name not in self._read_signals:
                continue  # no score rule reads it: no answer changes anything
            for value in _answers(spec):
                if value == values[spec.name]:
                    continue
                changed = {**context, "signals": {**values, spec.name: value}}
                if self.score(changed, base, spec.name)[2].recommendation != recommendation:
                    deciding.append(spec.name)
                    break
        found = tuple(deciding)
        if key is not None and len(self._questions) < 4096:
            self._questions[(key, recommendation)] = found
        return found

    def _weights(self, fired: list[bool]) -> Weights:
        """The weights of the score rules that fired, summed in rule order."""
        return Weights.summed((rule.direction, rule.weight)
                              for rule, fire in zip(self.score_rules, fired) if fire)

    def wall_metric(self, feature: Feature, context: dict) -> tuple[str, str | None]:
        """What a usage wall should count, and the metric rule that named it if one did:
        today's wall, the metric the pricing meters the feature by, the first metric rule
        that fires, else uses."""
        if feature.limit:
            return feature.limit.metric, None
        if feature.metered:
            return feature.metered, None
        metric, rule = self.suggest_metric(feature, context)
        return (metric, rule) if metric else (FALLBACK_METRIC, None)

    def suggest_metric(self, feature: Feature, context: dict) -> tuple[str | None, str | None]:
        """The usage-wall metric of the first metric rule that fires, and that rule's id."""
        texts = FeatureTexts(feature, context["product"]["name"], self._matchers)
        for rule in self.metric_rules:
            words = fires(rule, context, texts, feature.signals)
            if words:
                return _render(rule, rule.metric, {"words": _quote(words), "word": words[0]}), rule.id
        return None, None


def inference_order(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The inference rules in the order they run: in load order, except that a rule whose
    condition reads a signal runs after every rule that may set it.

    "Sharing is viral unless the words name a team's or an admin's feature" must see the
    audience the words imply, wherever its rule was written: in a later built-in file or
    in a user's pack loaded after the built-ins. A rule that may read anything waits for
    every rule that sets something; rules that wait for each other keep their load order.
    """
    reads = {id(rule): _signals_read(rule) for rule in rules}
    sets = {id(rule): {name for name, _ in rule.sets} for rule in rules}
    pending = list(rules)
    ordered: list[Rule] = []
    while pending:
        # The first rule in load order none of whose signals another pending rule may set;
        # when every pending rule waits for another, the first of them.
        ready = next((rule for rule in pending if not reads[id(rule)] or not any(
            other is not rule and reads[id(rule)] & sets[id(other)] for other in pending
        )), pending[0])
        ordered.append(ready)
        pending.remove(ready)
    return tuple(ordered)


def _signals_read(rule: Rule) -> set[str]:
    if rule.when is None:
        return set()
    if rule.when.fields is None:
        return {spec.name for spec in SIGNALS}
    return {f[1] for f in rule.when.fields if f[0] == "signals" and len(f) > 1}


def fires(
    rule: Rule, context: dict, texts: FeatureTexts | None = None, answered: dict | None = None,
) -> tuple[str, ...] | None:
    """Whether ``rule`` fires: ``None`` if not, else the words it matched (none for score rules).

    The one answer to "does this rule fire", for every kind of rule, used by the engine and
    by the rules' own examples. A score rule fires when its ``when`` holds. An infer or
    metric rule fires when its words are in the feature's text (and no ``unless`` word is)
    and its ``when`` holds; an infer rule never fires when the PM answered every signal it
    could set.
    """
    words: tuple[str, ...] = ()
    if rule.kind != "score":
        if rule.kind == "infer" and answered is not None and all(n in answered for n, _ in rule.sets):
            return None
        words = texts.match(rule) if texts is not None else ()
        if not words:
            return None
    if rule.when is not None:
        try:
            if not rule.when(context):
                return None
        except ExpressionError as exc:
            raise rule_error(rule, str(exc)) from None
    return words


def rule_error(rule: Rule, message: str, part: str = "when") -> InputError:
    """An error naming the rule, located where its failing ``part`` was written (a user's
    override of a built-in rule), else at the rule's definition."""
    file, line, column = rule.where(part)
    return InputError(file, line, column, f"rule '{rule.id}': {message}", rule=rule.id)


def _render(rule: Rule, template, context: dict) -> str:
    try:
        return template.render(context)
    except ExpressionError as exc:
        part = "metric" if template is rule.metric else "message"
        raise rule_error(rule, str(exc), part) from None


def engine_for(ruleset: RuleSet) -> Engine:
    """The engine of ``ruleset``, made once a process. A rule set never changes, and what an
    engine remembers (which rules fire for which values, which questions could move a
    decision) depends on the rule set and those values alone: the interview after each answer,
    the report's what-ifs and a caller analysing many products share it."""
    kept = _ENGINES.get(id(ruleset))
    if kept is None:
        if len(_ENGINES) >= _ENGINES_MOST:
            _ENGINES.pop(next(iter(_ENGINES)))
        kept = _ENGINES[id(ruleset)] = (ruleset, Engine(ruleset))
    return kept[1]


# The engines made, by the rule set's id; each entry keeps its rule set alive, so the id is
# not another's while the entry stands.
_ENGINES: dict[int, tuple[RuleSet, Engine]] = {}
_ENGINES_MOST = 8


def evaluate(
    inventory: Inventory, ruleset: RuleSet, cache: AssessmentCache | None = None,
) -> tuple[Assessment, ...]:
    """Assess every feature of the inventory, in inventory order; with a ``cache``, reuse
    what earlier evaluations of the same product assessed."""
    engine = engine_for(ruleset)
    product_context = _product_context(inventory.product)
    assess = AssessmentMemo(ruleset, lambda feature: engine.assess(
        feature, inventory.product, product_context=product_context,
    ), cache, inventory.product)
    return tuple(map(assess, inventory.features))


def rule_fires(rule: Rule, feature: Feature, product: Product) -> bool:
    """Whether one rule fires for a feature on its own, reading only the PM's answers.

    This is what a rule's ``examples`` are checked with: each rule is tested in isolation,
    through the same :func:`fires` the engine uses.
    """
    values = {s.name: feature.signals.get(s.name, s.unset) for s in SIGNALS}
    context = {"signals": values, "feature": _feature_context(feature),
               "product": _product_context(product)}
    texts = FeatureTexts(feature, product.name, word_matchers((rule,)))
    return fires(rule, context, texts, feature.signals) is not None


def _reader(names: tuple[str, ...], whole: bool):
    """What a score key takes from one mapping of the context: the values of ``names`` in
    order, and the mapping itself first when a rule reads it whole."""
    pick = itemgetter(*names) if names else (lambda mapping: ())
    single = len(names) == 1

    def read(mapping: Any) -> tuple:
        picked = (pick(mapping),) if single else pick(mapping)
        return (mapping, *picked) if whole else picked
    return read


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
        "name_words": len(words_of(feature.name)),
    }


def _product_context(product: Product) -> dict:
    return {
        "name": product.name, "description": product.description, "model": product.model,
        "trial_days": product.trial_days, "collaborative": product.collaborative,
        "tiers": product.tier_names(),
    }


def _message_context(context: dict, values: dict) -> dict:
    return {**context, "signals": _shown(values)}


def _shown(values: dict) -> dict:
    """The signals' values as messages show them (``high``, not ``3``)."""
    return {s.name: s.display(values[s.name]) for s in SIGNALS}
