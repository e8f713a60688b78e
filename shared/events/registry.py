"""Registry of event types: (type, schema_version) -> payload schema, and upcasters between versions.

Stored events are never rewritten: an old version is upcast step by step on read
(`upcast_v1_to_v2`, ...) until it reaches the current version of its type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError

from shared.events.checks import Check, compiled
from shared.events.errors import DecodeError, UnknownEventType

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]


@dataclass
class Registry:
    """Known event types. A contract module registers its payload schemas here at import."""

    schemas: dict[tuple[str, int], Schema] = field(default_factory=dict)
    upcasters: dict[tuple[str, int], Upcaster] = field(default_factory=dict)
    current: dict[str, int] = field(default_factory=dict)
    _checks: dict[tuple[str, int], Check | None] = field(default_factory=dict, repr=False)

    def register(self, type: str, version: int, schema: type[Schema]) -> None:
        """Declare `schema` as the payload schema of `type` at `version`."""
        self.schemas[(type, version)] = schema()
        self.current[type] = max(version, self.current.get(type, 0))
        self._checks.pop((type, version), None)

    def fast_check(self, type: str, version: int) -> Check | None:
        """The compiled check of a payload schema (see `checks`), or None: then only `validate`."""
        key = (type, version)
        try:
            return self._checks[key]
        except KeyError:
            schema = self.schemas.get(key)
            check = self._checks[key] = compiled(schema) if schema is not None else None
            return check

    def register_upcaster(self, type: str, from_version: int, upcaster: Upcaster) -> None:
        """Declare how a payload of `type` at `from_version` becomes `from_version + 1`."""
        self.upcasters[(type, from_version)] = upcaster

    def current_version(self, type: str) -> int:
        """The newest schema version of `type`."""
        try:
            return self.current[type]
        except KeyError:
            raise UnknownEventType(f"unknown event type {type!r}") from None

    def upcast(self, type: str, version: int, payload: Payload) -> tuple[int, Payload]:
        """Bring a payload from `version` up to the current version of its type."""
        current = self.current_version(type)
        if version > current or (type, version) not in self.schemas:
            raise UnknownEventType(f"unknown schema version {version} of {type!r}")
        while version < current:
            step = self.upcasters.get((type, version))
            if step is None:
                raise DecodeError(f"no upcaster for {type!r} v{version}")
            payload, version = step(dict(payload)), version + 1
        return version, payload

    def validate(self, type: str, version: int, payload: Payload) -> Payload:
        """Validate a payload against its schema; the loaded (normalised) payload is returned."""
        schema = self.schemas.get((type, version))
        if schema is None:
            raise UnknownEventType(f"unknown event type {type!r} v{version}")
        try:
            return schema.load(payload)
        except ValidationError as error:
            raise DecodeError(f"invalid {type} v{version} payload: {error.messages}") from None


REGISTRY = Registry()


def current_version(type: str) -> int:
    """The newest schema version of `type` in the default registry."""
    return REGISTRY.current_version(type)
