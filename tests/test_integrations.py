"""The CI integrations users copy: the composite action, the pre-commit hook and the CI page's
workflow files. The action's shell step is run for real with bash."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).parent.parent
CI_PAGE = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")


def action() -> dict:
    return yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def run_step() -> dict:
    return next(step for step in action()["runs"]["steps"] if step.get("name") == "Run kbcheck")


def test_action_declares_its_inputs_and_uses_only_those() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    inputs = data["inputs"]
    assert {"paths", "format", "fail-on"} <= set(inputs)
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", text))
    assert used <= set(inputs) and set(inputs) <= used
    for step in data["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], "inputs reach scripts through env only"
            assert step["shell"] == "bash"


def run_action(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The action's script as the runner runs it (`bash -e -o pipefail`), with kbcheck from
    this environment on PATH."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    step = run_step()
    variables = {name: "" for name in step["env"]}
    variables.update(env)
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(
        [bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env={**os.environ, **variables, "PATH": path, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


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
