"""The EventLog contract on the real Kafka broker."""

import os
import socket
from concurrent.futures import ThreadPoolExecutor

import confluent_kafka
import pytest
from confluent_kafka.admin import AdminClient
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.partitioner.default import murmur2

from shared.eventlog.kafka import KafkaEventLog
from shared.eventlog.port import LogUnavailable, TopicSpec
from tests.support.eventlog_contract import EventLogContract, counted, position

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

    def test_creating_topics_again_keeps_them_and_a_refused_topic_is_an_outage(self, event_log, topic) -> None:
        landed = event_log.append(topic, [counted("kept", 0)])
        event_log.create_topics([TopicSpec(topic, partitions=6)])  # every start does this: nothing changes
        assert event_log.read_at([position(landed[0])]) == landed
        with pytest.raises(LogUnavailable, match="creating topic"):
            event_log.create_topics([TopicSpec(f"{topic}.bad", configs={"retention.ms": "forever"})])

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
        landed = log.append(topic, [counted("threads", 0)])  # the producer's threads too
        assert log.read_at([position(landed[0])]) == landed  # and read_at's consumer's
        reader = log.open_reader([topic])
        reader.poll(0.1)
        opened = native_threads()
        reader.close()
        log.close()
        assert opened > before
        assert native_threads() <= before

    def test_reads_none_at_a_partition_the_topic_does_not_have(self, event_log, topic) -> None:
        landed = event_log.append(topic, [counted("partitions", 0)])[0]
        assert event_log.read_at([(topic, 99, landed.offset), position(landed), (topic, -1, 0)]) == [None, landed, None]

    def test_reads_none_at_records_deleted_below_the_start_of_the_log(self, event_log, topic) -> None:
        landed = event_log.append(topic, [counted("deleted", v) for v in range(5)])
        start = confluent_kafka.TopicPartition(topic, landed[0].partition, landed[2].offset)
        admin = AdminClient({"bootstrap.servers": event_log.bootstrap_servers})
        admin.delete_records([start])[start].result(timeout=30)
        assert event_log.read_at([position(r) for r in landed]) == [None, None, *landed[2:]]

    def test_serves_several_threads_at_once_each_its_own_records(self, event_log, topic) -> None:
        landed = event_log.append(topic, [counted(f"threads{i}", v) for v in range(5) for i in range(8)])
        trails = [[r for r in landed if r.key == f"threads{i}"] for i in range(8)]

        def read_back(trail: list) -> list:
            return [event_log.read_at([position(r) for r in trail]) for _ in range(10)]

        with ThreadPoolExecutor(4) as pool:
            for trail, answers in zip(trails, pool.map(read_back, trails), strict=True):
                assert answers == [trail] * 10

    def test_read_at_raises_log_unavailable_when_no_broker_answers(self) -> None:
        log = KafkaEventLog(f"127.0.0.1:{unused_port()}", client_id="nobody-test")
        try:
            with pytest.raises(LogUnavailable):
                log.read_at([("cadreflow.nominations", 0, 0)])
        finally:
            log.close()


def unused_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def java_partition(key: str, partitions: int) -> int:
    """Kafka's default partition of a keyed record (the Java client's, kafka-python's)."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def native_threads() -> int:
    """The process's threads, librdkafka's included (threading.enumerate sees only Python's)."""
    return len(os.listdir("/proc/self/task"))
