"""The Markdown report's Mermaid blocks parse and render, checked with the real renderer.

Mermaid itself (the ``mermaid`` package from npm, which .ci/run installs into ``.tools/``) draws
every block in the system's Chromium, as GitHub draws a Markdown file's blocks in the reader's
browser: its script is loaded once into one page, and ``mermaid.render`` draws each block there
(it throws on a block it cannot parse; the test reads the error, and the drawing too, which
says "Syntax error" where a version draws its error instead of throwing). Without Mermaid or
Chromium the test skips and says why.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from freemium_advisor.cli import app
from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.render.report import build_report
from tests.conftest import EXAMPLES, ROOT, chromium, mermaid_script
from tests.test_report import HOSTILE, import_pricing

MERMAID, BROWSER = mermaid_script(), chromium()
# One worker renders every case (one Chromium page, Mermaid loaded into it once).
pytestmark = [pytest.mark.xdist_group("mermaid"), pytest.mark.skipif(
    not (MERMAID and BROWSER),
    reason="needs Mermaid and Chromium: npm install --prefix .tools/node mermaid@12.4.0 and "
    "apt-get install chromium (.ci/run does both)",
)]
PRICINGS = ROOT / "tests" / "data" / "pricing2yaml"
# The examples, hostile names, two imported real products (58 and 81 features) and 2,000
# features, whose chart must still be one block Mermaid accepts.
CASES = [f"examples/{p.name}" for p in sorted(EXAMPLES.glob("*.yaml"))] + [
    "hostile", "notion", "github", "2000 features",
]
MERMAID_LIMIT = 50_000  # Mermaid's maxTextSize: a longer diagram draws an error instead


# Cases whose quadrant labels are also measured as drawn (a real shape of 1,000 features too).
LABELS_MEASURED = {"examples/whiteboard.yaml", "notion", "github", "realistic"}


@pytest.fixture(scope="module")
def page():
    """One Chromium page for the whole module, with Mermaid loaded as a page loads it, set up
    as mermaid-cli sets it up (the default theme, nothing drawn on load)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install -e '.[test]'")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content('<!doctype html><html><body><div id="chart"></div></body></html>')
        page.add_script_tag(path=MERMAID)
        page.evaluate("mermaid.initialize({startOnLoad: false, theme: 'default'})")
        yield page
        browser.close()


def inventory_of(case: str, folder) -> str:
    """The inventory file of ``case``, written into ``folder`` where it is made up."""
    if case == "hostile":
        (folder / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
        return str(folder / "hostile.yaml")
    if case == "2000 features":
        from benchmarks.speed import corpus, inventory_text

        (folder / "many.yaml").write_text(inventory_text(2000, corpus(), distinct=True), encoding="utf-8")
        return str(folder / "many.yaml")
    if case == "realistic":
        from benchmarks.shapes import inventory_text, realistic_features

        (folder / "catalog.yaml").write_text(inventory_text(realistic_features(1000)), encoding="utf-8")
        return str(folder / "catalog.yaml")
    if not case.startswith("examples/"):
        return import_pricing(PRICINGS / case / "2024.yml", folder / f"{case}.yaml")
    return str(ROOT / case)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, page):
    """Every case's Markdown report, and what Mermaid drew of each of its blocks: the SVG, or
    the error it threw."""
    folder = tmp_path_factory.mktemp("mermaid")
    drawn = {}
    for case in [*CASES, "realistic"]:
        inventory = inventory_of(case, folder)
        result = CliRunner().invoke(app, ["report", inventory], env={"COLUMNS": "100"})
        blocks = re.findall(r"```mermaid\n(.*?)```", result.stdout, re.DOTALL)
        drawings = [page.evaluate("""async (definition) => {
            try { return (await mermaid.render('drawn', definition)).svg; }
            catch (error) { return 'Mermaid threw: ' + error; } }""", block) for block in blocks]
        drawn[case] = (inventory, result.exit_code, result.stdout, drawings)
    return drawn


@pytest.mark.parametrize("case", [*CASES, "realistic"])
def test_mermaid_blocks_render_without_syntax_errors(rendered, page, case):
    """Every block renders in Mermaid; where the case is one of ``LABELS_MEASURED``, every
    label of the quadrant chart, measured in Chromium as Mermaid drew it, lies inside the
    500-pixel view box, and no two labels overlap."""
    inventory, status, text, drawings = rendered[case]
    assert status == 0
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert len(blocks) == 2  # the pie of the split and the quadrant chart
    assert max(map(len, blocks)) < MERMAID_LIMIT
    assert len(drawings) == len(blocks)
    for drawing in drawings:
        assert drawing.startswith("<svg"), drawing[:300]
        assert "Syntax error" not in drawing
        assert "Maximum text size" not in drawing
    # The charts hold what they should: the pie's slices and a point per place features sit.
    pie, quadrant = drawings
    assert "free" in pie
    points = build_report(analyze_file(inventory, what_ifs=True)).quadrant
    assert quadrant.count('class="data-point"') == len(points)
    if case in LABELS_MEASURED:
        assert_labels_inside_and_apart(page, quadrant)


def assert_labels_inside_and_apart(page, svg: str) -> None:
    """Each label's box in the chart's own units (its view box), as Chromium lays it out."""
    view, boxes = page.evaluate("""(svg) => {
        const chart = document.getElementById('chart');
        chart.innerHTML = svg;
        const drawing = chart.querySelector('svg'), toChart = drawing.getScreenCTM().inverse();
        const boxes = [...drawing.querySelectorAll('.data-point text')]
          .filter(t => t.textContent.trim())
          .map(t => { const b = t.getBBox(), m = toChart.multiply(t.getScreenCTM());
                      const a = new DOMPoint(b.x, b.y).matrixTransform(m);
                      const z = new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(m);
                      return [t.textContent, a.x, a.y, z.x - a.x, z.y - a.y]; });
        return [drawing.viewBox.baseVal.width, boxes]; }""", svg)
    assert view == 500 and boxes
    for label, x, y, width, height in boxes:
        assert 0 <= x and x + width <= view, (label, x, width)
    for i, (label, x, y, w, h) in enumerate(boxes):
        for other, ox, oy, ow, oh in boxes[i + 1:]:
            assert not (x < ox + ow and ox < x + w and y < oy + oh and oy < y + h), (label, other)
