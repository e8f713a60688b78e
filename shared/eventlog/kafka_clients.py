"""What the Kafka log's confluent-kafka clients share: their settings, librdkafka's errors as
`LogUnavailable`, end offsets asked of the admin client, and a consumer's next messages.

Shared by the log (`kafka`), its readers and the reader of positions (`kafka_positions`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

import confluent_kafka
from confluent_kafka import IsolationLevel, Message
from confluent_kafka.admin import AdminClient, OffsetSpec  # type: ignore[attr-defined]  # its documented home, re-exported without __all__

from shared.eventlog.port import LogUnavailable, Offsets, Record

T = TypeVar("T")
LIBRDKAFKA_LOG = logging.getLogger("shared.eventlog.kafka.librdkafka")
REQUEST_TIMEOUT_S = 10.0
UNSETTLED = frozenset(
    {
        confluent_kafka.KafkaError.NOT_LEADER_FOR_PARTITION,
        confluent_kafka.KafkaError.LEADER_NOT_AVAILABLE,
        confluent_kafka.KafkaError.UNKNOWN_TOPIC_OR_PART,
        confluent_kafka.KafkaError.UNKNOWN_LEADER_EPOCH,
        confluent_kafka.KafkaError.FENCED_LEADER_EPOCH,
    }
)
"""ListOffsets errors of a partition whose leader is not settled: for a moment after the topic was
created (NOT_LEADER_FOR_PARTITION) or the broker restarted (UNKNOWN_LEADER_EPOCH: the client knows
a newer epoch than the broker has loaded yet). kafka-python's end_offsets asked again by itself
(Kafka's clients treat these as retriable); librdkafka's admin does not."""


def client_config(bootstrap: str, client_id: str) -> dict[str, Any]:
    """Every confluent-kafka client's: a global error (broker down, connection closed) goes to
    `_log_client_error` and librdkafka's log lines to `LIBRDKAFKA_LOG`, both served by the
    client's poll, instead of stderr; librdkafka retries by itself."""
    return {
        "bootstrap.servers": bootstrap,
        "client.id": client_id,
        "error_cb": _log_client_error,
        "logger": LIBRDKAFKA_LOG,
    }


def end_offsets_of(admin: AdminClient, partitions: Iterable[tuple[str, int]]) -> Offsets:
    """One ListOffsets request to the leader (this log has one broker). read_committed answers the
    last stable offset, as far as a read_committed reader gets (an open transaction's records
    are not counted). Asked again while a partition's leader is not settled (`UNSETTLED`), for up
    to REQUEST_TIMEOUT_S in all."""
    asked = {confluent_kafka.TopicPartition(t, p): OffsetSpec.latest() for t, p in partitions}
    deadline = time.monotonic() + REQUEST_TIMEOUT_S
    try:
        while True:
            try:
                answers = admin.list_offsets(
                    asked, isolation_level=IsolationLevel.READ_COMMITTED, request_timeout=REQUEST_TIMEOUT_S
                )
                return {(tp.topic, tp.partition): answer.result().offset for tp, answer in answers.items()}
            except confluent_kafka.KafkaException as error:
                if error.args[0].code() not in UNSETTLED or time.monotonic() > deadline:
                    raise LogUnavailable(f"kafka end offsets failed: {error}") from error
                time.sleep(0.05)
    finally:
        admin.poll(0)  # serve the log lines and errors queued since (see client_config)


def guarded(call: Callable[[], T]) -> T:
    """A librdkafka call whose failure (a KafkaException) is the log's: LogUnavailable."""
    try:
        return call()
    except confluent_kafka.KafkaException as error:
        raise LogUnavailable(f"kafka request failed: {error}") from error


def next_messages(consumer: confluent_kafka.Consumer, timeout_s: float, max_records: int) -> list[Message]:
    """What is fetched already, else the first record within `timeout_s` and what came with it.
    (`consume(n, timeout)` alone returns only once it has n records or the timeout passed: a
    record arriving alone would wait the whole timeout.)"""
    consume = consumer.consume
    messages = guarded(partial(consume, max_records, 0))
    if messages:
        return messages
    first = guarded(partial(consumer.poll, timeout_s))
    if first is None:
        return []
    return [first, *guarded(partial(consume, max_records - 1, 0))] if max_records > 1 else [first]


def record_of(message: Message, topic: str, partition: int, offset: int) -> Record:
    """The Record a fetched message holds (one without a value, never written here, reads as
    empty bytes: dead-lettered, not a crash)."""
    key = message.key()
    return Record(topic, partition, offset, key.decode() if key else None, message.value() or b"")


def skip_message_error(error: confluent_kafka.KafkaError | None) -> None:
    """A partition's error that came out of poll (e.g. an offset reset to the earliest, as
    kafka-python did silently): librdkafka goes on fetching, so it is logged, not raised. Only
    a fatal error (none is expected of a consumer that never joins a group) ends the reader."""
    if error is not None and error.fatal():
        raise LogUnavailable(f"kafka read failed: {error}")
    LIBRDKAFKA_LOG.warning("kafka reader skipped an error: %s", error)


def _log_client_error(error: confluent_kafka.KafkaError) -> None:
    """librdkafka's own log line (`LIBRDKAFKA_LOG`) already tells each failed connection."""
    down = error.code() == confluent_kafka.KafkaError._ALL_BROKERS_DOWN
    LIBRDKAFKA_LOG.log(logging.WARNING if down or error.fatal() else logging.DEBUG, "kafka client: %s", error)
