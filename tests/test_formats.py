"""Every command's formats build from the one result, and the JSON result keeps its schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from freemium_advisor.engine.analysis import analyze_file
from freemium_advisor.engine.explain import explain
from freemium_advisor.engine.findings import catalog
from freemium_advisor.engine.gate import CheckRun
from freemium_advisor.engine.inventorydiff import diff_analyses
from freemium_advisor.formats import COMMAND_FORMATS, RenderOptions, formats_for, formatter
from freemium_advisor.result.schema import output_schema_text, output_schemas, result_schema, result_schema_text
from freemium_advisor.reading.rulepacks import load_ruleset
from tests.conftest import EXAMPLES, ROOT

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
RESULT_SCHEMA_FILE = ROOT / "schema" / "result.schema.json"


def _result_for(command: str):
    """What ``command`` renders, for the whiteboard example."""
    analysis = analyze_file(str(EXAMPLES / "whiteboard.yaml"), what_ifs=command == "report")
    if command == "explain":
        return explain(analysis, "share-board")
    if command.startswith("rules"):
        return load_ruleset()
    if command == "check":
        return CheckRun((analysis,), "error")
    if command == "diff":
        return diff_analyses(analysis, analysis)
    if command == "checks list":
        return [(spec, spec.severity) for spec in catalog()]
    return analysis


PAIRS = [(command, name) for command in COMMAND_FORMATS for name in formats_for(command)]


@pytest.mark.parametrize("command,name", PAIRS, ids=[f"{c}:{n}" for c, n in PAIRS])
def test_every_command_format_pair_builds(command, name):
    text = formatter(command, name)(_result_for(command), RenderOptions())
    assert isinstance(text, str) and text.endswith("\n") and text.strip()
    if name == "json":
        json.loads(text)


@pytest.mark.parametrize("command", list(COMMAND_FORMATS))
def test_every_command_offers_its_formats_in_its_own_help(run, command):
    help_text = " ".join(run(*command.split(), "--help").stdout.split())
    assert f"<{'|'.join(formats_for(command))}>" in help_text


def test_result_schema_file_is_current(run):
    """If this fails, run: freemium-advisor schema --result -o schema/result.schema.json"""
    assert RESULT_SCHEMA_FILE.read_text(encoding="utf-8") == result_schema_text()
    assert run("schema", "--result").stdout == result_schema_text()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_examples_json_matches_the_result_schema(run, path):
    schema = result_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads(run("analyze", str(path), "--format", "json").stdout)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["tool"]["name"] == "freemium-advisor"
    assert document["rules"]["fingerprint"] == load_ruleset().fingerprint
    assert all(f["file"] == str(path) and len(f["fingerprint"]) == 16 for f in document["findings"])
    assert all(r["source"]["principle"] for f in document["features"] for r in f["reasons"])


@pytest.mark.parametrize("kind", ["explain", "diff", "rules", "checks"])
def test_every_json_output_has_a_current_schema(run, kind):
    """If this fails, run: freemium-advisor schema --kind KIND -o schema/KIND.schema.json"""
    text = output_schema_text(kind)
    assert (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8") == text
    assert run("schema", "--kind", kind).stdout == text
    jsonschema.Draft202012Validator.check_schema(json.loads(text))


def _valid(kind: str, document) -> None:
    jsonschema.Draft202012Validator(output_schemas()[kind]).validate(document)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_explanation_matches_the_explain_schema(run, path):
    for feature in analyze_file(str(path)).assessments:
        document = json.loads(run("explain", str(path), feature.feature.id, "-f", "json").stdout)
        _valid("explain", document)
        assert document["id"] == feature.feature.id


def test_a_diff_of_every_kind_of_change_matches_the_diff_schema(run, write):
    old = (EXAMPLES / "whiteboard.yaml").read_text(encoding="utf-8")
    new = (old.replace("current: starter", "current: business", 1)
              .replace("limit: {metric: editable boards, free: 3}", "limit: {metric: editable boards, free: 5}")
              .replace("friction: medium   # a board nobody else can see spreads nothing",
                       "friction: medium\n      production: false\n      audience: team"))
    new = new[:new.index("  - id: audit-logs")] + "  - {id: canvas, name: Canvas}\n"
    document = json.loads(run("diff", write("old.yaml", old), write("new.yaml", new), "-f", "json").stdout)
    _valid("diff", document)
    assert {c["kind"] for c in document["changes"]} == {"added", "removed", "placement", "limit", "signal", "advice"}
    values = {(c["feature"], c["field"]): (c["old"], c["new"]) for c in document["changes"]}
    # Data, not words: an answer as the inventory writes it, a wall, the advice as fields.
    assert values["private-boards", "production"] == (None, False)
    assert values["private-boards", "audience"] == (None, "team")
    assert values["create-boards", "limit"] == ({"metric": "editable boards", "free": 3},
                                                {"metric": "editable boards", "free": 5})
    assert values["audit-logs", "feature"] == ({"recommendation": "gated", "tier": "enterprise"}, None)


def test_the_rules_and_checks_lists_match_their_schemas(run, write):
    pack = write("pack.yaml", "policy:\n  severity: {empty-tier: off, costly-feature-unlimited: error}\n")
    _valid("rules", json.loads(run("rules", "list", "-f", "json", "-r", pack).stdout))
    checks = json.loads(run("checks", "list", "-f", "json", "-r", pack).stdout)
    _valid("checks", checks)
    by_id = {c["id"]: c for c in checks}
    assert by_id["empty-tier"] == {"id": "empty-tier", "severity": "off", "default_severity": "note",
                                   "scope": "tier", "title": "A tier with no features"}
    assert by_id["costly-feature-unlimited"]["severity"] == "error"
    listed = run("checks", "list", "-r", pack).stdout.splitlines()
    assert "empty-tier                   off      tier     A tier with no features (default note)" in listed


def test_schema_takes_one_kind(run):
    result = run("schema", "--result", "--kind", "diff")
    assert (result.exit_code, result.stderr) == (2, "error: give --result or --kind diff, not both\n")
    assert run("schema", "--kind", "result").stdout == result_schema_text()


def test_the_result_schema_rejects_a_removed_field(run):
    document = json.loads(run("analyze", str(EXAMPLES / "whiteboard.yaml"), "--format", "json").stdout)
    del document["features"][0]["margin"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(result_schema()).validate(document)


def test_the_rules_fingerprint_follows_the_effective_rules(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("override:\n  virality-high:\n    weight: 9\n", encoding="utf-8")
    same = tmp_path / "same.yaml"
    same.write_text("override:\n  virality-high:\n    weight: 9\n", encoding="utf-8")
    builtin = load_ruleset().fingerprint
    assert load_ruleset().fingerprint == builtin
    assert load_ruleset([str(pack)]).fingerprint != builtin
    assert load_ruleset([str(pack)]).fingerprint == load_ruleset([str(same)]).fingerprint


def test_finding_fingerprints_ignore_the_line(write):
    text = """\
version: 1
product: {name: Boardly, collaborative: true}
features:
  - id: share
    name: Share boards with guests
    current: pro
    signals: {virality: high}
"""
    first = analyze_file(write("a.yaml", text))
    moved = analyze_file(write("b.yaml", text.replace("features:\n", "features:\n  - {id: other, name: Other}\n")))
    fingerprint = {f.check: f.fingerprint for f in first.findings if f.feature == "share"}
    moved_fingerprint = {f.check: f.fingerprint for f in moved.findings if f.feature == "share"}
    assert fingerprint and fingerprint == moved_fingerprint
    line = {f.check: f.line for f in first.findings if f.feature == "share"}
    assert line != {f.check: f.line for f in moved.findings if f.feature == "share"}
