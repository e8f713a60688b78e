"""`KafkaEventLog.read_at` on a warm log: what showing a nomination's trail costs on Kafka.

A topic of its own (6 partitions, as the nominations topic) gets `--streams` streams of
`--versions` records each (1.5 kB values, the log's average event), appended version by version
so the streams interleave as they do in the log. Then one log object is timed reading:

- `one`: one record (a random stream's random version);
- `trail`: the ten records of one stream (one partition, other streams' records in between),
  as the nomination book re-reads a trail;
- `mixed`: ten records of ten streams (several partitions), in no order.

Each shape: the first call, then p50/p99 of `--calls` calls. The broker is shared: the topic
gets a unique name and stays (nothing here deletes topics). Not part of `make bench`.

    .venv/bin/python -m bench.read_at [--bootstrap 127.0.0.1:9092] [--calls 200]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable

from shared.eventlog.kafka import KafkaEventLog
from shared.eventlog.port import TopicSpec

Position = tuple[str, int, int]
VALUE = b"x" * 1500


def load(log: KafkaEventLog, topic: str, streams: int, versions: int) -> dict[str, list[Position]]:
    """Each stream's positions in log order."""
    log.create_topics([TopicSpec(topic, partitions=6)])
    producer = log.producer()
    trails: dict[str, list[Position]] = {f"s{i}": [] for i in range(streams)}
    for _ in range(versions):
        sent = [(stream, producer.send(topic, stream, VALUE)) for stream in trails]
        for stream, landed in sent:
            partition, offset = landed.result(30)
            trails[stream].append((topic, partition, offset))
    return trails


def timed(read: Callable[[list[Position]], object], shapes: list[list[Position]]) -> dict[str, float]:
    """The first call's ms, then p50/p99 ms of the calls that follow."""
    times = []
    for positions in shapes:
        started = time.perf_counter()
        found = read(positions)
        times.append((time.perf_counter() - started) * 1000)
        assert isinstance(found, list) and all(r is not None for r in found), "a record was not found"
    rest = sorted(times[1:])
    p99 = rest[int(0.99 * (len(rest) - 1))]
    return {"first_ms": round(times[0], 2), "p50_ms": round(statistics.median(rest), 2), "p99_ms": round(p99, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--streams", type=int, default=300)
    parser.add_argument("--versions", type=int, default=10)
    args = parser.parse_args()
    topic = f"bench.readat.{uuid.uuid4().hex[:12]}"
    loader = KafkaEventLog(args.bootstrap, client_id="bench-readat-load")
    trails = list(load(loader, topic, args.streams, args.versions).values())
    loader.close()
    pick = random.Random(7)  # noqa: S311 - which records are read, not a secret
    shapes = {
        "one": [[pick.choice(pick.choice(trails))] for _ in range(args.calls + 1)],
        "trail": [pick.choice(trails) for _ in range(args.calls + 1)],
        "mixed": [[pick.choice(t) for t in pick.sample(trails, 10)] for _ in range(args.calls + 1)],
    }
    figures = {}
    for name, calls in shapes.items():
        log = KafkaEventLog(args.bootstrap, client_id="bench-readat")  # a fresh log: its first call
        figures[name] = timed(log.read_at, calls)
        log.close()
    print(json.dumps({"topic": topic, "calls": args.calls, **figures}, indent=1))


if __name__ == "__main__":
    main()
