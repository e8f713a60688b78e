"""The re-check of restored trees reads a Kafka topic of two partitions: trees that hold what the
log holds pass; trees holding another record at one leaf are named by partition and leaf."""

from __future__ import annotations

import hashlib
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.application.transparency_recheck import ForestRecheck
from shared.eventlog.kafka import KafkaEventLog
from shared.eventlog.port import Record, TopicSpec
from shared.metrics import transparency_metrics
from shared.readside.record_follower import RecordFollower
from shared.transparency.archive import HeadArchive
from shared.transparency.forest import Forest
from shared.transparency.heads import HeadSigner
from shared.transparency.ledger import Ledger

pytestmark = pytest.mark.kafka
METRICS = transparency_metrics("recheckkafka")


@pytest.fixture
def kafka_log(kafka_bootstrap, topic_factory):
    topic = topic_factory("recheck")
    log = KafkaEventLog(kafka_bootstrap, client_id="recheck-test")
    log.create_topics([TopicSpec(topic, partitions=2)])
    landed = [log.append_raw(topic, f"stream-{n % 7}", b"record %d" % n) for n in range(30)]
    assert all(sum(r.partition == p for r in landed) >= 3 for p in (0, 1))
    yield log, topic, landed
    log.close()


def until(done) -> None:
    deadline = time.monotonic() + 60
    while not done():
        assert time.monotonic() < deadline, "not within 60 s"
        time.sleep(0.02)


def rechecked(log: KafkaEventLog, topic: str, tmp_path, trees: Forest | None = None) -> ForestRecheck:
    """The trees a record follower grew from the topic (or `trees`, restored over them), re-checked."""
    ledger = Ledger(HeadArchive(tmp_path), HeadSigner(Ed25519PrivateKey.generate()), lambda: True)

    def add(record: Record, digest: bytes) -> None:
        ledger.add(record.topic, record.partition, record.offset, digest)

    follower = RecordFollower(log, [topic], add, name="kafka.transparency")
    follower.start()
    until(lambda: follower.ready)
    follower.stop()  # it stays ready
    if trees is not None:
        ledger.forest.restore(trees.export(trees.sizes()))
    recheck = ForestRecheck(ledger, follower, ledger.forest.sizes, METRICS, chunk=4, pause_s=0)
    recheck.start()
    until(lambda: recheck.status.state not in ("waiting", "running"))
    recheck.stop()
    return recheck


def test_trees_that_hold_the_log_pass(kafka_log, tmp_path) -> None:
    log, topic, _ = kafka_log
    status = rechecked(log, topic, tmp_path).status
    assert (status.state, status.records, status.divergences) == ("passed", 30, [])


def test_trees_holding_another_record_are_named_by_partition_and_leaf(kafka_log, tmp_path) -> None:
    log, topic, landed = kafka_log
    other = Forest()
    in_order = sorted(landed, key=lambda record: (record.partition, record.offset))
    for leaf, record in enumerate(r for r in in_order if r.partition == 1):
        value = b"another record" if leaf == 2 else record.value
        other.add(topic, 1, record.offset, hashlib.sha256(value).digest())
    for record in (r for r in in_order if r.partition == 0):
        other.add(topic, 0, record.offset, hashlib.sha256(record.value).digest())
    status = rechecked(log, topic, tmp_path, trees=other).status
    offset = other.offset_at(f"{topic}/1", 2)
    assert status.state == "diverged" and len(status.divergences) == 1
    assert status.divergences[0].startswith(f"{topic}/1: the record at offset {offset} is not the one folded")
    assert "the changed record is leaf 2" in status.divergences[0]
