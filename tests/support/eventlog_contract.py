"""The EventLog contract: one suite, run against every adapter (subclasses give `create_event_log`)."""

from __future__ import annotations

import multiprocessing
import time

import orjson
import pytest

import tests.support.counter_events  # noqa: F401 - registers the test event type
from shared.eventlog.port import EventLog, Record, TopicSpec
from shared.eventlog.topics import ALL_TOPICS, DEAD_LETTERS
from shared.events.codec import decode
from shared.events.envelope import Actor, Event, new_event
from shared.readside.follower import Follower
from shared.readside.gate import Outcome, StreamGate
from tests.support.counter_events import COUNTED
from tests.support.racer import race

RACERS = 3
ATTEMPTS_PER_RACER = 50


def counted(stream: str, expected: int, writer: str = "w", attempt: int = 0) -> Event:
    return new_event(COUNTED, stream, expected, {"writer": writer, "attempt": attempt}, Actor(writer, "test"))


def position(record: Record) -> tuple[str, int, int]:
    return record.topic, record.partition, record.offset


def read_all(event_log: EventLog, topics: list[str], group: str | None = None, idle_s: float = 1.0) -> list[Record]:
    """Everything currently in `topics`, reading until the end offsets seen at the start."""
    reader = event_log.open_reader(topics, group=group)
    end = event_log.end_offsets(topics)
    records: list[Record] = []
    position = dict(reader.committed())
    deadline = time.monotonic() + 60
    while any(position.get(tp, 0) < o for tp, o in end.items()) and time.monotonic() < deadline:
        for record in reader.poll(idle_s):
            records.append(record)
            position[(record.topic, record.partition)] = record.offset + 1
    reader.close()
    return records


def replay(event_log: EventLog, topic: str) -> dict[str, list[str]]:
    """A fresh fold from zero: the applied event ids of every stream, in order."""
    gate, applied = StreamGate(), {}
    for record in read_all(event_log, [topic]):
        event = decode(record.value)
        if gate.admit(event) is Outcome.APPLIED:
            applied.setdefault(event.stream_id, []).append(event.event_id)
    return applied


class EventLogContract:
    """Behaviour every EventLog adapter must have."""

    backend: str

    @pytest.fixture
    def event_log(self) -> EventLog:
        raise NotImplementedError

    @pytest.fixture
    def topic(self, event_log: EventLog, topic_factory) -> str:
        name = topic_factory()
        event_log.create_topics([TopicSpec(name, partitions=3), *ALL_TOPICS])
        return name

    def location(self, event_log: EventLog) -> str:
        raise NotImplementedError

    def test_keeps_the_order_of_each_stream(self, event_log: EventLog, topic: str) -> None:
        streams = [f"s{i}" for i in range(5)]
        sent = {s: [] for s in streams}
        for version in range(20):
            for stream in streams:
                event = counted(stream, version)
                event_log.append(topic, [event])
                sent[stream].append(event.event_id)
        read = {s: [] for s in streams}
        for record in read_all(event_log, [topic]):
            event = decode(record.value)
            assert record.key == event.stream_id
            read[event.stream_id].append(event.event_id)
        assert read == sent

    def test_appends_a_batch_in_order_and_reports_positions(self, event_log: EventLog, topic: str) -> None:
        events = [counted("batch", v) for v in range(10)]
        landed = event_log.append(topic, events)
        assert [r.offset for r in landed] == sorted(r.offset for r in landed)
        assert len({r.partition for r in landed}) == 1
        assert [decode(r.value).event_id for r in read_all(event_log, [topic])] == [e.event_id for e in events]

    def test_end_offsets_move_past_appended_records(self, event_log: EventLog, topic: str) -> None:
        before = event_log.end_offsets([topic])
        landed = event_log.append(topic, [counted("end", 0)])[0]
        after = event_log.end_offsets([topic])
        assert after[(topic, landed.partition)] == landed.offset + 1
        assert after[(topic, landed.partition)] > before[(topic, landed.partition)]

    def test_reads_records_back_at_their_positions_in_the_order_asked(self, event_log: EventLog, topic: str) -> None:
        stream = event_log.append(topic, [counted("at", v) for v in range(3)])
        spread = [event_log.append(topic, [counted(f"at{i}", 0)])[0] for i in range(12)]
        if len(event_log.end_offsets([topic])) > 1:  # SQLite has one partition a topic
            assert len({r.partition for r in spread}) > 1, "one partition only: the test proved nothing"
        wanted = [*reversed(stream), *spread[::-1], stream[1]]  # out of order, several partitions, one twice
        assert event_log.read_at([position(r) for r in wanted]) == wanted

    def test_reads_none_where_no_record_is(self, event_log: EventLog, topic: str, topic_factory) -> None:
        landed = event_log.append(topic, [counted("absent", v) for v in range(3)])
        end = event_log.end_offsets([topic])[(topic, landed[0].partition)]
        absent = [(topic, landed[0].partition, end), (topic, landed[0].partition, end + 1000), (topic_factory(), 0, 0)]
        asked = [position(landed[0]), *absent[:2], position(landed[2]), absent[2], position(landed[1])]
        assert event_log.read_at(asked) == [landed[0], None, None, landed[2], None, landed[1]]
        assert event_log.read_at([]) == []

    def test_reads_records_far_apart_in_their_partition(self, event_log: EventLog, topic: str) -> None:
        """A stream's records with many others' in between, as a trail re-read when shown."""
        trail = []
        for version in range(4):
            trail += event_log.append(topic, [counted("far", version)])
            event_log.append(topic, [counted(f"between{version}.{i}", 0) for i in range(300)])
        assert event_log.read_at([position(r) for r in trail]) == trail

    def race(self, event_log: EventLog, topic: str, stream: str) -> list[tuple[str, list[str], int]]:
        """RACERS appenders in separate processes, each on its own client of the same log:
        their reports (writer, won event ids, losses)."""
        context = multiprocessing.get_context("spawn")
        go, results = context.Barrier(RACERS), context.Queue()
        location = self.location(event_log)
        racers = [
            context.Process(
                target=race,
                args=(self.backend, location, topic, stream, f"racer{i}", ATTEMPTS_PER_RACER, go, results),
            )
            for i in range(RACERS)
        ]
        for process in racers:
            process.start()
        reports = [results.get(timeout=240) for _ in racers]
        for process in racers:
            process.join(timeout=30)
            assert process.exitcode == 0
        return reports

    def test_racing_appenders_have_one_winner_per_version(self, event_log: EventLog, topic: str) -> None:
        reports = self.race(event_log, topic, "contested")
        winners = [event_id for _, won, _ in reports for event_id in won]
        losses = sum(lost for _, _, lost in reports)
        first, second = replay(event_log, topic), replay(event_log, topic)
        assert first == second, "two replays disagree on the winners"
        applied = first["contested"]
        assert sorted(applied) == sorted(winners), "a racer's belief differs from the log's verdict"
        assert len(applied) + losses == RACERS * ATTEMPTS_PER_RACER
        assert losses > 0, "the racers never collided: the test proved nothing"

    def test_gate_voids_a_second_event_for_the_same_version(self, event_log: EventLog, topic: str) -> None:
        event_log.append(topic, [counted("gate", 0, "first")])
        try:
            event_log.append(topic, [counted("gate", 0, "second")])
        except Exception as error:  # SQLite refuses at append; Kafka stores it and readers void it
            assert type(error).__name__ == "ConcurrencyError"
        assert len(replay(event_log, topic)["gate"]) == 1

    def test_a_replay_from_zero_equals_following_live(self, event_log: EventLog, topic: str) -> None:
        live: dict[str, list[str]] = {}

        def on_event(event: Event, outcome: Outcome) -> None:
            if outcome is Outcome.APPLIED:
                live.setdefault(event.stream_id, []).append(event.event_id)

        follower = Follower(event_log, [topic], on_event, name="live")
        follower.start()
        landed = []
        for version in range(30):
            landed += event_log.append(topic, [counted(f"live{version % 4}", version // 4)])
            if version % 7 == 0:  # a duplicate of an earlier event is ignored by every reader
                duplicate = counted("live0", 0)
                landed += self.append_ignoring_conflict(event_log, topic, duplicate)
        target = {(r.topic, r.partition): r.offset + 1 for r in landed}
        assert follower.wait_until(target, timeout_s=30)
        follower.stop()
        assert live == replay(event_log, topic)

    def append_ignoring_conflict(self, event_log: EventLog, topic: str, event: Event) -> list[Record]:
        try:
            return event_log.append(topic, [event])
        except Exception as error:
            assert type(error).__name__ == "ConcurrencyError"
            return []

    def test_a_reader_that_crashes_before_committing_rereads_and_deduplicates(
        self, event_log: EventLog, topic: str, topic_factory
    ) -> None:
        group = topic_factory("group")
        events = [counted("crash", v) for v in range(10)]
        event_log.append(topic, events)
        effects: list[str] = []
        handled: set[str] = set()

        def handle(record: Record) -> None:  # idempotent: effects once per event id
            event = decode(record.value)
            if event.event_id not in handled:
                handled.add(event.event_id)
                effects.append(event.event_id)

        first = read_all(event_log, [topic], group=group)
        for record in first:
            handle(record)
        reader = event_log.open_reader([topic], group=group)
        reader.commit({(first[4].topic, first[4].partition): first[4].offset + 1})  # then "crash"
        reader.close()
        again = read_all(event_log, [topic], group=group)
        assert [decode(r.value).event_id for r in again] == [e.event_id for e in events[5:]]
        for record in again:
            handle(record)
        assert effects == [e.event_id for e in events]

    def test_an_undecodable_record_is_dead_lettered_and_the_reader_goes_on(
        self, event_log: EventLog, topic: str
    ) -> None:
        seen: list[str] = []
        outcomes: list[Outcome] = []
        event_log.append(topic, [counted("poison", 0)])
        poison = event_log.append_raw(topic, "poison", b"\x00\xffnot an event")
        unknown = event_log.append_raw(topic, "poison", orjson.dumps({"type": "Nope"}))
        landed = event_log.append(topic, [counted("poison", 1)])
        follower = Follower(
            event_log,
            [topic],
            lambda e, o: seen.append(e.event_id),
            name="dlq-test",
            observe=lambda _t, o, n: outcomes.extend([o] * n),
        )
        follower.start()
        assert follower.wait_until({(topic, landed[0].partition): landed[0].offset + 1}, timeout_s=30)
        follower.stop()
        assert len(seen) == 2
        assert outcomes.count(Outcome.DEAD_LETTERED) == 2
        letters = [
            orjson.loads(r.value)
            for r in read_all(event_log, [DEAD_LETTERS])
            if r.key and r.key.startswith(f"dlq-test:{topic}:")
        ]
        assert {letter["offset"] for letter in letters} == {poison.offset, unknown.offset}
        assert all(letter["reason"] for letter in letters)

    def test_reports_ready_once_caught_up_with_the_log_at_start(self, event_log: EventLog, topic: str) -> None:
        event_log.append(topic, [counted(f"ready{i}", 0) for i in range(50)])
        count = []
        follower = Follower(event_log, [topic], lambda e, o: count.append(e), name="ready")
        follower.start()
        deadline = time.monotonic() + 30
        while not follower.ready and time.monotonic() < deadline:
            time.sleep(0.01)
        follower.stop()
        assert follower.ready and len(count) >= 50
        assert follower.rebuild_seconds is not None
