"""The HTML report in a real browser: headless Chromium (Debian's package) through Playwright.

Every chart and every feature renders, nothing is fetched, no console error; the decision is
on the first printed page; at 390 px nothing scrolls sideways and no tier name is split; no
chart label is cut by its view box; printed (A4 and Letter), no table is cut off, and a
58-feature real product prints its decision in at most four A4 pages. Without Playwright or
Chromium the tests skip and say why; .ci/run installs both.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from freemium_advisor.cli import app
from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.reading.inventory_reader import load_inventory
from tests.conftest import EXAMPLES, ROOT, chromium
from tests.test_report import HOSTILE, import_pricing

playwright = pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install -e '.[test]'")
BROWSER = chromium()
# One worker loads every report into one page of one Chromium.
pytestmark = [pytest.mark.xdist_group("browser"), pytest.mark.skipif(
    not BROWSER, reason="needs Chromium: apt-get install chromium (.ci/run installs it)",
)]
# A long name without a space must wrap, not push a table off the page.
LONG = "Unbreakable" + "x" * 150
PRICINGS = ROOT / "tests" / "data" / "pricing2yaml"
EXAMPLE_CASES = [f"examples/{p.name}" for p in sorted(EXAMPLES.glob("*.yaml"))]
# The newest pricing of every product in the dataset, imported as a PM would.
PRICING_CASES = sorted(p.name for p in PRICINGS.iterdir() if p.is_dir())
CASES = EXAMPLE_CASES + ["hostile"]
# Printable width of a page less the report's 14 mm margins, in CSS pixels (96 per inch).
PAGES = {"A4": (210, 297), "Letter": (215.9, 279.4)}
PHONE = 390  # an iPhone's width in CSS pixels
MAX_WORDS_FIRST = 1500
MAX_PAGES_FIRST = 4
MAX_PAGES = 20


def print_width(page_format: str) -> int:
    return int((PAGES[page_format][0] - 2 * 14) / 25.4 * 96)


@pytest.fixture(scope="module")
def browser():
    """One page of one Chromium for the module: each test loads its report into it afresh,
    with its own viewport and media (a new page costs as much as loading a report)."""
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        tab = Tab(instance.new_page())
        yield tab
        instance.close()


class Tab:
    """The module's page, and what it logged since it last loaded a report."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """``reports(case, *options)``: the HTML report of ``case`` with those options, written
    once for the module; (the page's path, the inventory it came from)."""
    folder = tmp_path_factory.mktemp("reports")
    made: dict[tuple, tuple] = {}

    def html_report(case: str, *options: str):
        if (case, options) not in made:
            inventory = ROOT / case if case.startswith("examples/") else folder / f"{case}.yaml"
            if case == "hostile":
                extra = f"  - {{id: long, name: {LONG}, current: free}}\n"
                inventory.write_text(HOSTILE + extra, encoding="utf-8")
            elif case in PRICING_CASES and not inventory.exists():
                import_pricing(max((PRICINGS / case).glob("*.yml")), inventory)
            out = folder / f"report {len(made)}.html"
            result = CliRunner().invoke(app, ["report", str(inventory), "-f", "html", "-o", str(out), *options])
            assert (result.exit_code, result.stderr) == (0, "")
            made[case, options] = (out, str(inventory))
        return made[case, options]

    return html_report


def open_page(tab, path, viewport=None):
    """Load the report at ``path`` into the module's page at ``viewport`` (Playwright's
    default 1280 x 720 if not given), with no media emulated: the page, and the errors and
    requests it logged since."""
    page = tab.page
    page.set_viewport_size(viewport or {"width": 1280, "height": 720})
    page.emulate_media(media="null")  # undo an earlier test's print emulation
    tab.errors.clear()
    tab.requests.clear()
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, tab.errors, tab.requests


def open_details(page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def pdf_pages(pdf) -> list[str]:
    """The text of each page of a PDF (pdftotext separates pages by form feeds)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"),
    reason="needs pdftotext to read the PDF back: apt-get install poppler-utils (.ci/run installs it)",
)


@pytest.mark.parametrize("case", CASES)
def test_every_chart_and_feature_renders(browser, reports, case):
    path, inventory = reports(case, "--detail", "all")
    analysis = analyze_file(inventory)
    page, errors, requests = open_page(browser, path, viewport={"width": 1100, "height": 900})
    assert errors == []
    assert requests == [path.as_uri()]  # self-contained: nothing else is fetched
    assert page.locator("script").count() == 0
    open_details(page)

    # Each chart's name, drawn size and count of shapes, read in one call to the page.
    charts = page.evaluate("""() => [...document.querySelectorAll('svg.chart')].map(c => {
        const box = c.getBoundingClientRect();
        return [c.dataset.chart, box.width, box.height, c.querySelectorAll('rect, circle, line').length];
    })""")
    names = [name for name, *_ in charts]
    with_criteria = [a.feature.id for a in analysis.assessments if any(a.criteria.values())]
    assert names == ["split", "tiers", "quadrant", *[f"criteria-{i}" for i in with_criteria]]
    for name, width, height, shapes in charts:
        assert width > 100 and height > 20, name
        assert shapes > 0, name

    summary = analysis.summary()
    slices = page.locator("svg[data-chart=split] [data-slice]")
    assert [slices.nth(i).get_attribute("data-slice") for i in range(slices.count())] == [
        name for name, n in summary.items() if n
    ]
    counts = page.locator("svg[data-chart=quadrant] g[data-point]")
    assert sum(int(counts.nth(i).get_attribute("data-point")) for i in range(counts.count())) == len(analysis.assessments)

    # Each feature's section: its id, whether it shows, its heading and its advice's classes.
    sections = page.evaluate("""() => [...document.querySelectorAll('details.feature')].map(s => [
        s.dataset.feature, s.checkVisibility({visibilityProperty: true}),
        s.querySelector('summary b').innerText,
        [...s.querySelectorAll('.advice')].map(e => [...e.classList]),
    ])""")
    assert len(sections) == len(analysis.assessments)
    for i, (a, (feature, visible, heading, advice)) in enumerate(zip(analysis.assessments, sections)):
        assert feature == a.feature.id
        assert visible
        assert " ".join(heading.split()) == f"{i + 1}. " + " ".join(a.feature.name.split())
        assert any(a.recommendation in classes for classes in advice)

def test_sections_are_collapsed_until_opened(browser, reports):
    path, _ = reports("examples/whiteboard.yaml")
    page, errors, _ = open_page(browser, path)
    section = page.locator("details.feature").first
    assert not section.locator("table.reasons").is_visible()
    section.locator("summary").click()
    assert section.locator("table.reasons").is_visible()
    assert errors == []


@pytest.mark.parametrize("case", ["examples/whiteboard.yaml", "notion"])
@needs_pdftotext
def test_the_first_printed_page_decides(browser, reports, tmp_path, case):
    """Printed on A4: the verdict, the top moves and what to confirm start on page one, in
    that order, before anything else the report says."""
    path, _ = reports(case)
    page, errors, _ = open_page(browser, path)
    headings = page.locator("h2").all_inner_texts()
    assert headings[:4] == ["The free tier", "Top moves", "What to confirm", "The plan"]
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert errors == []
    first = pdf_pages(pdf)[0]
    lines = [line.strip() for line in first.splitlines()]
    found = [lines.index(h) for h in ("The free tier", "Top moves", "What to confirm")]
    assert found == sorted(found)
    assert re.search(r"Aha moment: (yes|no|unknown)", first)
    assert "1. " in first[first.index("Top moves"):]


@pytest.mark.parametrize("case", EXAMPLE_CASES + ["hostile"] + PRICING_CASES)
def test_no_sideways_scrolling_on_a_phone(browser, reports, case):
    """At 390 px the page is as wide as the screen, every section opened; no tier name is
    split across lines."""
    path, inventory = reports(case)
    tiers = [t.name for t in load_inventory(inventory).product.tiers]
    page, errors, _ = open_page(browser, path, viewport={"width": PHONE, "height": 800})
    open_details(page)
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE
    split = page.evaluate(
        """(tiers) => {
             const split = [];
             const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
             for (let node = walker.nextNode(); node; node = walker.nextNode()) {
               if (!node.parentElement.offsetParent && node.parentElement.tagName !== 'BODY') continue;
               for (const tier of tiers) {
                 let at = node.data.indexOf(tier);
                 while (at >= 0) {
                   const range = document.createRange();
                   range.setStart(node, at);
                   range.setEnd(node, at + tier.length);
                   const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                           .map(r => Math.round(r.top)));
                   if (tops.size > 1) split.push(tier + ' in ' + node.data.slice(0, 60));
                   at = node.data.indexOf(tier, at + 1);
                 }
               }
             }
             return split;
           }""",
        tiers,
    )
    assert split == []
    assert errors == []


@pytest.mark.parametrize("case", EXAMPLE_CASES + ["hostile", "notion", "github", "figma"])
@pytest.mark.parametrize("width", [1100, PHONE])
def test_no_chart_label_is_clipped(browser, reports, case, width):
    """Every text of every chart lies inside its chart's view box, as drawn."""
    path, _ = reports(case, "--detail", "all")
    page, errors, _ = open_page(browser, path, viewport={"width": width, "height": 900})
    open_details(page)
    clipped = page.evaluate(
        """() => {
             const out = [];
             for (const svg of document.querySelectorAll('svg.chart')) {
               const box = svg.getBoundingClientRect();
               for (const text of svg.querySelectorAll('text')) {
                 const r = text.getBoundingClientRect();
                 if (r.width === 0) continue;
                 if (r.left < box.left - 0.5 || r.right > box.right + 0.5
                     || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
                   out.push(svg.dataset.chart + ': ' + text.textContent);
               }
             }
             return out;
           }"""
    )
    assert clipped == []
    labels = page.locator("svg[data-chart=quadrant] text[data-label]").count()
    assert labels > 0
    assert errors == []


@pytest.mark.parametrize("page_format", ["A4", "Letter"])
@pytest.mark.parametrize("case", CASES + ["notion"])
@needs_pdftotext
def test_printed_page_has_no_cut_off_table(browser, reports, tmp_path, case, page_format):
    path, _ = reports(case)
    page, errors, _ = open_page(browser, path, viewport={"width": print_width(page_format), "height": 1000})
    page.emulate_media(media="print")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('table, svg.chart')]
             .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                       || e.scrollWidth > e.clientWidth + 1)
             .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert overflowing == []
    # The last word of every visible table row's last cell must be in the PDF: a table
    # cut off at the right edge loses exactly those.
    last_words = page.evaluate(
        """() => [...document.querySelectorAll('tr')].filter(r => r.offsetParent)
             .map(r => [...r.children].filter(c => c.offsetParent).pop())
             .filter(c => c).map(c => c.innerText.trim().split(/\\s+/).pop())
             .filter(w => w)"""
    )
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format=page_format, print_background=True)
    assert errors == []
    flat = "".join("".join(pdf_pages(pdf)).split())  # pdftotext may break a long word
    missing = [w for w in last_words if "".join(w.split()) not in flat]
    assert missing == []


def printed(browser, path, tmp_path) -> list[str]:
    page, errors, _ = open_page(browser, path)
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert errors == []
    return pdf_pages(pdf)


@needs_pdftotext
def test_a_real_58_feature_product_decides_in_four_pages(browser, reports, tmp_path):
    """Notion's pricing (58 features): the part before the appendix is under 1,500 words and
    at most four A4 pages with the default --detail; the whole report under 20 pages."""
    path, inventory = reports("notion")
    assert len(analyze_file(inventory).assessments) == 58
    page, _, _ = open_page(browser, path)
    words = page.evaluate(
        """() => [...document.body.children]
             .filter(e => e.compareDocumentPosition(document.getElementById('details'))
                          & Node.DOCUMENT_POSITION_FOLLOWING)
             .map(e => e.innerText).join(' ')"""
    ).split()
    assert len(words) < MAX_WORDS_FIRST
    pages = printed(browser, path, tmp_path)
    appendix = next(i for i, text in enumerate(pages) if "Appendix: the details" in text)
    assert appendix <= MAX_PAGES_FIRST  # the appendix starts a page of its own, after them
    assert len(pages) < MAX_PAGES


@needs_pdftotext
def test_sections_print_open_only_with_detail_all(browser, reports, tmp_path):
    body = "Advice: free in tier free; margin 4.5, score +4.5."  # in the section, nowhere else
    for detail, shown in (("changed", False), ("all", True)):
        path, _ = reports("examples/whiteboard.yaml", "--detail", detail)
        pages = printed(browser, path, tmp_path)
        appendix = " ".join(" ".join(pages).split("Appendix: the details", 1)[1].split())
        assert "8. Voting and timer" in appendix  # the summary line prints either way
        assert (body in appendix) is shown
