"""What the report says, and in which order: the decision first (verdict on the free tier, top
moves, what to confirm, the plan), the details on demand (--detail), charts that scale."""

from __future__ import annotations

import re

import pytest

from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.base.escaping import mermaid_label
from benchmarks.shapes import inventory_text, realistic_features
from freemium_advisor.formats.markdown_report import (
    MERMAID_CHARACTER,
    MERMAID_LEFT,
    MERMAID_LINE,
    MERMAID_RIGHT,
    mermaid_points,
)
from freemium_advisor.model.signals import DEFAULT_CRITERION
from freemium_advisor.render.report import MAX_MOVES, build_report
from freemium_advisor.render.report_moves import MAX_QUESTIONS, claim, separating_reasons
from tests.conftest import ROOT
from tests.test_report import EXAMPLE_NAMES, SECTIONS, import_pricing, report, section

WHITEBOARD = "examples/whiteboard.yaml"
PRICINGS = ROOT / "tests" / "data" / "pricing2yaml"
# The newest pricing of every product in the dataset.
LATEST = {p.name: max(p.glob("*.yml")) for p in sorted(PRICINGS.iterdir()) if p.is_dir()}
# Mermaid refuses a diagram longer than this (its maxTextSize).
MERMAID_LIMIT = 50_000


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Every product's newest pricing, imported as a PM would: {product: inventory path}."""
    folder = tmp_path_factory.mktemp("imported")
    return {name: import_pricing(path, folder / f"{name}.yaml") for name, path in LATEST.items()}


def analysed(path: str, detail: str = "changed"):
    return build_report(analyze_file(path, what_ifs=True), detail)


# --- the order -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_decision_comes_first(run, fmt):
    text = report(run, WHITEBOARD, "-f", fmt)
    pattern = r"^## (.+)$" if fmt == "markdown" else r"<h2>(.+?)</h2>"
    assert re.findall(pattern, text, re.MULTILINE) == SECTIONS


# --- the verdict on the free tier ------------------------------------------------------------------

def test_verdict_judges_todays_free_tier_and_says_what_the_advice_adds(run):
    verdict = section(report(run, WHITEBOARD), "The free tier")
    lines = [line for line in verdict.splitlines() if line.startswith("- **")]
    assert [line.split("**")[1] for line in lines] == [
        "Aha moment: yes", "Habit loop: yes", "Viral loop: yes", "Upgrade trigger: yes",
    ]
    assert lines[0].startswith(
        "- **Aha moment: yes**. Share boards with guests, Editable boards and Template library lead "
        "free users to the first moment of value. The advice adds Voting and timer. ([Aha moment"
    )
    assert "Editable boards has a usage wall that growing use hits." in lines[3]


def test_verdict_says_no_unknown_and_guess_in_words(write, run):
    path = write("loops.yaml", """
        version: 1
        product: {name: X, tiers: [free, pro]}
        features:
          - {id: a, name: Alpha, current: free, signals: {aha: none, habit: low}}
          - {id: s, name: Shared links, description: share with guests by link, current: free}
          - {id: p, name: Reports, current: pro}
    """)
    lines = [line for line in section(report(run, path), "The free tier").splitlines() if line.startswith("- **")]
    assert lines[0].startswith("- **Aha moment: unknown**. Nothing in the free tier is known to lead free users "
                               "to the first moment of value: aha is unanswered for 1 of its 2 features.")
    assert lines[2].startswith("- **Viral loop: yes** (a guess). Shared links brings in people who are not users "
                               "yet, going by their words alone: a guess until someone answers virality.")
    assert lines[3].startswith("- **Upgrade trigger: no**. The free tier has no usage wall: only gated features "
                               "ask free users to pay.")


def test_verdict_says_no_when_every_free_feature_answered_no(write, run):
    path = write("no.yaml", """
        version: 1
        product: {name: X, tiers: [free, pro]}
        features:
          - {id: a, name: Alpha, current: free, signals: {aha: none, habit: none, virality: high}}
    """)
    lines = [line for line in section(report(run, path), "The free tier").splitlines() if line.startswith("- **")]
    assert lines[1].startswith("- **Habit loop: no**. Nothing in the free tier brings free users back again and again.")


def test_without_placements_the_verdict_judges_the_advised_free_tier(write, run):
    path = write("unplaced.yaml", """
        version: 1
        product: {name: X}
        features:
          - {id: a, name: Alpha, signals: {virality: high}}
    """)
    text = report(run, path)
    assert "The inventory places no feature today: the free tier as advised" in section(text, "The free tier")
    assert "- **Upgrade trigger: no**. The advised free tier has no usage wall" in text
    assert "No move: the inventory places no feature today" in section(text, "Top moves")


# --- the moves -------------------------------------------------------------------------------------

def test_a_move_says_why_this_change(run):
    moves = section(report(run, WHITEBOARD), "Top moves")
    assert ("1. **Voting and timer**: gated in business → free. It helps new users towards the first "
            "moment of value (aha medium), which shortens time to value (and 3 more reasons). "
            "(confidence medium)") in moves


def test_no_why_of_a_move_is_the_default_alone_or_argues_against_it(imported):
    """On every example and every imported product: each move's "Why" is the claim of a
    reason that pushes from today's placement towards the advice, never the default rule's;
    a change only the default speaks for is not a move, and is named as such."""
    seen = 0
    for path in [f"examples/{n}" for n in EXAMPLE_NAMES] + list(imported.values()):
        r = analysed(path)
        assert len(r.moves) <= MAX_MOVES
        default = {reason.message for a in r.analysis.assessments for reason in a.reasons
                   if reason.criterion == DEFAULT_CRITERION.id}
        for move in r.moves:
            seen += 1
            separating = separating_reasons(move.feature)
            assert all(reason.criterion != DEFAULT_CRITERION.id for reason in separating)
            claims = {claim(reason.message) for reason in separating}
            assert any(move.why.startswith(claim) for claim in claims) or move.why.startswith("Features of its type"), (path, move.why)
            assert not any(d.rstrip(".") in move.why for d in default)
            advised, today = move.feature.assessment.recommendation, move.feature.today_recommendation
            pushes = {"free": {"free"}, "free-limited": {"limit"} if today == "free" else {"free"},
                      "gated": {"gated", "limit"} if today == "free" else {"gated"}}[advised]
            if advised != today:
                assert {reason.direction for reason in separating} <= pushes, (path, move.why)
        for f in r.default_only:
            assert f.changed and not separating_reasons(f) or not [
                reason for reason in separating_reasons(f) if reason.criterion != DEFAULT_CRITERION.id]
    assert seen > 30


def test_moves_rank_by_impact_weighed_by_confidence(imported):
    r = analysed(imported["github"])
    assert len(r.moves) == MAX_MOVES and r.more_moves > 0
    weights = [m.impact * (m.feature.assessment.confidence if m.feature.assessment.known else 0.5) for m in r.moves]
    assert weights == sorted(weights, reverse=True)
    assert [m.rank for m in r.moves] == list(range(1, MAX_MOVES + 1))


def test_a_guessed_move_says_so_in_words(imported, run):
    moves = section(report(run, imported["notion"]), "Top moves")
    assert ("1. **Permission groups**: free → gated in BUSINESS. Admins, not everyday users, value it; "
            "a guess from the words “permission”. (confidence medium that it is paid)") in moves
    assert ("3 more changes rest on defaults alone, no evidence either way, so they are not advised "
            "yet: Private team spaces, Workspace consolidation and Guest invite requests.") in moves


def test_a_move_between_paid_tiers_says_its_confidence_is_not_the_tiers(imported, run):
    """Confidence measures free, a wall or paid: of a gated feature it says that it is paid,
    and of a move between paid tiers that the tier is a reading of who buys it."""
    text = report(run, imported["notion"])
    moves = [line for line in section(text, "Top moves").splitlines() if line[:1].isdigit()]
    assert moves[6] == ("7. **Priority support**: gated in PLUS → gated in BUSINESS. Admins, not everyday "
                         "users, value it; a guess from the words “priority”. (confidence high that it is "
                         "paid; the tier is a reading of who buys it)")
    assert moves[2].endswith("(confidence low)")  # free: no tier, nothing to add
    assert ("<summary><b>12. Private team spaces</b>: gated in BUSINESS → gated in PLUS (confidence "
            "medium that it is paid, evidence inferred)</summary>") in text
    assert ("(high, medium, low; unknown when nothing but defaults speak), not of the paid tier, "
            "which is a reading of who buys it.") in text
    page = report(run, imported["notion"], "-f", "html")
    assert ("(confidence high that it is paid; the tier is a reading of who buys it)</li>") in page


# --- what to confirm ---------------------------------------------------------------------------------

def test_what_to_confirm_asks_the_answers_that_change_most_and_points_to_ask(run):
    confirm = section(report(run, WHITEBOARD), "What to confirm")
    assert "`freemium-advisor ask examples/whiteboard.yaml` asks them one by one" in confirm
    items = re.findall(r"^\d+\. \*\*(.+?)\*\*: (.+)$", confirm, re.MULTILINE)
    assert 0 < len(items) <= MAX_QUESTIONS
    assert items[0] == ("Export boards as image or PDF",
                        "Would offering it free add friction or cost to the growth model? Nobody answered "
                        "friction. If friction is high, the advice becomes gated in starter (now free). "
                        "`freemium-advisor ask examples/whiteboard.yaml --feature export-image`")


def test_what_to_confirm_never_asks_what_the_words_rule_out(imported):
    """SSO is never asked about as a single user's feature: an audience the words name is
    only questioned towards its neighbours."""
    for path in [f"examples/{n}" for n in EXAMPLE_NAMES] + list(imported.values()):
        r = analysed(path)
        assert len(r.confirmations) <= MAX_QUESTIONS
        for c in r.confirmations:
            a, flip = c.feature.assessment, c.view.flip
            assert flip.signal not in a.feature.signals
            if flip.signal == "audience" and a.signals["audience"].source == "inferred":
                assert flip.value != "user" or a.signals["audience"].value in ("user", "team")
            assert c.command.startswith("freemium-advisor ask ") and c.command.endswith(f"--feature {c.feature.feature.id}")


def test_a_shell_command_quotes_what_a_shell_would_split(write, run):
    path = write("odd name.yaml", "version: 1\nproduct: {name: X, tiers: [free, pro]}\nfeatures:\n"
                 "  - {id: a, name: Reports, current: free}\n")
    confirm = section(report(run, path), "What to confirm")
    assert f"`freemium-advisor ask '{path}'` asks them" in confirm


# --- the plan ------------------------------------------------------------------------------------------

def test_plan_shows_today_beside_the_advice_by_category_with_changes_marked(run):
    plan = section(report(run, WHITEBOARD), "The plan")
    lines = plan.splitlines()
    assert "| Feature | free today | free advised | starter today | starter advised | business today | business advised | enterprise today | enterprise advised |" in lines
    assert "| Voting and timer |  | **✓** |  | **✓** | ✓ | ✓ | ✓ | ✓ |" in lines
    assert "| Editable boards | wall | wall | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |" in lines
    groups = [line.split("***")[1] for line in lines if line.startswith("| ***")]
    assert groups == ["collaboration", "core", "privacy", "facilitation", "without a category"]


def test_plan_marks_a_feature_taken_out_of_a_tier(imported, run):
    plan = section(report(run, imported["notion"]), "The plan")
    assert "| Custom properties | ✓ | **–** | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |" in plan.splitlines()


def test_plan_shows_changes_the_top_moves_do_not_advise_as_not_advised(imported, run):
    """The top moves say a change only the defaults speak for is not advised yet; the plan
    says the same: its cells carry a "?", never the bold (or highlight) of advice."""
    text = report(run, imported["notion"])
    assert ("so they are not advised yet: Private team spaces, Workspace consolidation and "
            "Guest invite requests.") in section(text, "Top moves")
    lines = section(text, "The plan").splitlines()
    assert lines[3].endswith("bold: the advice changes it (– takes it out); ?: a change only the "
                             "defaults speak for, not advised yet.")
    assert "| Private team spaces |  |  |  | ✓? | ✓ | ✓ | ✓ | ✓ |" in lines
    assert "| Workspace consolidation |  |  |  | ✓? |  | ✓? | ✓ | ✓ |" in lines
    assert "| Guest invite requests |  |  |  | ✓? |  | ✓? | ✓ | ✓ |" in lines
    assert "| Export entire workspace as PDF |  | **✓** |  | **✓** | ✓ | ✓ | ✓ | ✓ |" in lines
    page = report(run, imported["notion"], "-f", "html")
    assert ('<a href="#feature-12">Private team spaces</a><span class="brief">today gated in '
            'BUSINESS</span></th><td><td><td><td>✓?<td>✓<td>✓<td>✓<td>✓</tr>') in page
    # Without such a change, the legend has no "?".
    assert "?: a change" not in report(run, WHITEBOARD)


# --- details on demand -----------------------------------------------------------------------------------

@pytest.mark.parametrize("detail,expected", [
    ("changed", ["8"]), ("all", [str(i) for i in range(1, 12)]), ("none", []),
])
def test_detail_chooses_the_sections(run, detail, expected):
    text = report(run, WHITEBOARD, "--detail", detail)
    assert re.findall(r"^<details><summary><b>(\d+)\. ", text, re.MULTILINE) == expected
    html = report(run, WHITEBOARD, "-f", "html", "--detail", detail)
    assert re.findall(r'<details class="feature" id="feature-(\d+)"', html) == expected
    assert f'<body class="detail-{detail}">' in html
    assert "<details open" not in html  # collapsed on screen; printed open only with all


def test_the_default_is_explained_once_in_the_legend(run):
    text = report(run, WHITEBOARD, "--detail", "all")
    assert text.count("needs-strategic-reason") == 1
    legend = section(text, "Appendix: the details")
    assert "`needs-strategic-reason` (gated, weight 0.5, every feature): Default, not evidence:" in legend


def test_the_legend_says_a_default_of_some_features_in_words_for_every_one(imported, run):
    """A default whose message names the feature ("'Guests' is a one-word name...") is
    explained by its title, with how many features carry it, never by one feature's name."""
    legend = section(report(run, imported["notion"]), "Appendix: the details").splitlines()
    assert legend[3] == "How to read them. Left out of each feature's reasons below, the defaults:"
    assert legend[4] == (
        "`aha-bare-head-noun` (free, weight 1.5, 5 of 58 features): Default: a one-word name of the "
        "product's own type names one of its objects. ([Aha moment / proof of concept (00:50:51)]"
        "(https://www.youtube.com/watch?v=UTmFuSZfJ9U&t=3051s))"
    )
    assert legend[5].startswith("`needs-strategic-reason` (gated, weight 0.5, every feature): Default, "
                                "not evidence: a feature goes free only for a strategic reason")
    page = report(run, imported["notion"], "-f", "html")
    assert ("<li><code>aha-bare-head-noun</code> (free, weight 1.5, 5 of 58 features): Default: a "
            "one-word name of the product&#39;s own type names one of its objects.") in page
    assert "is a one-word name" not in page


def test_each_section_has_advice_reasons_evidence_and_each_flip_outcome_once(run):
    text = report(run, WHITEBOARD, "--detail", "all")
    sso = text[text.index("<details><summary><b>10. "): text.index("<details><summary><b>11. ")]
    assert sso.startswith("<details><summary><b>10. SAML single sign-on (SSO)</b>: gated in enterprise → "
                          "gated in enterprise (confidence medium that it is paid, evidence inferred)</summary>")
    assert "| Audience (user or buyer) | -3.5 |" in sso
    assert re.findall(r"^\| ([+-][\d.]+) \| ", sso, re.MULTILINE) == ["-3.5"]  # no default row
    assert '- Guessed from words: audience enterprise (from "saml", "single sign on", "sso", by infer-enterprise-identity).' in sso
    history = text[text.index("<details><summary><b>7. "): text.index("<details><summary><b>8. ")]
    assert "- Answered: cost_to_serve medium, production true." in history
    assert ("- What would flip it: free with a usage wall if `virality: high` or `aha: high`; "
            "gated in business if `audience: team`.") in history
    for line in re.findall(r"^- What would flip it: (.+)$", text, re.MULTILINE):
        outcomes = [part.split(" if ")[0] for part in line.split("; ")]
        assert len(outcomes) == len(set(outcomes)), line


def test_sources_list_each_passage_once(imported, run):
    for path in [WHITEBOARD, imported["notion"], imported["github"]]:
        sources = section(report(run, path), "Sources")
        entries = re.findall(r"^- \[(.+) \((\d\d:\d\d:\d\d)\)\]", sources, re.MULTILINE)
        assert entries
        principles, moments = [p for p, _ in entries], [t for _, t in entries]
        assert len(set(principles)) == len(principles) and len(set(moments)) == len(moments)
        assert moments == sorted(moments)


def appendix_section(text: str, name: str) -> str:
    """One feature's collapsed section of the Markdown appendix."""
    start = text.index(f". {name}</b>")
    return text[start:text.index("</details>", start)]


def test_appendix_says_the_one_evidence_kind_of_the_advice(write, run):
    """Each section says what the advice rests on as the result does (answers, a guess and
    from what, or the defaults), and each guessed reason says what it guesses from."""
    path = write("evidence.yaml", """
        version: 1
        product: {name: X, tiers: [free, pro]}
        features:
          - {id: a, name: Alpha, current: pro, signals: {virality: high, aha: high}}
          - {id: m, name: Exports, current: free, metered: exports per month}
          - {id: s, name: Shared links, description: share with guests by link, current: pro}
          - {id: n, name: Zeta thing, current: free}
    """)
    text = report(run, path, "--detail", "all")
    lines = {name: [line for line in appendix_section(text, name).splitlines() if line.startswith("- ")]
             for name in ("Alpha", "Exports", "Shared links", "Zeta thing")}
    assert lines["Alpha"][:2] == ["- The advice rests on answers: it stands without any guess.",
                                  "- Answered: virality high, aha high."]
    assert lines["Exports"][0] == "- The advice rests on a guess from its metering: no answer settles it yet."
    assert lines["Shared links"][:2] == [
        "- The advice rests on a guess from words: no answer settles it yet.",
        '- Guessed from words: virality high (from "links", by infer-virality-sharing).',
    ]
    assert lines["Zeta thing"][0] == "- Nothing answered or inferred decides it: the advice rests on the defaults."
    reasons = [line for line in appendix_section(text, "Exports").splitlines() if line.startswith("| -1 ")]
    assert reasons[0].endswith("production use above it is paid, as with MongoDB's free shared "
                               "cluster. (a guess from its metering) | `metered-usage-wall` | "
                               "[Usage-based freemium (MongoDB's free shared cluster) (00:43:57)]"
                               "(https://www.youtube.com/watch?v=UTmFuSZfJ9U&t=2637s) |")
    page = report(run, path, "--detail", "all", "-f", "html")
    assert page.count('<span class="guess">(a guess from its metering)</span>') == 2
    assert "<li>The advice rests on a guess from its metering: no answer settles it yet.</li>" in page


def test_notion_site_domain_rests_on_its_metering_not_on_the_defaults(imported, run):
    section_ = appendix_section(report(run, imported["notion"]), "Notion site domain")
    assert "evidence inferred)" in section_
    assert "Nothing answered or inferred" not in section_ and "(a guess from words)" not in section_
    assert section_.count("(a guess from its metering)") == 2
    assert "- The advice rests on a guess from its metering: no answer settles it yet." in section_.splitlines()


# --- charts that scale -----------------------------------------------------------------------------

def test_chart_points_are_named_up_to_25_features(run):
    quadrant = section(report(run, WHITEBOARD), "Growth value against friction and cost")
    names = re.findall(r'^    "(.+)": \[', quadrant, re.MULTILINE)
    # A point's label names its top moves (else its first feature), and how many more share
    # it; cut short where the view box leaves no room; blank where it would overlap a more
    # important one.
    assert names == ["Voting and timer +1", "Share boards with guests", " ", "Template library",
                     "Export boards as image...", "Private boards", "Unlimited version history +2",
                     " "]


def test_above_25_features_only_top_moves_are_named(imported):
    r = analysed(imported["github"])
    moves = {m.feature.number for m in r.moves}
    labelled = [p for p in r.quadrant if p.label]
    assert labelled and all(any(f.number in moves for f in p.features) for p in labelled)
    drawn = mermaid_points(r.quadrant)
    # Only those points say more than how many features share them.
    assert all(p.label for (d, _, _), p in zip(drawn, r.quadrant) if not re.fullmatch(r" |\(\d+\)", d))


def quadrant_labels(text: str) -> list[tuple[str, float, float]]:
    """The Markdown report's quadrant chart: (label, x, y) per point."""
    chart = text[text.index("quadrantChart"):]
    chart = chart[:chart.index("```")]
    return [(label, float(x), float(y))
            for label, x, y in re.findall(r'^    "(.*)": \[([\d.]+), ([\d.]+)\]$', chart, re.MULTILINE)]


def named_ranks(label: str, point) -> set[int]:
    """The top moves a drawn label names: by their ranks (``move 3``, ``moves 4-6``) or by
    their names, whole or cut short (``Export entire...``)."""
    if re.fullmatch(r"(moves? )?[\d, -]+", label):
        ranks = set()
        for part in re.sub(r"^moves? ", "", label).split(", "):
            first, _, last = part.partition("-")
            ranks |= set(range(int(first), int(last or first) + 1))
        return ranks
    return {rank for rank, name in zip(point.ranks, point.named)
            if any(mermaid_label(name).startswith(part.removesuffix("...").split(" +")[0])
                   for part in label.split(", "))}


@pytest.mark.parametrize("case", ["whiteboard", "notion", "github", "realistic"])
def test_mermaid_labels_stay_in_the_view_box_apart_and_name_every_top_move(imported, tmp_path, run, case):
    """Mermaid centres a label under its point and cannot move it: each label fits between
    the view box's edges (31 px left of 0 and 5 px right of 1 in a 500-pixel box, 7 px a
    character), no two overlap, and every top move is named: by name, by rank, or, with no
    room at all, in the line under the chart."""
    if case == "realistic":
        path = tmp_path / "catalog.yaml"
        path.write_text(inventory_text(realistic_features(1000)), encoding="utf-8")
        path = str(path)
    else:
        path = WHITEBOARD if case == "whiteboard" else imported[case]
    text = report(run, path)
    r = analysed(path)
    drawn = quadrant_labels(text)
    assert [(x, y) for _, x, y in drawn] == [(p.x, p.y) for p in r.quadrant]
    boxes = []
    for label, x, y in drawn:
        if label == " ":
            continue
        half = len(label) * MERMAID_CHARACTER / 2
        assert MERMAID_LEFT <= x - half and x + half <= MERMAID_RIGHT, label
        box = (x - half, y - MERMAID_LINE, x + half, y)
        assert not any(b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3] for b in boxes), label
        boxes.append(box)
    named = set()
    for (label, _, _), point in zip(drawn, r.quadrant):
        if point.ranks:
            named |= named_ranks(label, point)
    below = re.search(r"^Top moves with no room for a label on this chart: (.*)\.$", text, re.MULTILINE)
    if below:
        named |= {int(item.split(".")[0]) for item in below.group(1).split(", ")}
    assert named == set(range(1, len(r.moves) + 1))


def test_notions_chart_names_its_seven_top_moves_inside_the_box(imported, run):
    drawn = [(label, x, y) for label, x, y in quadrant_labels(report(run, imported["notion"]))
             if not re.fullmatch(r" |\(\d+\)", label)]
    assert drawn == [
        ("Permission groups, Custom properties", 0.44, 0.05),  # moves 1 and 2 share a point
        ("moves 3, 4", 0.11, 0.37),  # no room for "Export entire workspace as PDF" at 0.11
        ("move 5", 0.24, 0.37),
        ("Dynamic link previews", 0.44, 0.76),
        ("move 7", 0.76, 0.05),
    ]


def test_thousands_of_features_make_small_mermaid_blocks(tmp_path, run):
    from benchmarks.speed import corpus, inventory_text

    path = tmp_path / "many.yaml"
    path.write_text(inventory_text(2000, corpus(), distinct=True), encoding="utf-8")
    text = report(run, str(path))
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert len(blocks) == 2
    assert max(map(len, blocks)) < MERMAID_LIMIT


def test_the_default_detail_keeps_the_biggest_changes_and_says_how_many_more(monkeypatch, imported, run):
    import freemium_advisor.render.report as content

    monkeypatch.setattr(content, "MAX_SECTIONS", 3)
    r = analysed(imported["notion"])
    assert [f.number for f in r.appendix] == sorted(m.feature.number for m in r.moves[:3])
    assert r.left_out == len(r.changes) - 3
    text = report(run, imported["notion"])
    assert (f"{r.left_out} more changes are left out: `freemium-advisor explain {imported['notion']} "
            "FEATURE_ID` or `--detail all` shows them.") in text
    assert len(re.findall(r"^- `", section(text, "Appendix: findings"), re.MULTILINE)) == 3
    assert f"more findings are left out: `freemium-advisor check {imported['notion']}` lists every one." in text


@pytest.mark.heavy
def test_ten_thousand_placed_features_make_a_page_under_5_mb(tmp_path, run):
    """A catalog of 10,000 features, each placed today (half of them moved by the advice):
    the default HTML report stays under 5 MB."""
    import yaml

    inventory = yaml.safe_load((ROOT / WHITEBOARD).read_text(encoding="utf-8"))
    features = inventory["features"]
    inventory["features"] = [
        {**features[i % len(features)], "id": f"f{i}", "name": f"{features[i % len(features)]['name']} {i}"}
        for i in range(10_000)
    ]

    class Plain(yaml.CSafeDumper):
        def ignore_aliases(self, data):  # every feature written out, as a real file would be
            return True

    path = tmp_path / "big.yaml"
    path.write_text(yaml.dump(inventory, Dumper=Plain, sort_keys=False), encoding="utf-8")
    out = tmp_path / "report.html"
    result = run("report", str(path), "-f", "html", "-o", str(out))
    assert result.exit_code == 0
    assert out.stat().st_size < 5_000_000
