"""Turn events into bytes for the log and back, validating and upcasting on the way in."""

from __future__ import annotations

import hashlib
import sys
from datetime import datetime
from typing import Any

import orjson

from shared.events.checks import Unsure, compiled
from shared.events.envelope import Actor, Event
from shared.events.errors import DecodeError
from shared.events.registry import REGISTRY, Registry

_ENVELOPE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "event_id": str,
    "type": str,
    "schema_version": int,
    "stream_id": str,
    "expected_version": int,
    "time": str,
    "actor": dict,
    "correlation_id": str,
    "causation_id": str,
    "payload": dict,
}


def to_dict(event: Event) -> dict[str, Any]:
    """The JSON-ready form of an event (the same form the API shows in the audit trail)."""
    return {
        "event_id": event.event_id,
        "type": event.type,
        "schema_version": event.schema_version,
        "stream_id": event.stream_id,
        "stream_version": event.stream_version,
        "expected_version": event.expected_version,
        "time": event.time.isoformat(),
        "actor": {"id": event.actor.id, "role": event.actor.role},
        "correlation_id": event.correlation_id,
        "causation_id": event.causation_id,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }


def encode(event: Event, registry: Registry = REGISTRY) -> bytes:
    """Validate the payload against its schema and serialise the event; raises DecodeError if invalid."""
    _validated(registry, event.type, event.schema_version, event.payload)
    return orjson.dumps(to_dict(event))


def decode(data: bytes, registry: Registry = REGISTRY, position: tuple[str, int, int] | None = None) -> Event:
    """Parse, check and upcast one stored event; raises DecodeError with the reason."""
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise DecodeError(f"not JSON: {error}") from None
    if not isinstance(raw, dict):
        raise DecodeError("not a JSON object")
    _check_envelope(raw)
    type_, version, payload = sys.intern(raw["type"]), raw["schema_version"], raw["payload"]
    if registry.current.get(type_) != version:
        version, payload = registry.upcast(type_, version, payload)
    payload = _validated(registry, type_, version, payload)
    event_id, correlation_id, causation_id = _shared(raw["event_id"], raw["correlation_id"], raw["causation_id"])
    return Event(
        event_id=event_id,
        type=type_,
        schema_version=version,
        stream_id=sys.intern(raw["stream_id"]),  # one string per stream, however many events it has
        expected_version=raw["expected_version"],
        time=_parse_time(raw["time"]),
        actor=_parse_actor(raw["actor"]),
        correlation_id=correlation_id,
        causation_id=causation_id,
        payload=payload,
        prev_hash=raw.get("prev_hash") if isinstance(raw.get("prev_hash"), str) else "",
        digest=hashlib.sha256(data).hexdigest(),
        position=position,
    )


def _shared(event_id: str, correlation_id: str, causation_id: str) -> tuple[str, str, str]:
    """The same text as one object: a command's event usually uses its own id for all three."""
    if correlation_id == event_id:
        correlation_id = event_id
    if causation_id == correlation_id:
        causation_id = correlation_id
    return event_id, correlation_id, causation_id


def _validated(registry: Registry, type_: str, version: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as its schema loads it: a compiled check first, marshmallow when unsure."""
    schema = registry.schemas.get((type_, version))
    check = compiled(schema) if schema is not None else None
    if check is not None:
        try:
            return check(payload)
        except Unsure:
            pass
    return registry.validate(type_, version, payload)


def _check_envelope(raw: dict[str, Any]) -> None:
    for name, kind in _ENVELOPE_FIELDS.items():
        value = raw.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise DecodeError(f"envelope field {name!r} missing or not {getattr(kind, '__name__', kind)}")
    if raw["expected_version"] < 0 or raw["schema_version"] < 1:
        raise DecodeError("envelope versions out of range")


def _parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise DecodeError(f"bad time {value!r}") from None
    if parsed.tzinfo is None:
        raise DecodeError(f"time {value!r} has no timezone")
    return parsed


def _parse_actor(value: dict[str, Any]) -> Actor:
    if not isinstance(value.get("id"), str) or not isinstance(value.get("role"), str):
        raise DecodeError("envelope field 'actor' needs string id and role")
    return Actor(id=sys.intern(value["id"]), role=sys.intern(value["role"]))
