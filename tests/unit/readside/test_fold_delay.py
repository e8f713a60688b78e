"""The follower reports how long after its time each applied event was folded, once caught up."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from shared.eventlog.memory import InMemoryEventLog
from shared.eventlog.port import TopicSpec
from shared.events.envelope import Actor, new_event
from shared.readside.follower import Follower
from tests.support.counter_events import COUNTED

WRITER = Actor("writer", "system")


def counted(stream: str, expected: int, age_s: float):
    when = datetime.now(UTC) - timedelta(seconds=age_s)
    return new_event(COUNTED, stream, expected, {"writer": "w", "attempt": expected}, WRITER, time=when)


def test_delays_are_observed_for_applied_events_after_the_catch_up_only() -> None:
    log = InMemoryEventLog()
    log.create_topics([TopicSpec("counts", 1)])
    log.append("counts", [counted("a", 0, age_s=3600)])  # in the log before the start: a rebuild
    delays: list[float] = []
    follower = Follower(log, ["counts"], lambda _e, _o: None, name="t", observe_delay=delays.append)
    follower.start()
    try:
        _until(lambda: follower.ready)
        log.append("counts", [counted("a", 1, age_s=0.25)])
        log.append("counts", [counted("a", 0, age_s=0.0)])  # void: lost the race for version 1
        _until(lambda: follower.position.get(("counts", 0)) == 3)
    finally:
        follower.stop()

    assert len(delays) == 1
    assert 0.25 <= delays[0] < 60


def _until(condition, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the follower did not get there"
        time.sleep(0.01)
