"""What a rationale report says, computed once from an :class:`Analysis` for every report format.

The report is read by someone deciding, so it leads with the decision: a verdict on the free
tier (aha moment, habit loop, viral loop, upgrade trigger), the top moves (each with the
reasons that separate the advice from today's placement), the few answers worth confirming,
and the plan as a buyer sees it (features by tier, today beside the advice). Details follow
on demand: the summary, the chart, and an appendix of per-feature sections (``detail``:
the changed features, all, or none), with the default rule explained once in a legend and
one source entry per passage.

Every sentence is composed as plain text, here or in the section modules named below; the
Markdown and HTML templates only lay it out and escape it. The report is a view over an
analysis; of the engine it asks only the what-ifs
(:class:`~freemium_advisor.engine.explain.WhatIfSearch`), and only of the features it shows
them for: the appendix's sections and the candidates for what to confirm.

This module holds the report as a whole and :func:`build_report`. Its sections are built in
modules of their own: what the report says about one feature in :mod:`.report_features`, the
verdict on the free tier in :mod:`.report_verdict`, the top moves and what to confirm in
:mod:`.report_moves`, the plan in :mod:`.report_plan` and the chart's points in
:mod:`.report_chart`, with the wording they share in :mod:`.report_words`.
"""

from __future__ import annotations

from functools import cached_property

from freemium_advisor.base.record import record
from freemium_advisor.engine.explain import WhatIfSearch
from freemium_advisor.model.rules import Source
from freemium_advisor.model.signals import DEFAULT_CRITERION
from freemium_advisor.render import DETAIL_LEVELS
from freemium_advisor.render.citations import Citation
from freemium_advisor.render.report_chart import ChartPoint, quadrant_points
from freemium_advisor.render.report_features import (
    Citations,
    FeatureReport,
    Guesses,
    feature_report,
)
from freemium_advisor.render.report_moves import (
    Confirmation,
    Move,
    confirmations,
    move_of,
    move_order,
)
from freemium_advisor.render.report_plan import PlanGroup, plan
from freemium_advisor.render.report_verdict import (
    AHA,
    HABIT,
    UPGRADE,
    VIRAL,
    Verdict,
    free_tier_verdicts,
)
from freemium_advisor.render.report_words import name_list, shell
from freemium_advisor.result import SEVERITIES, Analysis, Finding, Reason

MAX_MOVES = 7
# Sections the default --detail writes at most: a page stays a few megabytes at 10,000
# features, and ``explain`` or ``--detail all`` gives the rest.
MAX_SECTIONS = 300


@record
class FindingGroup:
    """The findings of one check, counted, with the features they are about."""

    severity: str
    check: str
    title: str
    count: int
    names: str


@record
class DefaultRule:
    """A default rule, explained once in the legend instead of on every feature that
    carries it: in its message's words when they are the same for every feature, else in
    its title's (a message that names the feature would name one feature for all)."""

    rule: str
    direction: str
    weight: float
    message: str
    citation: Citation | None
    carried: str  # "every feature", "5 of 58 features"


@record
class TierCount:
    name: str
    audience: str
    advised: int
    today: int


@record
class Report:
    """The report's content, in the order the templates print it."""

    analysis: Analysis
    features: tuple[FeatureReport, ...]
    detail: str
    # The features with a section of their own, as ``detail`` says (``changed``: at most
    # MAX_SECTIONS, the biggest moves first), and how many changed ones that leaves out.
    appendix: tuple[FeatureReport, ...]
    left_out: int
    verdict_basis: str  # "today" or "advised": which free tier the verdict judges
    verdicts: tuple[Verdict, ...]
    moves: tuple[Move, ...]
    more_moves: int
    default_only: tuple[FeatureReport, ...]
    confirmations: tuple[Confirmation, ...]
    plan: tuple[PlanGroup, ...]
    tiers: tuple[TierCount, ...]
    defaults: tuple[DefaultRule, ...]
    sources: tuple[Citation, ...]

    @property
    def product(self):
        return self.analysis.inventory.product

    @property
    def summary(self) -> dict[str, int]:
        return self.analysis.summary()

    @property
    def changes(self) -> tuple[FeatureReport, ...]:
        """Features whose advice differs from where they sit today."""
        return tuple(f for f in self.features if f.changed)

    @cached_property
    def detailed(self) -> frozenset[int]:
        """The numbers of the features with a section in the appendix."""
        return frozenset(f.number for f in self.appendix)

    @property
    def default_only_names(self) -> str:
        """The changes only the default speaks for, named: ``A, B, C and 2 more``."""
        return name_list([f.feature.name for f in self.default_only])

    @property
    def ask_command(self) -> str:
        return f"freemium-advisor ask {shell(self.analysis.path)}"

    @property
    def explain_command(self) -> str:
        return f"freemium-advisor explain {shell(self.analysis.path)} FEATURE_ID"

    @property
    def check_command(self) -> str:
        return f"freemium-advisor check {shell(self.analysis.path)}"

    @property
    def placed(self) -> bool:
        """Whether the inventory says where any feature sits today."""
        return any(f.today is not None for f in self.features)

    @cached_property
    def quadrant(self) -> tuple[ChartPoint, ...]:
        """The growth-against-friction points (:mod:`.report_chart`): features at the same
        place share a point, nearby ones are grouped when there are many, and the labels name
        every feature of a small product, else only the top moves."""
        return quadrant_points(self.features, {m.feature.number: m.rank for m in self.moves},
                               unranked=MAX_MOVES + 1)

    @property
    def finding_groups(self) -> tuple[FindingGroup, ...]:
        """The findings by check, most severe first, each with the features it names."""
        groups: dict[tuple[int, str], list[Finding]] = {}
        for f in self.analysis.findings:
            groups.setdefault((_severity_order(f.severity), f.check), []).append(f)
        names = {a.feature.id: a.feature.name for a in self.analysis.assessments}
        return tuple(
            FindingGroup(found[0].severity, check, found[0].title, len(found),
                         name_list([names.get(f.feature, f.subject or "the product") for f in found]))
            for (_, check), found in sorted(groups.items())
        )

    @cached_property
    def findings_by_severity(self) -> list[tuple[str, list[Finding]]]:
        """Findings grouped by severity, most severe first, at most :data:`MAX_SECTIONS` in
        all (``check`` lists every one); a severity the checks add later (or a state such as
        waived) comes after the known ones rather than being dropped."""
        known = list(SEVERITIES)
        extra = sorted({f.severity for f in self.analysis.findings} - set(known))
        groups, room = [], MAX_SECTIONS
        for severity in known + extra:
            found = [f for f in self.analysis.findings if f.severity == severity][:room]
            room -= len(found)
            if found:
                groups.append((severity, found))
        return groups

    @property
    def findings_left_out(self) -> int:
        """How many findings the appendix leaves out (past :data:`MAX_SECTIONS`)."""
        return len(self.analysis.findings) - sum(len(found) for _, found in self.findings_by_severity)

    @property
    def accepted(self) -> list[tuple[Finding, str]]:
        """Findings that do not count (a waiver, the baseline or ``--base`` accepted them),
        each with why, in words."""
        accepted = []
        for finding in self.analysis.suppressed:
            suppression = finding.suppression
            if suppression is None:  # pragma: no cover - suppressed findings carry their reason
                accepted.append((finding, "accepted"))
                continue
            note = f"{suppression.kind}: {suppression.reason}" if suppression.reason else suppression.kind
            if suppression.owner:
                note += f" (owner {suppression.owner})"
            if suppression.expires:
                note += f", until {suppression.expires}"
            accepted.append((finding, note))
        return accepted


def build_report(analysis: Analysis, detail: str = "changed") -> Report:
    """Compute everything a report prints from one analysis (deterministic: input order),
    searching the what-ifs of the features that need them unless the analysis carries
    them (``analyze(..., what_ifs=True)``). ``detail`` says which
    features get a section in the appendix: ``changed`` (default: those whose advice differs
    from today, at most :data:`MAX_SECTIONS`, the biggest moves first), ``all`` or ``none``."""
    if detail not in DETAIL_LEVELS:
        raise ValueError(f"detail must be one of {', '.join(DETAIL_LEVELS)}, not {detail!r}")
    product = analysis.inventory.product
    citations, search, guesses = Citations(), WhatIfSearch(analysis), Guesses(analysis.ruleset)
    features = tuple(
        feature_report(number, a, product.free_tier.name, citations, search, guesses)
        for number, a in enumerate(analysis.assessments, start=1)
    )
    candidates = {f.number: move_of(f) for f in features if f.changed}
    moves = sorted((m for m in candidates.values() if m is not None), key=move_order)
    ranked = tuple(Move(i, m.feature, m.why, m.guess, m.impact)
                   for i, m in enumerate(moves[:MAX_MOVES], start=1))
    default_only = tuple(f for f in features if f.changed and candidates[f.number] is None)
    if detail == "all":
        appendix = features
    elif detail == "changed":
        # The biggest moves first, then the changes only the default speaks for; shown in
        # the inventory's order.
        chosen = [m.feature for m in moves] + list(default_only)
        appendix = tuple(sorted(chosen[:MAX_SECTIONS], key=lambda f: f.number))
    else:
        appendix = ()
    basis = "today" if any(f.today is not None for f in features) else "advised"
    return Report(
        analysis, features, detail, appendix, len(candidates) - len(appendix) if detail == "changed" else 0,
        basis, free_tier_verdicts(features, basis), ranked, max(len(moves) - MAX_MOVES, 0), default_only,
        confirmations(features, {m.feature.number for m in ranked}, analysis.path),
        plan(features, product, {f.number for f in default_only}), _tier_counts(analysis),
        _defaults(analysis, citations), _sources(analysis, citations),
    )


# --- the tier counts, the legend and the sources -----------------------------------------------

def _tier_counts(analysis: Analysis) -> tuple[TierCount, ...]:
    return tuple(
        TierCount(
            t.name, t.audience,
            sum(a.tier == t.name for a in analysis.assessments),
            sum(a.feature.current == t.name for a in analysis.assessments),
        )
        for t in analysis.inventory.product.tiers
    )


def _defaults(analysis: Analysis, citations: Citations) -> tuple[DefaultRule, ...]:
    """The default rules that fired for some feature, once each, in rule order, for the
    legend, with how many features carry each."""
    fired: dict[str, Reason] = {}
    counts: dict[str, int] = {}
    for a in analysis.assessments:
        for r in a.reasons:
            if r.criterion == DEFAULT_CRITERION.id:
                fired.setdefault(r.rule, r)
                counts[r.rule] = counts.get(r.rule, 0) + 1
    total = len(analysis.assessments)
    rules = {rule.id: rule for rule in analysis.ruleset.rules}
    defaults = []
    for r in sorted(fired.values(), key=lambda r: r.rule):
        rule = rules.get(r.rule)
        per_feature = rule is not None and any(f[0] in ("feature", "signals") for f in rule.message.fields)
        message = rule.title.rstrip(".") + "." if per_feature else r.message
        carried = "every feature" if counts[r.rule] == total else f"{counts[r.rule]} of {total} features"
        defaults.append(DefaultRule(r.rule, r.direction, r.weight, message, citations(r.source), carried))
    return tuple(defaults)


def _severity_order(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _sources(analysis: Analysis, citations: Citations) -> tuple[Citation, ...]:
    """Every passage the report cites, once, in the order of the talk.

    A passage is a moment of the talk: two rules citing it under different titles, or the
    two write-ups of one statement (dated a few seconds apart), are one entry."""
    sources = {r.source for a in analysis.assessments for r in a.reasons}
    sources |= {f.source for f in analysis.findings}
    made = [c for c in map(citations, (*sorted(sources, key=_source_key), AHA, HABIT, VIRAL, UPGRADE))
            if c is not None]
    # Citations of one passage: the same moment of the talk, or the same principle.
    passages: list[list[Citation]] = []
    for citation in sorted(made, key=lambda c: (c.timestamp or "", c.principle, c.url or "")):
        same = next((p for p in passages if any(
            (c.timestamp and c.timestamp == citation.timestamp and c.url is not None
             and citation.url is not None) or c.principle == citation.principle for c in p
        )), None)
        if same is None:
            passages.append([citation])
        else:
            same.append(citation)
    # Of each passage, the fullest paraphrase (then the earliest moment) is its entry.
    return tuple(min(p, key=lambda c: (-len(c.quote or ""), c.timestamp or "")) for p in passages)


def _source_key(source: Source | None) -> tuple:
    if source is None:
        return ("",)
    return (source.timestamp or "", source.principle, source.seed or "", source.quote or "")

