"""The EventLog contract on the embedded SQLite adapter."""

import fcntl
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from shared.eventlog.port import ConcurrencyError
from shared.eventlog.sqlite import SqliteEventLog
from tests.support.eventlog_contract import EventLogContract, counted, read_all

COUNT = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM records').fetchone()[0])"


def count_in_another_process(path: str) -> int:
    """The records another process finds in the log file, opening and closing a connection of its own."""
    return int(subprocess.run([sys.executable, "-c", COUNT, path], capture_output=True, text=True, check=True).stdout)


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

    def test_a_quiet_topic_does_not_make_a_reader_read_the_busy_one_again(self, event_log, topic_factory) -> None:
        busy, quiet = topic_factory(), topic_factory()
        reader = event_log.open_reader([busy, quiet])
        read_rows = []
        connection = reader._db
        fetch = connection.execute

        class Counting:  # the rows each query of the reader hands over
            def execute(self, sql, args=()):
                rows = fetch(sql, args).fetchall()
                read_rows.append(len(rows))
                return type("Rows", (), {"fetchall": lambda _self: rows})()

        reader._db = Counting()
        for n in range(5):
            event_log.append(busy, [counted(f"s{n}", 0)])
            assert [r.key for r in reader.poll(1)] == [f"s{n}"]
        assert read_rows == [1] * 5  # each poll reads the new record only
        connection.close()

    def test_uses_write_ahead_logging(self, event_log) -> None:
        mode = sqlite3.connect(event_log.path).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"

    def test_another_connection_of_the_process_keeps_the_log_locked_for_other_processes(self, event_log, topic) -> None:
        event_log.append(topic, [counted("first", 0)])
        reader = SqliteEventLog(event_log.path)  # a second connection in the same process
        assert count_in_another_process(event_log.path) == 1  # it closes: it must not take itself for the last
        event_log.append(topic, [counted("second", 0)])

        seen = count_in_another_process(event_log.path)
        reader.close()
        assert Path(f"{event_log.path}-wal").exists()
        assert seen == 2  # the second append reached the log, not a WAL file deleted meanwhile

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

    def test_concurrent_appends_share_a_commit_and_a_clash_fails_only_its_own(self, event_log, topic, monkeypatch):
        batches: list[int] = []
        commit = event_log._commit

        def held_commit(batch):  # holds each commit a moment so that the appends behind it queue up
            batches.append(len(batch))
            time.sleep(0.005)
            commit(batch)

        monkeypatch.setattr(event_log, "_commit", held_commit)
        start, outcomes = threading.Barrier(16), {}

        def append(i: int) -> None:
            start.wait()
            try:  # threads 2k and 2k+1 race for version 0 of the same stream
                event_log.append(topic, [counted(f"pair{i // 2}", 0)])
                outcomes[i] = "appended"
            except ConcurrencyError:
                outcomes[i] = "refused"

        threads = [threading.Thread(target=append, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert max(batches) > 1  # some appends did share a commit
        assert all(sorted([outcomes[2 * k], outcomes[2 * k + 1]]) == ["appended", "refused"] for k in range(8))
        assert sorted(r.key for r in read_all(event_log, [topic])) == [f"pair{k}" for k in range(8)]

    def test_an_append_by_another_process_rings_the_readers_of_its_topic(self, event_log, topic, topic_factory) -> None:
        """Readers wait for a ring instead of looking every 5 ms: the log's watcher rings them
        for records other processes (here: another connection) committed, of their topics only."""
        quiet = topic_factory("quiet")
        reader = event_log.open_reader([topic])  # starts the watcher
        mine, other = event_log.bells.hang([topic]), event_log.bells.hang([quiet])
        elsewhere = SqliteEventLog(event_log.path)
        try:
            elsewhere.append(topic, [counted("elsewhere", 0)])
            assert mine.wait(10)
            assert not other.wait(0.2)
            assert [r.key for r in reader.poll(timeout_s=10)] == ["elsewhere"]
        finally:
            elsewhere.close()
            reader.close()

    def test_the_watcher_does_not_ring_again_for_this_process_own_appends(self, event_log, topic) -> None:
        reader = event_log.open_reader([topic])
        bell = event_log.bells.hang([topic])
        try:
            event_log.append(topic, [counted("mine", 0)])
            assert bell.wait(10)  # rung by the commit itself
            assert not bell.wait(0.3)  # and not again by the watcher
        finally:
            reader.close()
