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
