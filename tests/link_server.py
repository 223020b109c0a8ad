"""A real HTTP server on 127.0.0.1 for the external link tests: one path per behaviour a link
checker meets in the wild, and a log of every request it received."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.server_thread import RunningServer, serve_in_thread

LARGE_BODY = 256 * 1024 * 1024  # announced by /large; never downloaded by the checker


@dataclass
class ServerLog:
    """What the server saw, shared with its handler threads."""

    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    in_flight: int = 0
    max_in_flight: int = 0
    starts: list[float] = field(default_factory=list)
    large_bytes_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, path: str, method: str | None = None) -> int:
        with self.lock:
            return sum(
                1 for m, p, _ in self.requests if p == path and (method is None or m == method)
            )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_GET(self) -> None:
        self._serve("GET")

    def _serve(self, method: str) -> None:
        log = self.server.log
        path = self.path.split("?", 1)[0]
        with log.lock:
            log.requests.append((method, path, dict(self.headers.items())))
            log.hits[path] += 1
            hit = log.hits[path]
            log.in_flight += 1
            log.max_in_flight = max(log.max_in_flight, log.in_flight)
            log.starts.append(time.monotonic())
        try:
            self._respond(method, path, hit)
        finally:
            with log.lock:
                log.in_flight -= 1

    def _send(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _respond(self, method: str, path: str, hit: int) -> None:
        page = b"<html><body>ok</body></html>"
        if path.startswith(("/ok", "/shared", "/page-")):
            self._send(200, {"Content-Type": "text/html"}, page)
        elif path == "/missing":
            self._send(404)
        elif path == "/gone":
            self._send(410)
        elif path == "/moved":
            self._send(301, {"Location": "/moved-again"})
        elif path == "/moved-again":
            self._send(308, {"Location": f"http://127.0.0.1:{self.server.server_port}/ok-new"})
        elif path == "/temporary":
            self._send(302, {"Location": "/ok-temporary-target"})
        elif path == "/moved-then-temporary":
            self._send(301, {"Location": "/temporary"})
        elif path == "/loop-a":
            self._send(301, {"Location": "/loop-b"})
        elif path == "/loop-b":
            self._send(301, {"Location": "/loop-a"})
        elif path == "/to-ftp":
            self._send(301, {"Location": "ftp://files.example.com/manual.pdf"})
        elif path == "/moved-to-missing":
            self._send(301, {"Location": "/missing"})
        elif path == "/no-head":
            self._send(405 if method == "HEAD" else 200, {}, page)
        elif path == "/head-not-implemented":
            self._send(501 if method == "HEAD" else 200, {}, page)
        elif path == "/rate-limited-once":
            if hit == 1:
                self._send(429, {"Retry-After": "1"})
            else:
                self._send(200, {}, page)
        elif path == "/rate-limited":
            self._send(429, {"Retry-After": "1"})
        elif path == "/rate-limited-for-an-hour":
            self._send(429, {"Retry-After": "3600"})
        elif path == "/server-error":
            self._send(503)
        elif path == "/flaky":
            self._send(500 if hit == 1 else 200, {}, page)
        elif path == "/bot-wall":
            self._send(403)
        elif path == "/linkedin-style":
            self._send(999)
        elif path == "/auth":
            authorised = self.headers.get("Authorization") == "Bearer s3cret-token"
            self._send(200 if authorised else 401)
        elif path == "/slow":
            time.sleep(2.0)
            self._send(200, {}, page)
        elif path == "/busy":
            time.sleep(0.15)
            self._send(200, {}, page)
        elif path == "/reset":
            # SO_LINGER 0 turns close() into a TCP reset: the peer sees "connection reset".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif path == "/large":
            self._send_large(method)
        else:
            self._send(404)

    def _send_large(self, method: str) -> None:
        if method == "HEAD":
            self._send(405)  # force the GET that must not download the body
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(LARGE_BODY))
        self.end_headers()
        chunk = b"x" * 65536
        sent = 0
        try:
            while sent < LARGE_BODY:
                self.wfile.write(chunk)
                sent += len(chunk)
                with self.server.log.lock:
                    self.server.log.large_bytes_sent = sent
        except OSError:  # the client hung up, as it should
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 drops connections under concurrent clients

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.log = ServerLog()


LinkServer = RunningServer[ServerLog]


def link_server() -> AbstractContextManager[LinkServer]:
    server = _Server()
    return serve_in_thread(server, server.log)


def refused_url() -> str:
    """An address on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/anything"
