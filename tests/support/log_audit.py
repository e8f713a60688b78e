"""Read the whole nominations topic and fold it from zero: the ground truth the fault tests compare with."""

from __future__ import annotations

from collections import defaultdict

import shared.contracts  # noqa: F401 - registers the event types
from services.notification.recipients import notices
from shared.domain.workflow.evolution import evolve
from shared.eventlog.port import EventLog
from shared.eventlog.topics import NOMINATIONS
from shared.events.codec import decode
from shared.events.errors import DecodeError
from shared.readside.gate import Outcome, StreamGate


class LogAudit:
    """Applied events per stream, states folded from them, and the notices they imply."""

    def __init__(self, event_log: EventLog) -> None:
        reader = event_log.open_reader([NOMINATIONS])
        end = reader.end_offsets()
        position: dict = {}
        self.applied: dict[str, list] = defaultdict(list)
        self.states: dict = {}
        self.expected_notices: dict[str, list[tuple[str, str]]] = defaultdict(list)
        gate = StreamGate()
        while any(position.get(tp, 0) < offset for tp, offset in end.items()):
            for record in reader.poll(1.0):
                position[(record.topic, record.partition)] = record.offset + 1
                try:
                    event = decode(record.value)
                except DecodeError:
                    continue
                if gate.admit(event) is Outcome.APPLIED:
                    self._apply(event)
        reader.close()

    def _apply(self, event) -> None:
        before = self.states.get(event.stream_id)
        after = evolve(before, event)
        self.states[event.stream_id] = after
        self.applied[event.stream_id].append(event)
        for notice in notices(event.type, event.payload, before, after):
            self.expected_notices[notice.recipient].append((event.stream_id, event.type))
