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
from shared.application.runtime import Runtime
from shared.calendar import load_calendar
from shared.contracts.topics import CASES
from shared.domain.supervision.config import Deadline
from shared.domain.workdays import Calendar, add_working_days
from shared.events.envelope import utcnow
from shared.keys import FileKeyStore, KeyStore
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

    @classmethod
    def wire(cls, runtime: Runtime, clock: Clock | None = None, keys: KeyStore | None = None) -> CaseService:
        """Fold the cases topic into a book and handle commands on it; nothing runs until
        `runtime.start()`. Keys live in `config.key_dir` unless a store is given."""
        config = runtime.config
        book = CaseBook()
        follower = runtime.follow([CASES], book, name="cases")
        deadline = working_days(load_calendar(config.holiday_calendar_file))
        commands = CaseCommands(
            follower, book, config.supervision, deadline, clock or utcnow, runtime.metrics, config.command_timeout_s
        )
        keys = keys or FileKeyStore(config.key_dir)
        reporting = Reporting(commands, book, follower, keys, ReceiptHasher.from_keys(keys, config.receipt_hash_cost))
        return cls(book, follower, commands, reporting, RectificationScanner(book, commands))
