"""The library's front door: inventory + rules -> one :class:`~freemium_advisor.result.Analysis`.

>>> from freemium_advisor.engine.analysis import analyze_file
>>> analysis = analyze_file("examples/whiteboard.yaml")      # doctest: +SKIP
>>> [(a.feature.id, a.recommendation) for a in analysis.assessments]   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt

from freemium_advisor.engine.explain import with_what_ifs
from freemium_advisor.engine.rule_engine import evaluate
from freemium_advisor.engine.assessmemo import AssessmentCache
from freemium_advisor.engine.findings import CheckChoice, apply_waivers, find
from freemium_advisor.engine.guesses import settle_guesses
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.reading.inventory_reader import load_inventory
from freemium_advisor.result import Analysis, Tool
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.model.rules import RuleSet
from freemium_advisor.model.waivers import utc_today


def analyze(
    inventory: Inventory, ruleset: RuleSet, today: dt.date | None = None, *,
    what_ifs: bool = False, strict: bool = False, choice: CheckChoice | None = None,
    cache: AssessmentCache | None = None, only: frozenset[str] | None = None,
) -> Analysis:
    """Assess every feature, run the checks and apply the inventory's waivers.

    ``today`` decides which waivers have expired (the current date in UTC when not given);
    ``what_ifs``: each assessment also carries the single answers that would flip it (what
    ``explain`` and the report show; searching them costs more than the analysis itself). A
    finding that rests on a guess is at most a note unless ``strict`` (:mod:`.guesses`).
    ``choice`` narrows the checks (``check --select``...); a ``cache`` shared by several
    analyses under one rule set assesses each distinct feature once for all of them. With
    ``only``, the findings are those of the catalog and of the features of those ids alone
    (``check --base`` has the others' from the head already).
    """
    assessments = evaluate(inventory, ruleset, cache)
    found = settle_guesses(find(inventory, assessments, ruleset, choice, only), assessments, ruleset, strict)
    findings, suppressed = apply_waivers(found, inventory, today or utc_today(), ruleset, choice, only)
    if choice is not None:
        findings = tuple(filter(choice.keeps, findings))
        suppressed = tuple(filter(choice.keeps, suppressed))
    analysis = Analysis(
        Tool(), ruleset.fingerprint, ruleset.packs, inventory.path, inventory, ruleset,
        assessments, findings, suppressed,
    )
    return with_what_ifs(analysis) if what_ifs else analysis


def analyze_file(
    path: str, rule_packs: list[str] | tuple[str, ...] = (), *, what_ifs: bool = False,
) -> Analysis:
    """Load an inventory file (``-`` for stdin) and the rules, and analyze (with what-ifs
    when asked, see :func:`analyze`)."""
    return analyze(load_inventory(path), load_ruleset(rule_packs), what_ifs=what_ifs)
