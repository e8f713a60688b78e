"""A tiny event type for the event-log contract tests (registered in the default registry)."""

from marshmallow import EXCLUDE, Schema, fields

from shared.events.registry import REGISTRY

COUNTED = "CounterIncremented"


class CounterIncrementedV1Schema(Schema):
    """Payload of the test event: who appended it and their attempt number."""

    class Meta:
        unknown = EXCLUDE

    writer = fields.String(required=True)
    attempt = fields.Integer(required=True)


if (COUNTED, 1) not in REGISTRY.schemas:
    REGISTRY.register(COUNTED, 1, CounterIncrementedV1Schema)
