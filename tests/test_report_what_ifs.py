"""The what-ifs the report and ``explain`` read: each flip is what assessing the feature with
that one answer gives, and every nearer answer changes nothing.

The search decides through the engine's remembered score and the tier choice, without
rendering messages; these tests hold it to a full assessment of every answer it tried.
"""

from __future__ import annotations

import pytest

from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.engine.explain import offered_values
from freemium_advisor.engine.rule_engine import Engine
from freemium_advisor.model.signals import SIGNALS
from freemium_advisor.result import EXPLICIT, Signal
from tests.conftest import EXAMPLES, ROOT
from tests.test_report import import_pricing

PRICINGS = ROOT / "tests" / "data" / "pricing2yaml"
CASES = [str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]


def imported(tmp_path, product: str, year: str = "2024") -> str:
    """``freemium-advisor import pricing2yaml`` of a real pricing, as a PM would run it."""
    return import_pricing(PRICINGS / product / f"{year}.yml", tmp_path / f"{product}.yaml")


@pytest.mark.parametrize("case", [*CASES, "notion", "github"])
def test_every_flip_is_what_a_full_assessment_gives(tmp_path, case):
    path = imported(tmp_path, case) if case in ("notion", "github") else case
    analysis = analyze_file(path, what_ifs=True)
    engine = Engine(analysis.ruleset)
    product = analysis.inventory.product
    checked = 0
    for a in analysis.assessments:
        flips = {f.signal: f for f in a.what_ifs}
        for spec in SIGNALS:
            offered = offered_values(spec, a.signals[spec.name])
            for value in spec.alternatives(a.signals[spec.name].value):
                if value not in offered:  # an answer the feature's own words rule out
                    continue
                changed = {**a.signals, spec.name: Signal(spec.name, value, EXPLICIT)}
                outcome = engine.assess(a.feature, product, changed)
                moved = (outcome.recommendation, outcome.tier) != (a.recommendation, a.tier)
                checked += 1
                if not moved:
                    continue
                flip = flips.pop(spec.name)
                assert (flip.value, flip.recommendation, flip.tier, flip.score) == (
                    spec.display(value), outcome.recommendation, outcome.tier, outcome.score,
                ), (a.feature.id, spec.name)
                break
        assert flips == {}, a.feature.id  # no flip the full assessments did not find
    assert checked > len(analysis.assessments)
