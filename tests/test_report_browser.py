"""The HTML report in a real browser: headless Chromium (Debian's package) through Playwright.

Every chart and every feature renders, nothing is fetched, no console error; printed to PDF
(A4), no table is cut off. Without Playwright or Chromium the tests skip and say why; .ci/run
installs both.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from freemium_advisor.engine.analysis import analyze_file
from tests.conftest import EXAMPLES, ROOT, chromium
from tests.test_report import HOSTILE

playwright = pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install -e '.[test]'")
BROWSER = chromium()
pytestmark = pytest.mark.skipif(
    not BROWSER, reason="needs Chromium: apt-get install chromium (.ci/run installs it)",
)
# A long name without a space must wrap, not push a table off the page.
LONG = "Unbreakable" + "x" * 150
CASES = [f"examples/{p.name}" for p in sorted(EXAMPLES.glob("*.yaml"))] + ["hostile"]
# A4 (210 mm) less the report's 14 mm margins, in CSS pixels (96 per inch).
PRINT_WIDTH = int((210 - 2 * 14) / 25.4 * 96)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        yield instance
        instance.close()


def html_report(run, tmp_path, monkeypatch, case: str):
    """Write the HTML report of ``case`` and return (its path, the inventory it came from)."""
    monkeypatch.chdir(ROOT)
    if case == "hostile":
        case = str(tmp_path / "hostile.yaml")
        extra = f"  - {{id: long, name: {LONG}, current: free}}\n"
        (tmp_path / "hostile.yaml").write_text(HOSTILE + extra, encoding="utf-8")
    out = tmp_path / "report.html"
    result = run("report", case, "-f", "html", "-o", str(out))
    assert (result.exit_code, result.stderr) == (0, "")
    return out, case


def open_page(browser, path, **options):
    page = browser.new_page(**options)
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests


@pytest.mark.parametrize("case", CASES)
def test_every_chart_and_feature_renders(browser, run, tmp_path, monkeypatch, case):
    path, inventory = html_report(run, tmp_path, monkeypatch, case)
    analysis = analyze_file(inventory)
    page, errors, requests = open_page(browser, path, viewport={"width": 1100, "height": 900})
    try:
        assert errors == []
        assert requests == [path.as_uri()]  # self-contained: nothing else is fetched
        assert page.locator("script").count() == 0

        charts = page.locator("svg.chart")
        names = [charts.nth(i).get_attribute("data-chart") for i in range(charts.count())]
        with_criteria = [a.feature.id for a in analysis.assessments if any(a.criteria.values())]
        assert names == ["split", "tiers", "quadrant", *[f"criteria-{i}" for i in with_criteria]]
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            box = chart.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 20, names[i]
            assert chart.locator("rect, circle, line").count() > 0, names[i]

        summary = analysis.summary()
        slices = page.locator("svg[data-chart=split] [data-slice]")
        assert [slices.nth(i).get_attribute("data-slice") for i in range(slices.count())] == [
            name for name, n in summary.items() if n
        ]
        dots = page.locator("svg[data-chart=quadrant] g[data-feature]")
        assert dots.count() == len(analysis.assessments)

        articles = page.locator("article.feature")
        assert articles.count() == len(analysis.assessments)
        for i, a in enumerate(analysis.assessments):
            article = articles.nth(i)
            assert article.get_attribute("data-feature") == a.feature.id
            assert article.is_visible()
            heading = " ".join(article.locator("h3").inner_text().split())
            assert heading == f"{i + 1}. " + " ".join(a.feature.name.split())
            assert article.locator(f".advice.{a.recommendation}").count() >= 1
    finally:
        page.close()


@pytest.mark.parametrize("case", CASES)
def test_printed_page_has_no_cut_off_table(browser, run, tmp_path, monkeypatch, case):
    path, _ = html_report(run, tmp_path, monkeypatch, case)
    page, errors, _ = open_page(browser, path, viewport={"width": PRINT_WIDTH, "height": 1000})
    try:
        page.emulate_media(media="print")
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('table, svg.chart')]
                 .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                           || e.scrollWidth > e.clientWidth + 1)
                 .map(e => e.outerHTML.slice(0, 120))"""
        )
        assert overflowing == []
        # The last word of every table row's last cell must be in the PDF: a table cut off at
        # the right edge loses exactly those.
        last_words = page.evaluate(
            """() => [...document.querySelectorAll('tr')]
                 .map(r => r.lastElementChild.innerText.trim().split(/\\s+/).pop())
                 .filter(w => w)"""
        )
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
        assert errors == []
    finally:
        page.close()
    assert pdf.read_bytes().startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("needs pdftotext to read the PDF back: apt-get install poppler-utils (.ci/run installs it)")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext may break a long word across lines: compare without any whitespace.
    flat = "".join(text.split())
    missing = [w for w in last_words if "".join(w.split()) not in flat]
    assert missing == []
