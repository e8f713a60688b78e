"""The nominations side of a service process: the book, the follower that feeds it, the commands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from shared.application.erasure import People
from shared.application.nominations.book import NominationBook
from shared.application.nominations.commands import NominationCommands
from shared.application.runtime import Runtime
from shared.eventlog.topics import NOMINATIONS
from shared.events.envelope import utcnow
from shared.readside.follower import Follower

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class NominationService:
    """What the nomination and review services share: the folded nominations and their commands."""

    book: NominationBook
    follower: Follower
    commands: NominationCommands
    people: People

    @classmethod
    def wire(cls, runtime: Runtime, clock: Clock | None = None) -> NominationService:
        """Fold the nominations topic into a book (closed trails re-read from the log) and handle
        commands on it, sealing their personal texts; nothing runs until `runtime.start()`."""
        book = NominationBook(reread=runtime.log.read_at)
        follower = runtime.follow([NOMINATIONS], book, name="nominations")
        people = People.of(runtime)
        config = runtime.config
        commands = NominationCommands(
            follower, book, config.workflow, clock or utcnow, runtime.metrics, people.sealer, config.command_timeout_s
        )
        return cls(book, follower, commands, people)
