"""Findings: where today's placement or the catalog disagrees with the advice and the framework.

Each check is data in ``checks/`` (:mod:`freemium_advisor.reading.checkcatalog`): its metadata,
message template, examples and what makes it fire, a ``when`` read for each feature or the
name of a catalog-wide function of :mod:`freemium_advisor.engine.checklogic`. :func:`find`
turns where each check fires into :class:`Finding` objects: the rule packs'
``policy.severity`` may change a check's severity or switch it off; a finding marks whether it
rests on inferred signals (:mod:`.guesses` then makes a guess at most a note). :func:`apply_waivers`
then sets aside what the inventory's waivers accept.

A :class:`CheckChoice` narrows the catalog further for one run: ``check --select`` and
``--ignore`` (check ids or severities) and the settings file's per-check ``severity``.

A finding's identity is its check and its subject (a feature id, a tier or the product):
its :attr:`~freemium_advisor.result.Finding.fingerprint`, never its wording or the numbers
in it, so that a baseline or a base revision recognises it after any edit elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from functools import cached_property, lru_cache

from freemium_advisor.base.record import record
from freemium_advisor.reading.checkcatalog import CheckSpec, check_by_id, load_checks, waiver_problem
from freemium_advisor.engine.checklogic import Context, FeatureNames, Hit, bind, hits
from freemium_advisor.base.errors import InputError, InputErrors, did_you_mean, one_of
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.result import SEVERITIES, Assessment, Finding, Suppression
from freemium_advisor.model.rules import RuleSet


@lru_cache(maxsize=1)
def catalog() -> tuple[CheckSpec, ...]:
    """The built-in checks, each ``logic`` bound to its function (an unknown name is refused)."""
    specs = load_checks()
    bind(specs)
    return specs


OFF = "off"
# Where a setting was written: (file, line, column), any of them None when unknown.
Where = tuple


def severities(ruleset: RuleSet | None, choice: CheckChoice | None = None) -> dict[str, str]:
    """Each check's severity after the rule packs' ``policy.severity`` and the run's
    ``choice`` (``off`` switches a check off)."""
    catalog = check_by_id()
    result = {c.id: c.severity for c in catalog.values()}
    for check_id, level, (path, line, column) in getattr(ruleset.policy, "severity", ()) if ruleset else ():
        if check_id not in catalog:
            raise InputError(
                path, line, column, f"no check '{check_id}' in policy.severity{did_you_mean(check_id, catalog)}",
            )
        result[check_id] = level
    return choice.levels(result) if choice is not None else result


@record
class CheckChoice:
    """Which checks one run reports, and how severe each is, beyond the rule packs' policy.

    ``select`` and ``ignore`` hold check ids or severities (``check --select``, ``--ignore``
    and the settings file's lists): a finding is reported when its check or its severity is
    selected (everything, when nothing is), unless its check or its severity is ignored.
    ``severity`` holds ``(check id, level, where)`` of the settings file, which win over the
    rule packs' ``policy.severity``. Unknown ids are refused by :func:`check_choice`."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str, Where], ...] = ()

    def levels(self, levels: dict[str, str]) -> dict[str, str]:
        """``levels`` with this choice's severities, and the checks it leaves out off."""
        levels = dict(levels)
        for check_id, level, _ in self.severity:
            levels[check_id] = level
        chosen = [s for s in self.select if s in levels]
        for check_id in levels:
            if check_id in self.ignore or (chosen and check_id not in chosen
                                           and not set(self.select) & set(SEVERITIES)):
                levels[check_id] = OFF
        return levels

    def keeps(self, finding: Finding) -> bool:
        """Whether a finding (at its final severity) is reported."""
        if finding.check in self.ignore or finding.severity in self.ignore:
            return False
        return not self.select or finding.check in self.select or finding.severity in self.select


def check_choice(
    select: Iterable[tuple[str, Where]] = (), ignore: Iterable[tuple[str, Where]] = (),
    severity: Iterable[tuple[str, str, Where]] = (),
) -> CheckChoice:
    """A :class:`CheckChoice` of names, each with where it was written; every unknown check
    id (or severity) is refused at once, each naming the closest one."""
    catalog = check_by_id()
    known = (*catalog, *SEVERITIES)
    errors = []
    lists = {"select": list(select), "ignore": list(ignore)}
    for option, names in lists.items():
        for name, (path, line, column) in names:
            if name not in known:
                errors.append(InputError(
                    path, line, column,
                    f"{option}: no check or severity '{name}'{did_you_mean(name, known)}",
                ))
    severity = list(severity)
    for check_id, level, (path, line, column) in severity:
        if check_id not in catalog:
            errors.append(InputError(
                path, line, column, f"severity: no check '{check_id}'{did_you_mean(check_id, catalog)}",
            ))
        elif level not in (*SEVERITIES, OFF):
            errors.append(InputError(
                path, line, column,
                f"severity of '{check_id}': unknown level '{level}'; expected {one_of((*SEVERITIES, OFF))}",
            ))
    if errors:
        raise InputErrors(errors)
    return CheckChoice(
        tuple(n for n, _ in lists["select"]), tuple(n for n, _ in lists["ignore"]),
        tuple(severity),
    )


def find(
    inventory: Inventory, assessments: tuple[Assessment, ...], ruleset: RuleSet | None = None,
    choice: CheckChoice | None = None, only: frozenset[str] | None = None,
) -> tuple[Finding, ...]:
    """Run every check the ``choice`` leaves on; findings come in catalog order, then
    inventory order. With ``only``, feature checks read only the features of those ids
    (catalog checks still read them all): what another analysis already found for the
    same features need not be found again.

    (:func:`apply_waivers` puts the findings it keeps in file order.)
    """
    levels = severities(ruleset, choice)
    ctx = Context(inventory, assessments) if only is None else _SomeFeatures(inventory, assessments, only)
    found = []
    for spec in catalog():
        if levels[spec.id] == OFF:
            continue
        for hit in hits(spec, ctx):
            found.append(_finding(spec, levels[spec.id], hit, inventory.path))
    return tuple(found)


@record
class _SomeFeatures(Context):
    """A context whose feature checks read only the features of ``only``."""

    only: frozenset[str] = frozenset()

    @cached_property
    def features(self) -> tuple[FeatureNames, ...]:
        return tuple(FeatureNames(a, self) for a in self.assessments if a.feature.id in self.only)


def _finding(spec: CheckSpec, severity: str, hit: Hit, path: str) -> Finding:
    # A hit that rests on inferred signals is a guess: engine/guesses.py says so in the
    # message and caps its severity, once the advice's own evidence is known too.
    line, column = hit.position
    return Finding(
        spec.id, spec.title, severity, spec.render(hit.values), hit.feature, path, line, column,
        spec.source, spec.help, hit.subject, hit.inferred is not None,
    )


def waiver_finding(spec: CheckSpec, waiver, subject: str, levels: dict[str, str]) -> Finding:
    """A finding about a waiver itself (expired or stale), located at the waiver."""
    values = {
        "check": waiver.check, "reason": waiver.reason,
        "subject": "the product" if subject == "the product" else f"feature '{subject}'",
        "owner": waiver.owner, "expires": waiver.expires.isoformat() if waiver.expires else None,
    }
    return Finding(
        spec.id, spec.title, levels.get(spec.id, spec.severity), spec.render(values),
        None if subject == "the product" else subject, waiver.file, waiver.line, waiver.column,
        spec.source, spec.help, f"{subject}/{waiver.check}",
    )


def waiver_errors(inventory: Inventory) -> list[InputError]:
    """Every waiver of the inventory that names an unknown check, or a check of the other
    scope (a product check waived on a feature): what the inventory reader reports too, for
    an inventory made some other way."""
    return [
        InputError(waiver.file, waiver.line, waiver.column, problem)
        for feature_id, waivers in _holders(inventory) for waiver in waivers
        if (problem := waiver_problem(waiver.check, feature_id is not None))
    ]


def _holders(inventory: Inventory, only: frozenset[str] | None = None) -> list:
    features = inventory.features if only is None else [f for f in inventory.features if f.id in only]
    return [(f.id, f.waivers) for f in features] + [(None, inventory.product.waivers)]


def apply_waivers(
    findings: tuple[Finding, ...], inventory: Inventory, today: dt.date,
    ruleset: RuleSet | None = None, choice: CheckChoice | None = None,
    only: frozenset[str] | None = None,
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Split findings into (active, suppressed), adding the findings waivers raise themselves.

    A feature's waiver accepts that feature's finding of a feature check; the product's
    waivers accept product and tier checks. Waivers that name an unknown check, or a check
    of the other scope, are bad input (:func:`waiver_errors`, all of them at once). One whose
    check did not fire is stale; an expired one suppresses nothing and is reported. A waiver
    of a check switched off says nothing: whether its check would fire is not known. With
    ``only`` (see :func:`find`), only those features' waivers and the product's are read.
    """
    errors = waiver_errors(inventory)
    if errors:
        raise InputErrors(errors)
    catalog = check_by_id()
    levels = severities(ruleset, choice)
    active = list(findings)
    suppressed: list[Finding] = []
    raised: list[Finding] = []
    for feature_id, waivers in _holders(inventory, only):
        for waiver in waivers:
            if levels[waiver.check] == OFF:
                continue
            matched = [f for f in active if f.check == waiver.check and f.feature == feature_id]
            subject = feature_id or "the product"
            if not matched:
                kind = "stale-waiver"
            elif waiver.expired(today):
                kind = "expired-waiver"
            else:
                kind = None
                for finding in matched:
                    active.remove(finding)
                    suppressed.append(replace(finding, suppression=Suppression(
                        "waiver", waiver.reason, waiver.owner,
                        waiver.expires.isoformat() if waiver.expires else None,
                    )))
            if kind and levels[kind] != OFF:
                raised.append(waiver_finding(catalog[kind], waiver, subject, levels))
    return _in_file_order(active + raised), _in_file_order(suppressed)


def _in_file_order(findings: list[Finding]) -> tuple[Finding, ...]:
    # Findings read like a linter's: top to bottom; on one line, in check order.
    return tuple(sorted(findings, key=lambda f: (f.file, f.line, f.column, f.check)))
