"""What every contract module shares: the payload base type and registration."""

from __future__ import annotations

from shared.events.payload import Payload
from shared.events.registry import REGISTRY

__all__ = ["Payload", "register_v1"]


def register_v1(payload_types: dict[str, type[Payload]]) -> None:
    """Register each type's payload type as version 1 in the default registry."""
    for event_type, payload_type in payload_types.items():
        REGISTRY.register(event_type, 1, payload_type)
