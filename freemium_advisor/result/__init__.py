"""The result of an analysis: what every output format renders from, and nothing else.

``Analysis`` holds the tool that produced it, the rule set's fingerprint, the input path,
the product, one ``Assessment`` per feature in input order and the ``Finding`` list. Each
``Reason`` carries its rule's ``Source`` (principle, seed, timestamp), so a report can cite
the framework without going back to the rule packs. An analysis built with what-ifs
(``analyze(..., what_ifs=True)``) also carries, in each assessment, the single answers that
would flip its advice.

The JSON result is declared here, once: each type's ``JSON`` shape lists its fields in output
order, with their types and meanings (see :mod:`freemium_advisor.result.shape`). The dicts
the JSON is written from, the JSON Schema (``schema/result.schema.json``) and the template
reference (``docs/report-context.md``) are made from these declarations.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import field, fields
from functools import cached_property
from typing import Any, ClassVar

from freemium_advisor.base.digest import sha256_hex
from freemium_advisor.base.record import record
from freemium_advisor import __version__
from freemium_advisor.model.inventory import Feature, Inventory, Product
from freemium_advisor.model.rules import RuleSet, Source
from freemium_advisor.model.signals import (
    AUDIENCES,
    CRITERION_IDS,
    DEFAULT_CRITERION,
    DIRECTIONS,
    MODELS,
    RECOMMENDATIONS,
    SIGNAL_BY_NAME,
    SIGNALS,
)
from freemium_advisor.result.shape import (
    BOOLEAN,
    COUNT,
    NUMBER,
    OPTIONAL_TEXT,
    TEXT,
    Out,
    Shape,
    const,
    keyed,
    kind,
    list_of,
    nullable,
    one_of,
)

TOOL_NAME = "freemium-advisor"
# The JSON result's version: within a version, fields are only ever added, never removed or
# changed in meaning.
FORMAT_VERSION = 1
SEVERITIES = ("error", "warning", "note")
FAIL_ON = (*SEVERITIES, "never")

EXPLICIT = "explicit"
INFERRED = "inferred"
UNSET = "unset"
SIGNAL_SOURCES = (EXPLICIT, INFERRED, UNSET)
# The confidence label when nothing but the default spoke: the advice is only the default.
UNKNOWN = "unknown"
CONFIDENCE_LABELS = ("high", "medium", "low", UNKNOWN)
EVIDENCE_KINDS = ("answered", "inferred", "none")
SUPPRESSION_KINDS = ("waiver", "baseline", "base")
WALL_ADVICE = ("keep", "raise", "remove")

FINGERPRINT = kind(type="string", pattern="^[0-9a-f]{16}$")
LINE_OR_COLUMN = kind(type="integer", minimum=1)

# Growth weight this many times the usage and gating weight clearly outweighs them.
CLEARLY_OUTWEIGHS = 4

# The directions of the reasons that speak for each recommendation.
AGREEING = {
    "free": ("free",),
    "free-limited": ("limit", "free"),
    "gated": ("gated", "limit"),
}


# Shapes of the parts that are not result types: a feature's or finding's place in the file,
# a rule's or check's framework passage, the product.
POSITION = Shape(
    "a place in the inventory file",
    Out("line", LINE_OR_COLUMN, "1-based line"),
    Out("column", LINE_OR_COLUMN, "1-based column"),
)
SOURCE = Shape(
    "the framework passage a rule or check encodes",
    Out("principle", TEXT, "the framework principle"),
    Out("seed", OPTIONAL_TEXT, "the write-up of the talk it cites"),
    Out("timestamp", nullable(kind(type="string", pattern=r"^\d\d:\d\d:\d\d$")),
        "where in the talk (hh:mm:ss)"),
    Out("quote", OPTIONAL_TEXT, "a paraphrase from the write-up, not a quotation of the speaker"),
    shared=True,
)
PASSAGE = nullable(SOURCE)
TIER = Shape(
    "a tier of the product",
    Out("name", TEXT, "the tier's name"),
    Out("audience", one_of(AUDIENCES), "who the tier is sold to"),
)
PRODUCT = Shape(
    "the product as the inventory describes it",
    Out("name", TEXT, "the product's name"),
    Out("model", one_of(MODELS), "its business model"),
    Out("trial_days", nullable(kind(type="integer")), "the trial's length, for trial and reverse-trial models"),
    Out("collaborative", BOOLEAN, "collaboration or one-to-many at the core"),
    Out("tiers", list_of(TIER), "the tiers, cheapest first; the first is the free tier"),
)


@record
class Tool:
    """What produced a result: the tool's name and version."""

    name: str = TOOL_NAME
    version: str = __version__

    JSON: ClassVar[Shape] = Shape(
        "what produced the result",
        Out("name", const(TOOL_NAME), "the tool's name"),
        Out("version", TEXT, "the tool's version"),
    )


@record
class Evidence:
    """Words an inference rule found, and what it concluded from them."""

    rule: str
    words: tuple[str, ...]
    message: str

    JSON: ClassVar[Shape] = Shape(
        "words an inference rule found, and what it concluded",
        Out("rule", TEXT, "the inference rule"),
        Out("words", list_of(TEXT), "the words it found in the feature's text"),
        Out("message", TEXT, "what it concluded, in words"),
    )


@record
class Signal:
    """A signal's value for one feature, and where the value came from."""

    name: str
    value: Any
    source: str
    evidence: tuple[Evidence, ...] = ()

    JSON: ClassVar[Shape] = Shape(
        "a signal's value and where it came from",
        Out("value", kind(type=["string", "boolean", "null"]), "a level name, an audience, true/false, or null",
            lambda s: SIGNAL_BY_NAME[s.name].to_json(s.value)),
        Out("source", one_of(SIGNAL_SOURCES),
            "`explicit` (the PM answered), `inferred` (from words) or `unset`"),
        Out("evidence", list_of(Evidence.JSON), "the inference rules that set it"),
        shared=True,  # a signal nobody answered is one object for every feature
    )


@record
class Reason:
    """A score rule that fired for a feature, with the framework passage it encodes."""

    rule: str
    criterion: str
    direction: str
    weight: float
    message: str
    inferred: bool
    evidence: tuple[Evidence, ...] = ()
    source: Source | None = None

    JSON: ClassVar[Shape] = Shape(
        "a score rule that fired",
        Out("rule", TEXT, "the rule's id"),
        Out("criterion", one_of([*CRITERION_IDS, DEFAULT_CRITERION.id]), "the criterion it weighs"),
        Out("direction", one_of(DIRECTIONS), "which way it pushes"),
        Out("weight", kind(type="number", minimum=0), "how hard it pushes"),
        Out("message", TEXT, "why, in words (rendered from the rule's message)"),
        Out("inferred", BOOLEAN, "it read a signal inferred from words"),
        Out("evidence", list_of(Evidence.JSON), "the inferences behind the signals it read"),
        Out("source", PASSAGE, "the framework passage a rule or check encodes"),
    )

    @property
    def contribution(self) -> float:
        """Signed weight: positive towards free, negative towards a wall or a gate."""
        return self.weight if self.direction == "free" else -self.weight


@record
class Weights:
    """The sum of fired weights in each direction."""

    free: float = 0.0
    limit: float = 0.0
    gated: float = 0.0

    @classmethod
    def summed(cls, pulls: Iterable[tuple[str, float]]) -> Weights:
        """The weights of (direction, weight) pulls: ``free``, ``limit``, else gated."""
        free = limit = gated = 0.0
        for direction, weight in pulls:
            if direction == "free":
                free += weight
            elif direction == "limit":
                limit += weight
            else:
                gated += weight
        return cls(free, limit, gated)

    @property
    def score(self) -> float:
        """Positive leans free, negative leans gated."""
        return self.free - self.limit - self.gated

    @property
    def total(self) -> float:
        return self.free + self.limit + self.gated


@record
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

    JSON: ClassVar[Shape] = Shape(
        "a single answer that would change the advice",
        Out("signal", one_of(s.name for s in SIGNALS), "the signal to answer"),
        Out("value", TEXT, "the answer, as the inventory writes it"),
        Out("recommendation", one_of(RECOMMENDATIONS), "the advice it would give"),
        Out("tier", OPTIONAL_TEXT, "the tier it would advise"),
        Out("score", NUMBER, "the score it would give"),
    )


WALL = Shape(
    "the usage wall of free-limited advice",
    Out("metric", OPTIONAL_TEXT, "what the wall should count (`AI credits`, `GB of storage`...)",
        operator.attrgetter("limit_metric")),
    Out("rule", OPTIONAL_TEXT, "the metric rule that named it", operator.attrgetter("limit_rule")),
)


@record
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
    limit_rule: str | None = None  # the metric rule that named the wall, if one did
    # With confidence "unknown": the signals whose answer alone would change the advice.
    questions: tuple[str, ...] = ()
    # Every reason for the advice rests on signals inferred from words, none on an answer.
    by_words: bool = False
    # Who the feature's type says buys it (the policy's ``type_audiences``), if it says.
    type_audience: str | None = None
    # What the decisive reasons rest on: answered, inferred or none (engine/evidence.py).
    evidence: str = "none"
    # For each signal, the nearest answer that would change the advice (``None``: the
    # analysis was built without what-ifs).
    what_ifs: tuple[Flip, ...] | None = field(default=None, compare=False)

    JSON: ClassVar[Shape] = Shape(
        "the advice for one feature",
        Out("id", TEXT, "the feature's id in the inventory", lambda a: a.feature.id, per_feature=True),
        Out("name", TEXT, "the feature's name (any text: escape it for your target)",
            lambda a: a.feature.name, per_feature=True),
        Out("recommendation", one_of(RECOMMENDATIONS), "the advice"),
        Out("tier", OPTIONAL_TEXT, "null when there is no tier to gate into"),
        Out("tier_is_guess", BOOLEAN,
            "gated without an answered or inferred audience: the tier is a default"),
        Out("current", OPTIONAL_TEXT, "the tier it sits in today, if the inventory says",
            lambda a: a.feature.current, per_feature=True),
        Out("score", NUMBER, "free weight minus limit and gated weight"),
        Out("margin", NUMBER, "the weight that would have to move to change the advice"),
        Out("confidence", nullable(kind(type="number", minimum=0, maximum=1)),
            "the measured accuracy of the advice's confidence band; null when the label is "
            "unknown (no band measured: the advice is a guess)",
            lambda a: a.confidence if a.known else None),
        Out("confidence_label", one_of(CONFIDENCE_LABELS),
            "the confidence band in words (bands measured on the benchmark, in the policy)"),
        Out("evidence", one_of(EVIDENCE_KINDS),
            "what the decisive reasons rest on: answered signals, inferred ones, or none"),
        Out("limit", nullable(WALL), "the usage wall, for free-limited advice",
            lambda a: a if a.recommendation == "free-limited" else None),
        Out("wall_advice", nullable(one_of(WALL_ADVICE)),
            "what to do with today's free-tier wall (null when there is none)", per_feature=True),
        Out("criteria", keyed(CRITERION_IDS, NUMBER), "the net score of every criterion (positive leans free)"),
        Out("default", NUMBER, "the default rule's share of the score, outside every criterion"),
        Out("questions", list_of(one_of(s.name for s in SIGNALS)),
            "with confidence unknown: the signals whose answer alone would decide"),
        Out("signals", keyed([s.name for s in SIGNALS], Signal.JSON), "every signal, answered, inferred or unset"),
        Out("reasons", list_of(Reason.JSON), "the score rules that fired, in rule order"),
        Out("position", POSITION, "where the feature starts in the inventory", lambda a: a.feature,
            per_feature=True),
        # Repeated features get one assessment's parts with their own feature (the engine's
        # memo): their JSON is made once, and only the fields that read the feature per feature.
        content=lambda a: _advice_parts(a),
    )

    @property
    def score(self) -> float:
        return _rounded(self.weights.score)

    @property
    def criteria(self) -> dict[str, float]:
        """Net contribution of each criterion, every criterion listed (not the default)."""
        totals: dict[str, float] = {}
        for reason in self.reasons:
            totals[reason.criterion] = totals.get(reason.criterion, 0.0) + reason.contribution
        # A criterion no reason spoke for is 0.0 as it is: only the others need rounding.
        return {k: _rounded(totals[k]) if k in totals else 0.0 for k in CRITERION_IDS}

    @property
    def default(self) -> float:
        """Net contribution of the default rules: what holds when no criterion speaks."""
        return _rounded(sum(r.contribution for r in self.reasons
                            if r.criterion == DEFAULT_CRITERION.id))

    @property
    def known(self) -> bool:
        """Whether anything but the default speaks: an answered or inferred signal, or a
        rule that read the feature itself (being metered, say)."""
        return self.confidence_label != UNKNOWN

    @property
    def wall_advice(self) -> str | None:
        """What to do with the usage wall the free tier has today (``limit``), if it has one.

        ``raise`` it when the growth value clearly outweighs the usage cost (free weight at
        least four times the rest: a generous wall); ``keep`` it for any other free-limited
        advice; ``remove`` it when the feature should be free without one, or not free at all.
        """
        if self.feature.limit is None:
            return None
        if self.recommendation == "free-limited":
            w = self.weights
            return "raise" if w.free >= CLEARLY_OUTWEIGHS * (w.limit + w.gated) else "keep"
        return "remove"

    @property
    def tier_is_guess(self) -> bool:
        """A gated feature whose audience nobody answered, no word suggested and its type
        does not say: its tier is the cheapest paid one by default, a guess rather than a
        reading of the evidence."""
        return (self.recommendation == "gated" and self.signals["audience"].source == UNSET
                and self.type_audience is None)

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


@record
class Suppression:
    """Why a finding does not count: a waiver in the inventory, the baseline file, or that it
    was there before the change (``--base``)."""

    kind: str  # waiver | baseline | base
    reason: str
    owner: str | None = None
    expires: str | None = None
    was: str | None = None  # --base: the message at the base, when its wording changed since

    JSON: ClassVar[Shape] = Shape(
        "why a finding does not count",
        Out("kind", one_of(SUPPRESSION_KINDS), "what accepted it: a waiver, the baseline, or --base"),
        Out("reason", TEXT, "why, in the words of whoever accepted it"),
        Out("owner", OPTIONAL_TEXT, "who accepted it, if the waiver says"),
        Out("expires", nullable(kind(type="string", pattern=r"^\d{4}-\d\d-\d\d$")),
            "the date the waiver ends, if it says"),
        Out("was", OPTIONAL_TEXT,
            "--base: what the finding said at the base, when only its wording changed since"),
    )

    def explained(self) -> str:
        """The reason, and what the finding said before when its wording changed."""
        return self.reason if self.was is None else f"{self.reason}; it said: {self.was}"


@record
class Finding:
    """One problem a check found, located in the inventory file.

    ``subject`` is what the finding is about (a feature id, a tier name, or ``""`` for the
    product); the ``fingerprint`` is made from the check id and the subject only, never the
    line, so an edit elsewhere in the file never makes an old finding look new.
    """

    check: str
    title: str
    severity: str
    message: str
    feature: str | None
    file: str
    line: int
    column: int
    source: Source | None
    help: str = ""
    subject: str = ""
    inferred: bool = False
    suppression: Suppression | None = None

    JSON: ClassVar[Shape] = Shape(
        "one problem a check found",
        Out("check", TEXT, "the check's id"),
        Out("title", TEXT, "the check's title"),
        Out("severity", one_of(SEVERITIES), "how serious it is"),
        Out("feature", OPTIONAL_TEXT, "the feature it is about, or null for the product"),
        Out("message", TEXT, "what is wrong, in words"),
        Out("file", TEXT, "the inventory file"),
        Out("position", POSITION, "where to look in the file", lambda f: f),
        Out("fingerprint", FINGERPRINT, "a stable identity (check and subject), for waivers and baselines"),
        Out("inferred", BOOLEAN, "it rests on inferred, not answered, signals"),
        Out("help", TEXT, "how to fix it"),
        Out("source", PASSAGE, "the framework passage a rule or check encodes"),
        Out("suppression", nullable(Suppression.JSON),
            "why a finding does not count (null for a finding that counts)"),
    )

    @cached_property
    def fingerprint(self) -> str:
        # Asked for again and again (waivers, baselines, --base): hashed once per finding.
        return fingerprint(self.check, self.subject or self.feature or "")


def fingerprint(check: str, subject: str) -> str:
    """A stable identity for a finding: 16 hex digits of SHA-256 over check id and subject."""
    return sha256_hex(f"{check}\0{subject}".encode())[:16]


# What produced a result, from which rules and which input: the first fields of every JSON
# document, read from an analysis.
HEADER = (
    Out("format_version", const(FORMAT_VERSION),
        "the result format's version; fields are only added within a version", lambda a: FORMAT_VERSION),
    Out("tool", Tool.JSON, "what produced the result"),
    Out("rules", Shape(
        "the effective rule set",
        Out("fingerprint", FINGERPRINT, "changes whenever any rule, override or policy in force changes",
            operator.attrgetter("rules_fingerprint")),
        Out("packs", list_of(TEXT), "`builtin`, then each `--rules` path, in load order",
            operator.attrgetter("rule_packs")),
    ), "the effective rule set: its fingerprint and the packs loaded", lambda a: a),
    Out("file", TEXT, "the inventory analyzed", operator.attrgetter("path")),
)


@record
class Analysis:
    """Everything an output format needs: who produced it, from what, and the advice."""

    tool: Tool
    rules_fingerprint: str
    rule_packs: tuple[str, ...]
    path: str
    inventory: Inventory
    ruleset: RuleSet
    assessments: tuple[Assessment, ...]
    findings: tuple[Finding, ...]
    # Findings that do not count (waived, in the baseline, or there before --base), each
    # with its suppression.
    suppressed: tuple[Finding, ...] = ()

    JSON: ClassVar[Shape] = Shape(
        "one inventory's analysis ('analyze --format json')",
        *HEADER,
        Out("product", PRODUCT, "the product as the inventory describes it", lambda a: a.inventory.product),
        Out("summary", keyed(RECOMMENDATIONS, COUNT), "how many features get each recommendation",
            lambda a: a.summary()),
        Out("features", list_of(Assessment.JSON), "one entry per feature, in the inventory's order",
            operator.attrgetter("assessments")),
        Out("findings", list_of(Finding.JSON), "where today's placement disagrees with the advice, in check order"),
        Out("suppressed", list_of(Finding.JSON), "findings accepted by a waiver, the baseline or --base"),
    )

    @property
    def product(self) -> Product:
        return self.inventory.product

    def summary(self) -> dict[str, int]:
        """How many features get each recommendation (every recommendation listed)."""
        counts = Counter(a.recommendation for a in self.assessments)
        return {r: counts.get(r, 0) for r in RECOMMENDATIONS}

    def finding_counts(self) -> dict[str, int]:
        """How many findings of each severity (every severity listed)."""
        counts = Counter(f.severity for f in self.findings)
        return {s: counts.get(s, 0) for s in SEVERITIES}

    def assessment(self, feature_id: str) -> Assessment:
        """The assessment of one feature; an unknown id raises ``KeyError``."""
        for assessment in self.assessments:
            if assessment.feature.id == feature_id:
                return assessment
        raise KeyError(feature_id)


@record
class Explanation:
    """One feature's assessment within its analysis, with the answers that would flip it."""

    analysis: Analysis
    assessment: Assessment

    @property
    def flips(self) -> tuple[Flip, ...]:
        """The assessment's what-ifs (an explanation is made from an analysis that has them)."""
        if self.assessment.what_ifs is None:
            raise ValueError(f"'{self.assessment.feature.id}' was assessed without what-ifs")
        return self.assessment.what_ifs

    JSON: ClassVar[Shape] = Shape(
        "one feature's advice and what would flip it ('explain --format json')",
        *(f.via(operator.attrgetter("analysis")) for f in HEADER),
        *(f.via(operator.attrgetter("assessment")) for f in Assessment.JSON.fields),
        Out("flips", list_of(Flip.JSON), "for each signal, the nearest answer that would change the advice"),
    )


GATE = Shape(
    "the verdict of the CI gate",
    Out("fail_on", one_of(FAIL_ON), "the threshold: a finding at or above it fails"),
    Out("failed", BOOLEAN, "whether any finding is at or above fail_on"),
    Out("counts", keyed([*SEVERITIES, "suppressed"], COUNT), "findings by severity, and how many were suppressed",
        lambda run: run.counts()),
)
# The CI gate's result (``engine.gate.CheckRun``): the verdict, then every file's analysis.
CHECK_RUN = Shape(
    "the CI gate's result ('check --format json'): one analysis per file",
    HEADER[0],
    Out("tool", Tool.JSON, "what produced the result",
        lambda run: run.results[0].tool if run.results else Tool()),
    Out("gate", GATE, "the verdict: failed when a finding is at or above fail_on", lambda run: run),
    Out("results", list_of(Analysis.JSON), "one analysis per file, in the order checked"),
)

# The fields of an assessment that repeated features share (all but the feature itself and
# the what-ifs, which no JSON of an assessment shows).
_ADVICE_FIELDS = operator.attrgetter(
    *(f.name for f in fields(Assessment) if f.name not in ("feature", "what_ifs")))


def _advice_parts(assessment: Assessment) -> tuple:
    return _ADVICE_FIELDS(assessment)


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The JSON result of an analysis as plain data (what a report template sees)."""
    return Analysis.JSON.to_json(analysis)


def _rounded(value: float) -> float:
    # round() keeps the sign of a tiny negative, and -0.0 prints as "-0.00": add 0.0.
    return round(value, 3) + 0.0
