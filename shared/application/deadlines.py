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
        try:
            self.execute(stream_id, command, self.actor)
            return True
        except (DomainError, Unavailable) as error:  # another replica won, or the item moved on
            log.debug("%s: %s %s not flagged: %s", self.name, stream_id, command, error)
            return False

    def run_every(self, interval_s: float) -> threading.Thread:
        """Scan periodically on a daemon thread (only once the projection is ready)."""

        def loop() -> None:
            stop = threading.Event()
            while not stop.wait(interval_s):
                if self.ready():
                    self.scan()

        thread = threading.Thread(target=loop, name=self.name, daemon=True)
        thread.start()
        return thread
