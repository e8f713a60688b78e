"""Group-less Kafka readers of one process share one consumer (`SharedFetch`), each with its
own position: every reader sees each record of its partitions once, in order, wherever it
started, and a reader nobody polls holds a bounded buffer and nobody back."""

from __future__ import annotations

import threading
import time

import pytest

from shared.eventlog import kafka_shared_fetch
from shared.eventlog.kafka import KafkaEventLog
from shared.eventlog.port import Record, TopicSpec
from tests.support.eventlog_contract import counted

pytestmark = pytest.mark.kafka


@pytest.fixture
def event_log(kafka_bootstrap):
    log = KafkaEventLog(kafka_bootstrap, client_id="shared-fetch-test")
    yield log
    log.close()


@pytest.fixture
def topic(event_log, topic_factory) -> str:
    name = topic_factory("shared")
    event_log.create_topics([TopicSpec(name, partitions=3)])
    return name


def keys_by_partition(records: list[Record]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for record in records:
        found.setdefault(record.partition, []).append(record.key)
    return found


def poll_until(reader, count: int) -> list[Record]:
    records: list[Record] = []
    deadline = time.monotonic() + 60
    while len(records) < count and time.monotonic() < deadline:
        records += reader.poll(0.5)
    return records


def test_readers_at_different_offsets_each_get_their_records_once_in_order(event_log, topic) -> None:
    landed = [event_log.append(topic, [counted(f"s{i}", 0)])[0] for i in range(30)]
    whole, halfway = event_log.open_reader([topic]), event_log.open_reader([topic])
    halfway.seek({(r.topic, r.partition): r.offset + 1 for r in landed[:15]})  # as a snapshot restores
    later = [r for r in landed if r.offset >= max(o.offset + 1 for o in landed[:15] if o.partition == r.partition)]
    try:
        assert keys_by_partition(poll_until(whole, 30)) == keys_by_partition(landed)
        assert keys_by_partition(poll_until(halfway, len(later))) == keys_by_partition(later)
        more = [event_log.append(topic, [counted(f"m{i}", 0)])[0] for i in range(6)]
        assert keys_by_partition(poll_until(whole, 6)) == keys_by_partition(more)
        assert keys_by_partition(poll_until(halfway, 6)) == keys_by_partition(more)
        assert whole.poll(0.2) == [] and halfway.poll(0.2) == []  # nothing twice
    finally:
        whole.close()
        halfway.close()


def test_a_reader_nobody_polls_keeps_a_bounded_buffer_and_holds_no_one_back(event_log, topic, monkeypatch) -> None:
    monkeypatch.setattr(kafka_shared_fetch, "BUFFERED", 4)
    landed = [event_log.append(topic, [counted(f"b{i}", 0)])[0] for i in range(25)]
    busy, idle = event_log.open_reader([topic]), event_log.open_reader([topic])
    try:
        assert keys_by_partition(poll_until(busy, 25)) == keys_by_partition(landed)
        assert len(idle._inbox.records) <= 4  # handed no more than its buffer holds
        assert keys_by_partition(poll_until(idle, 25)) == keys_by_partition(landed)  # went back for the rest
        assert busy.poll(0.2) == []  # and the busy reader was not handed them again
    finally:
        busy.close()
        idle.close()


def test_a_reader_sought_back_reads_again_and_the_others_do_not(event_log, topic) -> None:
    landed = [event_log.append(topic, [counted(f"k{i}", 0)])[0] for i in range(12)]
    again, other = event_log.open_reader([topic]), event_log.open_reader([topic])
    try:
        assert len(poll_until(again, 12)) == 12 and len(poll_until(other, 12)) == 12
        again.seek({})  # from the beginning, as a follower reopening after an error
        assert keys_by_partition(poll_until(again, 12)) == keys_by_partition(landed)
        assert other.poll(0.3) == []
    finally:
        again.close()
        other.close()


def test_the_readers_of_a_log_share_one_consumer(event_log, topic) -> None:
    readers = [event_log.open_reader([topic]) for _ in range(3)]
    try:
        event_log.append(topic, [counted("one", 0)])
        for reader in readers:
            assert [r.key for r in poll_until(reader, 1)] == ["one"]
        assert all(reader._fetch is event_log.shared_fetch() for reader in readers)
    finally:
        for reader in readers:
            reader.close()


@pytest.mark.parametrize("other_from", ["the end", "the start"])
def test_a_reader_slower_than_the_consumer_loses_no_record(event_log, topic, monkeypatch, other_from) -> None:
    """A slow reader refused records for want of room gets them once the consumer goes back, and no
    later record of the same partition before: taking one would skip those it was refused (a
    service whose book folds slower than its transparency log then missed most of its events)."""
    monkeypatch.setattr(kafka_shared_fetch, "BUFFERED", 10)
    monkeypatch.setattr(kafka_shared_fetch, "FETCH_BATCH", 4)  # records keep coming while it folds
    landed = event_log.append(topic, [counted(f"x{i}", 0) for i in range(300)])
    slow, other = event_log.open_reader([topic]), event_log.open_reader([topic])
    if other_from == "the end":
        other.seek(slow.end_offsets())
    stop, other_read = threading.Event(), []

    def keep_polling() -> None:  # the other follower's thread: it drives the consumer while it waits
        while not stop.is_set():
            other_read.extend(other.poll(0.05))

    driver = threading.Thread(target=keep_polling, daemon=True)
    driver.start()
    read: list[Record] = []
    deadline = time.monotonic() + 60
    try:
        while len(read) < len(landed) and time.monotonic() < deadline:
            read += slow.poll(0.5, max_records=3)
            time.sleep(0.005)  # folding them: the consumer runs ahead meanwhile
        assert keys_by_partition(read) == keys_by_partition(list(landed))
        assert slow.poll(0.2) == []
    finally:
        stop.set()
        driver.join(timeout=5)
        slow.close()
        other.close()
    if other_from == "the start":
        assert keys_by_partition(other_read) == keys_by_partition(list(landed))
