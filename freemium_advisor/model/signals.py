"""The framework's vocabulary: the criteria a decision weighs and the signals a PM answers.

Everything else (validation, the JSON Schema, rule expressions, the what-if search in
``explain``) reads these tables, so a new signal is added here once. The three kinds of
signal (a level, an audience, a flag) differ in the answers they take; every place that
depends on the kind asks the :class:`SignalSpec`, so the switch over kinds lives here alone.
"""

from __future__ import annotations

from typing import Any

from freemium_advisor.base.record import record
from freemium_advisor.base.errors import did_you_mean as _did_you_mean
from freemium_advisor.base.errors import one_of as _one_of
from freemium_advisor.base.yamlpos import type_name

LEVELS: tuple[str, ...] = ("none", "low", "medium", "high")
AUDIENCES: tuple[str, ...] = ("user", "team", "admin", "enterprise")

MODELS: tuple[str, ...] = ("freemium", "trial", "reverse-trial", "paid-only")
RECOMMENDATIONS: tuple[str, ...] = ("free", "free-limited", "gated")
DIRECTIONS: tuple[str, ...] = ("free", "limit", "gated")

LEVEL = "level"
AUDIENCE = "audience"
FLAG = "flag"


@record
class Criterion:
    """One of the framework's reasons to give a feature away or to charge for it."""

    id: str
    title: str
    question: str


CRITERIA: tuple[Criterion, ...] = (
    Criterion("virality", "Virality / indirect monetization",
              "Does using it bring in people who are not users yet?"),
    Criterion("commoditization", "Commoditization (sufficiency for basic users)",
              "Do competitors give it away, so that it is table stakes?"),
    Criterion("aha", "Aha moment (proof of concept)",
              "Is it on the path to the first moment of value?"),
    Criterion("habit", "Habit loop", "Does it drive repeated, habitual use?"),
    Criterion("friction", "Friction to the growth model",
              "Would offering it free add friction or cost to the growth model?"),
    Criterion("cost_to_serve", "Cost to serve",
              "What does each free user using it cost?"),
    Criterion("production", "Production use",
              "Is it needed for production or scale rather than for evaluation?"),
    Criterion("audience", "Audience (user or buyer)", "Who values it most?"),
    Criterion("data_value", "Product incubation / data collection",
              "Does its free use yield data or discoveries that power other products?"),
    Criterion("landing", "Strategic landing",
              "Does it land a segment not monetized now, with expansion potential?"),
)
CRITERION_IDS: tuple[str, ...] = tuple(c.id for c in CRITERIA)
# Not one of the framework's criteria: what holds when no criterion says anything. A rule
# filed under it is shown as the default it is, never as evidence about the feature.
DEFAULT_CRITERION = Criterion(
    "default", "Default (no strategic reason found)",
    "What holds when nothing says the feature serves the growth model?",
)
RULE_CRITERIA: tuple[Criterion, ...] = (*CRITERIA, DEFAULT_CRITERION)
RULE_CRITERION_IDS: tuple[str, ...] = tuple(c.id for c in RULE_CRITERIA)


@record
class SignalSpec:
    """A question the PM answers about a feature; ``kind`` says which answers are valid."""

    name: str
    kind: str
    criterion: str
    help: str

    @property
    def choices(self) -> tuple[str, ...]:
        if self.kind == LEVEL:
            return LEVELS
        if self.kind == AUDIENCE:
            return AUDIENCES
        return ("true", "false")

    @property
    def unset(self):
        """The value a signal has when neither the PM nor an inference rule set it."""
        return {LEVEL: 0, AUDIENCE: None, FLAG: False}[self.kind]

    def parse(self, raw: Any, *, booleans_as_levels: bool = True) -> Any:
        """The engine's value for an answer written in YAML; ``ValueError`` says why not.

        Levels are stored as numbers (``none`` 0 .. ``high`` 3); in an inventory ``true`` and
        ``false`` stand for ``high`` and ``none`` (not in a rule's ``sets``).
        """
        if self.kind == LEVEL:
            if isinstance(raw, bool) and booleans_as_levels:
                return LEVELS.index("high" if raw else "none")
            if isinstance(raw, str) and raw in LEVELS:
                return LEVELS.index(raw)
            hint = " (or true/false)" if booleans_as_levels else ""
            raise ValueError(
                f"unknown level {str(raw)!r} for signal '{self.name}'"
                f"{_did_you_mean(str(raw).lower(), LEVELS)}; expected {_one_of(LEVELS)}{hint}"
            )
        if self.kind == AUDIENCE:
            if isinstance(raw, str) and raw in AUDIENCES:
                return raw
            raise ValueError(
                f"unknown audience {str(raw)!r}{_did_you_mean(str(raw), AUDIENCES)}"
                f"; expected {_one_of(AUDIENCES)}"
            )
        if isinstance(raw, bool):
            return raw
        written = repr(raw) if isinstance(raw, str) else type_name(raw)  # which word, if a word
        raise ValueError(f"'{self.name}' must be true or false, not {written}")

    def display(self, value: Any) -> str:
        """A value as the PM writes it in the inventory (``high``, ``admin``, ``true``)."""
        if self.kind == LEVEL:
            return LEVELS[value]
        if self.kind == FLAG:
            return "true" if value else "false"
        return "unset" if value is None else str(value)

    def to_json(self, value: Any) -> Any:
        """A value as JSON and YAML outputs carry it (levels by name)."""
        return LEVELS[value] if self.kind == LEVEL else value

    def alternatives(self, value: Any) -> list:
        """Every other value, nearest to ``value`` first (what ``explain`` tries)."""
        if self.kind == LEVEL:
            others = (v for v in range(len(LEVELS)) if v != value)
            return sorted(others, key=lambda v: (abs(v - value), v))
        if self.kind == AUDIENCE:
            return [a for a in AUDIENCES if a != value]
        return [not value]

    def stronger(self, value: Any, than: Any) -> bool:
        """Whether inferred ``value`` says more than ``than`` (the strongest inference wins)."""
        if self.kind == AUDIENCE:
            return AUDIENCES.index(value) > AUDIENCES.index(than)
        if self.kind == FLAG:
            return bool(value) and not than
        return value > than

    def json_schema(self) -> dict[str, Any]:
        """The schema of an answer in the inventory."""
        if self.kind == LEVEL:
            return {
                "description": f"{self.help} (none, low, medium, high; true = high, false = none)",
                "oneOf": [{"enum": list(LEVELS)}, {"type": "boolean"}],
            }
        if self.kind == AUDIENCE:
            return {"description": self.help, "enum": list(AUDIENCES)}
        return {"description": self.help, "type": "boolean"}


SIGNALS: tuple[SignalSpec, ...] = (
    SignalSpec("virality", LEVEL, "virality",
               "using it brings in people who are not users yet"),
    SignalSpec("commoditized", LEVEL, "commoditization",
               "competitors give it away; table stakes"),
    SignalSpec("aha", LEVEL, "aha", "on the path to the first moment of value"),
    SignalSpec("habit", LEVEL, "habit", "drives repeated use"),
    SignalSpec("friction", LEVEL, "friction",
               "offering it free would add friction or cost to the growth model"),
    SignalSpec("cost_to_serve", LEVEL, "cost_to_serve",
               "marginal cost of each free user using it"),
    SignalSpec("data_value", LEVEL, "data_value",
               "its free use yields data that powers other products"),
    SignalSpec("landing", LEVEL, "landing",
               "lands a segment not monetized now, with expansion potential"),
    SignalSpec("audience", AUDIENCE, "audience",
               "who values it most: user, team, admin or enterprise"),
    SignalSpec("production", FLAG, "production",
               "needed for production / scale rather than evaluation"),
)
SIGNAL_BY_NAME: dict[str, SignalSpec] = {s.name: s for s in SIGNALS}
