"""The background re-check on an in-memory log: it waits for the trees to be rebuilt, reads the log
a chunk at a time through an outage, stops when told, and runs only over trees that were restored."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from prometheus_client import REGISTRY

from shared.application import transparency_recheck
from shared.application.recheck_passes import RecheckPasses
from shared.application.transparency_recheck import ForestRecheck
from shared.eventlog.memory import InMemoryEventLog, InMemoryLogReader
from shared.eventlog.port import LogReader, LogUnavailable, Record, TopicSpec
from shared.metrics import transparency_metrics
from shared.readside.record_follower import RecordFollower
from shared.transparency.archive import HeadArchive
from shared.transparency.heads import HeadSigner
from shared.transparency.ledger import Ledger

TOPICS = ["audited.a", "audited.b"]
METRICS = transparency_metrics("recheckunit")


class OutageLog(InMemoryEventLog):
    """Once `fail` is set, the readers opened here fail: their second poll, and then one opening."""

    def __init__(self) -> None:
        super().__init__()
        self.fail = False
        self.failures = 0
        self.opened = 0

    def open_reader(self, topics: Sequence[str], group: str | None = None) -> LogReader:
        self.opened += 1
        if self.fail and self.failures == 1:
            self.failures += 1
            raise LogUnavailable("the log is down")
        return FailingReader(self, topics, group)


class FailingReader(InMemoryLogReader):
    def __init__(self, log: OutageLog, topics: Sequence[str], group: str | None) -> None:
        super().__init__(log, topics, group)
        self.outage_log, self.polls = log, 0

    def poll(self, timeout_s: float, max_records: int = 1000) -> list[Record]:
        self.polls += 1
        if self.outage_log.fail and self.outage_log.failures == 0 and self.polls == 2:
            self.outage_log.failures += 1
            raise LogUnavailable("the connection dropped")
        return super().poll(timeout_s, max_records)


class Trees:
    """A ledger whose trees a record follower grows from `log`, and its re-check."""

    def __init__(
        self, log: OutageLog, tmp_path, restored: bool = True, pause_s: float = 0.0, passes: RecheckPasses | None = None
    ) -> None:
        self.log = log
        self.ledger = Ledger(HeadArchive(tmp_path), HeadSigner(Ed25519PrivateKey.generate()), lambda: True)
        self.follower = RecordFollower(log, TOPICS, self.add, name="unit.transparency")
        sizes = self.ledger.forest.sizes if restored else lambda: None
        self.recheck = ForestRecheck(
            self.ledger, self.follower, sizes, METRICS, chunk=4, pause_s=pause_s, passes=passes
        )

    def add(self, record: Record, digest: bytes) -> None:
        self.ledger.add(record.topic, record.partition, record.offset, digest)

    def rebuilt(self) -> Trees:
        """The trees grown from the whole log; the follower stopped (it stays ready), so that it
        reads nothing more."""
        self.follower.start()
        until(lambda: self.follower.ready)
        self.follower.stop()
        return self


def metric(name: str) -> float | None:
    return REGISTRY.get_sample_value(f"recheckunit_transparency_recheck_{name}")


def until(done) -> None:
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline, "not within 30 s"
        time.sleep(0.01)


@pytest.fixture
def log() -> OutageLog:
    log = OutageLog()
    log.create_topics([TopicSpec(topic) for topic in TOPICS])
    for n in range(21):
        log.append_raw(TOPICS[n % 3 == 0], f"stream-{n % 5}", b"record %d" % n)
    return log


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch) -> None:
    monkeypatch.setattr(transparency_recheck, "RETRY_S", 0.01)


def test_reads_the_log_in_chunks_through_an_outage_and_passes(log, tmp_path, caplog) -> None:
    trees = Trees(log, tmp_path).rebuilt()
    log.fail = True
    trees.recheck.start()
    until(lambda: trees.recheck.status.state not in ("waiting", "running"))
    status = trees.recheck.status
    assert (status.state, status.records, status.error, log.failures) == ("passed", 21, None, 2)
    assert "the connection dropped" in caplog.text and "the log is down" in caplog.text
    assert metric("passed") == 1 and metric("records") == 21
    trees.recheck.stop()


def test_trees_rebuilt_from_the_log_are_not_read_again(log, tmp_path) -> None:
    trees = Trees(log, tmp_path, restored=False).rebuilt()
    trees.recheck.start()
    until(lambda: trees.recheck.status.state == "skipped")
    assert trees.recheck.status.records == 0 and metric("passed") == 0
    trees.recheck.stop()


def test_stops_while_waiting_for_the_trees(log, tmp_path) -> None:
    trees = Trees(log, tmp_path)  # the follower never starts
    trees.recheck.start()
    trees.recheck.stop()
    assert not trees.recheck._thread.is_alive() and trees.recheck.status.state == "waiting"


def test_stops_between_two_chunks(log, tmp_path) -> None:
    trees = Trees(log, tmp_path, pause_s=600).rebuilt()
    trees.recheck.start()
    until(lambda: trees.recheck.status.records == 4)
    trees.recheck.stop()
    assert not trees.recheck._thread.is_alive() and trees.recheck.status.state == "stopped"


class TestTheProcessesOfAHost:
    """Gunicorn workers restore the same trees from the same snapshot file: one reads the log."""

    @pytest.fixture
    def passes(self, tmp_path) -> RecheckPasses:
        return RecheckPasses(tmp_path / "snapshots", "unit")

    def checked(self, trees: Trees) -> Trees:
        trees.recheck.start()
        until(lambda: trees.recheck.status.state not in ("waiting", "running"))
        trees.recheck.stop()
        return trees

    def test_a_pass_is_taken_by_a_process_that_restored_the_same_trees(self, log, tmp_path, passes) -> None:
        first, second = Trees(log, tmp_path, passes=passes), Trees(log, tmp_path, passes=passes)
        self.checked(first.rebuilt())
        second.rebuilt()
        opened = log.opened
        self.checked(second)
        status = second.recheck.status
        assert (first.recheck.status.state, first.recheck.status.passed_by) == ("passed", None)
        assert (status.state, status.records, status.passed_by, status.cpu_seconds) == ("passed", 21, os.getpid(), 0)
        assert log.opened == opened and metric("passed") == 1  # the log was not read again

    def test_other_trees_are_checked_again(self, log, tmp_path, passes) -> None:
        first, second = Trees(log, tmp_path, passes=passes), Trees(log, tmp_path, passes=passes)
        self.checked(first.rebuilt())
        log.append_raw(TOPICS[0], "stream-0", b"one more")
        status = self.checked(second.rebuilt()).recheck.status
        assert (status.state, status.records, status.passed_by) == ("passed", 22, None)

    def test_a_pass_from_before_the_process_began_is_not_taken(self, log, tmp_path, passes) -> None:
        """A later start of the same trees: the log may have been rewritten since that pass."""
        self.checked(Trees(log, tmp_path, passes=passes).rebuilt())
        status = self.checked(Trees(log, tmp_path, passes=passes).rebuilt()).recheck.status
        assert (status.state, status.records, status.passed_by) == ("passed", 21, None)

    def started_while_another_checks(self, log, tmp_path, passes, seconds: float) -> tuple[int, Trees]:
        """Another process's turn (its lock descriptor), and trees whose re-check started meanwhile."""
        other = passes.take_turn(threading.Event())
        assert other is not None
        trees = Trees(log, tmp_path, passes=passes).rebuilt()
        trees.recheck.start()
        time.sleep(seconds)
        return other, trees

    def test_waits_while_another_process_checks(self, log, tmp_path, passes) -> None:
        other, trees = self.started_while_another_checks(log, tmp_path, passes, 0.5)
        assert (trees.recheck.status.state, trees.recheck.status.records) == ("waiting", 0)
        passes.end_turn(other)  # it found nothing to write down: this one checks itself
        until(lambda: trees.recheck.status.state == "passed")
        assert trees.recheck.status.records == 21 and trees.recheck.status.passed_by is None
        trees.recheck.stop()

    def test_stops_while_waiting_for_its_turn(self, log, tmp_path, passes) -> None:
        other, trees = self.started_while_another_checks(log, tmp_path, passes, 0.3)
        trees.recheck.stop()
        assert not trees.recheck._thread.is_alive() and trees.recheck.status.state == "waiting"
        passes.end_turn(other)

    def test_a_pass_written_down_unreadable_is_not_taken(self, passes) -> None:
        passes.record("key", 100.0, 21, 0.1)
        assert passes.passed("key", 100.0) is not None and passes.passed("other key", 100.0) is None
        assert passes.passed("key", 100.5) is None  # began before the asking process
        passes.path.write_bytes(b"{not json")
        assert passes.passed("key", 0.0) is None
