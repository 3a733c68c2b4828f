"""The GitHub Action and the README's CI snippets, run as far as a test can run them.

The Action's shell steps are taken from action.yml and run as a runner runs them (``bash
--noprofile --norc -eo pipefail``) with the environment a runner gives them: the step's
``env`` with its ``${{ }}`` expressions resolved, ``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``,
``RUNNER_TEMP``. Everything lives in folders whose names hold a space: the action, the
workspace and the runner's temporary folder. The README's snippets for GitHub (without the
action), GitLab and pre-commit are run the same way, from the README's own text; the install
is run once, fresh, by the action's step: a snippet's own install lines are matched against
it and the lines after them are run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import ROOT

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text())
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
# One worker installs the tool once for every test here.
pytestmark = pytest.mark.xdist_group("install")
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]  # what a runner runs 'shell: bash' with
# What pip needs to build the tool, copied to a folder whose name holds a space.
SOURCES = ("pyproject.toml", "README.md", "freemium_advisor", "rules", "checks", "templates", "schema")

BASE = """\
version: 1
product:
  name: Boardly
  tiers: [free, pro, business]
features:
  - id: editor
    name: Board editor
    current: free
    signals: {aha: high, habit: high}
  - id: share
    name: Share boards
    current: free
    signals: {virality: high}
  - id: sso
    name: SAML single sign-on
    current: business
    signals: {audience: enterprise}
"""
# The pull request gates the viral feature: one new finding, an error.
HEAD = BASE.replace("    name: Share boards\n    current: free\n", "    name: Share boards\n    current: pro\n")


def snippet(name: str) -> str:
    """The code block after ``<!-- snippet: NAME -->`` in the README."""
    start = README.index(f"<!-- snippet: {name} -->")
    block = README[README.index("```", start):]
    body = block[block.index("\n") + 1:]
    return body[: body.index("```")]


# How the README's snippets install the tool: a virtual environment, then pip from the source.
INSTALL = re.compile(r'python3 -m venv (?P<q>"?)(?P<venv>[^"\s]+)(?P=q)\n'
                     r'(?P=q)(?P=venv)/bin/pip(?P=q) install --quiet --no-compile "\$ADVISOR_SOURCE"\n')


def after_install(script: str) -> tuple[str, str]:
    """A snippet's script split into the folder of the environment its first two lines make
    (the action's install, tested once by the ``installed`` fixture, does what they do) and
    the lines after them, which run the tool from it."""
    found = INSTALL.match(script)
    assert found, f"the snippet no longer starts with the install this test knows:\n{script}"
    return found["venv"], script[found.end():]


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    """The runner's folders (each name holds a space), the action's copy and the workspace:
    a repository whose 'origin' has the base on main, checked out on the pull request."""
    top = tmp_path_factory.mktemp("runner")
    action = top / "action path"
    action.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, action / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, action / name)
    shutil.copy(ROOT / "action.yml", action / "action.yml")
    origin = top / "origin repo.git"
    workspace = top / "work space"
    workspace.mkdir()
    git(workspace, "init", "-q", "-b", "main")
    (workspace / "pricing plans").mkdir()
    (workspace / "pricing plans" / "features*.yaml").write_text(BASE)
    # What 'check' reads when given no FILE (the README's snippets name none).
    (workspace / ".freemium-advisor.yaml").write_text('files: ["pricing plans/features*.yaml"]\n')
    git(workspace, "add", ".")
    git(workspace, "commit", "-qm", "base")
    git(top, "clone", "-q", "--bare", str(workspace), str(origin))
    git(workspace, "remote", "add", "origin", str(origin))
    git(workspace, "fetch", "-q", "origin")
    git(workspace, "checkout", "-qb", "pull-request")
    (workspace / "pricing plans" / "features*.yaml").write_text(HEAD)
    # A file the unquoted glob of the old action would have picked up too.
    (workspace / "pricing plans" / "features-draft.yaml").write_text("not: an inventory\n")
    temp = top / "runner temp"
    temp.mkdir()
    return {"top": top, "action": action, "workspace": workspace, "temp": temp}


def resolve(value: str, context: dict) -> str:
    """A step's ``${{ }}`` expressions, as the runner resolves them (the few the action uses)."""
    def one(match: re.Match) -> str:
        path = match.group(1).strip().split(".")
        found = context
        for part in path:
            found = found.get(part, "") if isinstance(found, dict) else ""
        return str(found)
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def outputs_of(path: Path) -> dict[str, str]:
    """What a step wrote to ``GITHUB_OUTPUT`` (``name=value`` lines)."""
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def run_action(runner: dict, inputs: dict[str, str], *, summary: str | None = "",
               installed: dict | None = None) -> dict:
    """Run the action's shell steps in order; return each step's status, outputs and log.
    Given ``installed`` (what the install step did once, in the fixture below), that step's
    outputs are reused instead of installing the tool again: a runner installs it on every
    run, but the install is tested once and each test is about the steps after it."""
    defaults = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    context = {"inputs": {**defaults, **inputs}, "github": {"action_path": str(runner["action"])},
               "steps": {}}
    summary_file = runner["temp"] / "step summary.md"
    if summary is not None:
        summary_file.write_text(summary)
    done = {}
    for index, step in enumerate(ACTION["runs"]["steps"]):
        if "run" not in step:
            continue
        if installed is not None and step.get("id") == "install":
            context["steps"]["install"] = {"outputs": installed["install"]["outputs"]}
            done["install"] = installed["install"]
            continue
        output = runner["temp"] / f"output {index}"
        output.write_text("")
        env = {
            "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(runner["top"])),
            "GITHUB_ACTIONS": "true", "CI": "true", "RUNNER_TEMP": str(runner["temp"]),
            "GITHUB_WORKSPACE": str(runner["workspace"]), "GITHUB_ACTION_PATH": str(runner["action"]),
            "GITHUB_OUTPUT": str(output),
            **({"GITHUB_STEP_SUMMARY": str(summary_file)} if summary is not None else {}),
            **{key: resolve(value, context) for key, value in step.get("env", {}).items()},
        }
        script = runner["temp"] / f"step {index}.sh"
        script.write_text(step["run"])
        result = subprocess.run([*BASH, str(script)], cwd=runner["workspace"], env=env,
                                capture_output=True, text=True, timeout=600)
        context["steps"][step.get("id", str(index))] = {"outputs": outputs_of(output)}
        done[step.get("id", str(index))] = {"status": result.returncode, "stdout": result.stdout,
                                            "stderr": result.stderr, "outputs": outputs_of(output)}
        if result.returncode != 0:
            break
    done["summary"] = summary_file.read_text() if summary is not None else None
    return done


@pytest.fixture(scope="module")
def installed(runner):
    """The install step, run once: the tool in its own environment under RUNNER_TEMP."""
    install = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "install")
    done = run_action(runner, {"files": "pricing plans/features*.yaml"})
    assert done["install"]["status"] == 0, done["install"]["stderr"]
    advisor = done["install"]["outputs"]["advisor"]
    assert advisor == str(runner["temp"] / "freemium-advisor" / "bin" / "freemium-advisor")
    assert "GITHUB_PATH" not in install["run"] and "GITHUB_ENV" not in install["run"]
    return done


def test_the_action_reads_each_line_as_one_file_and_fails_on_the_new_finding(runner, installed):
    done = run_action(runner, {"files": "\n  pricing plans/features*.yaml  \n\n", "base": "origin/main",
                               "sarif": "true", "sarif-file": "reports dir.sarif"},
                      summary="### An earlier step's summary\n", installed=installed)
    check = done["check"]
    assert check["status"] == 1, check["stderr"]
    assert check["stdout"].splitlines() == [
        "::error file=pricing plans/features*.yaml,line=12,col=5,title=gated-growth-feature%3A A "
        "feature that promotes growth is gated::'Share boards' sits in paid tier 'pro', but it "
        "promotes the growth model and the advice is free: aha-medium: It helps new users towards "
        "the first moment of value (aha medium), which shortens time to value; virality-high: "
        "Using it brings in people who are not users yet (virality high): every free use is "
        "acquisition, so charging for it would throttle growth",
    ]
    assert check["outputs"] == {"findings": "1", "failed": "true", "sarif": "reports dir.sarif"}
    assert done["summary"].startswith("### An earlier step's summary\n### freemium-advisor check: ❌ failed\n")
    log = json.loads((runner["workspace"] / "reports dir.sarif").read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    new = [r for r in log["runs"][0]["results"] if r.get("baselineState") == "new"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in new] == [
        {"uri": "pricing%20plans/features%2A.yaml", "uriBaseId": "SRCROOT"}]
    upload = next(s for s in ACTION["runs"]["steps"] if "upload-sarif" in s.get("uses", ""))
    assert "inputs.sarif == 'true'" in upload["if"]  # uploaded only when asked
    (runner["workspace"] / "reports dir.sarif").unlink()


def test_the_action_passes_when_nothing_is_new_and_writes_no_sarif_unasked(runner, installed):
    inventory = runner["workspace"] / "pricing plans" / "features*.yaml"
    inventory.write_text(BASE)  # the pull request, undone: nothing is new since HEAD
    try:
        done = run_action(runner, {"base": "HEAD"}, summary=None, installed=installed)
    finally:
        inventory.write_text(HEAD)
    assert done["check"]["status"] == 0, done["check"]["stderr"]
    assert done["check"]["outputs"] == {"findings": "0", "failed": "false"}
    assert not list(runner["workspace"].glob("*.sarif"))


def test_a_base_missing_from_a_shallow_clone_says_to_fetch_the_history(runner, installed):
    done = run_action(runner, {"files": "pricing plans/features*.yaml", "base": "origin/release"},
                      installed=installed)
    assert done["check"]["status"] == 2
    assert done["check"]["stdout"] == (
        "::error title=freemium-advisor::base ref 'origin/release' is not in this clone: check "
        "out the history with actions/checkout and fetch-depth: 0\n")
    assert done["check"]["outputs"] == {"failed": "true"}


def test_bad_input_fails_the_step_and_says_so_in_the_summary(runner, installed):
    done = run_action(runner, {"files": "pricing plans/missing.yaml"}, installed=installed)
    assert done["check"]["status"] == 2
    assert done["check"]["stderr"] == "pricing plans/missing.yaml: error: no such file\n"
    assert done["check"]["outputs"] == {"failed": "true"}
    assert done["summary"].startswith("### freemium-advisor check: ❌ bad input (exit 2)")


def test_the_readme_workflow_uses_the_action_as_it_is(runner):
    workflow = yaml.safe_load(snippet("github-action"))
    steps = workflow["jobs"]["freemium-advisor"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    step = next(s for s in steps if s.get("uses") == "./")
    assert set(step["with"]) <= set(ACTION["inputs"])
    assert step["with"]["sarif"] == "true" and workflow["permissions"]["security-events"] == "write"
    assert set(ACTION["outputs"]) == {"findings", "failed"}


def test_the_readme_step_without_the_action_runs(runner, installed):
    step = yaml.safe_load(snippet("github-step"))[0]
    context = {"github": {"base_ref": "main"}, "vars": {"ADVISOR_SOURCE": str(runner["action"])}}
    # The step's install makes the environment the action's install made (the fixture: a fresh
    # install from the same source, in the same RUNNER_TEMP); the lines after it run from there.
    venv, rest = after_install(step["run"])
    assert venv == "$RUNNER_TEMP/freemium-advisor"
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", ""), "GITHUB_ACTIONS": "true",
           "RUNNER_TEMP": str(runner["temp"]),
           **{key: resolve(value, context) for key, value in step["env"].items()}}
    script = runner["temp"] / "plain step.sh"
    script.write_text(rest)
    result = subprocess.run([*BASH, str(script)], cwd=runner["workspace"], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("::error file=pricing plans/features*.yaml,line=12,col=5,")
    assert result.stderr.endswith("1 error, 0 warnings, 0 notes, 1 suppressed in 1 file: failed (--fail-on error)\n")


def test_the_readme_gitlab_job_writes_a_code_quality_report(runner, installed):
    job = yaml.safe_load(snippet("gitlab"))["freemium-advisor"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", ""), "CI": "true",
           "ADVISOR_SOURCE": str(runner["action"]), "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
           "CI_PROJECT_DIR": str(runner["workspace"]), **job.get("variables", {})}
    env = {key: str(value) for key, value in env.items()}
    # The job's install makes the environment the action's install made (the fixture: a fresh
    # install from the same source); the lines after it run from that environment, moved where
    # the job makes it. The action's path points to it meanwhile, for the scripts pip wrote there.
    venv, rest = after_install("\n".join(job["script"]) + "\n")
    script = runner["temp"] / "gitlab job.sh"
    script.write_text(rest)
    action_venv = Path(installed["install"]["outputs"]["python"]).parent.parent
    job_venv = runner["workspace"] / venv
    action_venv.rename(job_venv)
    action_venv.symlink_to(job_venv, target_is_directory=True)
    try:
        result = subprocess.run(["bash", "-e", str(script)], cwd=runner["workspace"], env=env,
                                capture_output=True, text=True, timeout=600)
    finally:
        action_venv.unlink()
        job_venv.rename(action_venv)
    assert result.returncode == 1, result.stderr
    report = json.loads((runner["workspace"] / "gl-code-quality-report.json").read_text())
    # GitLab's Code Quality format: each issue with these fields, the path relative to the project.
    assert [(i["check_name"], i["severity"], i["location"]) for i in report] == [
        ("gated-growth-feature", "critical", {"path": "pricing plans/features*.yaml", "lines": {"begin": 12}}),
    ]
    assert all(isinstance(i["description"], str) and i["fingerprint"] for i in report)
    (runner["workspace"] / "gl-code-quality-report.json").unlink()


def test_the_readme_pre_commit_hook_is_the_published_one_and_runs(runner, installed):
    hook = yaml.safe_load(snippet("pre-commit"))["repos"][0]["hooks"][0]
    published = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    assert {k: hook[k] for k in ("id", "entry", "files")} == {k: published[k] for k in ("id", "entry", "files")}
    # pre-commit passes the staged files its 'files' pattern matches, from the repository root.
    (runner["workspace"] / "features.yaml").write_text(HEAD)
    staged = ["features.yaml", "pricing plans/features-draft.yaml", "README.md"]
    matched = [name for name in staged if re.search(hook["files"], name)]
    assert matched == ["features.yaml"]
    bin_folder = Path(installed["install"]["outputs"]["advisor"]).parent
    result = subprocess.run([*hook["entry"].split(), *matched], cwd=runner["workspace"], capture_output=True,
                            text=True, env={"PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 1
    assert "features.yaml:12:5: error [gated-growth-feature] 'Share boards'" in result.stdout
    (runner["workspace"] / "features.yaml").unlink()


def test_no_file_points_at_a_repository_that_does_not_exist():
    # The project has no public home yet: a URL naming one would lead nowhere.
    dead = "/".join(("github.com", "freemium-advisor")), "/".join(("githubusercontent.com", "freemium-advisor"))
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    named = [name for name in listed if (ROOT / name).is_file()
             and any(url in (ROOT / name).read_text(encoding="utf-8", errors="replace") for url in dead)]
    assert named == []


def test_python_is_never_changed_for_the_steps_after_the_action():
    steps = ACTION["runs"]["steps"]
    assert not any("setup-python" in s.get("uses", "") for s in steps)
    assert not any("GITHUB_PATH" in s.get("run", "") or "GITHUB_ENV" in s.get("run", "") for s in steps)
    assert all("${{" not in s.get("run", "") for s in steps)  # inputs come in through env only
