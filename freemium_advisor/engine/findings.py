"""Findings: where today's placement or the catalog disagrees with the advice and the framework.

Each check is data in ``checks/`` (:mod:`freemium_advisor.reading.checkcatalog`): its metadata,
message template, examples and what makes it fire, a ``when`` read for each feature or the
name of a catalog-wide function of :mod:`freemium_advisor.engine.checklogic`. :func:`find`
turns where each check fires into :class:`Finding` objects: the rule packs'
``policy.severity`` may change a check's severity or switch it off; a finding marks whether it
rests on inferred signals (:mod:`.guesses` then makes a guess at most a note). :func:`apply_waivers`
then sets aside what the inventory's waivers accept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import lru_cache

from freemium_advisor.reading.checkcatalog import CheckSpec, check_by_id, load_checks
from freemium_advisor.engine.checklogic import Context, Hit, bind, hits
from freemium_advisor.base.errors import InputError, did_you_mean
from freemium_advisor.model.inventory import Inventory
from freemium_advisor.result import Assessment, Finding, Suppression
from freemium_advisor.model.rules import RuleSet


@lru_cache(maxsize=1)
def catalog() -> tuple[CheckSpec, ...]:
    """The built-in checks, each ``logic`` bound to its function (an unknown name is refused)."""
    specs = load_checks()
    bind(specs)
    return specs


def severities(ruleset: RuleSet | None) -> dict[str, str]:
    """Each check's severity after the rule packs' ``policy.severity`` (``off`` switches it off)."""
    catalog = check_by_id()
    result = {c.id: c.severity for c in catalog.values()}
    for check_id, level, (path, line, column) in getattr(ruleset.policy, "severity", ()) if ruleset else ():
        if check_id not in catalog:
            raise InputError(
                path, line, column, f"no check '{check_id}' in policy.severity{did_you_mean(check_id, catalog)}",
            )
        result[check_id] = level
    return result


def find(
    inventory: Inventory, assessments: tuple[Assessment, ...], ruleset: RuleSet | None = None,
) -> tuple[Finding, ...]:
    """Run every check; findings come in catalog order, then inventory order.

    (:func:`apply_waivers` puts the findings it keeps in file order.)
    """
    levels = severities(ruleset)
    ctx = Context(inventory, assessments)
    found = []
    for spec in catalog():
        if levels[spec.id] == "off":
            continue
        for hit in hits(spec, ctx):
            found.append(_finding(spec, levels[spec.id], hit, inventory.path))
    return tuple(found)


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


def apply_waivers(
    findings: tuple[Finding, ...], inventory: Inventory, today: dt.date,
    ruleset: RuleSet | None = None,
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Split findings into (active, suppressed), adding the findings waivers raise themselves.

    A feature's waiver accepts that feature's finding of a feature check; the product's
    waivers accept product and tier checks. A waiver that names an unknown check, or a check
    of the other scope, is bad input. One whose check did not fire is stale; an expired one
    suppresses nothing and is reported.
    """
    catalog = check_by_id()
    levels = severities(ruleset)
    holders = [(f.id, f.waivers) for f in inventory.features] + [(None, inventory.product.waivers)]
    active = list(findings)
    suppressed: list[Finding] = []
    raised: list[Finding] = []
    for feature_id, waivers in holders:
        for waiver in waivers:
            spec = catalog.get(waiver.check)
            if spec is None or spec.scope == "waiver":
                known = [c for c, s in catalog.items() if s.scope != "waiver"]
                raise InputError(
                    waiver.file, waiver.line, waiver.column,
                    f"no check '{waiver.check}' to waive{did_you_mean(waiver.check, known)}",
                )
            on_feature = spec.scope == "feature"
            if on_feature != (feature_id is not None):
                where = "on the feature it is about" if on_feature else "on the product"
                raise InputError(
                    waiver.file, waiver.line, waiver.column,
                    f"'{waiver.check}' is a {spec.scope} check: waive it {where}",
                )
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
            if kind and levels[kind] != "off":
                raised.append(waiver_finding(catalog[kind], waiver, subject, levels))
    return _in_file_order(active + raised), _in_file_order(suppressed)


def _in_file_order(findings: list[Finding]) -> tuple[Finding, ...]:
    # Findings read like a linter's: top to bottom; on one line, in check order.
    return tuple(sorted(findings, key=lambda f: (f.file, f.line, f.column, f.check)))
