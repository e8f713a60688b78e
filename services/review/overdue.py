"""The deadline scanner: flags each overdue step once, however many replicas run it.

Every scan appends `StageOverdue` with the version it expects to follow; when replicas race,
the log order keeps one and the others come back void (Conflict), which is simply skipped.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from shared.application.errors import Unavailable
from shared.application.nominations.book import NominationBook
from shared.application.nominations.commands import NominationCommands
from shared.domain.workflow.commands import FlagOverdue
from shared.domain.workflow.errors import DomainError
from shared.domain.workflow.state import SYSTEM_ROLE, Actor

log = logging.getLogger(__name__)
SCANNER = Actor(id="deadline-scanner", role=SYSTEM_ROLE)


@dataclass
class OverdueScanner:
    """Finds in-review steps past their due time and records them as overdue."""

    book: NominationBook
    commands: NominationCommands

    def scan(self) -> tuple[int, int]:
        """One pass; returns (flagged, checked)."""
        now = self.commands.clock()
        due = [
            n
            for n in list(self.book.nominations.values())
            if n.active_step
            and n.status == "in_review"
            and n.active_step.overdue_at is None
            and n.active_step.due_at <= now
        ]
        flagged = sum(self._flag(n.nomination_id, n.step) for n in due)
        return flagged, len(due)

    def _flag(self, nomination_id: str, step: int) -> bool:
        try:
            self.commands.execute(nomination_id, FlagOverdue(step=step), SCANNER)
            return True
        except (DomainError, Unavailable) as error:  # another replica won, or the step moved on
            log.debug("overdue %s step %s not flagged: %s", nomination_id, step, error)
            return False

    def run_every(self, interval_s: float) -> threading.Thread:
        """Scan periodically on a daemon thread (only once the projection is ready)."""

        def loop() -> None:
            stop = threading.Event()
            while not stop.wait(interval_s):
                if self.commands.follower.ready:
                    self.scan()

        thread = threading.Thread(target=loop, name="overdue-scanner", daemon=True)
        thread.start()
        return thread
