"""The base revision read only where a change touched it is the base read in full.

``check --base`` reuses the head's features whose text did not change; whatever the edit
(features added, removed, reordered, changed; the header changed; flow style, aliases,
quoted text running over lines), the inventory it builds has the same features, with the
same waivers, as reading the base text in full, and an invalid base is still refused.
"""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freemium_advisor.base.errors import InputError
from freemium_advisor.reading.basediff import base_inventory
from freemium_advisor.reading.inventory_reader import parse_inventory
from tests.conftest import ROOT

HEADER = "version: 1\nproduct:\n  name: Boardly\n  tiers: [free, pro, business]\nfeatures:\n"


def same_features(built, full) -> bool:
    """Features equal in all but where they are written."""
    def content(f):
        return dataclasses.replace(f, line=0, column=0), [(w.check, w.reason, w.expires) for w in f.waivers]
    return [content(f) for f in built.features] == [content(f) for f in full.features]


features = st.lists(st.fixed_dictionaries({
    "name": st.sampled_from(["Share boards", "SSO", "AI assistant", "Export", "Audit log"]),
    "current": st.sampled_from(["free", "pro", "business"]),
}, optional={
    "signals": st.fixed_dictionaries({}, optional={"virality": st.sampled_from(["low", "high"]),
                                                   "aha": st.sampled_from(["none", "medium"])}),
    "limit": st.fixed_dictionaries({"metric": st.just("boards"), "free": st.integers(1, 9)}),
    "waive": st.just([{"check": "gated-growth-feature", "reason": "deliberate"}]),
}), min_size=1, max_size=6)


class NoAliases(yaml.SafeDumper):
    """Generated features share dicts; written out, they must not become anchors."""

    def ignore_aliases(self, data):
        return True


def text_of(items: list[dict], style: str) -> str:
    listed = [{"id": f"f{i}", **item} for i, item in items]
    body = yaml.dump(listed, Dumper=NoAliases, sort_keys=False, default_flow_style=style == "flow", indent=2)
    indented = "".join(f"  {line}" for line in body.splitlines(keepends=True))
    return HEADER + indented


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(head=features, data=st.data())
def test_any_edit_reads_back_as_the_full_base(head, data):
    numbered = list(enumerate(head))
    base = list(numbered)
    for step in range(data.draw(st.integers(0, 4))):
        edit = data.draw(st.sampled_from(["drop", "add", "change", "swap"]))
        if edit == "drop" and base:
            base.pop(data.draw(st.integers(0, len(base) - 1)))
        elif edit == "add":
            # A new id each step: after a drop, 100 + len(base) could name an added one again.
            base.insert(data.draw(st.integers(0, len(base))), (100 + step, data.draw(features)[0]))
        elif edit == "change" and base:
            index = data.draw(st.integers(0, len(base) - 1))
            base[index] = (base[index][0], {**base[index][1], "current": "business"})
        elif edit == "swap" and len(base) > 1:
            base[0], base[-1] = base[-1], base[0]
    style = data.draw(st.sampled_from(["block", "flow"]))
    head_text, base_text = text_of(numbered, "block"), text_of(base, style)
    head_inventory = parse_inventory(head_text, "f.yaml")
    built = base_inventory(head_inventory, head_text, base_text)
    assert same_features(built, parse_inventory(base_text, "f.yaml"))
    reused = sum(any(f is g for g in head_inventory.features) for f in built.features)
    if style == "block":
        unchanged = sum(item in numbered for item in base)
        assert reused == unchanged  # every unchanged feature is the head's own object


HEAD = HEADER + """\
  - id: share
    name: Share boards
    current: pro
  - id: sso
    name: SAML single sign-on
    current: business
"""


@pytest.mark.parametrize("base", [
    # Quoted text running over a line that looks like the next feature.
    HEAD.replace("    name: Share boards\n", '    name: "Share\n  - id: boards"\n'),
    # ... around a feature of the head, verbatim: its text is inside the quotes at the base.
    HEAD.replace("    name: Share boards\n", '    name: "Share\n') + '  - id: end"\n    name: End\n',
    # An alias: one feature's text stands for another's value.
    HEAD.replace("    current: pro\n", "    current: &tier pro\n").replace("    current: business\n", "    current: *tier\n"),
    # Another header, and text after the features.
    HEAD.replace("name: Boardly", "name: Boardly 2"),
    HEAD + "# the end\nextra: 1\n",
])
def test_what_cannot_be_cut_into_features_is_read_in_full(base):
    head = parse_inventory(HEAD, "f.yaml")
    try:
        full = parse_inventory(base, "f.yaml")
    except InputError as error:
        with pytest.raises(InputError) as raised:
            base_inventory(head, HEAD, base)
        assert str(raised.value) == str(error)
        return
    assert same_features(base_inventory(head, HEAD, base), full)


def test_a_duplicate_id_at_the_base_is_refused_as_a_full_read_refuses_it():
    base = HEAD + "  - id: share\n    name: Share again\n"
    with pytest.raises(InputError, match="duplicate"):
        base_inventory(parse_inventory(HEAD, "f.yaml"), HEAD, base)


# --- --base compares with the merge base, as 'git diff REF...HEAD' does ------------------------

def git(folder, *args) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                               "HOME": str(folder), "PATH": "/usr/bin:/bin:/usr/local/bin"}).stdout


@pytest.fixture
def branched(tmp_path, monkeypatch):
    """main holds the example; 'feature' renames a template; then main fixes voting-timer."""
    folder = tmp_path / "repo"
    (folder / "examples").mkdir(parents=True)
    example = (ROOT / "examples" / "whiteboard.yaml").read_text()
    (folder / "examples" / "whiteboard.yaml").write_text(example)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "base")
    git(folder, "checkout", "-qb", "feature")
    (folder / "examples" / "whiteboard.yaml").write_text(
        example.replace("name: Template library", "name: Template gallery"))
    git(folder, "commit", "-qam", "rename a template")
    git(folder, "checkout", "-q", "main")
    fixed = example.replace("    category: facilitation\n    current: business\n",
                            "    category: facilitation\n    current: free\n")
    assert fixed != example
    (folder / "examples" / "whiteboard.yaml").write_text(fixed)
    git(folder, "commit", "-qam", "voting-timer is free")
    git(folder, "checkout", "-q", "feature")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return folder


def test_base_compares_with_the_merge_base_not_the_tip_of_the_ref(run, branched):
    # At main's tip voting-timer is free; the branch never touched it: not new.
    result = run("check", "examples/whiteboard.yaml", "--base", "main")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "0 errors, 0 warnings, 0 notes, 1 suppressed in 1 file: passed (--fail-on error)\n"
    merge_base = git(branched, "merge-base", "main", "HEAD").strip()
    assert run("check", "examples/whiteboard.yaml", "--base", merge_base).stderr == result.stderr


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "staged"])
def test_a_renamed_inventory_is_compared_with_the_file_it_was(run, branched, committed):
    # The branch moves the inventory to another folder: its one old finding stays old.
    (branched / "pricing").mkdir()
    git(branched, "mv", "examples/whiteboard.yaml", "pricing/features.yaml")
    if committed:
        git(branched, "commit", "-qm", "move the inventory")
    result = run("check", "pricing/features.yaml", "--base", "main")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "0 errors, 0 warnings, 0 notes, 1 suppressed in 1 file: passed (--fail-on error)\n"


def test_a_new_inventory_that_was_no_rename_has_every_finding_new(run, branched):
    (branched / "pricing").mkdir()
    (branched / "pricing" / "features.yaml").write_text((branched / "examples" / "whiteboard.yaml").read_text())
    git(branched, "add", "pricing")
    git(branched, "commit", "-qm", "a copy beside the inventory")
    result = run("check", "pricing/features.yaml", "--base", "main")
    assert result.exit_code == 1
    assert [line.split(" [")[1].split("]")[0] for line in result.stdout.splitlines()] == ["gated-growth-feature"]


def test_base_without_a_common_history_compares_with_the_ref_itself(run, branched):
    git(branched, "checkout", "-q", "--orphan", "lone")
    git(branched, "commit", "-qm", "lone")  # the same file, in a history of its own
    result = run("check", "examples/whiteboard.yaml", "--base", "main")
    # main's tip has voting-timer free: gated again here, it is new.
    assert result.exit_code == 1
    assert [line.split(" [")[1].split("]")[0] for line in result.stdout.splitlines()] == ["gated-growth-feature"]


def test_base_refuses_a_ref_git_would_read_as_an_option(run, branched):
    result = run("check", "examples/whiteboard.yaml", "--base", "--output=x")
    assert (result.exit_code, result.stderr) == (2, "error: unknown git ref '--output=x'\n")
    assert not (branched / "x").exists()
