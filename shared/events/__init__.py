"""The event envelope, its codec and the registry of payload types."""

from shared.events.envelope import Actor, Event, new_event
from shared.events.errors import DecodeError, UnknownEventType

__all__ = ["Actor", "DecodeError", "Event", "UnknownEventType", "new_event"]
