"""The EventLog contract on the real Kafka broker."""

import os

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.partitioner.default import murmur2

from shared.eventlog.kafka import KafkaEventLog
from tests.support.eventlog_contract import EventLogContract, counted

pytestmark = pytest.mark.kafka


class TestKafkaEventLog(EventLogContract):
    backend = "kafka"

    @pytest.fixture
    def event_log(self, kafka_bootstrap):
        log = KafkaEventLog(kafka_bootstrap, client_id="contract-test")
        yield log
        log.close()

    def location(self, event_log: KafkaEventLog) -> str:
        return event_log.bootstrap_servers

    def test_creates_topics_that_keep_events_forever(self, event_log, topic) -> None:
        with KafkaAdminClient(bootstrap_servers=event_log.bootstrap_servers) as admin:
            described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        configs = {name: entry["value"] for name, entry in described["topic"][topic].items()}
        assert configs["retention.ms"] == "-1"
        assert configs["retention.bytes"] == "-1"
        assert configs["cleanup.policy"] == "delete"

    def test_spreads_streams_over_several_partitions(self, event_log, topic) -> None:
        landed = [event_log.append(topic, [counted(f"spread{i}", 0)])[0] for i in range(30)]
        assert len({r.partition for r in landed}) > 1

    def test_a_stream_lands_on_the_partition_javas_clients_choose_for_its_key(self, event_log, topic) -> None:
        # the log written before the producer changed library keeps each stream on its partition
        landed = [event_log.append(topic, [counted(f"stream{i}", 0)])[0] for i in range(40)]
        partitions = len(event_log.end_offsets([topic]))
        assert partitions > 1
        assert [r.partition for r in landed] == [java_partition(r.key, partitions) for r in landed]

    def test_closing_its_readers_and_the_log_ends_their_client_threads(self, kafka_bootstrap, topic) -> None:
        log = KafkaEventLog(kafka_bootstrap, client_id="threads-test")
        before = native_threads()
        log.append(topic, [counted("threads", 0)])  # the producer's threads too
        reader = log.open_reader([topic])
        reader.poll(0.1)
        opened = native_threads()
        reader.close()
        log.close()
        assert opened > before
        assert native_threads() <= before


def java_partition(key: str, partitions: int) -> int:
    """Kafka's default partition of a keyed record (the Java client's, kafka-python's)."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def native_threads() -> int:
    """The process's threads, librdkafka's included (threading.enumerate sees only Python's)."""
    return len(os.listdir("/proc/self/task"))
