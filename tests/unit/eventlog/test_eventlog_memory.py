"""The EventLog contract on the in-memory adapter (racers are threads sharing the one log)."""

from __future__ import annotations

import queue
import threading

import pytest

from shared.eventlog.memory import InMemoryEventLog
from shared.eventlog.port import EventLog, LogUnavailable
from tests.support.eventlog_contract import ATTEMPTS_PER_RACER, RACERS, EventLogContract, counted, read_all
from tests.support.racer import race_on


class TestInMemoryEventLog(EventLogContract):
    backend = "memory"

    @pytest.fixture
    def event_log(self):
        log = InMemoryEventLog()
        yield log
        log.close()

    def race(self, event_log: EventLog, topic: str, stream: str) -> list[tuple[str, list[str], int]]:
        go, results = threading.Barrier(RACERS), queue.Queue()
        racers = [
            threading.Thread(
                target=race_on, args=(event_log, topic, stream, f"racer{i}", ATTEMPTS_PER_RACER, go, results)
            )
            for i in range(RACERS)
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(timeout=120)
        return [results.get_nowait() for _ in racers]

    def test_stores_a_second_event_for_a_taken_version_for_the_readers_to_void(self, event_log, topic) -> None:
        event_log.append(topic, [counted("taken", 0, "first")])
        event_log.append(topic, [counted("taken", 0, "second")])
        assert len(read_all(event_log, [topic])) == 2

    def test_a_reader_reads_what_is_appended_while_it_waits(self, event_log, topic) -> None:
        reader = event_log.open_reader([topic])
        threading.Timer(0.05, lambda: event_log.append(topic, [counted("late", 0)])).start()
        assert [record.key for record in reader.poll(5)] == ["late"]

    def test_refuses_a_topic_that_was_not_created(self, event_log) -> None:
        with pytest.raises(LogUnavailable):
            event_log.append("nowhere", [counted("lost", 0)])
