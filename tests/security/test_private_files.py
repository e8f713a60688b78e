"""The log, its lock, snapshots and the limiter's state are private to the service user, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import tests.support.counter_events  # noqa: F401 - registers the test event type
from shared.eventlog.port import TopicSpec
from shared.eventlog.sqlite import SqliteEventLog
from shared.events.envelope import Actor, new_event
from shared.readside.snapshots.file import SnapshotFile
from tests.support.counter_events import COUNTED


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The most permissive umask: a file created with the default mode would be world-writable."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_the_sqlite_log_its_wal_shm_and_writer_lock_are_0600(tmp_path, open_umask) -> None:
    db = tmp_path / "new" / "dir" / "events.db"
    log = SqliteEventLog(str(db))
    log.create_topics([TopicSpec("t")])
    log.append("t", [new_event(COUNTED, "s1", 0, {"writer": "w", "attempt": 1}, Actor("a", "admin"))])

    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}.writer")]
    assert {f.name: oct(mode(f)) for f in files} == {f.name: "0o600" for f in files}
    assert oct(mode(db.parent)) == oct(mode(db.parent.parent)) == "0o700"


def test_an_existing_world_readable_log_is_tightened(tmp_path) -> None:
    db = tmp_path / "events.db"
    db.touch()
    db.chmod(0o644)
    SqliteEventLog(str(db))
    assert mode(db) == 0o600


def test_a_snapshot_and_its_directory_are_private(tmp_path, open_umask) -> None:
    file = SnapshotFile(tmp_path / "snapshots" / "review", "review.book")
    file.write({"state": 1}, [b"record"])

    assert oct(mode(file.path)) == "0o600"
    assert oct(mode(file.path.parent)) == "0o700"
    assert file.read() is not None
