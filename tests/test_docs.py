"""Generated documents stay in step with their sources, and the README covers every command."""

from __future__ import annotations

import typer.main

from freemium_advisor.cli import app
from freemium_advisor.formats.rules_view import render_docs
from freemium_advisor.reading.rulepacks import load_ruleset
from freemium_advisor.reading.schema import schema_text
from tests.conftest import ROOT


def test_rule_reference_is_current():
    """If this fails, run: freemium-advisor rules docs -o docs/rules.md"""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == render_docs(load_ruleset())


def test_schema_file_is_current():
    """If this fails, run: freemium-advisor schema -o schema/inventory.schema.json"""
    assert (ROOT / "schema" / "inventory.schema.json").read_text(encoding="utf-8") == schema_text()


def _command_paths(command, prefix=()):
    children = getattr(command, "commands", None)
    if not children:
        yield " ".join(prefix)
        return
    for name, child in children.items():
        yield from _command_paths(child, (*prefix, name))


def test_readme_lists_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = list(_command_paths(typer.main.get_command(app)))
    assert len(paths) == 18
    missing = [p for p in paths if f"`freemium-advisor {p} " not in readme and f"`freemium-advisor {p}`" not in readme]
    assert missing == []


def test_readme_quick_start_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = next(line for line in ci.splitlines() if "-m pytest" in line)
    assert test_command in readme


def test_readme_names_every_check_format_and_integration_file():
    from freemium_advisor.formats import formats_for

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in formats_for("check"))
    for section in ("### GitHub Actions", "### GitLab CI", "### pre-commit"):
        assert section in readme
    assert (ROOT / "action.yml").is_file() and (ROOT / ".pre-commit-hooks.yaml").is_file()


def test_the_integration_files_run_the_check_command():
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(h["id"], h["entry"]) for h in hooks] == [("freemium-advisor-check", "freemium-advisor check")]
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    commands = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    # One run: the files quoted, one per line of the input; SARIF written beside the annotations.
    assert '"$ADVISOR" check "${args[@]}" -- "${files[@]}"' in commands and '--write "sarif=' in commands
