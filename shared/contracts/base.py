"""What every contract module shares: the payload base type, registration, and sealed texts."""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta

from shared.events.payload import Payload
from shared.events.registry import REGISTRY

__all__ = ["Payload", "Personal", "SealedText", "register_v1", "register_sealed"]


class SealedText(Payload):
    """A personal text sealed with AES-256-GCM (`shared.keys.seal`) under the key of the person it
    is about, bound to its stream and its field name (`shared.application.personal`)."""

    key: Annotated[str, Meta(min_length=1)]
    """the KeyStore id of the key (e.g. `person-<hash of the person id>`), never the person id"""
    sealed: Annotated[str, Meta(min_length=1)]


Personal = str | SealedText
"""A personal text in a version that seals: writers always seal it (an empty text stays empty);
clear text is accepted so that the clear version before it upcasts unchanged."""


def register_v1(payload_types: dict[str, type[Payload]]) -> None:
    """Register each type's payload type as version 1 in the default registry."""
    for event_type, payload_type in payload_types.items():
        REGISTRY.register(event_type, 1, payload_type)


def register_sealed(payload_types: dict[str, type[Payload]]) -> None:
    """Register, for each type, the version that seals its personal texts as the next version
    after its current one, with its upcaster: the clear texts of the version before are valid
    values of the sealing version, so a payload upcasts unchanged and is read as it is."""
    for event_type, payload_type in payload_types.items():
        clear = REGISTRY.current_version(event_type)
        REGISTRY.register(event_type, clear + 1, payload_type)
        REGISTRY.register_upcaster(event_type, clear, upcast_clear_to_sealed)


def upcast_clear_to_sealed(payload: dict[str, Any]) -> dict[str, Any]:
    """A clear version to the version that seals it: the same payload (clear texts stay clear)."""
    return payload
