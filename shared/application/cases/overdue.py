"""The rectification deadline scanner: the shared `DeadlineScanner` (the review service's
mechanism for overdue steps), fed with the rounds of rectification past their due time without a
report. One `RectificationOverdue` per round, however many replicas scan; restart-safe."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from shared.application.cases.book import CaseBook
from shared.application.cases.commands import CaseCommands
from shared.application.deadlines import DeadlineScanner
from shared.domain.supervision.commands import FlagRectificationOverdue
from shared.domain.supervision.state import RECTIFYING, SYSTEM_ROLE, Actor

SCANNER = Actor(id="rectification-scanner", role=SYSTEM_ROLE)


class RectificationScanner(DeadlineScanner):
    """Finds rounds past their due time without a report and records them as overdue."""

    def __init__(self, book: CaseBook, commands: CaseCommands) -> None:
        def due(now: datetime) -> Iterator[tuple[str, FlagRectificationOverdue]]:
            for case in book.all():
                current = case.current_round
                if case.status == RECTIFYING and current and current.overdue_at is None and current.due_at <= now:
                    yield case.case_id, FlagRectificationOverdue(round=current.number)

        ready = lambda: commands.follower.ready  # noqa: E731
        super().__init__(due, commands.execute, SCANNER, commands.clock, ready, "rectification-scanner")
