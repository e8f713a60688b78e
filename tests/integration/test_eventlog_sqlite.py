"""The EventLog contract on the embedded SQLite adapter."""

import sqlite3

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
