"""SqliteEventLog: the embedded log, one WAL-mode file shared by the processes of one machine.

Every topic has one partition; a record's offset is its global row id (AUTOINCREMENT, never
reused). Writers take the write lock with BEGIN IMMEDIATE, so row ids grow in commit order and
a reader that asks for `offset >= next` never skips a record. Writers of several processes (the
gunicorn workers) first queue on an advisory lock file beside the log (`<file>.writer`): the
kernel hands it over the moment it is released, where SQLite's own busy handler would sleep
1, 2, 5... ms before trying again. The expected version of an event
is enforced by a UNIQUE (topic, key, stream_version) constraint: two appenders racing for the
same version get exactly one winner and the other a ConcurrencyError.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from shared.eventlog.bells import Bells
from shared.eventlog.port import (
    ConcurrencyError,
    EventLog,
    LogReader,
    LogUnavailable,
    Offsets,
    Record,
    TopicSpec,
)
from shared.eventlog.sqlite_watch import OtherWriters
from shared.events.codec import encode
from shared.events.envelope import Event
from shared.files import open_private, touch_private

_Row = tuple[str, str, int | None, bytes]
"""topic, key, stream version (None for raw records), value"""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    offset INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    key TEXT,
    stream_version INTEGER,
    value BLOB NOT NULL,
    UNIQUE (topic, key, stream_version)
);
CREATE INDEX IF NOT EXISTS records_by_topic ON records (topic, offset);
CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS group_offsets (
    grp TEXT NOT NULL, topic TEXT NOT NULL, next_offset INTEGER NOT NULL,
    PRIMARY KEY (grp, topic)
);
"""


def connect(path: str) -> sqlite3.Connection:
    """Open the log file in WAL mode with durable commits and a generous busy timeout.

    The file is made 0600 before SQLite opens it: SQLite gives the -wal and -shm files the
    mode of the database file, so the whole log stays private to the service's user."""
    touch_private(path)
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


class SqliteEventLog(EventLog):
    """The EventLog on one SQLite file (`EVENT_DB`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = connect(path)
        self._db.executescript(_SCHEMA)
        self._pending: list[_Pending] = []
        self._pending_lock = threading.Lock()
        self._writer = open_private(f"{os.path.abspath(path)}.writer")
        self._leading = False
        self.bells = Bells()  # wakes this process's readers of the topics a commit appended to
        self._others = OtherWriters(path, self.bells, connect)  # ... and another process's commit

    def create_topics(self, specs: Iterable[TopicSpec]) -> None:
        with self._lock:
            for spec in specs:
                self._db.execute("INSERT OR IGNORE INTO topics VALUES (?, 1)", (spec.name,))

    def append(self, topic: str, events: Sequence[Event]) -> list[Record]:
        rows: list[_Row] = [(topic, e.stream_id, e.stream_version, encode(e)) for e in events]
        return self._insert(rows)

    def append_raw(self, topic: str, key: str, value: bytes) -> Record:
        return self._insert([(topic, key, None, value)])[0]

    def _insert(self, rows: list[tuple[str, str, int | None, bytes]]) -> list[Record]:
        """Group commit: appends that arrive while a commit is under way share the next one.

        The first appender leads: it commits everything queued, in order, each append in its own
        savepoint (a version clash fails only that append), until the queue is empty. Every
        append returns only after the COMMIT that holds it (synchronous=FULL): still durable.
        """
        mine = _Pending(rows)
        with self._pending_lock:
            self._pending.append(mine)
            leading, self._leading = not self._leading, True
        if leading:
            self._lead()
        else:
            mine.done.wait()
        if mine.error is not None:
            raise mine.error
        return mine.records

    def _lead(self) -> None:
        while True:
            with self._pending_lock:
                batch, self._pending = self._pending, []
                if not batch:
                    self._leading = False
                    return
            try:
                self._commit(batch)
            except BaseException as error:  # handed to every appender of the batch
                for pending in batch:
                    pending.error = pending.error or error
            self._others.note_ours(record.offset for pending in batch for record in pending.records)
            for pending in batch:
                pending.done.set()
            self.bells.ring(row[0] for pending in batch for row in pending.rows)

    def _commit(self, batch: list[_Pending]) -> None:
        with self._lock, _held(self._writer):
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise LogUnavailable(f"sqlite log busy: {error}") from error
            try:
                for pending in batch:
                    self._insert_pending(pending)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                for pending in batch:
                    pending.records = []
                raise

    def _insert_pending(self, pending: _Pending) -> None:
        self._db.execute("SAVEPOINT append")
        try:
            pending.records = [self._insert_row(*row) for row in pending.rows]
        except ConcurrencyError as error:
            self._db.execute("ROLLBACK TO append")
            pending.error = error
        self._db.execute("RELEASE append")

    def _insert_row(self, topic: str, key: str, version: int | None, value: bytes) -> Record:
        try:
            cursor = self._db.execute(
                "INSERT INTO records (topic, key, stream_version, value) VALUES (?, ?, ?, ?)",
                (topic, key, version, value),
            )
        except sqlite3.IntegrityError:
            raise ConcurrencyError(f"{key} already has version {version}") from None
        return Record(topic, 0, int(cursor.lastrowid or 0), key, value)

    def read_at(self, positions: Sequence[tuple[str, int, int]]) -> list[Record | None]:
        with self._lock:
            rows = [
                self._db.execute("SELECT key, value FROM records WHERE offset = ? AND topic = ?", (o, t)).fetchone()
                for t, _, o in positions
            ]
        return [Record(t, p, o, r[0], bytes(r[1])) if r else None for (t, p, o), r in zip(positions, rows, strict=True)]

    def end_offsets(self, topics: Iterable[str]) -> Offsets:
        with self._lock:
            return {(t, 0): self._end_offset(self._db, t) for t in topics}

    @staticmethod
    def _end_offset(db: sqlite3.Connection, topic: str) -> int:
        row = db.execute("SELECT MAX(offset) FROM records WHERE topic = ?", (topic,)).fetchone()
        return (row[0] + 1) if row[0] is not None else 0

    def open_reader(self, topics: Sequence[str], group: str | None = None) -> LogReader:
        self._others.start()
        return SqliteLogReader(self.path, topics, group, self.bells, watched=True)

    def close(self) -> None:
        self._others.stop()
        with self._lock:
            self._db.close()
            os.close(self._writer)


@contextmanager
def _held(descriptor: int) -> Iterator[None]:
    """The cross-process writer lock (flock blocks without holding the GIL)."""
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


class _Pending:
    """One append waiting for its group commit."""

    __slots__ = ("rows", "records", "error", "done")

    def __init__(self, rows: list[tuple[str, str, int | None, bytes]]) -> None:
        self.rows = rows
        self.records: list[Record] = []
        self.error: BaseException | None = None
        self.done = threading.Event()


class SqliteLogReader(LogReader):
    """Reads a set of topics in row-id order; a group's offsets live in `group_offsets`."""

    def __init__(
        self, path: str, topics: Sequence[str], group: str | None, bells: Bells | None = None, watched: bool = False
    ) -> None:
        """`watched`: `bells` are also rung for other processes' appends (`OtherWriters`), so a
        poll waits for a ring; otherwise it looks at the log every 5 ms."""
        self._bells = bells or Bells()
        self._look_every_s = float("inf") if watched else 0.005
        self._bell = self._bells.hang(topics)
        self._db = connect(path)
        self._topics = list(topics)
        self._names = {t: t for t in self._topics}
        self._group = group
        self._next: Offsets = {(t, 0): 0 for t in self._topics}
        self._next.update(self.committed())

    def poll(self, timeout_s: float, max_records: int = 1000) -> list[Record]:
        deadline = time.monotonic() + timeout_s
        while True:
            records = self._fetch(max_records)
            if records or time.monotonic() >= deadline:
                return records
            # rung at once by appends of this process, within 5 ms for other processes' appends
            self._bell.wait(min(self._look_every_s, max(0.0, deadline - time.monotonic())))

    def _fetch(self, max_records: int) -> list[Record]:
        if len(self._topics) == 1:
            return self._fetch_one(self._topics[0], max_records)
        start = min(self._next.values())
        marks = ",".join("?" * len(self._topics))
        rows = self._db.execute(
            f"SELECT offset, topic, key, value FROM records WHERE offset >= ? AND topic IN ({marks})"  # noqa: S608
            " ORDER BY offset LIMIT ?",
            (start, *self._topics, max_records),
        ).fetchall()
        names = self._names  # the reader's own topic strings, not one new string per row
        records = [Record(names[t], 0, o, k, bytes(v)) for o, t, k, v in rows if o >= self._next[(t, 0)]]
        if rows:
            # the rows hold every record of these topics up to the last one: each topic has been
            # read that far (a topic with nothing new must not hold the next query back, or every
            # poll would read again the rows the busier topics had since it last had one)
            self._next = {tp: max(n, rows[-1][0] + 1) for tp, n in self._next.items()}
        return records

    def _fetch_one(self, topic: str, max_records: int) -> list[Record]:
        """The records of one topic from its position: a range of its index, no row to skip (the
        common reader; a fold of a long log spends a tenth of its time here)."""
        position = (topic, 0)
        rows = self._db.execute(
            "SELECT offset, key, value FROM records WHERE topic = ? AND offset >= ? ORDER BY offset LIMIT ?",
            (topic, self._next[position], max_records),
        ).fetchall()
        if rows:
            self._next[position] = rows[-1][0] + 1
        return [Record(topic, 0, offset, key, value) for offset, key, value in rows]

    def end_offsets(self) -> Offsets:
        return {(t, 0): SqliteEventLog._end_offset(self._db, t) for t in self._topics}

    def seek(self, offsets: Offsets) -> None:
        self._next = {(t, 0): 0 for t in self._topics}
        self._next.update({tp: o for tp, o in offsets.items() if tp in self._next})

    def commit(self, offsets: Offsets) -> None:
        if self._group is None:
            raise ValueError("commit needs a reader opened with a group")
        self._db.executemany(
            "INSERT INTO group_offsets VALUES (?, ?, ?)"
            " ON CONFLICT (grp, topic) DO UPDATE SET next_offset = excluded.next_offset",
            [(self._group, topic, offset) for (topic, _), offset in offsets.items()],
        )

    def committed(self) -> Offsets:
        if self._group is None:
            return {}
        rows = self._db.execute("SELECT topic, next_offset FROM group_offsets WHERE grp = ?", (self._group,)).fetchall()
        return {(topic, 0): offset for topic, offset in rows if topic in self._topics}

    def close(self) -> None:
        self._bells.take_down(self._bell)
        self._db.close()
