"""Record a decision: the one way a Decision of the domain becomes an Event on the log, and the
append that waits for the log's verdict on it (read your own writes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from shared.eventlog.port import ConcurrencyError
from shared.events.envelope import Actor, Event, new_event
from shared.readside.follower import Follower
from shared.readside.gate import Outcome


class Decided(Protocol):
    """What a decider returns: the type and JSON-ready payload of the one event to record."""

    @property
    def type(self) -> str: ...

    @property
    def payload(self) -> dict[str, Any]: ...


class Acting(Protocol):
    """Who decided: a person id and the role they acted in."""

    @property
    def id(self) -> str: ...

    @property
    def role(self) -> str: ...


def event_of(
    decision: Decided,
    stream_id: str,
    expected_version: int,
    actor: Acting,
    now: datetime,
    *,
    prev_hash: str = "",
    correlation_id: str | None = None,
) -> Event:
    """The event that records `decision` on `stream_id`, expecting the stream at `expected_version`
    (0 for a new stream), after the event whose digest is `prev_hash` (the hash chain)."""
    return new_event(
        decision.type,
        stream_id,
        expected_version,
        decision.payload,
        Actor(actor.id, actor.role),
        time=now,
        correlation_id=correlation_id,
        prev_hash=prev_hash,
    )


def append_awaited(follower: Follower, topic: str, event: Event, timeout_s: float) -> Outcome | None:
    """Append `event` and wait for the log's verdict on it as `follower` folds it.

    A version the log refused at append (SQLite) is VOID, like one the log order voided
    (Kafka); None means it was written but not read back in time. LogUnavailable propagates.
    """
    with follower.awaiting(event.event_id) as wait:
        try:
            follower.log.append(topic, [event])
        except ConcurrencyError:
            return Outcome.VOID
        return wait(timeout_s)
