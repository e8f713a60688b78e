"""Topics the system writes and creates, each defined once: the contracts' topics (named after
the stream category they hold) and the log's own dead-letter topic."""

from shared.contracts.topics import CASES, NOMINATIONS, NOTIFICATIONS, PEOPLE
from shared.eventlog.port import TopicSpec

DEAD_LETTERS = "cadreflow.deadletter"
"""Records a consumer could not decode, with the reason (key = consumer:topic:partition:offset)."""

ALL_TOPICS = (
    TopicSpec(NOMINATIONS, partitions=6),
    TopicSpec(NOTIFICATIONS, partitions=3),
    TopicSpec(CASES, partitions=3),
    TopicSpec(PEOPLE, partitions=1),
    TopicSpec(DEAD_LETTERS, partitions=1),
)

AUDITED_TOPICS = tuple(spec.name for spec in ALL_TOPICS if spec.name != DEAD_LETTERS)
"""The topics of facts, covered by the transparency log (dead letters are a consumer's diary)."""

__all__ = ["ALL_TOPICS", "AUDITED_TOPICS", "CASES", "DEAD_LETTERS", "NOMINATIONS", "NOTIFICATIONS", "PEOPLE"]
