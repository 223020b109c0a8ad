"""A minimal headless-Chromium driver for the HTML report tests.

It speaks the DevTools protocol over `--remote-debugging-pipe` (JSON messages separated by NUL
bytes on file descriptors 3 and 4, the transport Puppeteer uses), so it needs no websocket
library, no debugging port and no browser download: the system's Chromium is enough. It
records what a person would see go wrong in the developer console: console errors, uncaught
exceptions, browser log errors (a Content-Security-Policy violation, a failed load) and every
request that leaves the local file.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Where Debian, Ubuntu and Chrome's own packages put the browser.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "install Chromium to run it (Debian/Ubuntu: apt-get update && apt-get install -y "
    "chromium), or point KBCHECK_BROWSER at a Chrome/Chromium executable"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
)


def find_browser() -> str | None:
    configured = os.environ.get("KBCHECK_BROWSER")
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(Exception):
    pass


def _above_nine(descriptor: int) -> int:
    moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD, 10)
    os.close(descriptor)
    return moved


@dataclass
class PageProblems:
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the page asked for

    @property
    def all_errors(self) -> list[str]:
        return [*self.console_errors, *self.exceptions, *self.log_errors]


class Browser:
    """One Chromium process with one page. Use as a context manager."""

    def __init__(self, executable: str, timeout: float = 30.0) -> None:
        self.executable = executable
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="kbcheck-chromium-")
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self.session: str | None = None
        self.problems = PageProblems()

    def __enter__(self) -> Browser:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # The child's ends move above 9 first, so redirecting them onto 3 and 4 cannot
        # clobber one with the other (os.pipe may well have returned 3 or 4).
        to_browser_read = _above_nine(to_browser_read)
        from_browser_write = _above_nine(from_browser_write)
        # The browser reads commands on fd 3 and writes replies on fd 4: a tiny Python
        # launcher puts the pipe ends there, then becomes the browser.
        launcher = (
            "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
            "os.execv(sys.argv[3], sys.argv[3:])"
        )
        command = [
            sys.executable,
            "-c",
            launcher,
            str(to_browser_read),
            str(from_browser_write),
            self.executable,
            *FLAGS,
            f"--user-data-dir={self._profile.name}",
            "about:blank",
        ]
        self.process = subprocess.Popen(
            command,
            pass_fds=(to_browser_read, from_browser_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        try:
            target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            attached = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
            self.session = attached["sessionId"]
            for domain in ("Runtime", "Log", "Page", "Network"):
                self.call(f"{domain}.enable")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if self.process.poll() is None:
                self._send("Browser.close", {}, session=False)
                self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired, BrowserError):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
            for descriptor in (self._to_browser, self._from_browser):
                with contextlib.suppress(OSError):
                    os.close(descriptor)
            self._profile.cleanup()

    # --- protocol ----------------------------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any], session: bool = True) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode("utf-8") + b"\0")
        return self._next_id

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("timed out waiting for the browser")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise BrowserError(f"the browser exited (status {self.process.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message = json.loads(raw)
        if "method" in message:
            self._record(message)
        return message

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        wanted = self._send(method, params or {})
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for_event(self, method: str) -> dict[str, Any]:
        for index, event in enumerate(self._events):
            if event["method"] == method:
                return self._events.pop(index)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read_message(deadline)
            if message.get("method") == method:
                self._events.remove(message)
                return message

    def _record(self, event: dict[str, Any]) -> None:
        self._events.append(event)
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            texts = [str(arg.get("value", arg.get("description", ""))) for arg in params["args"]]
            self.problems.console_errors.append(" ".join(texts))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            description = details.get("exception", {}).get("description") or details.get("text")
            self.problems.exceptions.append(str(description))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.problems.log_errors.append(params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            self.problems.requests.append(params["request"]["url"])

    # --- page --------------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Navigate and wait until the load event (scripts have run). Problems recorded
        before are forgotten."""
        self._events.clear()
        self.problems = PageProblems()
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"cannot open {url}: {result['errorText']}")
        self.wait_for_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def set_viewport(self, width: int, height: int = 800) -> None:
        """Lay pages out as a screen `width` CSS pixels wide (a phone below 600 px)."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    def screenshot(self) -> bytes:
        """The visible part of the page as PNG bytes."""
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        return base64.b64decode(data)

    def image_ink(self, png: bytes) -> dict[str, float]:
        """Width, height and the share of pixels that differ from the top-left one, decoded by
        the browser itself on a blank page (so no image library is needed). Leaves that page
        open: take screenshots last."""
        self.open("about:blank")
        source = json.dumps("data:image/png;base64," + base64.b64encode(png).decode("ascii"))
        return self.evaluate(
            "new Promise(resolve => { const image = new Image(); image.onload = () => {"
            " const canvas = document.createElement('canvas');"
            " canvas.width = image.width; canvas.height = image.height;"
            " const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);"
            " const data = context.getImageData(0, 0, image.width, image.height).data;"
            " let ink = 0; for (let i = 0; i < data.length; i += 4) {"
            "  if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2])"
            "   { ink += 1; } }"
            " resolve({width: image.width, height: image.height,"
            "  ink: ink / (image.width * image.height)}); };"
            f" image.src = {source}; }})"
        )
