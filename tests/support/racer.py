"""A racing appender, run by the contract tests in its own process (or thread, in memory).

It keeps appending to one stream with the version its own follower last saw, and reports the
event ids it believes won (ConcurrencyError at append, or a void outcome when it comes back).
"""

from __future__ import annotations

import time

from shared.eventlog.factory import open_event_log
from shared.eventlog.port import ConcurrencyError, EventLog
from shared.events.envelope import Actor, new_event
from shared.readside.follower import Follower
from shared.readside.gate import Outcome
from tests.support.counter_events import COUNTED


def race(backend: str, location: str, topic: str, stream: str, writer: str, attempts: int, go, results) -> None:
    """The entry of a racing process: open the log by backend and location, then `race_on` it."""
    log = open_event_log(backend, event_db=location, bootstrap_servers=location, client_id=writer)
    try:
        race_on(log, topic, stream, writer, attempts, go, results)
    finally:
        log.close()


def race_on(log: EventLog, topic: str, stream: str, writer: str, attempts: int, go, results) -> None:
    """Append `attempts` times to `stream`; put (writer, won_ids, lost_count) on `results`.

    `go` is a Barrier of all racers: each round every racer catches up, then all append at once,
    so the rounds really collide.
    """
    follower = Follower(log, [topic], lambda _e, _o: None, name=f"racer-{writer}")
    follower.start()
    while not follower.ready:
        time.sleep(0.01)
    won, lost = [], 0
    for attempt in range(attempts):
        follower.wait_until(log.end_offsets([topic]), timeout_s=30)
        go.wait(timeout=60)
        event = new_event(
            COUNTED,
            stream,
            follower.gate.version(stream),
            {"writer": writer, "attempt": attempt},
            Actor(writer, "test"),
        )
        with follower.awaiting(event.event_id) as wait:
            try:
                log.append(topic, [event])
            except ConcurrencyError:
                lost += 1
                continue
            outcome = wait(60)
        if outcome is Outcome.APPLIED:
            won.append(event.event_id)
        else:
            lost += 1
    follower.stop()
    results.put((writer, won, lost))
