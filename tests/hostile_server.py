"""A raw TCP server on 127.0.0.1 that answers HTTP requests the way broken or hostile servers
do: never, slowly, endlessly, or not in HTTP at all. One path per behaviour; everything stops
when the server is shut down, so no test leaves a thread behind."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import struct
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

from tests.server_thread import RunningServer, serve_in_thread

#: Seconds between two bytes of /trickle; its whole answer takes about 40 s at this pace.
TRICKLE_INTERVAL = 1.0
TRICKLE_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


@dataclass
class HostileLog:
    hits: Counter[str] = field(default_factory=Counter)
    #: The request headers of the last request to each path, names in lower case.
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    body_bytes_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(socketserver.BaseRequestHandler):
    """One request per connection: the connection is closed when `handle` returns, and the
    answers that end normally say `Connection: close` so no client reuses it."""

    server: _Server

    def handle(self) -> None:
        self.request.settimeout(1.0)
        head = self._read_head()
        if head is None:
            return
        method, _, rest = head.partition(" ")
        path, _, query = rest.split(" ", 1)[0].partition("?")
        with self.server.log.lock:
            self.server.log.hits[path] += 1
            self.server.log.headers[path] = self._headers
        with contextlib.suppress(OSError):  # the client hung up, as it may
            self._respond(method, path, query)

    def _read_head(self) -> str | None:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            try:
                chunk = self.request.recv(4096)
            except TimeoutError:
                if self.server.stopping.is_set():
                    return None
                continue
            except OSError:
                return None
            if not chunk:
                return None
            data += chunk
        lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        self._headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in lines[1:])
        }
        return lines[0]

    def _send(self, data: bytes) -> None:
        self.request.sendall(data)

    def _wait_for_shutdown(self) -> None:
        self.server.stopping.wait()

    def _respond(self, method: str, path: str, query: str) -> None:
        stopping = self.server.stopping
        port = self.server.server_address[1]
        if path == "/silent":  # accepts, reads the request, never answers
            self._wait_for_shutdown()
        elif path == "/trickle":  # a valid answer, one byte a second
            for byte in TRICKLE_ANSWER:
                if stopping.wait(TRICKLE_INTERVAL):
                    return
                self._send(bytes([byte]))
        elif path == "/endless-body":  # HEAD refused, so that a GET comes; its body never ends
            if method == "HEAD":
                self._send(
                    b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n"
                    b"Connection: close\r\n\r\n"
                )
            else:
                self._endless_body()
        elif path == "/endless-headers":  # header lines, fast, for ever
            self._send(b"HTTP/1.1 200 OK\r\n")
            while not stopping.is_set():
                self._send(b"X-More: " + b"y" * 1000 + b"\r\n")
        elif path.startswith("/endless-redirect"):  # a new address every time
            step = int(path.rsplit("/", 1)[-1]) if path.count("/") > 1 else 0
            location = f"http://127.0.0.1:{port}/endless-redirect/{step + 1}"
            self._send(
                f"HTTP/1.1 302 Found\r\nLocation: {location}\r\n".encode()
                + b"Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
        elif path == "/redirect-to":  # to the address in the query, e.g. another server
            location = urllib.parse.unquote(query.removeprefix("url="))
            self._send(
                f"HTTP/1.1 302 Found\r\nLocation: {location}\r\n".encode()
                + b"Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
        elif path == "/to-file":
            self._send(
                b"HTTP/1.1 301 Moved Permanently\r\nLocation: file:///etc/passwd\r\n"
                b"Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
        elif path == "/to-ftp":
            self._send(
                b"HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/pub/manual.pdf\r\n"
                b"Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
        elif path == "/not-http":  # some other protocol on the port
            self._send(b"SSH-2.0-OpenSSH_9.6\r\n")
            self._wait_for_shutdown()
        elif path == "/bad-status":  # a status line without a number
            self._send(b"HTTP/1.1 OK Fine\r\nContent-Length: 0\r\n\r\n")
        elif path == "/huge-status":  # a number no status has
            self._send(b"HTTP/1.1 2000000 Big\r\nContent-Length: 0\r\n\r\n")
        elif path == "/binary":
            self._send(bytes(range(256)) * 4)
        elif path == "/reset-mid-headers":  # half the headers, then a TCP reset
            self._send(b"HTTP/1.1 200 OK\r\nContent-Type: text/ht")
            time.sleep(0.05)
            self._reset()
        elif path == "/close-at-once":  # the request is read, the connection just closed
            pass
        else:
            self._send(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def _endless_body(self) -> None:
        self._send(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")
        chunk = b"z" * 65536
        while not self.server.stopping.is_set():
            self._send(chunk)
            with self.server.log.lock:
                self.server.log.body_bytes_sent += len(chunk)

    def _reset(self) -> None:
        # SO_LINGER 0 turns close() into a TCP reset.
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.log = HostileLog()
        self.stopping = threading.Event()


HostileServer = RunningServer[HostileLog]


def hostile_server() -> AbstractContextManager[HostileServer]:
    server = _Server()
    return serve_in_thread(server, server.log, stopping=server.stopping)


@contextmanager
def unaccepting_port() -> Iterator[str]:
    """A port that listens but never accepts: the kernel completes the TCP handshake, and no
    byte ever comes back."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/never-accepted"
    finally:
        listener.close()
