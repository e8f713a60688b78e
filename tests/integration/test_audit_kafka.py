"""cadreflow-audit reads a Kafka topic: every partition rebuilt, a matching head passes, a head
whose root the log does not have is the first divergence."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import tests.support.counter_events  # noqa: F401 - registers CounterIncremented
from shared.eventlog.kafka import KafkaEventLog
from shared.eventlog.port import TopicSpec
from shared.events.envelope import Actor, new_event
from shared.transparency.forest import Forest
from shared.transparency.heads import HeadSigner, SignedHead, TreeHead
from shared.transparency.keyfile import public_key_pem
from tools.audit.__main__ import main as audit

pytestmark = pytest.mark.kafka
SIGNER = HeadSigner(Ed25519PrivateKey.generate())


def chained(event_log: KafkaEventLog, topic: str, streams: int, length: int) -> Forest:
    """Append `streams` chained streams; the forest of what landed."""
    forest, landed = Forest(), []
    for s in range(streams):
        previous = ""
        for version in range(length):
            event = new_event(
                "CounterIncremented",
                f"s{s}",
                version,
                {"writer": "w", "attempt": version},
                Actor("a", "cadre"),
                prev_hash=previous,
            )
            record = event_log.append(topic, [event])[0]
            previous = hashlib.sha256(record.value).hexdigest()
            landed.append(record)
    for partition in range(2):
        forest.ensure(topic, partition)
    for record in sorted(landed, key=lambda r: (r.partition, r.offset)):
        forest.add(record.topic, record.partition, record.offset, hashlib.sha256(record.value).digest())
    return forest


def test_audits_every_partition_of_a_topic(kafka_bootstrap, topic_factory, tmp_path, capsys) -> None:
    topic = topic_factory("audit")
    event_log = KafkaEventLog(kafka_bootstrap, client_id="audit-test")
    event_log.create_topics([TopicSpec(topic, partitions=2)])
    forest = chained(event_log, topic, streams=4, length=3)
    event_log.close()
    (tmp_path / "key.pem").write_text(public_key_pem(SIGNER.verifier.public_key))
    honest = SIGNER.sign(forest.tree_heads(), timestamp=1)
    (tmp_path / "honest.json").write_text(json.dumps(honest.to_json()))
    args = ["--kafka", kafka_bootstrap, "--topic", topic, "--public-key", str(tmp_path / "key.pem")]

    assert audit([*args, "--heads", str(tmp_path / "honest.json")]) == 0
    assert "12 records (12 events, 0 undecodable) in 4 streams, 1 signed heads" in capsys.readouterr().out

    tree = honest.trees[0]
    other = SIGNER.sign([TreeHead(tree.log_id, tree.tree_size, bytes(32)), honest.trees[1]], timestamp=2)
    (tmp_path / "other.json").write_text(json.dumps(SignedHead.to_json(other)))
    assert audit([*args, "--heads", str(tmp_path / "honest.json"), str(tmp_path / "other.json")]) == 1
    assert f"FIRST DIVERGENCE: head at {tree.log_id} offset 0 (leaf 0)" in capsys.readouterr().out
