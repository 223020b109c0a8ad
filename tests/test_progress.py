"""The progress display of a long run, in a real pseudo-terminal: shown on stderr when it is a
terminal, silent in CI, when not a terminal and with `--no-progress`, and never in the report.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate_kb import write_kb

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

#: Enough articles for a cold run to use the worker pool and last well over the display's
#: half-second delay on any machine.
ARTICLES = 600


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress") / "kb"
    write_kb(root, ARTICLES)
    return root


def _run(kb: Path, report: Path, *extra: str, ci: bool = False, tty: bool = True) -> str:
    """A cold check writing its JSON report to `report`; returns what it wrote on stderr,
    which is a pseudo-terminal unless `tty` is false."""
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env.pop("KBCHECK_NO_PROGRESS", None)
    env["COLUMNS"] = "100"
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "kbcheck", "check", str(kb), "--no-cache", "--jobs", "2"]
    command += ["--format", "json", "--output", str(report), *extra]
    if not tty:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 1, result.stderr
        return result.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    written = b""
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the other side closed: the run ended
                    break
                if not chunk:
                    break
                written += chunk
            elif process.poll() is not None:
                break
        assert process.wait(timeout=120) == 1
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
    return written.decode("utf-8", "replace")


def test_a_long_run_shows_what_it_does_on_a_terminal(kb: Path, tmp_path: Path) -> None:
    shown = _run(kb, tmp_path / "shown.json")
    assert "parsing articles" in shown
    assert f"/{ARTICLES}" in shown  # files parsed out of files to parse
    assert "running rules" in shown
    assert "\x1b[?25l" in shown and "\x1b[?25h" in shown  # the cursor is given back
    # Nothing of it in the report: the same bytes as a run without the display.
    _run(kb, tmp_path / "silent.json", "--no-progress")
    assert (tmp_path / "shown.json").read_bytes() == (tmp_path / "silent.json").read_bytes()


def test_silent_in_ci_without_a_terminal_and_when_asked(kb: Path, tmp_path: Path) -> None:
    for name, extra, ci, tty in (
        ("no-progress", ("--no-progress",), False, True),
        ("ci", (), True, True),
        ("pipe", (), False, False),
    ):
        stderr = _run(kb, tmp_path / f"{name}.json", *extra, ci=ci, tty=tty)
        assert "parsing articles" not in stderr, name
        assert "running rules" not in stderr, name
        assert "\x1b[" not in stderr, name
        assert "wrote the json report" in stderr, name
