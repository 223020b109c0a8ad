"""Checking http(s) links (`--external`): each distinct URL once per run, politely.

Politeness and speed come from the same design: every URL is requested once however many
articles use it; at most `concurrency` requests run at once overall and `per_host` per host
(with an optional `min_interval` between two requests to one host); `HEAD` comes first and
`GET` only when a server refuses `HEAD`, and a `GET` is closed as soon as its status line and
headers arrive, so no body is ever downloaded. Redirects are followed here, not by the HTTP
client, so a permanent one can be reported with its new address and a redirect to a scheme
other than http(s) is never followed.

Verdicts are kept apart so that neither hides the other: DEAD (404, 410, 5xx after retries,
connection refused, unknown host, redirect loop) is an error a CI job can fail on, while
UNVERIFIED (bot walls such as 401/403/999, still 429 after honouring Retry-After, timeouts,
resets) only says that the checker could not tell. Successful verdicts are cached in the
cache folder for `cache_max_age`; failures never are, so a broken link is re-checked on every
run and a fixed one is noticed at once.
"""

from __future__ import annotations

import asyncio
import email.utils
import http
import os
import random
import re
import socket
import ssl
import threading
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit

from kbcheck import __version__
from kbcheck.config import ExternalSettings
from kbcheck.incremental.folder import CacheFolder
from kbcheck.link_targets import EXTERNAL, article_links, foreign_url, resolve
from kbcheck.link_verdicts import DEAD, OK, UNVERIFIED, Verdict

if TYPE_CHECKING:
    import httpx

    from kbcheck.config import Config
    from kbcheck.corpus import Corpus

#: Called with (URLs checked so far, URLs to check); first with (0, total).
ProgressCallback = Callable[[int, int], None]

CACHE_DOCUMENT = "external-links.json"
CACHE_VERSION = 1

USER_AGENT = f"kbcheck/{__version__} (knowledge-base link checker)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT_REDIRECTS = frozenset({301, 308})
_DEAD_STATUSES = frozenset({404, 410})
_ENVIRONMENT_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@lru_cache(maxsize=65536)
def request_url(url: str) -> str | None:
    """The URL that is actually requested for a link: no fragment (servers never see it),
    protocol-relative `//host/x` as https; None for anything that is not http(s)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower() or ("https" if parts.netloc else "")
    if scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))


def describe_status(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class _Host:
    """Everything kept per host: its request slots (at most `per_host` in flight, started
    at least `min_interval` apart), its own small connection pool, and how much work is left
    for it. One pool per host keeps httpcore's per-request bookkeeping (linear in the pool's
    connections) small, and closing a host's pool once its URLs are done keeps open file
    descriptors bounded however many hosts a knowledge base links to."""

    def __init__(self, per_host: int, min_interval: float) -> None:
        self._slots = asyncio.Semaphore(per_host)
        self._min_interval = min_interval
        self._lock = asyncio.Lock()
        self._next_start = 0.0
        self.client: httpx.AsyncClient | None = None
        self.pending = 0  # URLs not finished yet whose first request goes to this host
        self.active = 0  # requests in flight
        self.head_refused = False

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        async with self._slots:
            if self._min_interval > 0:
                async with self._lock:
                    loop = asyncio.get_running_loop()
                    wait = self._next_start - loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self._next_start = loop.time() + self._min_interval
            yield


@dataclass(frozen=True)
class _Answer:
    status: int
    location: str | None
    retry_after: str | None


class _GiveUp(Exception):
    """A request that failed for good; carries the verdict to report."""

    def __init__(self, state: str, reason: str) -> None:
        super().__init__(reason)
        self.state = state
        self.reason = reason


class ExternalLinkChecker:
    """Checks a set of URLs with the `[external]` settings and the cache folder (None: no
    cache). Header templates are expanded from `environ` once, here."""

    def __init__(
        self,
        settings: ExternalSettings,
        cache: CacheFolder | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.notices: list[str] = []
        self.requests_sent = 0
        self._headers = self._expand_headers(os.environ if environ is None else environ)
        self._hosts: dict[str, _Host] = {}
        self._global: asyncio.Semaphore | None = None
        self._ssl_context: ssl.SSLContext | None = None

    # --- public ------------------------------------------------------------------------------

    def check(
        self, urls: Iterable[str], progress: ProgressCallback | None = None
    ) -> dict[str, Verdict]:
        """A verdict for each distinct URL (as returned by `request_url`)."""
        wanted = sorted(set(urls))
        cached = self._read_cache(wanted)
        pending = [url for url in wanted if url not in cached]
        if progress is not None:
            progress(len(cached), len(wanted))
        verdicts = dict(cached)
        if pending:
            checked = _run(self._check_all(pending, len(cached), len(wanted), progress))
            verdicts.update(checked)
            self._write_cache(checked)
        return verdicts

    # --- headers -----------------------------------------------------------------------------

    def _expand_headers(self, environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
        expanded: dict[str, dict[str, str]] = {}
        for host, headers in self.settings.headers.items():
            values: dict[str, str] = {}
            for name, template in headers.items():
                missing = [
                    var for var in _ENVIRONMENT_REFERENCE.findall(template) if var not in environ
                ]
                if missing:
                    self.notices.append(
                        f'[external.headers."{host}"] {name}: environment variable '
                        f"{missing[0]} is not set; the header is not sent"
                    )
                    continue
                values[name] = _ENVIRONMENT_REFERENCE.sub(lambda m: environ[m.group(1)], template)
            expanded[host] = values
        return expanded

    def _headers_for(self, url: str) -> dict[str, str]:
        """Headers of `*`, then of matching `*.domain` patterns, then of the exact host."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        netloc = parts.netloc.lower()
        chosen: dict[str, str] = dict(self._headers.get("*", {}))
        for pattern, values in self._headers.items():
            if pattern.startswith("*.") and host.endswith(pattern[1:]):
                chosen.update(values)
        for exact in (host, netloc):
            chosen.update(self._headers.get(exact, {}))
        return chosen

    # --- cache -------------------------------------------------------------------------------

    def _read_cache(self, urls: list[str]) -> dict[str, Verdict]:
        if self.cache is None or self.settings.cache_max_age <= 0:
            return {}
        document = self.cache.read_json(CACHE_DOCUMENT, CACHE_VERSION)
        entries = document.get("entries") if document else None
        if not isinstance(entries, dict):
            return {}
        oldest = time.time() - self.settings.cache_max_age
        found: dict[str, Verdict] = {}
        for url in urls:
            entry = entries.get(url)
            verdict = _cached_verdict(url, entry, oldest)
            if verdict is not None:
                found[url] = verdict
        return found

    def _write_cache(self, checked: Mapping[str, Verdict]) -> None:
        if self.cache is None or self.settings.cache_max_age <= 0:
            return
        document = self.cache.read_json(CACHE_DOCUMENT, CACHE_VERSION) or {}
        old = document.get("entries")
        now = time.time()
        oldest = now - self.settings.cache_max_age
        entries: dict[str, Any] = {}
        if isinstance(old, dict):  # keep other runs' fresh entries, drop expired ones
            for url, entry in old.items():
                if _cached_verdict(url, entry, oldest) is not None:
                    entries[url] = entry
        for url, verdict in checked.items():
            if verdict.state == OK:  # failures are never cached
                entries[url] = {
                    "checked_at": now,
                    "status": verdict.status,
                    "redirect_to": verdict.redirect_to,
                }
        try:
            self.cache.write_json(CACHE_DOCUMENT, CACHE_VERSION, {"entries": entries})
        except OSError as error:
            self.notices.append(
                f"{self.cache.path}: cannot write the link cache: {error.strerror or error}"
            )

    # --- checking ----------------------------------------------------------------------------

    async def _check_all(
        self,
        urls: list[str],
        already: int,
        total: int,
        progress: ProgressCallback | None,
    ) -> dict[str, Verdict]:
        self._global = asyncio.Semaphore(self.settings.concurrency)
        self._hosts = {}
        for url in urls:
            self._host(url).pending += 1
        results: dict[str, Verdict] = {}
        tasks = [asyncio.ensure_future(self._check_one(url)) for url in urls]
        done = already
        try:
            for finished in asyncio.as_completed(tasks):
                verdict = await finished
                results[verdict.url] = verdict
                done += 1
                if progress is not None:
                    progress(done, total)
        finally:
            for task in tasks:
                task.cancel()
            for host in self._hosts.values():
                if host.client is not None:
                    await host.client.aclose()
        return results

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        host = self._hosts.get(key)
        if host is None:
            host = _Host(self.settings.per_host, self.settings.min_interval)
            self._hosts[key] = host
        return host

    def _client(self, host: _Host) -> httpx.AsyncClient:
        import httpx  # here, not at the top: only runs with --external pay for the import

        if host.client is None:
            if self._ssl_context is None:  # loading the CA bundle once, not once per host
                self._ssl_context = _ssl_context()
            per_host = self.settings.per_host
            host.client = httpx.AsyncClient(
                verify=self._ssl_context,
                timeout=httpx.Timeout(self.settings.timeout),
                follow_redirects=False,
                limits=httpx.Limits(max_connections=per_host, max_keepalive_connections=per_host),
                headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"},
            )
        return host.client

    async def _release(self, host: _Host) -> None:
        """Close the host's pool when no URL still needs it (a later redirect reopens one)."""
        if host.pending <= 0 and host.active == 0 and host.client is not None:
            client, host.client = host.client, None
            await client.aclose()

    async def _check_one(self, url: str) -> Verdict:
        try:
            return await self._follow(url)
        except _GiveUp as failure:
            return Verdict(url, failure.state, failure.reason)
        except Exception as error:  # an unexpected client error must not stop the run
            return Verdict(url, UNVERIFIED, f"could not be checked: {type(error).__name__}")
        finally:
            host = self._host(url)
            host.pending -= 1
            await self._release(host)

    async def _follow(self, url: str) -> Verdict:
        """Request `url`, following redirects by hand up to `max_redirects`."""
        current = url
        seen = {url}
        moved_to: str | None = None
        only_permanent = True
        for _ in range(self.settings.max_redirects + 1):
            answer = await self._fetch(current)
            if answer.status not in _REDIRECTS or not answer.location:
                return self._judge(url, answer, moved_to, current)
            following = urljoin(current, answer.location.strip())
            if answer.status in _PERMANENT_REDIRECTS and only_permanent:
                moved_to = following
            else:
                only_permanent = False
            scheme = urlsplit(following).scheme.lower()
            if scheme not in ("http", "https"):
                return Verdict(
                    url,
                    UNVERIFIED,
                    f"redirects to a {scheme or 'non-http'}: address, which is not followed",
                    answer.status,
                )
            if following in seen:
                return Verdict(url, DEAD, f"redirect loop at {following}", answer.status)
            seen.add(following)
            current = following
        return Verdict(url, DEAD, f"more than {self.settings.max_redirects} redirects")

    def _judge(self, url: str, answer: _Answer, moved_to: str | None, final: str) -> Verdict:
        status = answer.status
        via = f" (after redirects to {final})" if final != url else ""
        if status in self.settings.accept or 200 <= status < 300:
            return Verdict(url, OK, describe_status(status), status, moved_to)
        if status in _DEAD_STATUSES or 500 <= status < 600:
            return Verdict(url, DEAD, describe_status(status) + via, status)
        if status == 429:
            return Verdict(url, UNVERIFIED, "429 Too Many Requests, still after retrying", status)
        if status in (401, 403, 999):
            reason = "the site refuses automated requests or needs a login"
            return Verdict(url, UNVERIFIED, f"{describe_status(status)}{via}: {reason}", status)
        return Verdict(url, UNVERIFIED, describe_status(status) + via, status)

    async def _fetch(self, url: str) -> _Answer:
        """One hop: HEAD (or GET where HEAD is refused), retrying network errors and 5xx with
        backoff and 429 after its Retry-After (up to `max_retry_wait`)."""
        import httpx

        host = self._host(url)
        method = "GET" if host.head_refused else "HEAD"
        retries_left = self.settings.retries
        attempt = 0
        while True:
            try:
                answer = await self._send(method, url)
            except httpx.InvalidURL as error:
                raise _GiveUp(DEAD, f"not a valid URL: {error}") from None
            except httpx.TimeoutException:
                raise _GiveUp(
                    UNVERIFIED, f"no answer within {self.settings.timeout:g} s (timed out)"
                ) from None
            except httpx.TransportError as error:
                state, reason, retry = _network_failure(error)
                if not retry or retries_left <= 0:
                    raise _GiveUp(state, reason) from None
                retries_left -= 1
                await asyncio.sleep(self._backoff(attempt))
                attempt += 1
                continue
            status = answer.status
            if method == "HEAD" and status >= 400 and status != 429:
                # Many servers answer HEAD with 405/501, and some with 400/403/404 or a 5xx,
                # while GET works: only a GET verdict counts.
                if status in (405, 501):
                    host.head_refused = True
                method = "GET"
                continue
            if status == 429 and retries_left > 0:
                wait = _retry_after_seconds(answer.retry_after)
                if wait is None:
                    wait = self._backoff(attempt)
                if wait > self.settings.max_retry_wait:
                    return answer  # the site asks for longer than we may wait: unverified
                retries_left -= 1
                attempt += 1
                await asyncio.sleep(wait)
                continue
            if 500 <= status < 600 and retries_left > 0:
                retries_left -= 1
                await asyncio.sleep(self._backoff(attempt))
                attempt += 1
                continue
            return answer

    async def _send(self, method: str, url: str) -> _Answer:
        import httpx

        assert self._global is not None
        host = self._host(url)
        try:
            async with host.turn(), self._global:
                client = self._client(host)
                host.active += 1
                self.requests_sent += 1
                try:
                    # httpx's timeout applies to each read, so a server that trickles a byte
                    # a second would never trip it: the whole exchange gets one deadline.
                    return await asyncio.wait_for(
                        self._exchange(client, method, url), self.settings.timeout
                    )
                except asyncio.TimeoutError:
                    raise httpx.TimeoutException("no complete answer in time") from None
                finally:
                    host.active -= 1
        finally:
            await self._release(host)

    async def _exchange(self, client: httpx.AsyncClient, method: str, url: str) -> _Answer:
        async with client.stream(method, url, headers=self._headers_for(url)) as reply:
            if method == "HEAD":
                # No body follows; reading the end of the message lets the connection go back
                # to the pool for the next URL on this host.
                await reply.aread()
            # A GET is closed unread when the block ends: its body is never downloaded (the
            # connection is dropped rather than drained).
            return _Answer(
                reply.status_code, reply.headers.get("location"), reply.headers.get("retry-after")
            )

    def _backoff(self, attempt: int) -> float:
        """`backoff`, then twice that, four times ... (plus a little jitter)."""
        delay = min(self.settings.backoff * (2**attempt), self.settings.max_retry_wait)
        return delay + random.uniform(0, delay / 10)


def _ssl_context() -> ssl.SSLContext:
    """httpx's default verification (certifi's CA bundle), honouring SSL_CERT_FILE for
    private certificate authorities."""
    import certifi

    return ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or certifi.where())


def _cached_verdict(url: str, entry: Any, oldest: float) -> Verdict | None:
    if not isinstance(entry, dict):
        return None
    checked_at = entry.get("checked_at")
    status = entry.get("status")
    redirect_to = entry.get("redirect_to")
    if not isinstance(checked_at, (int, float)) or checked_at < oldest:
        return None
    if not isinstance(status, int) or isinstance(status, bool):
        return None
    if redirect_to is not None and not isinstance(redirect_to, str):
        return None
    return Verdict(url, OK, describe_status(status), status, redirect_to, cached=True)


def _network_failure(error: httpx.TransportError) -> tuple[str, str, bool]:
    """(state, reason, worth retrying) for a request that got no HTTP answer."""
    import httpx

    if _caused_by(error, socket.gaierror):
        return DEAD, "the host name does not resolve (DNS lookup failed)", False
    if _caused_by(error, ConnectionRefusedError):
        return DEAD, "connection refused", True
    if isinstance(error, httpx.ConnectError):
        return DEAD, f"cannot connect: {error}", True
    if isinstance(error, httpx.UnsupportedProtocol):
        return DEAD, f"not a valid URL: {error}", False
    if isinstance(error, httpx.RemoteProtocolError) and "disconnected" not in str(error):
        # The server's own bytes are never quoted: they could carry anything.
        return UNVERIFIED, "the server's answer is not valid HTTP", False
    if isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return UNVERIFIED, "the server closed the connection without answering", True
    return UNVERIFIED, f"network error: {type(error).__name__}", True


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    text = str(error)
    if kind is socket.gaierror:
        return any(
            marker in text
            for marker in ("Name or service not known", "nodename nor servname", "getaddrinfo")
        )
    if kind is ConnectionRefusedError:
        return "Connection refused" in text or "Errno 111" in text
    return False


def _retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


_T = TypeVar("_T")


def _run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run the check on an event loop of its own, even when the caller already has one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=target, name="kbcheck-external-links")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class ExternalLinks:
    """The verdicts of every external URL in the selected articles, checked on first use so
    that a run whose external rules are all ignored sends no request, and shared by every
    rule that asks."""

    def __init__(
        self,
        corpus: Corpus,
        config: Config,
        use_cache: bool = True,
        progress: ProgressCallback | None = None,
        environ: Mapping[str, str] | None = None,
        cache_folder: CacheFolder | None = None,
    ) -> None:
        self.corpus = corpus
        self.config = config
        self.use_cache = use_cache
        #: The folder the command line named (`--cache-dir`); else the configured one.
        self.cache_folder = cache_folder
        self.progress = progress
        self.environ = environ
        self.notices: list[str] = []
        self.requests_sent = 0
        self._verdicts: dict[str, Verdict] | None = None
        self._excluded = [re.compile(pattern) for pattern in config.external.exclude_urls]

    def urls(self) -> set[str]:
        """Every distinct URL to request: external links and images of selected articles,
        minus `exclude_urls`."""
        found: set[str] = set()
        site = self.corpus.site
        for article in self.corpus.selected_articles:
            for link in article.links:
                wanted = self._wanted(link.target, article.path)
                if wanted is not None:
                    found.add(wanted)
            if site is None or not self.config.site_url:
                continue
            # Links into the rest of the same host (another doc set): only a request tells.
            style = self.config.link_style or "file"
            for resolved in article_links(article, self.corpus, self.config.site_url, style, site):
                url = foreign_url(resolved, self.config.site_url)
                wanted = self._request_url(url) if url is not None else None
                if wanted is not None:
                    found.add(wanted)
        return found

    def _wanted(self, target: str, article_path: str) -> str | None:
        resolved = resolve(target, article_path, self.config.site_url)
        if resolved.kind != EXTERNAL:
            return None
        return self._request_url(target)

    def _request_url(self, target: str) -> str | None:
        url = request_url(target)
        if url is None or any(pattern.search(target) for pattern in self._excluded):
            return None
        return url

    def verdict(self, target: str, article_path: str) -> Verdict | None:
        """The verdict for a link as written in an article; None when it is not checked."""
        url = self._wanted(target, article_path)
        return None if url is None else self.verdicts().get(url)

    def verdict_for(self, target: str) -> Verdict | None:
        """The verdict for a link already known to resolve as EXTERNAL (see link_targets)."""
        url = self._request_url(target)
        return None if url is None else self.verdicts().get(url)

    def verdicts(self) -> dict[str, Verdict]:
        if self._verdicts is None:
            cache = None
            if self.use_cache:
                cache = self.cache_folder or CacheFolder.for_root(
                    self.corpus.root, self.config.cache_dir
                )
            checker = ExternalLinkChecker(self.config.external, cache, self.environ)
            self._verdicts = checker.check(self.urls(), self.progress)
            self.notices.extend(checker.notices)
            self.requests_sent = checker.requests_sent
        return self._verdicts
