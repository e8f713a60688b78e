"""Wake this process's readers when another process appends to the same SQLite log.

An append in this process rings its readers' bells at once (`Bells`). Appends of the other
processes sharing the file (the other gunicorn worker, the other services of `make run`) leave
no trace in this process, so each reader used to look at the log every 5 ms on its own: four
readers in a worker, 800 looks a second, 6 % of a core for an idle worker. Here one thread per
log looks instead, with SQLite's `PRAGMA data_version` (a counter that moves when another
connection commits), and rings the bells of the topics the others appended to. Records this
process appended were rung when they were committed, and are not rung twice.

If the watcher fails, readers still look on their own at each poll's timeout (the followers'
is 50 ms): a missed ring delays a record, never loses it.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable

from shared.eventlog.bells import Bells

log = logging.getLogger(__name__)

LOOK_INTERVAL_S = 0.005
"""How often the watcher asks whether another process committed: the delay a reader may see."""


class OtherWriters:
    """A daemon thread that rings `bells` for the records other processes append to the log at `path`."""

    def __init__(
        self,
        path: str,
        bells: Bells,
        connect: Callable[[str], sqlite3.Connection],
        interval_s: float = LOOK_INTERVAL_S,
    ) -> None:
        self._path, self._bells, self._connect, self._interval_s = path, bells, connect, interval_s
        self._lock = threading.Lock()
        self._ours: set[int] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start watching (once; later calls do nothing)."""
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="sqlite-other-writers", daemon=True)
                self._thread.start()

    def note_ours(self, offsets: Iterable[int]) -> None:
        """Offsets this process committed and has rung for already."""
        if self._thread is not None:
            with self._lock:
                self._ours.update(offsets)

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _run(self) -> None:
        db: sqlite3.Connection | None = None
        while not self._stop.is_set():
            try:
                if db is None:
                    db = self._connect(self._path)
                    seen, version = _last_offset(db), _data_version(db)
                while not self._stop.wait(self._interval_s):
                    now = _data_version(db)
                    if now != version:
                        version = now
                        seen = self._ring_since(db, seen)
            except Exception as error:  # the readers' own timeouts cover the gap
                log.warning("sqlite watcher of %s: %r; starting again", self._path, error)
                if db is not None:
                    db.close()
                    db = None
                self._stop.wait(0.5)
        if db is not None:
            db.close()

    def _ring_since(self, db: sqlite3.Connection, seen: int) -> int:
        rows = db.execute("SELECT offset, topic FROM records WHERE offset > ? ORDER BY offset", (seen,)).fetchall()
        if not rows:
            return seen
        last = rows[-1][0]
        with self._lock:
            ours = self._ours
            topics = {topic for offset, topic in rows if offset not in ours}
            self._ours = {offset for offset in ours if offset > last}
        if topics:
            self._bells.ring(topics)
        return last


def _data_version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA data_version").fetchone()[0]


def _last_offset(db: sqlite3.Connection) -> int:
    return db.execute("SELECT COALESCE(MAX(offset), 0) FROM records").fetchone()[0]
