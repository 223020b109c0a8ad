"""External link checking against a real HTTP server on 127.0.0.1 (tests/link_server.py):
every verdict, the politeness limits, the cache, and the three rules end to end."""

from __future__ import annotations

import dataclasses
import itertools
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from kbcheck.cli import app
from kbcheck.config import ExternalSettings, parse_config
from kbcheck.engine import LintOptions, lint
from kbcheck.external_links import (
    CACHE_DOCUMENT,
    CACHE_VERSION,
    DEAD,
    OK,
    UNVERIFIED,
    ExternalLinkChecker,
    _network_failure,
    request_url,
)
from kbcheck.incremental.folder import CACHE_FOLDER_NAME, CacheFolder
from tests.conftest import FIXTURE_TODAY, write_tree
from tests.link_server import LARGE_BODY, LinkServer, link_server, refused_url

FAST = ExternalSettings(timeout=0.5, retries=1, backoff=0.05, max_retry_wait=2.0)
FRONT_MATTER = "---\ntitle: T\nowner: support-team\nlast_reviewed: 2026-05-01\n---\n"


@pytest.fixture(scope="module")
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


@pytest.fixture
def fresh_server() -> Iterator[LinkServer]:
    """A server of its own, for tests that count requests or concurrency."""
    with link_server() as running:
        yield running


def check(urls: list[str], settings: ExternalSettings = FAST, **kwargs: object) -> dict:
    checker = ExternalLinkChecker(settings, **kwargs)  # type: ignore[arg-type]
    return checker.check(urls)


# --- verdicts -------------------------------------------------------------------------------


def test_status_codes_are_judged(server: LinkServer) -> None:
    paths = ["/ok", "/missing", "/gone", "/server-error", "/bot-wall", "/linkedin-style"]
    verdicts = check([server.url(path) for path in paths])
    states = {path: verdicts[server.url(path)].state for path in paths}
    assert states == {
        "/ok": OK,
        "/missing": DEAD,
        "/gone": DEAD,
        "/server-error": DEAD,
        "/bot-wall": UNVERIFIED,
        "/linkedin-style": UNVERIFIED,
    }
    assert verdicts[server.url("/missing")].reason == "404 Not Found"
    assert verdicts[server.url("/gone")].status == 410


def test_server_errors_are_retried_before_the_link_is_called_dead(
    fresh_server: LinkServer,
) -> None:
    verdicts = check([fresh_server.url("/server-error"), fresh_server.url("/flaky")])
    assert verdicts[fresh_server.url("/server-error")].state == DEAD
    # HEAD once (a 5xx on HEAD moves to GET), then GET and one retry.
    assert fresh_server.log.count("/server-error", "GET") == 2
    assert verdicts[fresh_server.url("/flaky")].state == OK


def test_permanent_redirect_chain_reports_the_final_address(server: LinkServer) -> None:
    verdicts = check([server.url("/moved")])
    verdict = verdicts[server.url("/moved")]
    assert verdict.state == OK
    assert verdict.redirect_to == server.url("/ok-new")  # through the 301 and the 308


def test_temporary_redirects_are_followed_but_not_reported(server: LinkServer) -> None:
    verdicts = check([server.url("/temporary"), server.url("/moved-then-temporary")])
    assert verdicts[server.url("/temporary")].state == OK
    assert verdicts[server.url("/temporary")].redirect_to is None
    # The permanent move is reported up to where the temporary redirect starts.
    moved = verdicts[server.url("/moved-then-temporary")]
    assert moved.state == OK and moved.redirect_to == server.url("/temporary")


def test_redirect_loop_is_dead_and_ends(server: LinkServer) -> None:
    verdict = check([server.url("/loop-a")])[server.url("/loop-a")]
    assert verdict.state == DEAD
    assert "redirect loop" in verdict.reason


def test_redirect_limit(server: LinkServer) -> None:
    settings = dataclasses.replace(FAST, max_redirects=1)
    verdict = check([server.url("/moved")], settings)[server.url("/moved")]
    assert verdict.state == DEAD and "more than 1 redirects" in verdict.reason


def test_redirect_to_another_scheme_is_not_followed(server: LinkServer) -> None:
    verdict = check([server.url("/to-ftp")])[server.url("/to-ftp")]
    assert verdict.state == UNVERIFIED
    assert "ftp:" in verdict.reason


def test_redirect_to_a_missing_page_is_dead(server: LinkServer) -> None:
    verdict = check([server.url("/moved-to-missing")])[server.url("/moved-to-missing")]
    assert verdict.state == DEAD and verdict.status == 404


def test_get_when_head_is_refused(fresh_server: LinkServer) -> None:
    urls = [fresh_server.url("/no-head"), fresh_server.url("/head-not-implemented")]
    verdicts = check(urls)
    assert {verdict.state for verdict in verdicts.values()} == {OK}
    assert fresh_server.log.count("/no-head", "HEAD") == 1
    assert fresh_server.log.count("/no-head", "GET") == 1
    # The host refused HEAD, so later URLs on it go straight to GET (order permitting).
    assert fresh_server.log.count("/head-not-implemented", "GET") == 1


def test_429_honours_retry_after(fresh_server: LinkServer) -> None:
    started = time.monotonic()
    verdict = check([fresh_server.url("/rate-limited-once")])[
        fresh_server.url("/rate-limited-once")
    ]
    assert verdict.state == OK
    assert time.monotonic() - started >= 0.9  # Retry-After: 1
    assert fresh_server.log.count("/rate-limited-once") == 2


def test_429_still_after_retries_is_unverified(server: LinkServer) -> None:
    verdict = check([server.url("/rate-limited")])[server.url("/rate-limited")]
    assert verdict.state == UNVERIFIED and verdict.status == 429


def test_retry_after_beyond_the_cap_is_not_waited_for(server: LinkServer) -> None:
    started = time.monotonic()
    url = server.url("/rate-limited-for-an-hour")
    verdict = check([url])[url]
    assert verdict.state == UNVERIFIED
    assert time.monotonic() - started < 1.5


def test_slow_response_times_out(server: LinkServer) -> None:
    started = time.monotonic()
    verdict = check([server.url("/slow")])[server.url("/slow")]
    assert verdict.state == UNVERIFIED
    assert "timed out" in verdict.reason
    assert time.monotonic() - started < 1.9  # gave up at the 0.5 s timeout, no retry


def test_connection_reset_is_unverified_after_retrying(fresh_server: LinkServer) -> None:
    verdict = check([fresh_server.url("/reset")])[fresh_server.url("/reset")]
    assert verdict.state == UNVERIFIED
    assert "closed the connection" in verdict.reason
    assert fresh_server.log.count("/reset") == 2  # first try and one retry


def test_connection_refused_is_dead() -> None:
    url = refused_url()
    verdict = check([url])[url]
    assert verdict.state == DEAD and verdict.reason == "connection refused"


def test_unknown_host_is_dead_without_retrying() -> None:
    """Classification of a DNS failure as httpx reports it (no lookup leaves the machine)."""
    error = httpx.ConnectError("[Errno -2] Name or service not known")
    error.__cause__ = socket.gaierror(-2, "Name or service not known")
    state, reason, retry = _network_failure(error)
    assert (state, retry) == (DEAD, False)
    assert "does not resolve" in reason


def test_large_body_is_never_downloaded(fresh_server: LinkServer) -> None:
    started = time.monotonic()
    verdict = check([fresh_server.url("/large")])[fresh_server.url("/large")]
    assert verdict.state == OK
    assert fresh_server.log.count("/large", "GET") == 1
    time.sleep(0.2)  # let the server notice the hang-up
    assert fresh_server.log.large_bytes_sent < LARGE_BODY // 4
    assert time.monotonic() - started < 3


def test_only_http_and_https_are_requested() -> None:
    assert request_url("ftp://example.com/file") is None
    assert request_url("mailto:help@example.com") is None
    assert request_url("//cdn.example.com/x.png") == "https://cdn.example.com/x.png"
    assert request_url("https://example.com/a?b=1#frag") == "https://example.com/a?b=1"


# --- politeness -----------------------------------------------------------------------------


def test_per_host_limit(fresh_server: LinkServer) -> None:
    settings = dataclasses.replace(FAST, per_host=3, timeout=5)
    urls = [fresh_server.url(f"/busy?n={n}") for n in range(12)]
    verdicts = check(urls, settings)
    assert {verdict.state for verdict in verdicts.values()} == {OK}
    assert 2 <= fresh_server.log.max_in_flight <= 3


def test_global_limit(fresh_server: LinkServer) -> None:
    settings = dataclasses.replace(FAST, concurrency=2, per_host=10, timeout=5)
    check([fresh_server.url(f"/busy?n={n}") for n in range(8)], settings)
    assert fresh_server.log.max_in_flight <= 2


def test_minimum_interval_between_requests_to_one_host(fresh_server: LinkServer) -> None:
    settings = dataclasses.replace(FAST, min_interval=0.2)
    check([fresh_server.url(f"/ok?n={n}") for n in range(5)], settings)
    starts = sorted(fresh_server.log.starts)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(starts) == 5
    # Requests leave the client 0.2 s apart; the first one also opens the connection, so it
    # may reach the server late and shorten the first gap as the server sees it.
    assert min(gaps[1:]) >= 0.18
    assert starts[-1] - starts[1] >= 0.55


def test_host_headers_come_from_the_environment(fresh_server: LinkServer) -> None:
    url = fresh_server.url("/auth")
    settings = dataclasses.replace(
        FAST, headers={"127.0.0.1": {"Authorization": "Bearer ${KB_TOKEN}"}}
    )
    assert check([url], settings, environ={"KB_TOKEN": "s3cret-token"})[url].state == OK
    checker = ExternalLinkChecker(settings, environ={})
    assert checker.check([url])[url].state == UNVERIFIED  # 401 without the token
    assert "KB_TOKEN is not set" in checker.notices[0]


# --- cache ----------------------------------------------------------------------------------


def test_cache_keeps_successes_only(fresh_server: LinkServer, tmp_path: Path) -> None:
    cache = CacheFolder(tmp_path / CACHE_FOLDER_NAME)
    urls = [fresh_server.url("/ok"), fresh_server.url("/moved"), fresh_server.url("/missing")]
    first = check(urls, cache=cache)
    sent = len(fresh_server.log.requests)
    second = check(urls, cache=cache)
    assert second[fresh_server.url("/ok")].cached
    assert second[fresh_server.url("/moved")].redirect_to == first[urls[1]].redirect_to
    new_requests = [path for _, path, _ in fresh_server.log.requests[sent:]]
    assert sorted(new_requests) == ["/missing", "/missing"]  # HEAD and GET: failures re-checked
    assert (cache.path / ".gitignore").read_text().splitlines()[-1] == "*"


def test_cache_expires(fresh_server: LinkServer, tmp_path: Path) -> None:
    cache = CacheFolder(tmp_path / "cache")
    url = fresh_server.url("/ok")
    check([url], cache=cache)
    document = json.loads((cache.path / CACHE_DOCUMENT).read_text())
    document["entries"][url]["checked_at"] -= 2 * 86400
    (cache.path / CACHE_DOCUMENT).write_text(json.dumps(document))
    assert not check([url], cache=cache)[url].cached


@pytest.mark.parametrize(
    "content",
    ["", "{not json", "[1, 2]", '{"version": 99}', '{"version": 1, "entries": {"x": 3}}'],
)
def test_corrupt_cache_is_ignored(server: LinkServer, tmp_path: Path, content: str) -> None:
    cache = CacheFolder(tmp_path / "cache")
    cache.path.mkdir()
    (cache.path / CACHE_DOCUMENT).write_text(content)
    url = server.url("/ok")
    assert check([url], cache=cache)[url].state == OK
    rewritten = json.loads((cache.path / CACHE_DOCUMENT).read_text())
    assert rewritten["version"] == CACHE_VERSION and url in rewritten["entries"]


def test_headers_never_reach_the_cache_or_report(fresh_server: LinkServer, tmp_path: Path) -> None:
    url = fresh_server.url("/auth")
    root = write_kb(tmp_path / "kb", {"a.md": f"[api]({url})\n"})
    (root / "kbcheck.toml").write_text(
        'today = "2026-06-01"\n[external]\ntimeout = 1\n'
        '[external.headers."127.0.0.1"]\nAuthorization = "Bearer ${KB_TOKEN}"\n'
    )
    result = CliRunner().invoke(
        app,
        ["check", str(root), "--external", "--format", "json"],
        env={"KB_TOKEN": "s3cret-token"},
    )
    assert result.exit_code == 0, result.output
    assert "s3cret-token" not in result.output
    cache_text = (root / CACHE_FOLDER_NAME / CACHE_DOCUMENT).read_text()
    assert url in cache_text and "s3cret-token" not in cache_text
    assert fresh_server.log.requests[0][2]["Authorization"] == "Bearer s3cret-token"


# --- rules end to end -----------------------------------------------------------------------


def write_kb(root: Path, articles: dict[str, str]) -> Path:
    return write_tree(root, {path: FRONT_MATTER + body for path, body in articles.items()})


def run_external(root: Path, cache: bool = False, **config: object) -> list[str]:
    settings = dict(
        timeout=0.5, retries=1, backoff=0.05, max_retry_wait=2.0, **config.pop("external", {})
    )
    parsed = parse_config({"external": settings, **config}, None)
    result = lint([root], parsed, LintOptions(today=FIXTURE_TODAY, external=True, cache=cache))
    return [f"{f.path}:{f.line}:{f.column}:{f.rule}" for f in result.report.findings]


def test_a_url_used_in_50_articles_is_requested_once(
    fresh_server: LinkServer, tmp_path: Path
) -> None:
    shared = fresh_server.url("/shared/pricing")
    dead = fresh_server.url("/missing")
    articles = {
        f"article-{n:02}.md": f"# A{n}\n\n[pricing]({shared}#plan-{n}) and [old]({dead})\n"
        for n in range(50)
    }
    root = write_kb(tmp_path / "kb", articles)
    findings = run_external(root)
    assert fresh_server.log.count("/shared/pricing") == 1
    assert fresh_server.log.count("/missing") == 2  # one HEAD, one confirming GET
    dead_findings = [f for f in findings if f.endswith("links/external-dead")]
    assert len(dead_findings) == 50
    column = len(f"[pricing]({shared}#plan-0) and ") + 1
    assert dead_findings[0] == f"article-00.md:8:{column}:links/external-dead"


def test_external_rules_fire(server: LinkServer, tmp_path: Path) -> None:
    root = write_kb(
        tmp_path / "kb",
        {
            "a.md": (
                f"# A\n\n[dead]({server.url('/gone')})\n\n"
                f"[wall]({server.url('/bot-wall')})\n\n"
                f"[moved]({server.url('/moved')})\n\n"
                f'<img src="{server.url("/missing")}">\n'
            )
        },
    )
    assert run_external(root) == [
        "a.md:8:1:links/external-dead",
        "a.md:10:1:links/external-unverified",
        "a.md:12:1:links/external-redirect",
        "a.md:14:1:links/external-dead",
    ]


def test_external_rules_stay_silent_on_the_tricky_valid_cases(
    server: LinkServer, tmp_path: Path
) -> None:
    root = write_kb(
        tmp_path / "kb",
        {
            "a.md": (
                f"# A\n\n[ok]({server.url('/ok')}) [temporary]({server.url('/temporary')})\n"
                f"[no HEAD]({server.url('/no-head')}) [flaky]({server.url('/flaky')})\n"
                f"[accepted wall]({server.url('/linkedin-style')})\n"
                f"[excluded]({server.url('/missing')}) [mail](mailto:a@example.com)\n"
                f"[own site](https://help.example.com/missing-but-internal.md)\n"
                f"`[in code]({server.url('/gone')})`\n\n"
                f"```\n{server.url('/gone')}\n```\n"
            ),
            "missing-but-internal.md": "# Internal\n",
        },
    )
    findings = run_external(
        root,
        site_url="https://help.example.com",
        external={"accept": [999], "exclude_urls": ["/missing$"]},
    )
    assert findings == []


def test_external_rules_do_not_run_without_the_flag(
    fresh_server: LinkServer, tmp_path: Path
) -> None:
    root = write_kb(tmp_path / "kb", {"a.md": f"[dead]({fresh_server.url('/gone')})\n"})
    result = lint([root], parse_config({}, None), LintOptions(today=FIXTURE_TODAY))
    assert result.report.findings == ()
    assert fresh_server.log.requests == []
    selected = lint(
        [root],
        parse_config({}, None),
        LintOptions(today=FIXTURE_TODAY, select=("links/external-dead",)),
    )
    assert "runs only with --external" in selected.report.notices[0]


def test_ignoring_the_external_rules_sends_no_request(
    fresh_server: LinkServer, tmp_path: Path
) -> None:
    root = write_kb(tmp_path / "kb", {"a.md": f"[dead]({fresh_server.url('/gone')})\n"})
    external_rules = ("links/external-dead", "links/external-unverified", "links/external-redirect")
    options = LintOptions(today=FIXTURE_TODAY, external=True, ignore=external_rules)
    lint([root], parse_config({}, None), options)
    assert fresh_server.log.requests == []


def test_cli_cache_folder_and_no_cache(fresh_server: LinkServer, tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", {"a.md": f"[ok]({fresh_server.url('/ok')})\n"})
    runner = CliRunner()
    first = runner.invoke(
        app, ["check", str(root), "--external", "--no-cache", "-q", "--today", "2026-06-01"]
    )
    assert first.exit_code == 0, first.output
    assert not (root / CACHE_FOLDER_NAME).exists()
    for _ in range(2):
        runner.invoke(app, ["check", str(root), "--external", "-q"])
    assert fresh_server.log.count("/ok") == 2  # --no-cache run, then one cold run, one cached
    assert (root / CACHE_FOLDER_NAME / ".gitignore").exists()
    # The cache folder is not part of the knowledge base.
    again = runner.invoke(app, ["check", str(root), "--format", "json"])
    assert json.loads(again.stdout)["summary"]["articles"] == 1


def test_cli_cache_dir_holds_the_link_verdicts_too(
    fresh_server: LinkServer, tmp_path: Path
) -> None:
    """`--cache-dir` names the whole cache: the verdicts are kept there, not in the root."""
    root = write_kb(tmp_path / "kb", {"a.md": f"[ok]({fresh_server.url('/ok')})\n"})
    named = tmp_path / "ci-cache"
    for _ in range(2):
        result = CliRunner().invoke(
            app, ["check", str(root), "--external", "-q", "--cache-dir", str(named)]
        )
        assert result.exit_code == 0, result.output
    assert fresh_server.log.count("/ok") == 1  # the second run took the verdict from there
    assert (named / "external-links.json").is_file()
    assert not (root / CACHE_FOLDER_NAME).exists()


def test_cli_external_dead_fails_the_run(fresh_server: LinkServer, tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", {"a.md": f"[dead]({fresh_server.url('/gone')})\n"})
    result = CliRunner().invoke(
        app, ["check", str(root), "--external", "--format", "json", "--today", "2026-06-01"]
    )
    assert result.exit_code == 1
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["rule"] == "links/external-dead"
    assert "410 Gone" in finding["message"]


def test_links_into_another_part_of_the_same_host_are_requested(
    fresh_server: LinkServer, tmp_path: Path
) -> None:
    """Offline, `/ok-docs/...` outside the site's base path is another site's page and is not
    reported; with --external and the site's URL it is requested."""
    site = fresh_server.url("/help/")
    root = write_tree(
        tmp_path / "kb",
        {
            "kb/index.md": FRONT_MATTER
            + "# Help\n\n[Other docs](/ok-docs/setup) and [gone](/missing) and [us](/help/)\n",
        },
    )
    config = {"site": {"url": site, "paths": {"/": "kb/"}}}
    findings = run_external(root, **config)
    assert findings == ["kb/index.md:8:34:links/external-dead"]
    assert fresh_server.log.count("/ok-docs/setup") >= 1
    assert fresh_server.log.count("/help/") == 0  # this repository's own page: read offline
    offline = lint([root], parse_config(config, None), LintOptions(today=FIXTURE_TODAY))
    assert [f.rule for f in offline.report.findings if f.rule.startswith("links/")] == []
