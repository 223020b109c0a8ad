"""Ctrl-C during a cold run ends kbcheck with exit 130 and one line, workers included: the
signal reaches every process of the terminal's group, as a real Ctrl-C does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate_kb import write_kb

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")


@pytest.fixture(scope="module")
def large_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("interrupt") / "kb"
    write_kb(root, 6000)
    return root


def _interrupt_after(kb: Path, delay: float) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kbcheck", "check", str(kb), "--no-cache", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, the terminal's Ctrl-C target
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.parametrize("delay", [0.4, 0.8, 1.0, 1.2, 1.6])
def test_ctrl_c_ends_with_130_and_no_traceback(large_kb: Path, delay: float) -> None:
    result = _interrupt_after(large_kb, delay)
    if result.returncode in (0, 1):  # the run finished before the signal: nothing to see
        pytest.skip("the run ended before the interrupt")
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "kbcheck: interrupted"
    assert "leaked" not in result.stderr  # the pool was shut down, not abandoned


def _children(pid: int) -> set[int]:
    """The processes `pid` started (the resource tracker, the pool's workers)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_ctrl_c_while_the_workers_start_is_not_lost(tmp_path: Path) -> None:
    """Pressed the moment the workers appear (while the parent starts them, and they are
    still importing): the run still stops, with 130, one line and no worker traceback."""
    kb = tmp_path / "kb"
    write_kb(kb, 1500)
    command = [sys.executable, "-m", "kbcheck", "check", str(kb), "--no-cache", "--jobs", "2"]
    for attempt in range(3):
        report = tmp_path / f"report-{attempt}.json"
        process = subprocess.Popen(
            [*command, "--format", "json", "--output", str(report)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while len(_children(process.pid)) < 2 and process.poll() is None:
            assert time.monotonic() < deadline, "no worker appeared"
            time.sleep(0.005)
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1] == "kbcheck: interrupted"
        assert not report.exists()  # stopped, not run to the end
