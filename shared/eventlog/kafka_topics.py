"""Creating the log's topics with the confluent-kafka admin client, and waiting until every
partition has a leader: a topic just created refuses appends and reads for a moment."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from functools import partial

import confluent_kafka
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]  # its documented home, re-exported without __all__

from shared.eventlog.kafka_clients import REQUEST_TIMEOUT_S, guarded
from shared.eventlog.port import LogUnavailable, TopicSpec

SETTLE_TIMEOUT_S = 30.0
"""How long the topics may take to have a leader for every partition."""


def create_topics(admin: AdminClient, specs: Sequence[TopicSpec], configs: Mapping[str, str]) -> None:
    """Create the topics that do not exist yet (`configs` under each spec's own), then wait until
    every partition of every one of them has a leader. An existing topic is left as it is."""
    if not specs:
        return
    wanted = [
        NewTopic(s.name, num_partitions=s.partitions, replication_factor=1, config={**configs, **s.configs})
        for s in specs
    ]
    answers = guarded(partial(admin.create_topics, wanted, request_timeout=REQUEST_TIMEOUT_S))
    for name, answer in answers.items():
        try:
            answer.result(timeout=REQUEST_TIMEOUT_S)
        except confluent_kafka.KafkaException as error:
            if error.args[0].code() != confluent_kafka.KafkaError.TOPIC_ALREADY_EXISTS:
                raise LogUnavailable(f"creating topic {name} failed: {error}") from error
    _wait_for_leaders(admin, [s.name for s in specs])


def _wait_for_leaders(admin: AdminClient, names: list[str]) -> None:
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while True:
        metadata = guarded(partial(admin.list_topics, timeout=REQUEST_TIMEOUT_S))
        unsettled = [name for name in names if not _settled(metadata.topics.get(name))]
        if not unsettled:
            return
        if time.monotonic() > deadline:
            raise LogUnavailable(f"topics without a leader after {SETTLE_TIMEOUT_S:.0f} s: {', '.join(unsettled)}")
        time.sleep(0.05)


def _settled(topic) -> bool:  # a TopicMetadata, or None when the broker does not know the topic yet
    return (
        topic is not None
        and topic.error is None
        and bool(topic.partitions)
        and all(p.error is None and p.leader >= 0 for p in topic.partitions.values())
    )
