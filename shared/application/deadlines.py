"""The deadline scanner every timer of the system runs: flag each thing past its due time once,
however many replicas scan.

Due times are data in the folded state. Each scan decides a flag command for every item due now
and executes it through the item's command handler, which appends the event with the version it
expects to follow; when replicas race, the log order keeps one event and the others come back
void or refused (Conflict), which is simply skipped. A restart loses nothing (the state is the
log) and flags nothing twice (the flag is in the state). The clock is the handler's, so tests
move time instead of sleeping.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.application.errors import Unavailable
from shared.domain.workflow.errors import DomainError

log = logging.getLogger(__name__)

Due = Callable[[datetime], Iterable[tuple[str, Any]]]
"""At `now`: (stream id, flag command) of every item past its due time and not flagged yet."""
Execute = Callable[[str, Any, Any], object]
"""A command handler's `execute(stream_id, command, actor)`."""


@dataclass
class DeadlineScanner:
    """Flags due items through `execute` as `actor` (a system actor)."""

    due: Due
    execute: Execute
    actor: Any
    clock: Callable[[], datetime]
    ready: Callable[[], bool]
    name: str = "deadline-scanner"

    def scan(self) -> tuple[int, int]:
        """One pass; returns (flagged, checked)."""
        due = list(self.due(self.clock()))
        flagged = sum(self._flag(stream_id, command) for stream_id, command in due)
        return flagged, len(due)

    def _flag(self, stream_id: str, command: Any) -> bool:
        return attempt(self.execute, stream_id, command, self.actor, self.name)

    def run_every(self, interval_s: float) -> threading.Thread:
        """Scan periodically on a daemon thread (only once the projection is ready)."""
        return repeat(self.name, interval_s, self.ready, self.scan)


def attempt(execute: Execute, stream_id: str, command: Any, actor: Any, timer: str) -> bool:
    """Execute a timer's command; False when another replica won, the item moved on or the log
    is away (the next pass sees what is still due)."""
    try:
        execute(stream_id, command, actor)
        return True
    except (DomainError, Unavailable) as error:
        log.debug("%s: %s %s not recorded: %s", timer, stream_id, type(command).__name__, error)
        return False


def repeat(name: str, interval_s: float, ready: Callable[[], bool], scan: Callable[[], object]) -> threading.Thread:
    """Run `scan` every `interval_s` on a daemon thread, once `ready`; a pass that finds the log
    away is logged and the next one tries again."""

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(interval_s):
            if ready():
                try:
                    scan()
                except Unavailable as error:
                    log.warning("%s: %s", name, error)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread
