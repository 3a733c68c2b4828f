"""``validate`` is the same reader as ``check``: on every input of the tests' data that
``check`` refuses, ``validate`` refuses it with the same lines, and what ``check`` accepts
``validate`` calls ok. ``tests/data/refused`` holds a case per kind of problem (waivers, the
settings file, the baseline, a rule pack, all of them at once), each run in its folder."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

DATA = [ROOT / "tests" / "data", ROOT / "tests" / "fixtures"]
REFUSED = ROOT / "tests" / "data" / "refused"
CASES = sorted(p for p in REFUSED.iterdir() if p.is_dir())
FILES = sorted(p for folder in DATA for p in folder.rglob("*") if p.is_file() and REFUSED not in p.parents)
FOLDERS = [*DATA, *sorted({p.parent for p in FILES})]


@pytest.fixture(autouse=True)
def neutral_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no settings file of the checkout
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def agree(run, *args: str) -> tuple[int, str]:
    """Run ``check`` and ``validate`` on the same arguments; they must agree."""
    checked = run("check", *args, "--fail-on", "never")
    validated = run("validate", *args)
    if checked.exit_code == 2:
        assert (validated.exit_code, validated.stdout, validated.stderr) == (2, "", checked.stderr)
        assert checked.stdout == ""
    else:
        assert (checked.exit_code, validated.exit_code, validated.stderr) == (0, 0, "")
        assert validated.stdout.endswith(" features)\n") or validated.stdout.endswith(" feature)\n")
    return checked.exit_code, checked.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_check_and_validate_agree_on_every_file_of_the_test_data(run, path):
    agree(run, str(path))


@pytest.mark.parametrize("path", FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_check_and_validate_agree_on_every_folder_of_the_test_data(run, path):
    agree(run, str(path))


def test_most_of_the_test_data_is_refused_as_an_inventory(run):
    # The data is pricings, spreadsheets and schemas: a reader that passed them would be wrong.
    refused = [p for p in FILES if run("validate", str(p)).exit_code == 2]
    assert len(refused) >= len(FILES) - 2


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_every_refused_case_is_refused_alike(run, monkeypatch, case):
    monkeypatch.chdir(case)
    code, _ = agree(run)
    assert code == 2


def test_every_problem_is_listed_in_one_run(run, monkeypatch):
    case = REFUSED / "everything"
    monkeypatch.chdir(case)
    _, stderr = agree(run)
    assert stderr.splitlines() == [
        f"{case}/.freemium-advisor.yaml:5:10: error: select: no check or severity 'eror' (did you mean 'error'?)",
        f"{case}/pack.yaml:2:1: error: unknown rule pack key 'overide' (did you mean 'override'?); "
        "expected rules, override, disable or policy",
        f"{case}/baseline.json: error: not a baseline (expected baseline_version 1 and a findings "
        "list); write one with 'check --write-baseline'",
        "pricing: error: this folder holds no inventory (*.yaml, *.yml or *.json with product and "
        "features); 1 YAML or JSON file passed over",
        "features.yaml:9:15: error: unknown signal 'viraltiy' (did you mean 'virality'?)",
        "features.yaml:11:9: error: no check 'gated-growth' to waive (did you mean 'gated-growth-feature'?)",
        "features.yaml:12:9: error: 'no-aha-in-free' is a product check: waive it on the product",
    ]


def test_two_waiver_errors_are_both_listed(run, monkeypatch):
    monkeypatch.chdir(REFUSED / "waivers")
    _, stderr = agree(run)
    assert stderr.splitlines() == [
        "features.yaml:7:7: error: 'gated-growth-feature' is a feature check: waive it on the feature it is about",
        "features.yaml:14:9: error: no check 'gated-growth' to waive (did you mean 'gated-growth-feature'?)",
    ]


# One paid feature, the waivers below written under it (line 9 on).
SHARE = ("version: 1\nproduct:\n  name: Boardly\n  tiers: [free, pro]\nfeatures:\n"
         "  - id: share\n    name: Share boards\n    current: pro\n")


def test_every_problem_of_one_waiver_is_listed(run, tmp_path):
    (tmp_path / "features.yaml").write_text(
        SHARE + "    signals: {virality: high}\n"
        "    waive:\n"
        "      - check: gated-growth-featur\n"
        '        reason: ""\n'
        "        expires: 2027-13-01\n"
        "        owner: [1]\n"
        "        bogus: x\n")
    code, stderr = agree(run, "features.yaml")
    assert code == 2
    assert stderr.splitlines() == [
        "features.yaml:11:9: error: no check 'gated-growth-featur' to waive (did you mean 'gated-growth-feature'?)",
        "features.yaml:12:17: error: 'reason' must not be empty",
        "features.yaml:13:18: error: waiver 'expires' must be a date like 2027-03-31 (YYYY-MM-DD), not '2027-13-01'",
        "features.yaml:14:16: error: 'owner' must be text, not a list",
        "features.yaml:15:9: error: unknown waiver key 'bogus'; expected check, reason, owner or expires",
    ]


def test_a_waiver_missing_both_check_and_reason_says_both(run, tmp_path):
    (tmp_path / "features.yaml").write_text(SHARE + "    waive: [{owner: me}]\n")
    code, stderr = agree(run, "features.yaml")
    assert code == 2
    assert stderr.splitlines() == [
        "features.yaml:9:13: error: a waiver needs the 'check' it accepts",
        "features.yaml:9:13: error: a waiver needs a 'reason'",
    ]
