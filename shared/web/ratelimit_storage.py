"""A `limits` storage on one SQLite file, shared by the gunicorn workers of one machine.

`limits` (the library under flask-limiter) ships storages for memory (one process: each worker
would count alone, so a limit would hold only times the worker count), Redis, Memcached and
MongoDB, but none on a file. The embedded run has no server besides the SQLite log, so this
storage keeps the counts in a small SQLite file beside it (`<EVENT_DB>.ratelimits`, 0600): every
worker of the machine counts in the same rows, in a write transaction (BEGIN IMMEDIATE), so two
workers cannot both take the last slot. A deployment with replicas on several machines points
`RATE_LIMIT_STORAGE` at a shared server instead (`redis://host:6379`; the `redis` package then).

URI: `sqlite://<path>` (`sqlite:///abs/path.db`, `sqlite://var/limits.db`). It supports the
moving window strategy (exact: the hits of the last `expiry` seconds are counted one by one) and
the fixed window one.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from limits.storage import MovingWindowSupport, Storage

from shared.files import touch_private

SCHEME = "sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL, expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS hits_by_key ON hits (key, at);
CREATE INDEX IF NOT EXISTS hits_by_expiry ON hits (expires_at);
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at REAL NOT NULL);
"""


class SqliteStorage(Storage, MovingWindowSupport):
    """Rate-limit counts in a SQLite file (WAL), atomic across the processes that share it."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        clock: Callable[[], float] = time.time,
        **options: float | str | bool,
    ) -> None:
        super().__init__(uri, wrap_exceptions, **options)
        self.path = (uri or "").removeprefix(f"{SCHEME}://")
        if not self.path:
            raise ValueError("a sqlite rate-limit storage needs a path: sqlite://<path>")
        self.clock = clock
        self._lock = threading.Lock()
        touch_private(self.path)
        self._db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # counts need no durability across a power cut
        self._db.executescript(_SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- moving window -----------------------------------------------------------------------
    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        """Record `amount` hits now unless that would put more than `limit` in the last `expiry` s."""
        if amount > limit:
            return False
        now = self.clock()
        with self._transaction() as db:
            db.execute("DELETE FROM hits WHERE expires_at <= ?", (now,))
            (count,) = db.execute("SELECT COUNT(*) FROM hits WHERE key = ? AND at > ?", (key, now - expiry)).fetchone()
            if count + amount > limit:
                return False
            db.executemany("INSERT INTO hits VALUES (?, ?, ?)", [(key, now, now + expiry)] * amount)
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """(time of the oldest hit in the window, hits in the window); (now, 0) when empty."""
        now = self.clock()
        with self._lock:
            oldest, count = self._db.execute(
                "SELECT MIN(at), COUNT(*) FROM hits WHERE key = ? AND at > ?", (key, now - expiry)
            ).fetchone()
        return (oldest if count else now), count

    # -- fixed window ------------------------------------------------------------------------
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = self.clock()
        with self._transaction() as db:
            row = db.execute("SELECT value, expires_at FROM counters WHERE key = ?", (key,)).fetchone()
            value, expires_at = (row[0] + amount, row[1]) if row and row[1] > now else (amount, now + expiry)
            db.execute("INSERT OR REPLACE INTO counters VALUES (?, ?, ?)", (key, value, expires_at))
            return int(value)

    def get(self, key: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM counters WHERE key = ? AND expires_at > ?", (key, self.clock())
            ).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        with self._lock:
            row = self._db.execute("SELECT expires_at FROM counters WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else self.clock()

    # -- housekeeping ------------------------------------------------------------------------
    def check(self) -> bool:
        try:
            with self._lock:
                self._db.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._transaction() as db:
            removed = db.execute("DELETE FROM hits").rowcount + db.execute("DELETE FROM counters").rowcount
        return removed

    def clear(self, key: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM hits WHERE key = ?", (key,))
            db.execute("DELETE FROM counters WHERE key = ?", (key,))
