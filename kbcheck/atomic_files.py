"""Writing the files kbcheck produces (reports, baselines, the starter configuration) so that
no failure can cost the user a file.

A file is never written in place: the new content goes to a temporary file in the same folder
and is synced, then renamed over the target in one step. A crash, a full disk or a size limit
in the middle leaves the old file exactly as it was (and the temporary file is removed when
the failure is an error rather than the process being killed). A new file is created the same
way and linked into place only if nothing has appeared under its name meanwhile.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

TEMPORARY_SUFFIX = ".kbcheck-tmp"


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path`, replacing it atomically. A symbolic link is followed (its
    target is replaced; the link stays), the mode of an existing file is kept, a new file
    gets the usual mode for the umask, and what is not a regular file (`/dev/stdout`) is
    simply written to. Raises OSError; the old file is then untouched."""
    target = Path(os.path.realpath(path))
    try:
        status = os.stat(target)
    except FileNotFoundError:
        mode = _default_mode()
    else:
        if not stat.S_ISREG(status.st_mode):
            # /dev/null, /dev/stdout, a pipe: written to, never replaced (a rename over
            # /dev/null would put a plain file in place of the device for the whole system).
            with open(target, "wb") as stream:
                stream.write(data)
            return
        mode = stat.S_IMODE(status.st_mode)
    temporary = _write_temporary(target, data, mode)
    try:
        os.replace(temporary, target)
    except BaseException:
        _remove(temporary)
        raise


def create_file(path: Path, data: bytes) -> None:
    """Write `data` to a new file at `path`; raise FileExistsError if anything (a file, a
    folder, a dangling link) is already there, and never leave a half-written file."""
    temporary = _write_temporary(path, data, _default_mode())
    try:
        os.link(temporary, path)  # fails if the name exists, whatever it is
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        _create_without_links(path, data)  # a file system without hard links
    finally:
        _remove(temporary)


def _create_without_links(path: Path, data: bytes) -> None:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        _remove(str(path))  # it is ours: created a moment ago with O_EXCL
        raise


def _write_temporary(target: Path, data: bytes, mode: int) -> str:
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _default_mode() -> int:
    """0666 minus the umask, the mode `open()` would give a new file."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
