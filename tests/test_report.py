"""The rationale report (`report`): content, escaping, user templates, outputs, citations."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from freemium_advisor.cli import app

from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.render.citations import EPISODES, cite, seconds, video_url
from freemium_advisor.render.context_docs import render_context_docs
from freemium_advisor.base.escaping import markdown_escape, mermaid_label
from freemium_advisor.formats import COMMAND_FORMATS, formatter
from freemium_advisor.render.report import build_report
from freemium_advisor.model.rules import Source
from tests.conftest import EXAMPLES, ROOT

WHITEBOARD = "examples/whiteboard.yaml"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.glob("*.yaml"))
SEEDS = ROOT.parent / "shared" / "seeds"
# GitHub passes raw HTML through its Markdown; so does this renderer, so that an escape that
# fails shows up as a tag.
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")

# The report's sections in order: the decision first, the details after.
SECTIONS = [
    "The free tier", "Top moves", "What to confirm", "The plan", "Summary",
    "Growth value against friction and cost", "Appendix: the details", "Appendix: findings",
    "Sources",
]
HOSTILE_NAME = "Evil | `tick` <script>alert(1)</script>\nsecond *line* [x](javascript:alert(2))"
HOSTILE = f"""\
version: 1
product:
  name: "Acme <img src=x onerror=alert(3)> | co"
  tiers: [free, pro, business, enterprise]
features:
  - id: evil
    name: {json.dumps(HOSTILE_NAME)}
    description: "<b>bold</b> | pipe ` tick\\n| injected | row |"
    category: "collaboration </td></tr><script>alert(4)</script>"
    current: pro
    limit: {{metric: "<u>seats</u> | x", free: 3}}
    signals: {{virality: high}}
  - id: plain
    name: Plain feature
    current: free
"""


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    """Reports name the inventory as given: run from the checkout with relative paths."""
    monkeypatch.chdir(ROOT)


def import_pricing(pricing: Path, out: Path) -> str:
    """``freemium-advisor import pricing2yaml PRICING -o OUT``, as a PM would run it; the
    inventory's path."""
    result = CliRunner().invoke(app, ["import", "pricing2yaml", str(pricing), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return str(out)


def report(run, *args: str) -> str:
    result = run("report", *args)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return result.stdout


# --- the command -----------------------------------------------------------------------------

def test_every_report_format_builds():
    analysis = analyze_file(WHITEBOARD, what_ifs=True)
    assert list(COMMAND_FORMATS["report"]) == ["markdown", "html"]
    for name in COMMAND_FORMATS["report"]:
        assert formatter("report", name)(analysis).strip()


def test_markdown_is_the_default_and_goes_to_stdout(run):
    text = report(run, WHITEBOARD)
    assert text.startswith("# Boardly: freemium advice\n")
    assert text == report(run, WHITEBOARD, "-f", "markdown", "-o", "-")


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_output_file_is_written_whole_and_alone(run, tmp_path, fmt):
    out = tmp_path / "report.out"
    result = run("report", WHITEBOARD, "-f", fmt, "-o", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == report(run, WHITEBOARD, "-f", fmt)
    assert [p.name for p in tmp_path.iterdir()] == ["report.out"]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_report_is_byte_identical_across_processes(fmt):
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "freemium_advisor", "report", WHITEBOARD, "-f", fmt],
            cwd=ROOT, env=env, capture_output=True, check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_report_has_no_timestamp_or_date(run):
    for fmt in ("markdown", "html"):
        text = report(run, WHITEBOARD, "-f", fmt)
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)


def test_a_bad_format_is_a_usage_error(run):
    result = run("report", WHITEBOARD, "-f", "pdf")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'pdf' is not one of 'markdown', 'html'" in result.stderr


def test_a_bad_inventory_writes_nothing(run, write, tmp_path):
    bad = write("bad.yaml", "version: 1\nproduct: {name: X}\nfeatures: [{id: a}]\n")
    out = tmp_path / "r.md"
    result = run("report", bad, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and ": error: " in result.stderr
    assert not out.exists()


# --- what the Markdown report holds --------------------------------------------------------

def section(text: str, title: str) -> str:
    """The Markdown of one ``## title`` section."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


# --- citations --------------------------------------------------------------------------

def test_reasons_link_to_the_talk_at_their_timestamp(run):
    text = report(run, WHITEBOARD)
    assert ("[Indirect monetization through virality and network effects (00:47:45)]"
            "(https://www.youtube.com/watch?v=UTmFuSZfJ9U&t=2865s)") in text
    for timestamp, secs in re.findall(r"\((\d\d:\d\d:\d\d)\)\]\(https://www\.youtube\.com/watch\?v=\w+&t=(\d+)s\)", text):
        assert seconds(timestamp) == int(secs)


def test_quotes_are_marked_as_paraphrases_not_her_words(run):
    sources = section(report(run, WHITEBOARD), "Sources")
    assert "paraphrases from written summaries of the talk, not Elena Verna's own words" in " ".join(sources.split())
    quoted = [line for line in sources.splitlines() if line.startswith("- ") and "): " in line]
    assert quoted and all(': paraphrase from the write-up "' in line for line in quoted)


def test_citation_of_an_unknown_seed_keeps_its_words_but_no_link():
    citation = cite(Source("My principle", "my-notes.txt", "00:01:02", "a note"))
    assert (citation.url, citation.episode, citation.quote) == (None, "my-notes.txt", "a note")
    assert cite(Source("Talk only", None, "00:00:10")).url == video_url("UTmFuSZfJ9U", "00:00:10")
    assert video_url("abc", "01:02:03") == "https://www.youtube.com/watch?v=abc&t=3723s"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the framework's seeds are not beside this checkout")
def test_episode_table_matches_the_seeds_front_matter():
    for seed, episode in EPISODES.items():
        front = (SEEDS / seed).read_text(encoding="utf-8").split("---")[1]
        assert f"title: {episode.title}\n" in front
        assert f"videoId: {episode.video_id}\n" in front


# --- escaping ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("a | b", r"a \| b"),
    ("`code`", r"\`code\`"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("one\ntwo\r\n\tthree", "one two three"),  # prose: a line break reads as a space
    ("*bold* _it_ [link](x) ~~s~~", r"\*bold\* \_it\_ \[link\](x) \~\~s\~\~"),
    ("back\\slash & co", r"back\\slash &amp; co"),
])
def test_markdown_escape(text, expected):
    assert markdown_escape(text) == expected


def test_mermaid_label_keeps_only_inert_characters():
    assert mermaid_label('a"b;c%%{init}%% <x>:y') == "a b c init x y"
    assert mermaid_label("###") == "feature"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def test_hostile_names_stay_inert_in_markdown(write, run):
    text = report(run, write("hostile.yaml", HOSTILE), "--detail", "all")
    html = MARKDOWN.render(text)
    parsed = _Tags()
    parsed.feed(html)
    assert not {"script", "img", "u"} & set(parsed.tags)
    # The only bold tags are the report's own, one per <details> summary.
    assert parsed.tags.count("b") == parsed.tags.count("summary") == 2
    assert not [a for a in parsed.attributes if a.startswith("on")]
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html).__str__()
    # Every table keeps its column count: a `|` or newline in a name never adds a cell or a row.
    for table in re.findall(r"<table>.*?</table>", html, re.DOTALL):
        counts = {row.count("<td") + row.count("<th") for row in re.findall(r"<tr>.*?</tr>", table, re.DOTALL)}
        assert len(counts) == 1, table
    # The hostile name is shown, as text, on one line.
    assert "Evil | `tick` &lt;script&gt;alert(1)&lt;/script&gt; second *line*" in html
    # In a <details> summary, raw HTML to GitHub: escaped as HTML, on one line.
    assert "<summary><b>1. Evil | `tick` &lt;script&gt;alert(1)&lt;/script&gt; second *line* [x](javascript:alert(2))</b>" in text


def test_hostile_names_stay_inert_in_html(write, run):
    text = report(run, write("hostile.yaml", HOSTILE), "-f", "html", "--detail", "all")
    parsed = _Tags()
    parsed.feed(text)
    assert not {"script", "img", "u"} & set(parsed.tags)
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    assert not [a for a in parsed.attributes if a.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(3)&gt;" in text


# --- your own template --------------------------------------------------------------------------

def test_user_template_sees_the_json_result(write, run):
    template = write("mine.md.j2", """
        # {{ product.name|md }} ({{ tool.name }})
        {% for f in features %}
        - {{ f.name|md }}: {{ f.recommendation }}{% if f.tier %} in {{ f.tier }}{% endif %}, {{ f.reasons|length }} reasons
        {% endfor %}
        {{ summary["free-limited"] }} walled; {{ findings|length }} finding
    """)
    text = report(run, WHITEBOARD, "--template", template)
    lines = text.splitlines()
    assert lines[0] == "# Boardly (freemium-advisor)"
    assert lines[1] == "- Share boards with guests: free in free, 4 reasons"
    assert lines[-1] == "1 walled; 1 finding"


def test_user_template_in_html_is_autoescaped(write, run):
    template = write("mine.html.j2", "<h1>{{ features[0].name }}</h1>\n")
    text = report(run, write("hostile.yaml", HOSTILE), "-f", "html", "-t", template)
    assert text.startswith("<h1>Evil | `tick` &lt;script&gt;")


@pytest.mark.parametrize("body,line,message", [
    ("ok\n{{ features[0].nmae }}\n", 2, "template error: 'dict object' has no attribute 'nmae'"),
    ("line one\n\n{{ prodcut.name }}\n", 3, "template error: 'prodcut' is undefined"),
    ("{% for f in features %}\n{{ f.name }\n", 2, "template error: unexpected '}'"),
    ("{{ features.__class__ }}\n", 1, "template error: access to attribute '__class__' of 'list' object is unsafe."),
    ("{% include 'other.j2' %}\n", 1, "template error: other.j2"),
])
def test_template_errors_name_the_template_line_and_name(write, run, tmp_path, body, line, message):
    template = tmp_path / "bad.j2"
    template.write_text(body, encoding="utf-8")
    out = tmp_path / "out.md"
    result = run("report", WHITEBOARD, "-t", str(template), "-o", str(out))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{template}:{line}: error: {message}\n"
    assert not out.exists()


def test_template_cannot_mutate_its_context(write, run):
    template = write("mut.j2", "{{ features.append(1) }}\n")
    result = run("report", WHITEBOARD, "-t", template)
    assert result.exit_code == 2
    assert "is unsafe" in result.stderr


def test_missing_template_is_bad_input(run):
    result = run("report", WHITEBOARD, "-t", "no/such.j2")
    assert (result.exit_code, result.stderr) == (2, "no/such.j2: error: cannot read the template: no such file\n")


def test_output_over_the_template_is_refused(write, run):
    template = write("mine.j2", "{{ product.name }}\n")
    result = run("report", WHITEBOARD, "-t", template, "-o", template)
    assert result.exit_code == 2
    assert "refusing to overwrite an input file" in result.stderr
    assert Path(template).read_text(encoding="utf-8") == "{{ product.name }}\n"


def test_template_context_reference_is_current():
    """If this fails, run: python -m freemium_advisor.render.context_docs docs/report-context.md"""
    assert (ROOT / "docs" / "report-context.md").read_text(encoding="utf-8") == render_context_docs()


def context_fields() -> list[str]:
    docs = render_context_docs()
    fields = docs[docs.index("## Fields"):]
    return [line for line in fields.splitlines() if line.startswith("| `")]


def test_every_context_field_is_documented():
    rows = context_fields()
    assert "| `features[].name` | text | the feature's name (any text: escape it for your target) |" in rows
    undocumented = [row.split("`")[1] for row in rows if row.endswith("|  |")]
    assert undocumented == []


def test_the_documented_top_level_fields_are_the_template_context():
    from freemium_advisor.result import analysis_to_dict

    documented = [row.split("`")[1] for row in context_fields() if "." not in row.split("`")[1]]
    assert documented == list(analysis_to_dict(analyze_file(WHITEBOARD)))


def test_a_flip_weighs_a_free_gated_swing_over_a_wall_over_a_tier():
    report_ = build_report(analyze_file(WHITEBOARD, what_ifs=True))
    history = report_.features[6]
    assert history.feature.id == "version-history"
    sizes = {(v.flip.signal, v.flip.recommendation, v.flip.tier): (v.change, v.tier_only) for v in history.flips}
    assert sizes == {
        ("virality", "free-limited", "free"): (2, False),
        ("aha", "free-limited", "free"): (2, False),
        ("audience", "gated", "business"): (1, True),
    }
    sso = report_.features[9]
    # Its words name the enterprise buyer: only a neighbouring audience is an answer a PM may
    # give (a single user for SSO is not), and admin moves it a tier, not to free.
    assert [(v.flip.signal, v.change) for v in sso.flips] == [("audience", 1)]


# --- the HTML report's own charts ---------------------------------------------------------------

def test_a_lone_recommendation_fills_the_donut():
    from freemium_advisor.formats.svg_charts import split_donut

    svg = split_donut({"free": 3, "free-limited": 0, "gated": 0})
    assert svg.count("data-slice=") == 1
    assert 'stroke-dasharray="439.82 0"' in svg  # the whole circumference, 2 * pi * 70


def test_chart_text_is_escaped_and_charts_need_nothing_else(write):
    from freemium_advisor.formats.html_report import charts

    report_ = build_report(analyze_file(write("hostile.yaml", HOSTILE), what_ifs=True), "all")
    drawn = charts(report_)
    svgs = [drawn.split, drawn.tiers, drawn.quadrant, *map(drawn.criteria, report_.appendix)]
    for svg in svgs:
        assert svg.startswith("<svg ") and svg.endswith("</svg>")
        assert "<script" not in svg and "href" not in svg
    assert "Evil | `tick` &lt;script&gt;" in drawn.quadrant


def test_rule_packs_are_named_in_the_header_and_never_overwritten(write, run):
    pack = write("pack.yaml", "policy:\n  min_growth_for_wall: 2.5\n")
    text = report(run, WHITEBOARD, "-r", pack)
    assert f"Rules: builtin, {markdown_escape(pack)} (fingerprint `" in text
    result = run("report", WHITEBOARD, "-r", pack, "-o", pack)
    assert result.exit_code == 2 and "refusing to overwrite an input file" in result.stderr
    assert Path(pack).read_text(encoding="utf-8") == "policy:\n  min_growth_for_wall: 2.5\n"


def test_the_documented_example_template_renders(tmp_path, run):
    docs = (ROOT / "docs" / "report-context.md").read_text(encoding="utf-8")
    example = re.search(r"```jinja\n(.*?)```", docs, re.DOTALL).group(1)
    template = tmp_path / "example.md.j2"
    template.write_text(example, encoding="utf-8")
    lines = report(run, WHITEBOARD, "-t", str(template)).splitlines()
    assert lines[0] == "# Boardly"
    assert "- SAML single sign-on (SSO): gated (enterprise)" in lines


def test_findings_the_gate_accepted_are_listed_apart(write, run):
    """A waiver in the inventory accepts a finding: the report lists it apart, with why."""
    path = write("waived.yaml", (EXAMPLES / "whiteboard.yaml").read_text(encoding="utf-8").replace(
        "  - id: voting-timer\n",
        "  - id: voting-timer\n"
        "    waive: [{check: gated-growth-feature, reason: \"sold in business | <b>for now</b>\", owner: pm}]\n",
    ))
    text = report(run, path)
    summary = section(text, "Appendix: findings")
    assert "Accepted, so they do not count:" in summary
    assert "(waiver: sold in business \\| &lt;b&gt;for now&lt;/b&gt; (owner pm))" in summary
    assert "Accepted, so they do not count:" not in report(run, WHITEBOARD)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_markdown_structure_survives_rendering(run, name):
    """Rendered as GitHub would, the report keeps its sections, and each severity's label is
    a paragraph of its own (a missing blank line would fold it into the list above)."""
    html = MARKDOWN.render(report(run, f"examples/{name}"))
    assert re.findall(r"<h2>(.*?)</h2>", html) == SECTIONS
    analysis = analyze_file(f"examples/{name}", what_ifs=True)
    for severity, count in analysis.finding_counts().items():
        if count:
            assert f"<p><strong>{severity.capitalize()}</strong></p>" in html
    assert html.count("<code>") >= len(analysis.findings)
    items = re.findall(r"<li><code>([a-z-]+)</code> at ", html)
    assert items == [f.check for group in build_report(analysis).findings_by_severity for f in group[1]]
