"""The EventLog port and its two adapters (SQLite for one machine, Kafka for production)."""

from shared.eventlog.port import (
    ConcurrencyError,
    EventLog,
    LogReader,
    LogUnavailable,
    Offsets,
    Record,
    TopicSpec,
)

__all__ = [
    "ConcurrencyError",
    "EventLog",
    "LogReader",
    "LogUnavailable",
    "Offsets",
    "Record",
    "TopicSpec",
]
