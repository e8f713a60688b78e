"""A tiny event type for the event-log contract tests (registered in the default registry)."""

from shared.events.payload import Payload
from shared.events.registry import REGISTRY

COUNTED = "CounterIncremented"


class CounterIncrementedV1(Payload):
    """Payload of the test event: who appended it and their attempt number."""

    writer: str
    attempt: int


if (COUNTED, 1) not in REGISTRY.payload_types:
    REGISTRY.register(COUNTED, 1, CounterIncrementedV1)
