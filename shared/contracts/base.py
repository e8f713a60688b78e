"""What every contract module shares: tolerant payload schemas and their registration."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema

from shared.events.registry import REGISTRY


class TolerantSchema(Schema):
    """A payload schema that drops unknown fields (a tolerant reader of events)."""

    class Meta:
        unknown = EXCLUDE


def register_v1(schemas: dict[str, type[Schema]]) -> None:
    """Register each type's schema as version 1 in the default registry."""
    for event_type, schema in schemas.items():
        REGISTRY.register(event_type, 1, schema)
