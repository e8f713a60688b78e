"""The review deadline scanner: flags each overdue step once, however many replicas run it
(the shared `DeadlineScanner`, fed with the in-review steps past their due time)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from shared.application.deadlines import DeadlineScanner
from shared.application.nominations.book import NominationBook
from shared.application.nominations.commands import NominationCommands
from shared.domain.workflow.commands import FlagOverdue
from shared.domain.workflow.state import SYSTEM_ROLE, Actor

SCANNER = Actor(id="deadline-scanner", role=SYSTEM_ROLE)


class OverdueScanner(DeadlineScanner):
    """Finds in-review steps past their due time and records them as overdue."""

    def __init__(self, book: NominationBook, commands: NominationCommands) -> None:
        def due(now: datetime) -> Iterator[tuple[str, FlagOverdue]]:
            for n in book.in_review():  # not every nomination: a closed one is held packed
                step = n.active_step
                if step and step.overdue_at is None and step.due_at <= now:
                    yield n.nomination_id, FlagOverdue(step=n.step)

        ready = lambda: commands.follower.ready  # noqa: E731
        super().__init__(due, commands.execute, SCANNER, commands.clock, ready, "overdue-scanner")
