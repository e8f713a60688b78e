"""Topics the system writes, each defined once. Topics are named after the stream category."""

from shared.eventlog.port import TopicSpec

NOMINATIONS = "cadreflow.nominations"
"""Every event of every nomination stream (key = nomination stream id)."""

NOTIFICATIONS = "cadreflow.notifications"
"""Notification outcomes: read marks and e-mail delivery claims and results."""

DEAD_LETTERS = "cadreflow.deadletter"
"""Records a consumer could not decode, with the reason (key = consumer:topic:partition:offset)."""

ALL_TOPICS = (
    TopicSpec(NOMINATIONS, partitions=6),
    TopicSpec(NOTIFICATIONS, partitions=3),
    TopicSpec(DEAD_LETTERS, partitions=1),
)

AUDITED_TOPICS = tuple(spec.name for spec in ALL_TOPICS if spec.name != DEAD_LETTERS)
"""The topics of facts, covered by the transparency log (dead letters are a consumer's diary)."""
