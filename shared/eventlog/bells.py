"""Wake-ups for the readers of one process: an append rings the bell of its topic only.

A service holds several followers (nominations, people, objections, the transparency log), each
waiting for records of its own topics. One condition for all of them woke every follower after
every commit, and each then queried the log only to find nothing of its own: a tenth of a
submission's CPU. Here each reader waits on a bell of its own, rung only for its topics.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable


class Bell:
    """One reader's wake-up. A ring between the reader's last look and its wait is not lost: the
    wait then returns at once."""

    __slots__ = ("_condition", "_rung")

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._rung = False

    def ring(self) -> None:
        with self._condition:
            self._rung = True
            self._condition.notify_all()

    def wait(self, timeout_s: float) -> bool:
        """Until rung (since the last wait) or `timeout_s` passed; whether it was rung."""
        with self._condition:
            rung = self._rung or self._condition.wait(timeout_s)
            self._rung = False
            return rung


class Bells:
    """The conditions of this process's readers, by topic."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_topic: dict[str, tuple[Bell, ...]] = {}

    def hang(self, topics: Iterable[str]) -> Bell:
        """A bell that `ring` rings whenever one of `topics` was appended to."""
        bell = Bell()
        with self._lock:
            for topic in set(topics):
                self._by_topic[topic] = (*self._by_topic.get(topic, ()), bell)
        return bell

    def take_down(self, bell: Bell) -> None:
        """Stop ringing `bell` (its reader closed)."""
        with self._lock:
            self._by_topic = {t: kept for t, bells in self._by_topic.items() if (kept := _without(bells, bell))}

    def ring(self, topics: Iterable[str]) -> None:
        """Wake every reader of any of `topics`."""
        by_topic = self._by_topic  # replaced whole under the lock, never changed: safe to read
        for bell in {bell for topic in set(topics) for bell in by_topic.get(topic, ())}:
            bell.ring()


def _without(bells: tuple[Bell, ...], bell: Bell) -> tuple[Bell, ...]:
    return tuple(b for b in bells if b is not bell)
