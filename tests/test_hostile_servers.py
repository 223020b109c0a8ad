"""`--external` against servers that misbehave on purpose (tests/hostile_server.py, on
127.0.0.1 only): every URL gets its verdict within its timeout, nothing is downloaded without
end, no redirect leaves http(s), and the whole run's time stays bounded."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from kbcheck.cli import app
from kbcheck.config import ExternalSettings
from kbcheck.external_links import DEAD, OK, UNVERIFIED, ExternalLinkChecker, Verdict
from tests.conftest import write_tree
from tests.hostile_server import (
    TRICKLE_ANSWER,
    TRICKLE_INTERVAL,
    HostileServer,
    hostile_server,
    unaccepting_port,
)

TIMEOUT = 1.0
SETTINGS = ExternalSettings(timeout=TIMEOUT, retries=1, backoff=0.05, max_retry_wait=2.0)
#: Generous: a loaded machine is slow, but a check that waits for the trickle to finish
#: (about 40 s) or for an endless body to end never comes close.
BOUND = 10 * TIMEOUT


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with hostile_server() as running:
        yield running


def timed_check(url: str, settings: ExternalSettings = SETTINGS) -> tuple[Verdict, float]:
    started = time.monotonic()
    verdict = ExternalLinkChecker(settings).check([url])[url]
    return verdict, time.monotonic() - started


def test_a_server_that_never_answers_times_out(server: HostileServer) -> None:
    verdict, elapsed = timed_check(server.url("/silent"))
    assert (verdict.state, verdict.reason) == (UNVERIFIED, "no answer within 1 s (timed out)")
    assert elapsed < BOUND


def test_a_port_that_never_accepts_times_out() -> None:
    with unaccepting_port() as url:
        verdict, elapsed = timed_check(url)
    assert verdict.state == UNVERIFIED and "timed out" in verdict.reason
    assert elapsed < BOUND


def test_the_timeout_covers_the_whole_answer_not_each_read(server: HostileServer) -> None:
    """A byte a second never trips a per-read timeout of one second or more: only a deadline
    for the whole answer ends the request."""
    assert len(TRICKLE_ANSWER) * TRICKLE_INTERVAL > 4 * BOUND  # the trickle outlasts the bound
    slow_reads = ExternalSettings(timeout=2.5, retries=0)  # longer than the 1 s between bytes
    verdict, elapsed = timed_check(server.url("/trickle"), slow_reads)
    assert verdict.state == UNVERIFIED and "timed out" in verdict.reason
    assert elapsed < BOUND


def test_an_endless_body_is_never_read(server: HostileServer) -> None:
    verdict, elapsed = timed_check(server.url("/endless-body"))
    assert (verdict.state, verdict.status) == (OK, 200)
    assert elapsed < BOUND
    time.sleep(0.2)
    # the server wrote until the client hung up: a few socket buffers, not a download
    assert server.log.body_bytes_sent < 64 * 1024 * 1024


def test_endless_headers_are_refused(server: HostileServer) -> None:
    verdict, elapsed = timed_check(server.url("/endless-headers"))
    assert (verdict.state, verdict.reason) == (UNVERIFIED, "the server's answer is not valid HTTP")
    assert elapsed < BOUND


def test_an_endless_redirect_chain_stops_at_the_limit(server: HostileServer) -> None:
    before = sum(n for path, n in server.log.hits.items() if path.startswith("/endless-redirect"))
    verdict, elapsed = timed_check(server.url("/endless-redirect"))
    after = sum(n for path, n in server.log.hits.items() if path.startswith("/endless-redirect"))
    assert (verdict.state, verdict.reason) == (DEAD, "more than 10 redirects")
    assert after - before == SETTINGS.max_redirects + 1
    assert elapsed < BOUND


@pytest.mark.parametrize(("path", "scheme"), [("/to-file", "file"), ("/to-ftp", "ftp")])
def test_a_redirect_out_of_http_is_not_followed(
    server: HostileServer, path: str, scheme: str
) -> None:
    verdict, _ = timed_check(server.url(path))
    assert verdict.state == UNVERIFIED
    assert verdict.reason == f"redirects to a {scheme}: address, which is not followed"


@pytest.mark.parametrize("path", ["/bad-status", "/huge-status", "/binary"])
def test_malformed_status_lines(server: HostileServer, path: str) -> None:
    verdict, elapsed = timed_check(server.url(path))
    # a fixed reason: nothing the server sent is quoted in a report
    assert (verdict.state, verdict.reason) == (UNVERIFIED, "the server's answer is not valid HTTP")
    assert elapsed < BOUND


def test_another_protocol_on_the_port_times_out(server: HostileServer) -> None:
    verdict, elapsed = timed_check(server.url("/not-http"))
    assert verdict.state == UNVERIFIED
    assert elapsed < BOUND


@pytest.mark.parametrize("path", ["/reset-mid-headers", "/close-at-once"])
def test_a_connection_cut_before_the_headers_end(server: HostileServer, path: str) -> None:
    verdict, elapsed = timed_check(server.url(path))
    assert (verdict.state, verdict.reason) == (
        UNVERIFIED,
        "the server closed the connection without answering",
    )
    assert elapsed < BOUND


def test_configured_headers_stay_with_their_host_across_redirects(
    server: HostileServer,
) -> None:
    """A header configured for one host is not carried to another by a redirect."""
    with hostile_server() as other:
        target = other.url("/landing")
        start = server.url(f"/redirect-to?url={quote(target, safe='')}")
        netloc = server.base.removeprefix("http://")
        settings = dataclasses.replace(
            SETTINGS, headers={netloc: {"Authorization": "Bearer s3cret-token"}}
        )
        verdict, _ = timed_check(start, settings)
        assert verdict.state == OK
        assert server.log.headers["/redirect-to"]["authorization"] == "Bearer s3cret-token"
        assert "authorization" not in other.log.headers["/landing"]
        assert "s3cret" not in repr(verdict)


def test_one_run_over_every_hostile_server_is_bounded(server: HostileServer) -> None:
    """All of them at once, beside a working link: each its own verdict, and the run takes
    about one timeout, not the sum of them."""
    paths = [
        "/silent",
        "/trickle",
        "/endless-body",
        "/endless-headers",
        "/endless-redirect",
        "/to-file",
        "/to-ftp",
        "/not-http",
        "/bad-status",
        "/reset-mid-headers",
        "/close-at-once",
        "/working",
    ]
    with unaccepting_port() as never:
        urls = [server.url(path) for path in paths] + [never]
        started = time.monotonic()
        verdicts = ExternalLinkChecker(SETTINGS).check(urls)
        elapsed = time.monotonic() - started
    assert {url: verdicts[url].state for url in urls} == {
        **{server.url(path): UNVERIFIED for path in paths},
        server.url("/endless-body"): OK,
        server.url("/endless-redirect"): DEAD,
        server.url("/working"): OK,
        never: UNVERIFIED,
    }
    assert elapsed < BOUND


def test_the_command_reports_hostile_links_and_ends(server: HostileServer, tmp_path: Path) -> None:
    links = "\n".join(
        f"- [{path}]({server.url(path)})" for path in ("/silent", "/binary", "/to-file")
    )
    kb = write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": 'today = "2026-06-01"\n[external]\ntimeout = "1s"\nretries = 0\n',
            "page.md": "---\nowner: a\nlast_reviewed: 2026-05-01\n---\n# Page\n\n" + links + "\n",
        },
    )
    started = time.monotonic()
    result = CliRunner().invoke(
        app, ["check", str(kb), "--external", "--no-cache", "-f", "json", "--fail-on", "never"]
    )
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < BOUND
    assert result.output.count('"rule": "links/external-unverified"') == 3
