"""The CI integrations users copy: the composite action, the pre-commit hook and the CI page's
workflow files. The action's shell step is run for real with bash."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.git_repo import GitRepo

REPO = Path(__file__).parent.parent
CI_PAGE = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")


def action() -> dict:
    return yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def step_named(name: str) -> dict:
    return next(step for step in action()["runs"]["steps"] if step.get("name") == name)


def run_step() -> dict:
    return step_named("Run kbcheck")


def run_script(
    script: str, env: dict[str, str], cwd: Path, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    """A step's script as the runner runs it (`bash -e -o pipefail`)."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    return subprocess.run(
        [bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, **env, "PATH": path or os.environ.get("PATH", ""), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_action_declares_its_inputs_and_uses_only_those() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    inputs = data["inputs"]
    assert {"paths", "format", "fail-on"} <= set(inputs)
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"\binputs\.([\w-]+)", text))
    assert used <= set(inputs) and set(inputs) <= used
    for step in data["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], "inputs reach scripts through env only"
            assert step["shell"] == "bash"


def run_action(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The action's "Run kbcheck" step, then the step that exits with kbcheck's status (it is
    passed through $GITHUB_OUTPUT, so that the cache is saved whatever kbcheck found), with
    kbcheck from this environment on PATH. The result: the first step's output, the exit
    code the action ends with."""
    step = run_step()
    variables = {name: "" for name in step["env"]}
    variables.update(env)
    outputs = Path(os.environ["XDG_CACHE_HOME"]) / f"github-output-{os.getpid()}"
    outputs.write_text("", encoding="utf-8")
    variables["GITHUB_OUTPUT"] = str(outputs)
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    result = run_script(step["run"], variables, cwd, path)
    if result.returncode != 0:
        return result
    written = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").split())
    ending = run_script(
        step_named("Exit with kbcheck's status")["run"], {"KBCHECK_STATUS": written["status"]}, cwd
    )
    result.returncode = ending.returncode
    return result


def test_action_script_annotates(tmp_path: Path) -> None:
    env = {
        "KBCHECK_PATHS": "examples/helpcenter",
        "KBCHECK_FORMAT": "github",
        "KBCHECK_FAIL_ON": "error",
        "KBCHECK_ARGS": "--select links --top 5",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    result = run_action(env, REPO)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("::error file=examples/helpcenter/") for line in lines)
    assert "links/broken-anchor" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_action_script_writes_sarif_and_respects_fail_on(tmp_path: Path) -> None:
    target = tmp_path / "out dir" / "kbcheck.sarif"
    target.parent.mkdir()
    env = {
        "KBCHECK_PATHS": "examples/helpcenter",
        "KBCHECK_FORMAT": "sarif",
        "KBCHECK_OUTPUT": str(target),
        "KBCHECK_FAIL_ON": "never",
    }
    result = run_action(env, REPO)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))["runs"][0]["results"]) == 16


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(hook for hook in hooks if hook["id"] == "kbcheck")
    assert hook["language"] == "python"
    assert hook["entry"] == "kbcheck check"
    assert "markdown" in hook["types_or"]
    # What pre-commit runs: the entry, its args, then the staged files.
    files = [
        "examples/helpcenter/billing/changing-your-plan.md",
        "examples/helpcenter/billing/payment-methods.md",
    ]
    command = [str(Path(sys.executable).parent / "kbcheck"), "check", *hook["args"], *files]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "links/broken-file" in result.stdout
    assert "billing/payment-methods.md" not in result.stdout  # checked, and clean


def readme_block(marker: str) -> dict:
    blocks = re.findall(r"```yaml\n(.*?)```", CI_PAGE, re.S)
    block = next(block for block in blocks if block.startswith(marker))
    return yaml.safe_load(block)


def test_readme_github_workflow() -> None:
    workflow = readme_block("# .github/workflows/kbcheck.yml")
    steps = workflow["jobs"]["kbcheck"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["fetch-depth"] == 0
    formats = [step["with"].get("format") for step in steps if "kbcheck@" in step.get("uses", "")]
    assert formats == ["github", "sarif"]
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "kbcheck.sarif"
    assert workflow["permissions"]["security-events"] == "write"
    declared = set(action()["inputs"])
    for step in steps:
        if "kbcheck@" in step.get("uses", ""):
            assert set(step["with"]) <= declared


def test_readme_gitlab_job() -> None:
    job = readme_block("# .gitlab-ci.yml")["kbcheck"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert any("--changed-since" in line for line in job["script"])
    assert any("--format html" in line for line in job["script"])


def owned_page(owner: str) -> str:
    return f"---\ntitle: Page\nowner: {owner}\nlast_reviewed: 2020-01-01\n---\n# Page\n"


def test_action_args_are_split_as_a_shell_would(tmp_path: Path) -> None:
    kb = tmp_path / "help center"  # a path with a space, quoted in the paths input
    for name, owner in (("vat.md", "Ana Lopez"), ("plans.md", "Lopez")):
        (kb / "billing").mkdir(parents=True, exist_ok=True)
        (kb / "billing" / name).write_text(owned_page(owner), encoding="utf-8")
    report = tmp_path / "report.json"
    env = {
        "KBCHECK_PATHS": '"help center"',
        "KBCHECK_FORMAT": "json",
        "KBCHECK_OUTPUT": str(report),
        "KBCHECK_FAIL_ON": "never",
        "KBCHECK_ARGS": '--owner "Ana Lopez" --no-cache',
    }
    result = run_action(env, tmp_path)
    assert result.returncode == 0, result.stderr
    articles = json.loads(report.read_text(encoding="utf-8"))["articles"]
    assert [article["path"] for article in articles] == ["billing/vat.md"]


def test_action_args_with_an_unclosed_quote_fail_in_one_line(tmp_path: Path) -> None:
    env = {
        "KBCHECK_PATHS": "examples/helpcenter",
        "KBCHECK_FORMAT": "json",
        "KBCHECK_FAIL_ON": "never",
        "KBCHECK_ARGS": '--owner "Ana Lopez',
    }
    result = run_action(env, REPO)
    assert result.returncode == 2
    assert result.stderr == "kbcheck action: input args: No closing quotation\n"
    assert result.stdout == ""


def test_action_installs_kbcheck_once_per_job(tmp_path: Path) -> None:
    """The README's workflow uses the action twice: the second use does not install again.
    The source does not exist, so an install attempt fails: only a skipped one passes."""
    install = step_named("Install kbcheck")["run"]
    env = {"RUNNER_TEMP": str(tmp_path), "KBCHECK_SOURCE": str(tmp_path / "no-such-source")}
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    assert run_script(install, env, tmp_path, path).returncode != 0  # first use: installs
    (tmp_path / "kbcheck-installed").write_text(env["KBCHECK_SOURCE"], encoding="utf-8")
    assert run_script(install, env, tmp_path, path).returncode == 0  # second use: skipped
    other = {**env, "KBCHECK_SOURCE": str(tmp_path / "another-version")}
    assert run_script(install, other, tmp_path, path).returncode != 0  # another ref installs


def test_action_cache_is_written_only_by_pushes_to_the_default_branch() -> None:
    restore = step_named("Restore kbcheck's cache")
    save = step_named("Save kbcheck's cache")
    assert restore["uses"].startswith("actions/cache/restore@")
    assert save["uses"].startswith("actions/cache/save@")
    # A pull request restores its base branch's newest cache ...
    base = "${{ github.base_ref || github.ref_name }}"
    assert restore["with"]["restore-keys"].strip() == f"kbcheck-${{{{ runner.os }}}}-{base}-"
    # ... and never saves one: only a push to the default branch does.
    condition = " ".join(save["if"].split())
    assert (
        """contains(fromJSON('["push", "schedule", "workflow_dispatch"]'), github.event_name)"""
        in (condition)
    )
    assert "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)" in (
        condition
    )
    # Restored outside the repository, and named with KBCHECK_CACHE_DIR (which vouches for it).
    assert restore["with"]["path"] == save["with"]["path"] == "${{ runner.temp }}/kbcheck-cache"
    use = step_named("Use kbcheck's cache")["run"]
    assert "KBCHECK_CACHE_DIR=$RUNNER_TEMP/kbcheck-cache" in use


def test_readme_gitlab_cache_is_written_only_on_the_default_branch(tmp_path: Path) -> None:
    job = readme_block("# .gitlab-ci.yml")["kbcheck"]
    policies = {rule["if"]: rule["variables"]["CACHE_POLICY"] for rule in job["rules"]}
    assert policies == {
        '$CI_PIPELINE_SOURCE == "merge_request_event"': "pull",
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH": "pull-push",
    }
    assert job["cache"]["policy"] == "$CACHE_POLICY"
    assert job["cache"]["paths"] == [".kbcheck-ci-cache/"]
    assert Path(job["variables"]["KBCHECK_CACHE_DIR"]).is_absolute()  # outside the project
    # The before_script (without the install) in a real clone: a restored cache moves out of
    # the project; a committed one stops the job.
    moves = "\n".join(line for line in job["before_script"] if "pip install" not in line)
    project = tmp_path / "project"
    GitRepo(project).commit(date(2026, 3, 1), {"kb/a.md": "# A\n"})
    (project / ".kbcheck-ci-cache").mkdir()
    (project / ".kbcheck-ci-cache" / "replay.json").write_text("{}", encoding="utf-8")
    env = {"KBCHECK_CACHE_DIR": str(tmp_path / "kbcheck-cache")}
    assert run_script(moves, env, project).returncode == 0
    assert (tmp_path / "kbcheck-cache" / "replay.json").is_file()
    assert not (project / ".kbcheck-ci-cache").exists()
    shutil.rmtree(tmp_path / "kbcheck-cache")
    GitRepo(project).commit(date(2026, 3, 2), {".kbcheck-ci-cache/replay.json": "{}"})
    assert run_script(moves, env, project).returncode != 0
    assert not (tmp_path / "kbcheck-cache").exists()
