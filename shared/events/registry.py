"""Registry of event types: (type, schema_version) -> payload type, and upcasters between versions.

Stored events are never rewritten: an old version is validated as that version, then upcast step
by step on read (`upcast_v1_to_v2`, ...) until it reaches the current version of its type, and
validated again as that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import msgspec.inspect as mi

from shared.events.errors import DecodeError, UnknownEventType
from shared.events.payload import Payload

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Registry:
    """Known event types. A contract module registers its payload types here at import."""

    payload_types: dict[tuple[str, int], type[Payload]] = field(default_factory=dict)
    upcasters: dict[tuple[str, int], Upcaster] = field(default_factory=dict)
    current: dict[str, int] = field(default_factory=dict)
    derived: dict[object, Any] = field(default_factory=dict, repr=False)
    """What others build from the registrations (the codec's decoders); emptied by every change."""

    def register(self, type: str, version: int, payload_type: type[Payload]) -> None:
        """Declare `payload_type` as the payload of `type` at `version`."""
        self.payload_types[(type, version)] = payload_type
        self.current[type] = max(version, self.current.get(type, 0))
        self.derived.clear()

    def register_upcaster(self, type: str, from_version: int, upcaster: Upcaster) -> None:
        """Declare how a payload of `type` at `from_version` becomes `from_version + 1`."""
        self.upcasters[(type, from_version)] = upcaster
        self.derived.clear()

    def current_version(self, type: str) -> int:
        """The newest schema version of `type`."""
        try:
            return self.current[type]
        except KeyError:
            raise UnknownEventType(f"unknown event type {type!r}") from None

    def payload_type(self, type: str, version: int) -> type[Payload]:
        """The payload type of `type` at `version`; UnknownEventType if there is none."""
        payload_type = self.payload_types.get((type, version))
        if payload_type is None:
            self.current_version(type)  # an unknown type says so
            raise UnknownEventType(f"unknown schema version {version} of {type!r}")
        return payload_type

    def load(self, type: str, version: int, data: bytes | msgspec.Raw) -> dict[str, Any]:
        """Decode and validate a stored JSON payload of `type` at `version` into its plain dict."""
        key = (type, version)
        decoder = self.derived.get(key) or self.derived.setdefault(key, msgspec.json.Decoder(self.payload_type(*key)))
        try:
            return as_dict(decoder.decode(data))
        except msgspec.DecodeError as error:  # a ValidationError too
            raise DecodeError(f"invalid {type} v{version} payload: {error}") from None

    def validate(self, type: str, version: int, payload: Any) -> dict[str, Any]:
        """Validate a payload given as plain values; the normalised dict (defaults filled, unknown
        fields dropped, fields in declared order) is returned."""
        return as_dict(self.check(type, version, payload))

    def check(self, type: str, version: int, payload: Any) -> Payload:
        """Validate a payload given as plain values; DecodeError with the reason if it is invalid."""
        payload_type = self.payload_type(type, version)
        try:
            return msgspec.convert(payload, payload_type)
        except msgspec.ValidationError as error:
            raise DecodeError(f"invalid {type} v{version} payload: {error}") from None

    def upcast(self, type: str, version: int, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Bring a valid payload from `version` up to the current version of its type, validated."""
        current = self.current_version(type)
        if version > current:
            raise UnknownEventType(f"unknown schema version {version} of {type!r}")
        while version < current:
            step = self.upcasters.get((type, version))
            if step is None:
                raise DecodeError(f"no upcaster for {type!r} v{version}")
            payload, version = step(dict(payload)), version + 1
        return version, self.validate(type, version, payload)


def as_dict(payload: Payload) -> dict[str, Any]:
    """A decoded payload as the plain dict events carry (nested values too; UNSET fields left out)."""
    return msgspec.to_builtins(payload)


_SCALARS = (mi.StrType, mi.IntType, mi.BoolType, mi.FloatType, mi.LiteralType)


def dict_maker(payload_type: type[Payload]) -> Callable[[Payload], dict[str, Any]]:
    """`as_dict` for payloads of this type: the faster shallow `asdict` when every field is a
    scalar or a list of scalars (nothing nested to convert) and none may be UNSET (inspect shows
    such a field as optional without a default; `asdict` would keep the UNSET)."""
    fields = mi.type_info(payload_type).fields  # type: ignore[attr-defined]
    plain = all(
        (isinstance(f.type, _SCALARS) or (isinstance(f.type, mi.ListType) and isinstance(f.type.item_type, _SCALARS)))
        and (f.required or f.default is not msgspec.NODEFAULT or f.default_factory is not msgspec.NODEFAULT)
        for f in fields
    )
    return msgspec.structs.asdict if plain else as_dict


REGISTRY = Registry()


def current_version(type: str) -> int:
    """The newest schema version of `type` in the default registry."""
    return REGISTRY.current_version(type)
