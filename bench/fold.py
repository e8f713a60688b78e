"""Fold the whole log: cadreflow's follower, a bare sqlite3 + json loop, and the library.

Each function folds a whole log once and returns the number of events; the runner times it.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import time
from pathlib import Path

from shared.application.nominations.book import ENCODE, NominationBook
from shared.application.runtime import Runtime
from shared.config import Config
from shared.eventlog.port import EventLog
from shared.eventlog.topics import NOMINATIONS
from shared.readside.follower import Follower


def fold_follower(event_log: EventLog, topic: str = NOMINATIONS, service: str = "bench") -> tuple[int, NominationBook]:
    """What a service does at start: its follower reads, decodes, gates and applies every event."""
    runtime = Runtime(Config(service=service), event_log, _metrics(service))
    book = NominationBook(reread=event_log.read_at)
    follower = runtime.follow([topic], book, name="fold")
    return drain(follower), book


def drain(follower: Follower) -> int:
    """Run the follower's loop in this thread until it reached the end offsets seen at start."""
    reader = follower._open()
    try:
        count = 0
        while not follower.ready:
            count += follower.step(reader, timeout_s=0.5)
        return count
    finally:
        reader.close()


def fold_sqlite(path: Path) -> int:
    from shared.eventlog.sqlite import SqliteEventLog

    event_log = SqliteEventLog(str(path))
    try:
        return fold_follower(event_log)[0]
    finally:
        event_log.close()


def fold_bare(path: Path, page: int = 1000) -> int:
    """The floor: page through the rows with sqlite3 and json.loads each value; count per stream."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    versions: dict[str, int] = {}
    start, count = 0, 0
    while True:
        rows = db.execute(
            "SELECT offset, value FROM records WHERE offset >= ? ORDER BY offset LIMIT ?", (start, page)
        ).fetchall()
        if not rows:
            break
        for _, value in rows:
            event = json.loads(value)
            versions[event["stream_id"]] = event["expected_version"] + 1
        count += len(rows)
        start = rows[-1][0] + 1
    db.close()
    return count


def _metrics(service: str):
    from shared.metrics import service_metrics

    return service_metrics(service)


def timed(function, *args) -> tuple[float, int]:
    started = time.perf_counter()
    count = function(*args)
    return time.perf_counter() - started, count


def stages(path: Path) -> dict[str, float]:
    """CPU microseconds per event of each stage of the fold, each timed alone over the whole log
    (best of 3): decode, gate, `evolve` alone, and the book around `evolve` (indexes, trail)."""
    from bench.loggen import read_values
    from shared.domain.workflow.evolution import evolve
    from shared.eventlog.sqlite import SqliteEventLog
    from shared.events.codec import decode
    from shared.readside.gate import Outcome, StreamGate

    values = [value for _, _, value in read_values(path)]
    events = [decode(value) for value in values]
    outcomes = _admit_all(StreamGate(), events)
    applied = [event for event, outcome in zip(events, outcomes, strict=True) if outcome is Outcome.APPLIED]

    def evolve_all() -> None:
        states: dict = {}
        for event in applied:
            states[event.stream_id] = evolve(states.get(event.stream_id), event, ENCODE)

    def book_all() -> None:
        book = NominationBook(reread=event_log.read_at)
        for event, outcome in zip(events, outcomes, strict=True):
            book.apply(event, outcome)

    event_log = SqliteEventLog(str(path))
    try:
        per_event = {
            "decode": _best_cpu(lambda: [decode(value) for value in values]),
            "gate": _best_cpu(lambda: _admit_all(StreamGate(), events)),
            "evolve": _best_cpu(evolve_all),
            "book": _best_cpu(book_all),
        }
    finally:
        event_log.close()
    per_event["book"] -= per_event["evolve"]  # the book's own work around evolve
    return {stage: seconds / len(values) * 1e6 for stage, seconds in per_event.items()}


def _admit_all(gate, events) -> list:
    return [gate.admit(event) for event in events]


def _best_cpu(function, repeat: int = 3) -> float:
    """The least CPU time of `repeat` calls, each with the cyclic collector paused as the follower
    pauses it while it rebuilds (`CollectorPause`): with it running, collections that walk the
    100k events already made were a third of the decode stage's figure."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            function()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def rates(function, *args) -> tuple[float, float]:
    """(events per wall-clock second, events per CPU second of this process): the machine is shared."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    count = result[0] if isinstance(result, tuple) else result
    return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)


def consume_bare(bootstrap: str, topic: str) -> int:
    """The floor of the Kafka client: the log's reader polled to the end of the topic, nothing
    done with the records."""
    from shared.eventlog.kafka import KafkaEventLog

    log = KafkaEventLog(bootstrap, client_id="bench-bare")
    reader = log.open_reader([topic])
    try:
        end, count = sum(reader.end_offsets().values()), 0
        while count < end:
            count += len(reader.poll(0.5))
        return count
    finally:
        reader.close()
        log.close()


def main() -> None:
    """python -m bench.fold kafka <topic> <bootstrap>: fold a bench topic in this interpreter, then
    read it with a bare consumer; prints JSON rates (wall, cpu; bare_wall, bare_cpu)."""
    import json
    import sys

    import shared.contracts  # noqa: F401
    from shared.eventlog.kafka import KafkaEventLog

    bootstrap = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1:9092"
    log = KafkaEventLog(bootstrap, client_id="bench-fold")
    wall, cpu = rates(fold_follower, log, sys.argv[2])
    log.close()
    bare_wall, bare_cpu = rates(consume_bare, bootstrap, sys.argv[2])
    print(json.dumps({"wall": wall, "cpu": cpu, "bare_wall": bare_wall, "bare_cpu": bare_cpu}))


if __name__ == "__main__":
    main()
