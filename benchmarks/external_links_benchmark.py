"""How long `kbcheck check --external` takes on a knowledge base linking 2,000 distinct URLs
served with about 50 ms of latency each, cold and with a warm cache.

Everything stays on this machine: the "web" is a set of small threaded HTTP servers, one on
each of several loopback addresses (127.0.0.1, 127.0.0.2, ...: Linux routes all of 127/8 to
the loopback interface), so that the per-host limit behaves as it would across many real
sites. The knowledge base uses every URL in two articles, so the run also shows that a URL is
requested once however often it is linked.

    python benchmarks/external_links_benchmark.py              # defaults below
    python benchmarks/external_links_benchmark.py --urls 500 --hosts 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path

FRONT_MATTER = "---\ntitle: {title}\nowner: support-team\nlast_reviewed: 2026-05-01\n---\n"


class _Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_method: Counter[str] = Counter()

    def add(self, method: str) -> None:
        with self.lock:
            self.by_method[method] += 1

    def total(self) -> int:
        with self.lock:
            return sum(self.by_method.values())


def _answer_for(path: str) -> tuple[int, dict[str, str]]:
    """1 URL in 50 is gone, 1 in 50 has moved for good: the rest answer 200."""
    number = int(path.rsplit("-", 1)[-1]) if path[-1:].isdigit() else 0
    if number % 50 == 1:
        return 404, {}
    if number % 50 == 2:
        return 301, {"Location": path + "-new"}
    return 200, {"Content-Type": "text/html"}


async def _serve_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    latency: float,
    counter: _Counter,
) -> None:
    """A minimal HTTP/1.1 keep-alive server: enough for HEAD and GET without bodies to read.
    asyncio rather than a thread per connection, so the server's own CPU use stays small
    next to the client it measures (the machine has 2 cores)."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            method, path, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            counter.add(method)
            await asyncio.sleep(latency)
            status, headers = _answer_for(path)
            body = b"<html>ok</html>" if status == 200 else b""
            lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}"]
            lines += [f"{name}: {value}" for name, value in headers.items()]
            lines.append(f"Content-Length: {len(body)}")
            payload = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
            writer.write(payload if method == "HEAD" else payload + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


@contextmanager
def serve(hosts: int, latency: float, counter: _Counter) -> Iterator[list[str]]:
    """Start one server per loopback address on an event loop in a background thread;
    yield their base URLs."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def start() -> tuple[list[asyncio.AbstractServer], list[str]]:
        servers, bases = [], []
        for index in range(hosts):
            address = f"127.0.0.{index + 1}"
            server = await asyncio.start_server(
                lambda r, w: _serve_connection(r, w, latency, counter),
                address,
                0,
                backlog=512,
            )
            servers.append(server)
            bases.append(f"http://{address}:{server.sockets[0].getsockname()[1]}")
        return servers, bases

    servers, bases = asyncio.run_coroutine_threadsafe(start(), loop).result()
    try:
        yield bases
    finally:

        async def stop() -> None:
            for server in servers:
                server.close()

        asyncio.run_coroutine_threadsafe(stop(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)


def build_kb(root: Path, urls: list[str], links_per_article: int) -> int:
    """Write articles that use every URL twice; return the number of articles."""
    doubled = urls + urls[::-1]
    articles = 0
    for start in range(0, len(doubled), links_per_article):
        chunk = doubled[start : start + links_per_article]
        folder = root / f"section-{articles // 100:02}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [FRONT_MATTER.format(title=f"Article {articles}"), f"# Article {articles}\n"]
        lines += [f"- See [page {n}]({url}) for details.\n" for n, url in enumerate(chunk)]
        (folder / f"article-{articles:04}.md").write_text("".join(lines), encoding="utf-8")
        articles += 1
    (root / "kbcheck.toml").write_text('today = "2026-06-01"\n', encoding="utf-8")
    return articles


def run_check(kbcheck: str, root: Path) -> tuple[float, dict]:
    report = root.parent / "report.json"
    started = time.perf_counter()
    completed = subprocess.run(
        [kbcheck, "check", str(root), "--external", "--format", "json", "--output", str(report)],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1"},
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        sys.exit(f"kbcheck failed ({completed.returncode}): {completed.stderr}")
    return elapsed, json.loads(report.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=2000, help="distinct URLs (default 2000)")
    parser.add_argument("--hosts", type=int, default=40, help="loopback hosts (default 40)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--links-per-article", type=int, default=8)
    arguments = parser.parse_args()

    kbcheck = shutil.which("kbcheck") or str(Path(sys.executable).parent / "kbcheck")
    counter = _Counter()
    with (
        serve(arguments.hosts, arguments.latency, counter) as bases,
        tempfile.TemporaryDirectory(prefix="kbcheck-bench-") as folder,
    ):
        urls = [f"{bases[n % len(bases)]}/docs/page-{n}" for n in range(arguments.urls)]
        root = Path(folder) / "kb"
        articles = build_kb(root, urls, arguments.links_per_article)
        print(
            f"{arguments.urls} distinct URLs on {arguments.hosts} hosts, "
            f"{2 * arguments.urls} links in {articles} articles, "
            f"{arguments.latency * 1000:.0f} ms per request"
        )
        print("defaults: concurrency 64, per_host 4, HEAD first, cache max age 1 day")
        print()
        print(f"{'run':<12}{'seconds':>10}{'requests':>10}{'findings':>10}")
        for label in ("cold", "warm cache"):
            before = counter.total()
            elapsed, report = run_check(kbcheck, root)
            requests = counter.total() - before
            rules = Counter(finding["rule"] for finding in report["findings"])
            print(f"{label:<12}{elapsed:>10.2f}{requests:>10}{len(report['findings']):>10}")
        print()
        print("findings by rule (last run):", dict(sorted(rules.items())))
        print("requests by method (all runs):", dict(counter.by_method))
        print("(failures are never cached, so the warm run re-checks the dead URLs only)")


if __name__ == "__main__":
    main()
