"""Inboxes folded from the log: one notification per (event, recipient), read marks, e-mail records.

The ids are derived from (event id, recipient), so a replay or a redelivered event produces the
same notification, never a second one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.notification.recipients import keys_of, notices
from shared.application.nominations.book import NominationBook
from shared.domain.workflow.state import Nomination
from shared.events.envelope import Event
from shared.readside.gate import Outcome
from shared.readside.snapshots.file import Build, Records


def notification_id(event_id: str, recipient: str) -> str:
    return hashlib.sha256(f"{event_id}|{recipient}".encode()).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class Notification:
    id: str
    recipient: str
    nomination_id: str
    event_type: str
    message: str
    created_at: datetime
    sequence: int


@dataclass
class EmailState:
    """The delivery stream of one (notification, address): its version and last event type."""

    version: int = 0
    last: str | None = None
    last_at: datetime | None = None


@dataclass
class Inbox:
    """The notification service's projection of both topics."""

    book: NominationBook = field(default_factory=NominationBook)
    by_id: dict[str, Notification] = field(default_factory=dict)
    by_recipient: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    read: set[tuple[str, str]] = field(default_factory=set)
    emails: dict[str, EmailState] = field(default_factory=lambda: defaultdict(EmailState))

    def __post_init__(self) -> None:
        self.book.listeners.append(self._on_nomination_event)

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Follower handler for the nominations and notifications topics."""
        if event.type in _OWN_EVENTS:
            if outcome is Outcome.APPLIED:
                self._on_own_event(event)
            return
        self.book.apply(event, outcome)

    def _on_nomination_event(self, event: Event, before: Nomination | None, after: Nomination) -> None:
        for notice in notices(event.type, event.payload, before, after):
            nid = notification_id(event.event_id, notice.recipient)
            if nid in self.by_id:
                continue
            self.by_id[nid] = Notification(
                nid, notice.recipient, after.nomination_id, event.type, notice.message, event.time, len(self.by_id)
            )
            self.by_recipient[notice.recipient].append(nid)

    def _on_own_event(self, event: Event) -> None:
        if event.type == "NotificationRead":
            self.read.add((event.payload["notification_id"], event.payload["person"]))
            return
        state = self.emails[event.stream_id]
        state.version, state.last, state.last_at = event.stream_version, event.type, event.time

    def inbox_of(self, person_id: str, role: str, unit: str) -> list[Notification]:
        """Everything addressed to the person or to their role and unit, newest first."""
        ids = {nid for key in keys_of(person_id, role, unit) for nid in self.by_recipient.get(key, ())}
        return sorted((self.by_id[i] for i in ids), key=lambda n: (n.created_at, n.sequence), reverse=True)

    def reaches(self, notification: Notification, person_id: str, role: str, unit: str) -> bool:
        return notification.recipient in keys_of(person_id, role, unit)

    # -- snapshots (Projection; see NominationBook.snapshot) ----------------------------------
    def snapshot(self) -> Build | None:
        book = self.book.snapshot(own_listeners=[self._on_nomination_event])
        if book is None:
            return None
        notifications = list(self.by_id.values())  # insertion order is creation order
        read = [list(pair) for pair in self.read]
        emails = {k: [s.version, s.last, s.last_at.isoformat() if s.last_at else None] for k, s in self.emails.items()}
        return lambda records: {
            "book": book(records),
            "notifications": [
                [n.id, n.recipient, n.nomination_id, n.event_type, n.message, n.created_at.isoformat()]
                for n in notifications
            ],
            "read": read,
            "emails": emails,
        }

    def restore(self, state: dict[str, Any], records: Records) -> None:
        by_id: dict[str, Notification] = {}
        by_recipient: dict[str, list[str]] = defaultdict(list)
        for nid, recipient, nomination_id, event_type, message, created_at in state["notifications"]:
            at = datetime.fromisoformat(created_at)
            by_id[nid] = Notification(nid, recipient, nomination_id, event_type, message, at, len(by_id))
            by_recipient[recipient].append(nid)
        emails: dict[str, EmailState] = defaultdict(EmailState)
        for key, (version, last, last_at) in state["emails"].items():
            emails[key] = EmailState(version, last, datetime.fromisoformat(last_at) if last_at else None)
        self.book.restore(state["book"], records, own_listeners=[self._on_nomination_event])
        self.by_id, self.by_recipient, self.emails = by_id, by_recipient, emails
        self.read = {(nid, person) for nid, person in state["read"]}


_OWN_EVENTS = frozenset({"NotificationRead", "EmailClaimed", "EmailSent", "EmailFailed"})
