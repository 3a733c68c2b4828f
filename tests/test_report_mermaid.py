"""The Markdown report's Mermaid blocks parse and render, checked with the real renderer.

mermaid-cli (``@mermaid-js/mermaid-cli`` from npm, which .ci/run installs into ``.tools/``)
drives the system's Chromium. It exits 0 even on a syntax error and writes an SVG saying
"Syntax error", so the test reads every SVG, not only the exit code. Without the tool the test
skips and says why.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from typer.testing import CliRunner

from freemium_advisor.cli import app
from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.render.report import build_report
from tests.conftest import EXAMPLES, ROOT, chromium, mermaid_cli
from tests.test_report import HOSTILE, import_pricing

MMDC, BROWSER = mermaid_cli(), chromium()
# One worker renders every case (one mermaid-cli run, one Chromium page).
pytestmark = [pytest.mark.xdist_group("mermaid"), pytest.mark.skipif(
    not (MMDC and BROWSER),
    reason="needs mermaid-cli and Chromium: PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix .tools/node "
    "@mermaid-js/mermaid-cli and apt-get install chromium (.ci/run does both)",
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
    """One Chromium page for the whole module, to measure the labels Mermaid drew."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install -e '.[test]'")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        yield browser.new_page()
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
def rendered(tmp_path_factory):
    """Every case's Markdown report, and the SVG mermaid-cli drew of each of its blocks: one
    run of mermaid-cli over all the reports' blocks (a run starts Chromium, which costs more
    than drawing a chart), each SVG handed back to the case it came from."""
    folder = tmp_path_factory.mktemp("mermaid")
    reports, texts = {}, []
    for case in [*CASES, "realistic"]:
        inventory = inventory_of(case, folder)
        result = CliRunner().invoke(app, ["report", inventory], env={"COLUMNS": "100"})
        reports[case] = (inventory, result.exit_code, result.stdout)
        texts.append(result.stdout)
    (folder / "reports.md").write_text("\n".join(texts), encoding="utf-8")
    config = folder / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": BROWSER, "args": ["--no-sandbox"]}), encoding="utf-8")
    done = subprocess.run(
        [MMDC, "-p", str(config), "-i", "reports.md", "-o", "out.md"],
        cwd=folder, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # mermaid-cli numbers the SVGs by the block's place in its input: out-1.svg, out-2.svg...
    svgs = sorted(folder.glob("out-*.svg"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    drawn, at = {}, 0
    for case, (inventory, status, text) in reports.items():
        count = len(re.findall(r"```mermaid\n", text))
        drawn[case] = (inventory, status, text, svgs[at:at + count])
        at += count
    assert at == len(svgs)
    return drawn


@pytest.mark.parametrize("case", [*CASES, "realistic"])
def test_mermaid_blocks_render_without_syntax_errors(rendered, page, case):
    """Every block renders in mermaid-cli; where the case is one of ``LABELS_MEASURED``, every
    label of the quadrant chart, measured in Chromium as Mermaid drew it, lies inside the
    500-pixel view box, and no two labels overlap."""
    inventory, status, text, svgs = rendered[case]
    assert status == 0
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert len(blocks) == 2  # the pie of the split and the quadrant chart
    assert max(map(len, blocks)) < MERMAID_LIMIT
    assert len(svgs) == len(blocks)
    for svg in svgs:
        drawing = svg.read_text(encoding="utf-8")
        assert "Syntax error" not in drawing, svg.name
        assert "Maximum text size" not in drawing, svg.name
        assert "<svg" in drawing
    # The charts hold what they should: the pie's slices and a point per place features sit.
    pie, quadrant = (svg.read_text(encoding="utf-8") for svg in svgs)
    assert "free" in pie
    points = build_report(analyze_file(inventory, what_ifs=True)).quadrant
    assert quadrant.count('class="data-point"') == len(points)
    if case in LABELS_MEASURED:
        assert_labels_inside_and_apart(page, svgs[1])


def assert_labels_inside_and_apart(page, svg) -> None:
    page.goto(svg.as_uri())
    view = page.evaluate("document.documentElement.viewBox.baseVal.width")
    boxes = page.evaluate("""[...document.querySelectorAll('.data-point text')]
        .filter(t => t.textContent.trim())
        .map(t => { const b = t.getBBox(), m = t.getCTM();
                    return [t.textContent, b.x + m.e, b.y + m.f, b.width, b.height]; })""")
    assert view == 500 and boxes
    for label, x, y, width, height in boxes:
        assert 0 <= x and x + width <= view, (label, x, width)
    for i, (label, x, y, w, h) in enumerate(boxes):
        for other, ox, oy, ow, oh in boxes[i + 1:]:
            assert not (x < ox + ow and ox < x + w and y < oy + oh and oy < y + h), (label, other)
