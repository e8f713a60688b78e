"""The envelope every event travels in (CloudEvents-style names)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Actor:
    """Who caused the event: a person id and the role they acted in (`system` for timers)."""

    id: str
    role: str


class Event(NamedTuple):
    """One fact in the log (a named tuple: a fold builds one per record, and a tuple is built
    several times faster than a frozen dataclass).

    - `event_id`: unique id (uuid4 hex); duplicates of the same id are the same fact.
    - `type`, `schema_version`: name and integer version of the payload schema.
    - `stream_id`: the stream (aggregate) the event belongs to; the Kafka key.
    - `expected_version`: the stream version this event expects to follow (0 = new stream).
      The event is applied only if the stream is at exactly that version when the event is
      reached in log order; otherwise it is void. `stream_version` is `expected_version + 1`.
    - `time`: when it was recorded (UTC). `actor`: who caused it.
    - `correlation_id`: the request or flow it belongs to; `causation_id`: the event or command
      that caused it.
    - `payload`: the type-specific data, validated against the registered schema.
    - `prev_hash`: SHA-256 of the stored bytes of the stream's previous applied event ("" for
      the first), so each stream is a hash chain and an altered event breaks it.
    - `digest`: SHA-256 of this event's stored bytes, computed on read (not part of the stored form).
    - `position`: (topic, partition, offset) where it was read, when read from the log.
    """

    event_id: str
    type: str
    schema_version: int
    stream_id: str
    expected_version: int
    time: datetime
    actor: Actor
    correlation_id: str
    causation_id: str
    payload: dict[str, Any]
    prev_hash: str = ""
    digest: str = ""
    position: tuple[str, int, int] | None = None

    @property
    def stream_version(self) -> int:
        """The version the stream reaches if this event is applied."""
        return self.expected_version + 1


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def new_event(
    type: str,
    stream_id: str,
    expected_version: int,
    payload: dict[str, Any],
    actor: Actor,
    *,
    schema_version: int | None = None,
    time: datetime | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    prev_hash: str = "",
) -> Event:
    """Build an event with a fresh id; the schema version defaults to the registry's current one."""
    from shared.events.registry import current_version

    event_id = uuid.uuid4().hex
    return Event(
        event_id=event_id,
        type=type,
        schema_version=schema_version or current_version(type),
        stream_id=stream_id,
        expected_version=expected_version,
        time=time or utcnow(),
        actor=actor,
        correlation_id=correlation_id or event_id,
        causation_id=causation_id or correlation_id or event_id,
        payload=payload,
        prev_hash=prev_hash,
    )
