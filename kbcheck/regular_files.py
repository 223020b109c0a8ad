"""Reading the files a knowledge base holds or names (articles, `.gitignore`, CODEOWNERS, the
configuration, owners, traffic and baseline files) without trusting what they are.

A repository can hold a symbolic link to `/dev/zero` (it never ends) or a named pipe (reading
it blocks for ever) under any of these names, and `Path.read_text()` would hang on either.
Here only a regular file is read: it is opened without blocking, checked before the first
read, and read up to a limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: Far above any real configuration, CODEOWNERS, owners, traffic or baseline file.
MAX_TEXT_FILE = 64 * 1000 * 1000


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the file (one more than allowed tells the caller it is too
    large). Raises OSError with a reason a person can read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags)
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else None
            raise OSError(f"not a regular file ({kind or 'a device or socket'})")
        chunks: list[bytes] = []
        wanted = limit + 1
        while wanted > 0:
            chunk = os.read(handle, min(wanted, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def read_text_file(
    path: Path, encoding: str = "utf-8", errors: str = "strict", limit: int = MAX_TEXT_FILE
) -> str:
    """The file as `Path.read_text` gives it (newlines made `\\n`), for regular files of at
    most `limit` bytes. Raises OSError or UnicodeDecodeError."""
    data = read_regular_file(path, limit)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit:,} bytes")
    return data.decode(encoding, errors).replace("\r\n", "\n").replace("\r", "\n")


def read_named_file(
    path: Path,
    error: type[Exception],
    unreadable: str,
    missing: str | None = None,
    encoding: str = "utf-8",
) -> str:
    """The text of a file the user named (configuration, baseline, owners or traffic file),
    or the caller's `error` with one line that names the file: `missing` when there is no
    such file (if given), else `unreadable` and the reason."""
    try:
        return read_text_file(path, encoding=encoding)
    except (OSError, UnicodeDecodeError) as problem:
        if missing is not None and isinstance(problem, FileNotFoundError):
            raise error(f"{path}: {missing}") from None
        raise error(f"{path}: {unreadable}: {problem}") from None
