"""Choose the EventLog adapter from configuration (`EVENT_BACKEND=sqlite|kafka`)."""

from __future__ import annotations

from shared.eventlog.port import EventLog


def open_event_log(backend: str, *, event_db: str, bootstrap_servers: str, client_id: str) -> EventLog:
    """Build the configured adapter; nothing connects until it is used."""
    if backend == "sqlite":
        from shared.eventlog.sqlite import SqliteEventLog

        return SqliteEventLog(event_db)
    if backend == "kafka":
        from shared.eventlog.kafka import KafkaEventLog

        return KafkaEventLog(bootstrap_servers, client_id=client_id)
    raise ValueError(f"EVENT_BACKEND must be sqlite or kafka, not {backend!r}")
