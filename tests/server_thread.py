"""Runs a test's HTTP server on 127.0.0.1 in a thread of its own and stops it for certain when
the test is done, so no test leaves a thread or a port behind. tests/link_server.py (a
well-behaved server) and tests/hostile_server.py (a badly behaved one) both run this way."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

Log = TypeVar("Log")


@dataclass
class RunningServer(Generic[Log]):
    """A server as a test sees it: where it listens and what it has logged."""

    base: str
    log: Log

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@contextmanager
def serve_in_thread(
    server: socketserver.TCPServer, log: Log, stopping: threading.Event | None = None
) -> Iterator[RunningServer[Log]]:
    """Serve `server` (bound to 127.0.0.1) until the block ends. Then `stopping` is set first,
    so that handlers that wait on it (a server that never answers) return, before the server
    is shut down, its socket closed and its thread joined."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield RunningServer(f"http://127.0.0.1:{server.server_address[1]}", log)
    finally:
        if stopping is not None:
            stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
