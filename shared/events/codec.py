"""Turn events into bytes for the log and back, validating and upcasting on the way in.

Reading is one msgspec decode into typed Structs: the envelope and the payload are parsed and
checked together. The decoder is a tagged union with one envelope type per event type (tag: the
`type` field), each holding the current version's payload type. An event of an older version, or
one that fails anywhere, is read again field by field (`_decode_stepwise`): that path upcasts, and
it gives the reason of a failure.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from datetime import datetime
from hashlib import sha256
from sys import intern
from typing import Annotated, Any, NamedTuple

import msgspec
from msgspec import Meta, Raw, Struct

from shared.events.envelope import Actor, Event
from shared.events.errors import DecodeError
from shared.events.registry import REGISTRY, Registry, dict_maker

Position = tuple[str, int, int]


class StoredActor(Struct, gc=False):
    """`actor` as stored: a person id and the role they acted in."""

    id: str
    role: str


class StoredEvent(Struct, gc=False):
    """The stored form of an event, as read from the log (see `Event` for the meaning of each
    field); unknown fields are ignored. `payload` is still JSON: its type depends on `type` and
    `schema_version`. `stream_version` is written for readers of the raw log, and not read."""

    event_id: Annotated[str, Meta(min_length=1)]
    type: str
    schema_version: Annotated[int, Meta(ge=1)]
    stream_id: str
    expected_version: Annotated[int, Meta(ge=0)]
    time: Annotated[datetime, Meta(tz=True)]
    actor: StoredActor
    correlation_id: str
    causation_id: str
    payload: Raw
    prev_hash: Any = ""  # not a string: read as "" (the stream's chain is then broken)


_STORED_EVENT = msgspec.json.Decoder(StoredEvent)
_ENCODER = msgspec.json.Encoder()


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
    """Validate the payload against its type and serialise the event; raises DecodeError if invalid."""
    registry.check(event.type, event.schema_version, event.payload)
    return _ENCODER.encode(to_dict(event))


def decode(data: bytes, registry: Registry = REGISTRY, position: Position | None = None) -> Event:
    """Parse, check and upcast one stored event; raises DecodeError with the reason."""
    reader = registry.derived.get(_READER) or _reader(registry)
    try:
        stored = reader.decoder.decode(data)
    except msgspec.DecodeError:
        return _decode_stepwise(data, registry, position)
    route = reader.routes.get(stored.__class__)
    if route is None or stored.schema_version != route.version:  # an older version: upcast it
        return _decode_stepwise(data, registry, position)
    return _event(stored, route.type, route.version, route.as_dict(stored.payload), data, position)


def parse(data: bytes, registry: Registry = REGISTRY) -> Struct:
    """The first step of `decode` alone: bytes to the checked envelope and payload (benchmarks)."""
    return (registry.derived.get(_READER) or _reader(registry)).decoder.decode(data)


class _Route(NamedTuple):
    """Where an envelope type of the union leads."""

    type: str
    version: int
    """the schema version of its payload type: the current one"""
    as_dict: Callable[[Any], dict[str, Any]]


class _Reader(NamedTuple):
    decoder: msgspec.json.Decoder[Any]
    routes: dict[type, _Route]


_READER = "codec.reader"


def _reader(registry: Registry) -> _Reader:
    reader = registry.derived[_READER] = _build_reader(registry)
    return reader


def _build_reader(registry: Registry) -> _Reader:
    """One envelope type per event type: the fields of StoredEvent, with `type` as the union's tag
    and the payload typed by the current version."""
    routes: dict[type, _Route] = {}
    for event_type, version in registry.current.items():
        name = intern(event_type)
        payload_type = registry.payload_type(name, version)
        fields = [_field(info, payload_type) for info in msgspec.structs.fields(StoredEvent)]
        envelope = msgspec.defstruct(
            f"Stored{name}", [f for f in fields if f[0] != "type"], tag_field="type", tag=name, gc=False
        )
        routes[envelope] = _Route(name, version, dict_maker(payload_type))
    union = functools.reduce(operator.or_, routes) if routes else StoredEvent  # (no route: stepwise)
    return _Reader(msgspec.json.Decoder(union), routes)


def _field(info: msgspec.structs.FieldInfo, payload_type: type) -> tuple[str, Any] | tuple[str, Any, Any]:
    kind = payload_type if info.name == "payload" else info.type
    return (info.name, kind) if info.required else (info.name, kind, info.default)


def _decode_stepwise(data: bytes, registry: Registry, position: Position | None) -> Event:
    """The envelope first, then the payload as its stored version, then upcasts: each step's
    failure is its own DecodeError with the reason."""
    try:
        stored = _STORED_EVENT.decode(data)
    except msgspec.ValidationError as error:
        raise DecodeError(f"malformed envelope: {error}") from None
    except msgspec.DecodeError as error:
        raise DecodeError(f"not JSON: {error}") from None
    event_type, version = intern(stored.type), stored.schema_version
    current = registry.current_version(event_type)
    payload = registry.load(event_type, version, stored.payload)
    if version != current:
        version, payload = registry.upcast(event_type, version, payload)
    return _event(stored, event_type, version, payload, data, position)


def _event(
    stored: Any, event_type: str, version: int, payload: dict[str, Any], data: bytes, position: Position | None
) -> Event:
    """The Event of a decoded envelope (a StoredEvent or one of the tagged envelope types).

    Equal texts become one object: a command's event usually has its own id as correlation and
    causation id, a stream's id recurs in each of its events, an actor acts on thousands.
    """
    event_id, correlation_id, causation_id = stored.event_id, stored.correlation_id, stored.causation_id
    if correlation_id == event_id:
        correlation_id = event_id
    if causation_id == correlation_id:
        causation_id = correlation_id
    actor = stored.actor
    shared_actor = _ACTORS.get((actor.id, actor.role)) or _new_actor(actor)
    prev_hash = stored.prev_hash
    return _EVENT(
        Event,
        (
            event_id,
            event_type,
            version,
            intern(stored.stream_id),
            stored.expected_version,
            stored.time,
            shared_actor,
            correlation_id,
            causation_id,
            payload,
            prev_hash if type(prev_hash) is str else "",
            sha256(data).hexdigest(),
            position,
        ),
    )


_EVENT = tuple.__new__  # Event's own __new__ without its argument handling: every field is given
_ACTORS: dict[tuple[str, str], Actor] = {}
ACTOR_CACHE = 10_000  # the reviewers, who act on thousands; a cadre acts a few times (100k held 10 MB)


def _new_actor(stored: StoredActor) -> Actor:
    if len(_ACTORS) >= ACTOR_CACHE:
        _ACTORS.clear()
    actor = _ACTORS[(stored.id, stored.role)] = Actor(intern(stored.id), intern(stored.role))
    return actor
