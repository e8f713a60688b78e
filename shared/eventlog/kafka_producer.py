"""The appending side of the Kafka log: confluent-kafka's idempotent producer, acks=all.

librdkafka batches, sends and retries on its own threads, in C: kafka-python's producer spent
some 0.5 ms of Python a submission (its sender and network threads) in a process whose request
threads want the same GIL. An append hands its records to librdkafka and waits for their
delivery reports; a thread of the producer serves those reports (its `poll`) as they come.

Keys go to the partition Kafka's Java clients (and kafka-python) choose: murmur2 of the key,
not librdkafka's CRC32 default. A stream's events keep their partition across the change, so
each stream stays in order in the log already written.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any

import confluent_kafka

from shared.eventlog.port import LogUnavailable

DELIVERY_TIMEOUT_MS = 15000
"""librdkafka gives up on a record (and reports it failed) this long after it was handed over."""


class Producer:
    """One process's producer. `send` is thread-safe; `close` flushes and ends its threads."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._producer = confluent_kafka.Producer(
            {
                **config,
                "acks": "all",
                "enable.idempotence": True,
                # no waiting for more: the request threads that append meanwhile share the next batch
                # anyway (up to 5 requests in flight); 1 ms made a sequential append 1.5 ms slower
                "linger.ms": 0,
                "partitioner": "murmur2_random",  # Java's and kafka-python's partition for a key
                "message.timeout.ms": DELIVERY_TIMEOUT_MS,
                "request.timeout.ms": 10000,
            }
        )
        self.broken = False
        """A fatal error (an idempotent producer's sequence lost): this producer sends no more."""
        self._stop = threading.Event()
        self._reports = threading.Thread(target=self._serve_reports, name="kafka-deliveries", daemon=True)
        self._reports.start()

    def send(self, topic: str, key: str, value: bytes) -> Future[tuple[int, int]]:
        """Hand one record over; the future gives (partition, offset) once the broker has it."""
        landed: Future[tuple[int, int]] = Future()

        def delivered(error: confluent_kafka.KafkaError | None, message: confluent_kafka.Message) -> None:
            if error is not None:
                self.broken = self.broken or error.fatal()
                landed.set_exception(LogUnavailable(f"kafka append to {topic} not confirmed: {error}"))
            else:
                landed.set_result((message.partition() or 0, message.offset() or 0))

        try:
            self._producer.produce(topic, value=value, key=key.encode(), on_delivery=delivered)
        except (BufferError, confluent_kafka.KafkaException) as error:
            raise LogUnavailable(f"kafka append to {topic} not handed over: {error!r}") from error
        return landed

    def close(self, timeout_s: float) -> None:
        """Wait up to `timeout_s` for what was handed over, then end the reports thread."""
        self._producer.flush(timeout_s)
        self._stop.set()
        self._reports.join(timeout=5)

    def _serve_reports(self) -> None:
        while not self._stop.is_set():
            self._producer.poll(0.1)  # returns as soon as a report is there
