"""The same workload on the `eventsourcing` library (9.5.6): its SQLite recorder, mapper and events.

Every cadreflow event becomes a library domain event of a class named after its type, carrying the
same fields (event id, actor, correlation and causation ids, prev_hash, payload), so the stored
rows have the same sizes. The fold reads the library's notification log in pages, maps each row
back to a domain event with the library's mapper, checks the stream version the library way
(originator_version must follow the aggregate's version) and evolves the same Nomination state
with the same pure `evolve`. Imported only in the bench venv.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import DomainEvent

from bench.loggen import read_values
from shared.application.nominations.book import ENCODE
from shared.domain.workflow.events import EVENT_TYPES
from shared.domain.workflow.evolution import evolve
from shared.events.codec import decode


class NominationEvent(DomainEvent):
    """One nomination event as the library stores it (originator id/version, timestamp, state)."""

    event_id: str
    actor_id: str
    actor_role: str
    correlation_id: str
    causation_id: str
    prev_hash: str
    payload: dict


EVENT_CLASSES = {name: type(name, (NominationEvent,), {"__module__": __name__}) for name in EVENT_TYPES}
globals().update(EVENT_CLASSES)  # the library resolves event classes by module-level topic


class Nominations(Application):
    """A library application whose recorder and mapper hold and read the events."""


def open_app(path: Path) -> Nominations:
    return Nominations(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})


def to_library_event(data: bytes) -> NominationEvent:
    event = decode(data)
    return EVENT_CLASSES[event.type](
        originator_id=UUID(event.stream_id),
        originator_version=event.stream_version,
        timestamp=event.time,
        event_id=event.event_id,
        actor_id=event.actor.id,
        actor_role=event.actor.role,
        correlation_id=event.correlation_id,
        causation_id=event.causation_id,
        prev_hash=event.prev_hash,
        payload=event.payload,
    )


def write_library_log(source: Path, target: Path, batch: int = 5000) -> int:
    """Store every event of the cadreflow log `source` in a library SQLite database `target`."""
    if target.exists():
        target.unlink()
    app = open_app(target)
    values = [value for _, _, value in read_values(source)]
    for start in range(0, len(values), batch):
        stored = [app.mapper.to_stored_event(to_library_event(v)) for v in values[start : start + batch]]
        app.recorder.insert_events(stored)
    app.close()
    return len(values)


@dataclass(frozen=True, slots=True)
class _Actor:
    id: str
    role: str


class _Fact:
    """A library event seen as a workflow fact (type, payload, time, actor)."""

    __slots__ = ("type", "payload", "time", "actor")

    def __init__(self, event: NominationEvent) -> None:
        self.type = type(event).__name__
        self.payload = event.payload
        self.time = event.timestamp
        self.actor = _Actor(event.actor_id, event.actor_role)


def fold_library(path: Path, page: int = 1000) -> int:
    """Fold the whole library log into nomination states; returns the number of events read."""
    app = open_app(path)
    states: dict[UUID, Any] = {}
    versions: dict[UUID, int] = {}
    start, count = 1, 0
    while True:
        notifications = app.recorder.select_notifications(start, page)
        if not notifications:
            break
        for notification in notifications:
            _apply(states, versions, app.mapper.to_domain_event(notification))
        count += len(notifications)
        start = notifications[-1].id + 1
    app.close()
    return count


def _apply(states: dict, versions: dict, event: Any) -> None:
    key = event.originator_id
    if event.originator_version != versions.get(key, 0) + 1:
        return  # void, as the library's aggregate would refuse it
    versions[key] = event.originator_version
    states[key] = evolve(states.get(key), _Fact(event), ENCODE)  # the content encoder the book uses


def append_library(path: Path, events: Iterable[NominationEvent]) -> int:
    """Append prepared events one by one, each in its own durable transaction, the library way."""
    app = open_app(path)
    count = 0
    for event in events:
        app.recorder.insert_events([app.mapper.to_stored_event(event)])
        count += 1
    app.close()
    return count
