"""The supervision side of a service process: the case book, its follower, commands, reporting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from shared.application.cases.book import CaseBook
from shared.application.cases.commands import CaseCommands
from shared.application.cases.overdue import RectificationScanner
from shared.application.cases.receipts import ReceiptHasher
from shared.application.cases.reporting import Reporting
from shared.application.erasure import People
from shared.application.runtime import Runtime
from shared.calendar import load_calendar
from shared.contracts.topics import CASES
from shared.domain.supervision.config import Deadline
from shared.domain.workdays import Calendar, add_working_days
from shared.events.envelope import utcnow
from shared.readside.follower import Follower

Clock = Callable[[], datetime]


def working_days(calendar: Calendar) -> Deadline:
    """The deadline function of the domain, counting working days of `calendar`."""

    def deadline(start: datetime, days: int) -> datetime:
        return add_working_days(start, days, calendar)

    return deadline


@dataclass(frozen=True)
class CaseService:
    """The folded cases and the commands on them, for the supervision service."""

    book: CaseBook
    follower: Follower
    commands: CaseCommands
    reporting: Reporting
    scanner: RectificationScanner
    people: People

    @classmethod
    def wire(cls, runtime: Runtime, clock: Clock | None = None) -> CaseService:
        """Fold the cases topic into a book and handle commands on it (their texts about people
        sealed, with the runtime's keys); nothing runs until `runtime.start()`."""
        config = runtime.config
        book = CaseBook()
        follower = runtime.follow([CASES], book, name="cases")
        people = People.of(runtime)
        deadline = working_days(load_calendar(config.holiday_calendar_file))
        commands = CaseCommands(
            follower,
            book,
            config.supervision,
            deadline,
            clock or utcnow,
            runtime.metrics,
            people.sealer,
            config.command_timeout_s,
        )
        keys = runtime.keys
        reporting = Reporting(commands, book, follower, keys, ReceiptHasher.from_keys(keys, config.receipt_hash_cost))
        return cls(book, follower, commands, reporting, RectificationScanner(book, commands), people)
