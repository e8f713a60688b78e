"""Counts the dead-letter topic for ops (`cadreflow_dead_letters_total`), without decoding it as events."""

from __future__ import annotations

import logging
import threading
from functools import cache

from prometheus_client import Gauge

from shared.eventlog.port import EventLog, close_quietly
from shared.eventlog.topics import DEAD_LETTERS

log = logging.getLogger(__name__)


@cache
def _gauge() -> Gauge:
    return Gauge("cadreflow_dead_letters_total", "Records some consumer could not decode", multiprocess_mode="livemax")


class DeadLetterCounter:
    """Reads the dead-letter topic from the start and counts distinct (consumer, source) keys."""

    def __init__(self, event_log: EventLog) -> None:
        self.log = event_log
        self.keys: set[str] = set()
        self.gauge = _gauge()
        self._stop = threading.Event()

    def run(self) -> None:
        reader = None
        while not self._stop.is_set():
            try:
                reader = reader or self.log.open_reader([DEAD_LETTERS])
                for record in reader.poll(1.0):
                    self.keys.add(record.key or f"{record.partition}:{record.offset}")
                self.gauge.set(len(self.keys))
            except Exception as error:  # broker down: retry with a fresh reader
                log.warning("dead-letter counter: %r", error)
                close_quietly(reader)  # a Kafka reader holds librdkafka's threads until closed
                reader = None
                self._stop.wait(1.0)
        close_quietly(reader)

    def start(self) -> None:
        threading.Thread(target=self.run, name="dead-letter-counter", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
