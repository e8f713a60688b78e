"""Turn events into bytes for the log and back, validating and upcasting on the way in."""

from __future__ import annotations

import hashlib
import sys
from datetime import datetime
from typing import Any

import orjson

from shared.events.checks import Unsure
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
    if type(raw) is not dict or not _well_formed(raw):
        _check_envelope(raw)  # says what is wrong
    type_, version, payload = sys.intern(raw["type"]), raw["schema_version"], raw["payload"]
    if registry.current.get(type_) != version:
        version, payload = registry.upcast(type_, version, payload)
    payload = _validated(registry, type_, version, payload)
    event_id, correlation_id, causation_id = _shared(raw["event_id"], raw["correlation_id"], raw["causation_id"])
    prev_hash = raw.get("prev_hash", "")
    return Event(
        event_id,
        type_,
        version,
        sys.intern(raw["stream_id"]),  # one string per stream, however many events it has
        raw["expected_version"],
        _parse_time(raw["time"]),
        _actor(raw["actor"]),
        correlation_id,
        causation_id,
        payload,
        prev_hash if type(prev_hash) is str else "",
        hashlib.sha256(data).hexdigest(),
        position,
    )


def _well_formed(raw: dict[str, Any]) -> bool:
    """The envelope check of `_check_envelope` as one expression: the fast path of every read."""
    try:
        return (
            type(raw["event_id"]) is str
            and raw["event_id"] != ""
            and " " not in raw["event_id"]
            and type(raw["type"]) is str
            and type(raw["schema_version"]) is int
            and type(raw["stream_id"]) is str
            and type(raw["expected_version"]) is int
            and type(raw["time"]) is str
            and type(raw["actor"]) is dict
            and type(raw["correlation_id"]) is str
            and type(raw["causation_id"]) is str
            and type(raw["payload"]) is dict
            and raw["expected_version"] >= 0
            and raw["schema_version"] >= 1
        )
    except KeyError:
        return False


def _shared(event_id: str, correlation_id: str, causation_id: str) -> tuple[str, str, str]:
    """The same text as one object: a command's event usually uses its own id for all three."""
    if correlation_id == event_id:
        correlation_id = event_id
    if causation_id == correlation_id:
        causation_id = correlation_id
    return event_id, correlation_id, causation_id


def _validated(registry: Registry, type_: str, version: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as its schema loads it: a compiled check first, marshmallow when unsure."""
    check = registry.fast_check(type_, version)
    if check is not None:
        try:
            return check(payload)
        except Unsure:
            pass
    return registry.validate(type_, version, payload)


def _check_envelope(raw: Any) -> None:
    if not isinstance(raw, dict):
        raise DecodeError("not a JSON object")
    for name, kind in _ENVELOPE_FIELDS.items():
        value = raw.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise DecodeError(f"envelope field {name!r} missing or not {getattr(kind, '__name__', kind)}")
    if raw["expected_version"] < 0 or raw["schema_version"] < 1:
        raise DecodeError("envelope versions out of range")
    if " " in raw["event_id"] or not raw["event_id"]:
        raise DecodeError("envelope field 'event_id' is empty or has a space")
    raise DecodeError("malformed envelope")  # unreachable while both checks agree


def _parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise DecodeError(f"bad time {value!r}") from None
    if parsed.tzinfo is None:
        raise DecodeError(f"time {value!r} has no timezone")
    return parsed


_ACTORS: dict[tuple[str, str], Actor] = {}
ACTOR_CACHE = 100_000


def _actor(value: dict[str, Any]) -> Actor:
    """One shared Actor per (id, role): a reviewer acts on thousands of events."""
    key = (value.get("id"), value.get("role"))
    actor = _ACTORS.get(key)
    if actor is None:
        if type(key[0]) is not str or type(key[1]) is not str:
            raise DecodeError("envelope field 'actor' needs string id and role")
        if len(_ACTORS) >= ACTOR_CACHE:
            _ACTORS.clear()
        actor = _ACTORS[key] = Actor(sys.intern(key[0]), sys.intern(key[1]))
    return actor
