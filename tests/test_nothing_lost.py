"""No write of kbcheck's can cost the user a file: `verify`, `init`, `--output`,
`--write-baseline` and the cache either finish or leave the old file exactly as it was.

A full disk is real here: the command runs in a child process whose RLIMIT_FSIZE is smaller
than what it has to write, so the kernel refuses the write half-way (EFBIG, the same path as
ENOSPC). A crash is simulated by making the write fail after part of the data is on disk."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kbcheck import atomic_files
from kbcheck.atomic_files import create_file, replace_file
from kbcheck.cli import app
from kbcheck.incremental.parse_cache import shard_document
from kbcheck.verify import VerifyError, read_snapshot, record_review, write_snapshot
from tests.conftest import write_tree

resource = pytest.importorskip("resource", reason="RLIMIT_FSIZE is POSIX")

ARTICLE = (
    "---\ntitle: Refunds\nowner: billing-team\nlast_reviewed: 2025-01-10\n---\n# Refunds\n\n"
    + "Refunds are accepted within 30 days of purchase. " * 150
    + "\n"
)
#: Smaller than ARTICLE, so rewriting it must fail half-way.
LIMIT = 2048


def run_limited(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`kbcheck ARGS` in a child process that may not write more than LIMIT bytes to a file.
    Python ignores SIGXFSZ, so the write fails with EFBIG instead of killing the process."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    return subprocess.run(
        [sys.executable, "-m", "kbcheck", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
        cwd=cwd,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "kbcheck-tmp" in p.name)


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "kb", {"refunds.md": ARTICLE})
    assert len(ARTICLE) > 2 * LIMIT
    return root


# --- a full disk -------------------------------------------------------------------------------


def test_verify_on_a_full_disk_leaves_the_article_intact(kb: Path) -> None:
    article = kb / "refunds.md"
    before = article.read_bytes()
    result = run_limited("verify", str(article), "--date", "2026-06-01", "--today", "2026-06-01")
    assert result.returncode == 2
    assert result.stderr.startswith(f"kbcheck: error: {article}: cannot write: File too large")
    assert "Traceback" not in result.stderr
    assert article.read_bytes() == before
    assert leftovers(kb) == []


def test_verify_killed_mid_write_leaves_the_article_intact(kb: Path) -> None:
    """With SIGXFSZ at its default the kernel kills the process in the middle of the write,
    as a crash or a power cut would: the article is untouched, and what may remain is a
    temporary file that is not an article."""
    article = kb / "refunds.md"
    before = article.read_bytes()

    def limit_and_die() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    script = (
        "import signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_DFL);"
        "from kbcheck.cli import main; sys.argv = ['kbcheck'] + sys.argv[1:]; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "verify", str(article), "--date", "2026-06-01"],
        capture_output=True,
        timeout=120,
        preexec_fn=limit_and_die,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode < 0  # killed by the signal
    assert article.read_bytes() == before
    assert all(name.endswith(".kbcheck-tmp") for name in leftovers(kb))
    assert sorted(p.name for p in kb.iterdir() if p.suffix == ".md") == ["refunds.md"]


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_report_and_baseline_on_a_full_disk_keep_the_previous_file(
    kb: Path, tmp_path: Path, option: str
) -> None:
    many = {f"page-{i}.md": f"# Page {i}\n\n[x](missing-{i}.md)\n" for i in range(60)}
    write_tree(kb, many)
    previous = tmp_path / "previous.json"
    previous.write_text('{"an": "earlier report the user keeps"}\n')
    result = run_limited(
        "check", str(kb), "-f", "json", "--no-cache", "--today", "2026-06-01", option, str(previous)
    )
    assert result.returncode == 2, result.stderr
    assert "File too large" in result.stderr and "Traceback" not in result.stderr
    assert previous.read_text() == '{"an": "earlier report the user keeps"}\n'
    assert leftovers(tmp_path) == []


def test_init_on_a_full_disk_leaves_no_half_configuration(tmp_path: Path) -> None:
    from kbcheck.starter import STARTER_CONFIG

    assert len(STARTER_CONFIG.encode()) > LIMIT
    result = run_limited("init", str(tmp_path))
    assert result.returncode == 2
    assert "File too large" in result.stderr
    # no truncated kbcheck.toml that the next `init` would refuse to replace
    assert list(tmp_path.iterdir()) == []


def test_the_cache_on_a_full_disk_keeps_its_old_document(kb: Path) -> None:
    write_tree(kb, {f"page-{i}.md": f"# Page {i}\n\nText {i}.\n" for i in range(60)})
    (kb / "page-0.md").write_text("# Page 0\n\n" + "Long text. " * 400)
    CliRunner().invoke(app, ["check", str(kb), "--today", "2026-06-01"])
    document = kb / ".kbcheck-cache" / shard_document("page-0.md")
    before = document.read_bytes()
    assert len(before) > LIMIT
    with (kb / "page-0.md").open("a") as page:  # the cache must be rewritten
        page.write("Edited.\n")
    result = run_limited(
        "check", str(kb), "-f", "json", "--today", "2026-06-01", "--fail-on", "never"
    )
    assert result.returncode == 0, result.stderr  # the report still comes: a cache is optional
    assert '"articles": 61' in result.stdout
    assert document.read_bytes() == before
    assert leftovers(document.parent) == [] and len(list(document.parent.glob(".*.json.*"))) == 0


# --- a crash in the middle of a write -----------------------------------------------------------


class Crash(Exception):
    pass


def crash_after_part_of_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next file write puts half its data on disk, then the process 'dies'."""
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        size = os.fstat(descriptor).st_size
        os.ftruncate(descriptor, size // 2)
        real_fsync(descriptor)
        raise Crash

    monkeypatch.setattr(os, "fsync", fsync)


def test_verify_crashing_mid_write(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = kb / "refunds.md"
    before = article.read_bytes()
    snapshot = read_snapshot(article)
    crash_after_part_of_the_data(monkeypatch)
    with pytest.raises(Crash):
        write_snapshot(snapshot, record_review(snapshot.text, __import__("datetime").date.today()))
    assert article.read_bytes() == before
    assert leftovers(kb) == []


@pytest.mark.parametrize("write", [replace_file, create_file], ids=["replace", "create"])
def test_report_writes_crashing_mid_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Callable[[Path, bytes], None]
) -> None:
    target = tmp_path / "report.json"
    if write is replace_file:
        target.write_bytes(b"old report\n")
    crash_after_part_of_the_data(monkeypatch)
    with pytest.raises(Crash):
        write(target, b"new report " * 1000)
    assert (target.read_bytes() if target.exists() else None) == (
        b"old report\n" if write is replace_file else None
    )
    assert leftovers(tmp_path) == []


# --- never the wrong file ---------------------------------------------------------------------


def test_output_onto_an_article_is_refused(kb: Path) -> None:
    before = (kb / "refunds.md").read_bytes()
    for option in ("--output", "--write-baseline"):
        result = CliRunner().invoke(
            app, ["check", str(kb), "-f", "markdown", option, str(kb / "refunds.md")]
        )
        assert result.exit_code == 2
        assert "is an article of the knowledge base; not overwritten" in result.output
        assert (kb / "refunds.md").read_bytes() == before


def test_output_through_a_symlink_replaces_its_target_and_keeps_the_mode(
    kb: Path, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    real = reports / "latest.json"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "report.json"
    link.symlink_to(real)
    result = CliRunner().invoke(app, ["check", str(kb), "-f", "json", "-o", str(link)])
    assert result.exit_code in (0, 1), result.output
    assert link.is_symlink() and real.read_text().startswith("{")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert leftovers(reports) == []


def test_a_new_report_gets_the_usual_mode_not_a_private_one(kb: Path, tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        CliRunner().invoke(app, ["check", str(kb), "-f", "json", "-o", str(tmp_path / "r.json")])
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o644


def test_output_to_a_device_writes_to_it_and_never_replaces_it(kb: Path) -> None:
    """`-o /dev/null` (or /dev/stdout) must stay a device: a rename over it would, for root,
    replace the system's /dev/null with a plain file."""
    if not Path(os.devnull).exists() or Path(os.devnull).is_file():
        pytest.skip("no null device here")
    before = os.stat(os.devnull)
    for option in ("--output", "--write-baseline"):
        result = CliRunner().invoke(app, ["check", str(kb), "-f", "json", option, os.devnull])
        assert result.exit_code in (0, 1), result.output
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.parametrize("existing", ["file", "dangling-link", "folder"])
def test_init_never_replaces_anything(tmp_path: Path, existing: str) -> None:
    target = tmp_path / "kbcheck.toml"
    if existing == "file":
        target.write_text("# mine\n")
    elif existing == "dangling-link":
        target.symlink_to(tmp_path / "elsewhere.toml")
    else:
        target.mkdir()
    result = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "already exists; not overwritten" in result.output
    assert not (tmp_path / "elsewhere.toml").exists()
    if existing == "file":
        assert target.read_text() == "# mine\n"
    assert leftovers(tmp_path) == []


def test_verify_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    with pytest.raises(VerifyError, match=r"not a regular file \(a pipe\)"):
        read_snapshot(pipe)


def test_temporary_files_are_never_articles() -> None:
    assert not atomic_files.TEMPORARY_SUFFIX.endswith((".md", ".markdown"))
