"""The EventLog contract on the embedded SQLite adapter."""

import fcntl
import sqlite3
import threading

import pytest

from shared.eventlog.port import ConcurrencyError
from shared.eventlog.sqlite import SqliteEventLog
from tests.integration.eventlog_contract import EventLogContract, counted, read_all


class TestSqliteEventLog(EventLogContract):
    backend = "sqlite"

    @pytest.fixture
    def event_log(self, tmp_path):
        log = SqliteEventLog(str(tmp_path / "events.db"))
        yield log
        log.close()

    def location(self, event_log: SqliteEventLog) -> str:
        return event_log.path

    def test_refuses_a_taken_version_at_append(self, event_log, topic) -> None:
        event_log.append(topic, [counted("taken", 0)])
        with pytest.raises(ConcurrencyError):
            event_log.append(topic, [counted("taken", 0)])

    def test_a_failed_batch_leaves_nothing_behind(self, event_log, topic) -> None:
        event_log.append(topic, [counted("atomic", 0)])
        with pytest.raises(ConcurrencyError):
            event_log.append(topic, [counted("other", 0), counted("atomic", 0)])
        assert len(read_all(event_log, [topic])) == 1

    def test_uses_write_ahead_logging(self, event_log) -> None:
        mode = sqlite3.connect(event_log.path).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"

    def test_survives_a_reopen(self, event_log, topic) -> None:
        landed = event_log.append(topic, [counted("reopen", 0)])[0]
        again = SqliteEventLog(event_log.path)
        assert again.end_offsets([topic])[(topic, 0)] == landed.offset + 1
        again.close()

    def test_writers_queue_on_the_lock_file_beside_the_log(self, event_log, topic) -> None:
        """Another process holding the writer lock makes an append wait, not fail or sleep-poll."""
        appended = threading.Event()
        with open(f"{event_log.path}.writer", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            writer = threading.Thread(target=lambda: (event_log.append(topic, [counted("q", 0)]), appended.set()))
            writer.start()
            assert not appended.wait(0.3)
            fcntl.flock(lock, fcntl.LOCK_UN)
            assert appended.wait(5)
        writer.join()
        assert len(read_all(event_log, [topic])) == 1
