"""The what-ifs the report and ``explain`` read: each flip is what assessing the feature with
that one answer gives, and every nearer answer changes nothing.

The search decides through the engine's remembered score and the tier choice, without
rendering messages; these tests hold it to a full assessment of every answer it tried.
"""

from __future__ import annotations

import pytest

from benchmarks.shapes import inventory_text, realistic_features
from freemium_advisor.engine import explain as explain_module
from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.engine.explain import offered_values
from freemium_advisor.formats import RenderOptions
from freemium_advisor.formats.markdown_report import render_report
from freemium_advisor.render import DETAIL_LEVELS
from freemium_advisor.render.report import build_report
from freemium_advisor.engine.rule_engine import Engine
from freemium_advisor.model.signals import SIGNALS
from freemium_advisor.result import EXPLICIT, Signal
from tests.conftest import EXAMPLES, ROOT
from tests.test_report import import_pricing

PRICINGS = ROOT / "tests" / "data" / "pricing2yaml"
# One worker analyses the 1,000-feature catalog once for the three detail levels.
pytestmark = pytest.mark.xdist_group("what-ifs")
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


def searched_by_report(run, monkeypatch, path: str, detail: str) -> tuple[list[str], str]:
    """The features whose what-ifs ``report PATH --detail DETAIL`` searched, and the page."""
    searched = []
    search = explain_module.what_ifs

    def counting(engine, assessment, product, decided=None):
        searched.append(assessment.feature.id)
        return search(engine, assessment, product, decided)

    monkeypatch.setattr(explain_module, "what_ifs", counting)
    result = run("report", path, "--detail", detail)
    assert (result.exit_code, result.stderr) == (0, "")
    return list(searched), result.stdout


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """A catalog of 1,000 features of a real shape, and its analysis with every what-if."""
    path = tmp_path_factory.mktemp("catalog") / "catalog.yaml"
    path.write_text(inventory_text(realistic_features(1000)), encoding="utf-8")
    return str(path), analyze_file(str(path), what_ifs=True)


@pytest.mark.parametrize("detail", DETAIL_LEVELS)
def test_the_report_searches_what_ifs_only_for_the_features_it_shows_them_for(
        run, monkeypatch, catalog, detail):
    """Searching every feature's what-ifs cost the report more than the analysis: it
    searches those of its appendix's sections, and of the features whose answer could still
    outweigh the fifth question to confirm; the page is the one every what-if gives."""
    path, analysis = catalog
    searched, page = searched_by_report(run, monkeypatch, path, detail)
    full = build_report(analysis, detail)
    assert page == render_report(full.analysis, RenderOptions(detail=detail))
    assert len(full.confirmations) == 5
    shown = {f.feature.id for f in full.appendix}
    assert shown <= set(searched)
    assert len(searched) == len(set(searched))  # each once
    # Beyond the sections: the five questions to confirm and the two features whose biggest
    # possible change could have outweighed the fifth, searched to rule them out.
    assert len(searched) == {"none": 7, "changed": 307, "all": 1000}[detail]
