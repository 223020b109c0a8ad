"""Without a browser the HTML browser tests skip and say how to install one, except under CI
(`CI` set, as in `.ci/run`), where a missing browser is a failure. Checked by running pytest on
the browser tests with a browser that does not exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parent.parent
TEST = "tests/test_format_html.py::test_browser_harness_sees_console_errors"


def run_without_browser(ci: bool) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["KBCHECK_BROWSER"] = "/nonexistent/chromium"
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", TEST],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_skips_with_install_instructions_outside_ci() -> None:
    result = run_without_browser(ci=False)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "no Chromium found" in result.stdout and "apt-get install -y chromium" in result.stdout


def test_fails_under_ci() -> None:
    result = run_without_browser(ci=True)
    assert result.returncode == 1, result.stdout
    assert "CI needs a browser for the HTML report test" in result.stdout
