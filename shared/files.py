"""Files only this service's user may read: the event log, its lock, snapshots, limiter state.

Modes are set with fchmod/chmod after creation, so they hold whatever the process umask is
(an umask of 000 would otherwise leave a new file 0666). Directories this module creates are
0700; a directory that already exists is left as its owner made it (it may be /tmp).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def private_directory(path: str | os.PathLike[str]) -> Path:
    """Create `path` and its missing parents as 0700 directories; return it."""
    directory = Path(path).absolute()
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=DIRECTORY_MODE)
        except FileExistsError:  # another worker made it a moment ago
            continue
        os.chmod(created, DIRECTORY_MODE)
    return Path(path)


def open_private(path: str | os.PathLike[str], flags: int = os.O_RDWR | os.O_CREAT) -> int:
    """`os.open` a file that is 0600 (created so, or tightened if it is ours and looser)."""
    descriptor = os.open(path, flags | os.O_CLOEXEC, FILE_MODE)
    try:
        if os.fstat(descriptor).st_mode & 0o777 != FILE_MODE:
            os.fchmod(descriptor, FILE_MODE)
    except PermissionError:  # a file of another user that we may write: not ours to change
        pass
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def touch_private(path: str | os.PathLike[str]) -> None:
    """Make sure `path` exists as a 0600 file (before a library such as SQLite opens it).

    A file that exists is never opened here, only chmod-ed: closing any descriptor of a file drops
    every POSIX (fcntl) lock the process holds on it, and SQLite's locks are such locks. Opening
    a second connection used to unlock the first, so another process closing its connection took
    itself for the last one and deleted the WAL the running processes still wrote to."""
    private_directory(Path(path).absolute().parent)
    try:
        os.close(open_private(path, os.O_RDWR | os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        _tighten(path)


def _tighten(path: str | os.PathLike[str]) -> None:
    """Make an existing file of ours 0600 if it is looser (another user's file is left alone)."""
    status = os.stat(path)
    if status.st_mode & 0o777 != FILE_MODE and status.st_uid == os.getuid():
        os.chmod(path, FILE_MODE)


def replace_private(path: Path, chunks: Iterable[bytes]) -> None:
    """Replace `path` atomically with a 0600 file of `chunks`, durably: the new file is written
    beside it, synced, renamed over it, and the directory synced (readers find the old file or
    the new, never a part)."""
    private_directory(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with os.fdopen(open_private(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), "wb") as out:
            out.writelines(chunks)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
