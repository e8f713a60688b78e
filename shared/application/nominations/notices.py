"""The notice timer: ends public notices, once, however many replicas run it.

Each pass looks at every nomination on notice. An objection upheld by a finding rejects it
(`UpholdObjection`); a window that has ended with no objection open appoints it (`CloseNotice`);
an open objection holds it (nothing is written) until the objection is settled. Each command
appends with the version it expects to follow: when replicas race, the log order keeps one event
and the others come back void, which is simply skipped. Nothing is kept between passes, so a
restart loses nothing: the next pass finds what is still due.

Before deciding, the pass catches up with the cases topic, so every objection (and finding) in
the log when the pass began is taken into account.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from shared.application.deadlines import attempt, repeat
from shared.application.freshness import catch_up
from shared.application.nominations.book import NominationBook
from shared.application.nominations.commands import NominationCommands
from shared.application.nominations.objections import Objections
from shared.application.nominations.service import NominationService
from shared.application.runtime import Runtime
from shared.domain.workflow.commands import CloseNotice, UpholdObjection
from shared.domain.workflow.state import SYSTEM_ROLE, Actor, Nomination
from shared.eventlog.topics import CASES
from shared.readside.follower import Follower

NOTICE_TIMER = Actor(id="notice-timer", role=SYSTEM_ROLE)


@dataclass(frozen=True)
class NoticeScan:
    """What one pass did: nominations appointed, rejected by an objection, held by an open one,
    and how many were on notice."""

    appointed: int = 0
    rejected: int = 0
    held: int = 0
    checked: int = 0


@dataclass
class NoticeTimer:
    """Closes the public notices of the nominations folded in `book`."""

    book: NominationBook
    commands: NominationCommands
    objections: Objections
    cases: Follower

    @classmethod
    def wire(cls, runtime: Runtime, nominations: NominationService) -> NoticeTimer:
        """Fold the objections of the cases topic beside the nominations; nothing runs until
        `runtime.start()` (and `run_every`)."""
        objections = Objections()
        cases = runtime.follow([CASES], objections, name="objections")
        return cls(nominations.book, nominations.commands, objections, cases)

    def scan(self) -> NoticeScan:
        """One pass over the nominations on notice."""
        on_notice = self.book.notices()
        if not on_notice:
            return NoticeScan()
        catch_up(self.cases, "to see every objection before closing a notice")
        now = self.commands.clock()
        counts = {"appointed": 0, "rejected": 0, "held": 0}
        for nomination in on_notice:
            outcome = self._end(nomination, now)
            if outcome:
                counts[outcome] += 1
        return NoticeScan(**counts, checked=len(on_notice))

    def _end(self, nomination: Nomination, now: datetime) -> str | None:
        """Reject, appoint or hold one nomination; the outcome's name, or None when not due."""
        nomination_id = nomination.nomination_id
        upheld = self.objections.upheld_for(nomination_id)
        if upheld is not None:
            return "rejected" if self._execute(nomination_id, UpholdObjection(*upheld)) else None
        if nomination.notice_ends_at is None or now < nomination.notice_ends_at:
            return None
        open_objections = self.objections.open_for(nomination_id)
        if open_objections:
            return "held"
        return "appointed" if self._execute(nomination_id, CloseNotice(open_objections)) else None

    def _execute(self, nomination_id: str, command: object) -> bool:
        return attempt(self.commands.execute, nomination_id, command, NOTICE_TIMER, "notice-timer")

    def run_every(self, interval_s: float) -> threading.Thread:
        """Scan periodically on a daemon thread (only once the projections are ready)."""
        return repeat("notice-timer", interval_s, lambda: self.commands.follower.ready and self.cases.ready, self.scan)
