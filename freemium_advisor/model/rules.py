"""Rules as data: the model of a rule, its source in the framework, and a rule set.

A rule pack (see :mod:`freemium_advisor.reading.rulepacks`) is YAML; each rule in it becomes a
:class:`Rule`. Three kinds of rule exist:

* ``score``  - reads the feature's signals and pushes towards ``free``, ``limit`` (free behind
  a usage wall) or ``gated`` with a weight;
* ``infer``  - reads the feature's words and sets signals the PM left unanswered;
* ``metric`` - reads the feature's words and suggests the metric of a usage wall.
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

from freemium_advisor.base.record import record
from freemium_advisor.model.expressions import Condition, MessageTemplate
from freemium_advisor.base.words import WordList

KINDS = ("score", "infer", "metric")
TEXT_FIELDS = ("name", "description", "category")
# What a word list may read: the three texts, or the name's head phrase (see words.head_phrase).
READABLE_FIELDS = (*TEXT_FIELDS, "head")
# A source's keys, as rule and check files write them, and the form of its timestamp.
SOURCE_KEYS = ("principle", "seed", "timestamp", "quote")
TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d$")


@record
class Source:
    """Where a rule comes from: the framework principle, and the seed passage it cites."""

    principle: str
    seed: str | None = None
    timestamp: str | None = None
    quote: str | None = None

    def cite(self) -> str:
        """``Aha moment / POC (00:50:51)``."""
        return f"{self.principle} ({self.timestamp})" if self.timestamp else self.principle


@record
class Rule:
    """One rule of a pack; ``file``, ``line`` and ``column`` locate its definition."""

    id: str
    kind: str
    criterion: str
    title: str
    message: MessageTemplate
    source: Source
    file: str
    line: int
    column: int
    when: Condition | None = None
    direction: str | None = None
    weight: float = 0.0
    words: WordList | None = None
    unless: WordList | None = None
    fields: tuple[str, ...] = TEXT_FIELDS
    sets: tuple[tuple[str, Any], ...] = ()
    metric: MessageTemplate | None = None
    examples: tuple[tuple[str, tuple[dict, ...]], ...] = ()
    # Where each of ``when``, ``message`` and ``metric`` was written, as (file, line, column),
    # when that is not the rule's definition (a user's ``override`` of a built-in rule).
    written: tuple[tuple[str, tuple[str, int, int]], ...] = field(default=(), compare=False)

    @property
    def origin(self) -> str:
        """``rules/virality.yaml:12:5``."""
        return f"{self.file}:{self.line}:{self.column}"

    def where(self, part: str) -> tuple[str, int, int]:
        """Where ``part`` (``when``, ``message``, ``metric``) was written: file, line, column."""
        return dict(self.written).get(part, (self.file, self.line, self.column))

    @property
    def reads(self) -> tuple[str, ...]:
        """The signals a score rule's condition looks at."""
        return self.when.reads if self.when else ()

    def example_cases(self, outcome: str) -> tuple[dict, ...]:
        """The examples on which the rule must fire (``fires``) or stay quiet (``silent``)."""
        return dict(self.examples).get(outcome, ())


@record
class ConfidenceBand:
    """Advice that leans ``free`` (free or free-limited) or ``gated`` with at least
    ``net_reasons`` more reasons for it than against it, and the share of such advice the real
    products agreed with (measured leaving one product out by ``benchmarks/realworld.py``)."""

    advice: str
    net_reasons: int
    accuracy: float


@record
class Policy:
    """The decision's thresholds, data in ``rules/policy.yaml`` like the rules themselves."""

    min_growth_for_wall: float
    # (label, the lowest measured accuracy it promises), highest first.
    confidence_labels: tuple[tuple[str, float], ...] = ()
    # Tried in order; the first band the advice falls in gives its confidence.
    confidence_bands: tuple[ConfidenceBand, ...] = ()
    # (check id, error|warning|note|off, (file, line, column)): a pack's change to a check's
    # severity; the check ids are checked against the catalog when findings are made.
    severity: tuple[tuple[str, str, tuple[str, int, int]], ...] = ()
    # (Pricing2Yaml type, audience): who a feature's type says buys it, read for the tier only
    # and only when no answer or word names an audience (``policy.type_audiences``).
    type_audiences: tuple[tuple[str, str], ...] = ()

    def type_audience(self, category: str) -> str | None:
        """Who a feature's type says buys it: ``'management: ...'`` -> ``'admin'``, else ``None``."""
        kind = category.split(":")[0].strip()
        return next((audience for name, audience in self.type_audiences if name == kind), None)


@record
class RuleSet:
    """The rules in force, in load order, and the decision policy.

    ``packs`` names what was loaded (``builtin`` and each ``--rules`` path); ``fingerprint``
    identifies the effective rule set: the same rules, overrides and policy give the same
    fingerprint wherever they were loaded from.
    """

    rules: tuple[Rule, ...]
    policy: Policy
    disabled: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()
    fingerprint: str = ""
    files: tuple[str, ...] = ()  # every rule file read, as the filesystem names it

    def of_kind(self, kind: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == kind)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; an unknown id raises ``KeyError``."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def ids(self) -> list[str]:
        return [r.id for r in self.rules]
