"""Inboxes folded from the log: one notification per (event, recipient), read marks, e-mail records.

The ids are derived from (event id, recipient), so a replay or a redelivered event produces the
same notification, never a second one. A message keeps its personal texts as recorded (sealed);
`Inbox.render` opens them when the inbox is shown or an e-mail is sent.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.notification.case_recipients import case_notices
from services.notification.recipients import Message, Notice, Text, composed, keys_of, notices
from shared.application.cases.links import CaseLinks
from shared.application.nominations.book import NominationBook
from shared.application.personal import Opener, person_key_id
from shared.domain.supervision.events import CASE_EVENT_TYPES, COMMITMENT_PUBLISHED
from shared.domain.supervision.state import Case
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
    nomination_id: str | None
    event_type: str
    message: Message
    created_at: datetime
    sequence: int
    case_id: str | None = None
    about: str | None = None
    """the cadre whose nomination it is about (whose clear texts of old events are redacted once erased)"""


def inbox_key(notification: Notification) -> tuple[datetime, int]:
    """An inbox is ordered by creation time, then by the order the log made them in."""
    return notification.created_at, notification.sequence


@dataclass
class EmailState:
    """The delivery stream of one (notification, address): its version and last event type."""

    version: int = 0
    last: str | None = None
    last_at: datetime | None = None


@dataclass
class Inbox:
    """The notification service's projection of the nominations, notifications and cases topics."""

    book: NominationBook = field(default_factory=NominationBook)
    cases: CaseLinks = field(default_factory=CaseLinks)
    city_unit: str = "city"
    by_id: dict[str, Notification] = field(default_factory=dict)
    by_recipient: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    read: set[tuple[str, str]] = field(default_factory=set)
    emails: dict[str, EmailState] = field(default_factory=lambda: defaultdict(EmailState))

    def __post_init__(self) -> None:
        self.book.listeners.append(self._on_nomination_event)
        self.cases.listeners.append(self._on_case_event)

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Follower handler for the nominations, notifications and cases topics."""
        if event.type in _OWN_EVENTS:
            if outcome is Outcome.APPLIED:
                self._on_own_event(event)
            return
        if event.type in _CASE_EVENTS:
            self.cases.apply(event, outcome)
            return
        self.book.apply(event, outcome)

    def _on_nomination_event(self, event: Event, before: Nomination | None, after: Nomination) -> None:
        told = notices(event.type, event.payload, before, after)
        self._add(event, told, after.nomination_id, None, after.cadre.id)

    def _on_case_event(self, event: Event, before: Case | None, after: Case) -> None:
        told = case_notices(event.type, event.payload, after, self.city_unit)
        self._add(event, told, after.nomination_id, after.case_id, None)

    def _add(
        self, event: Event, told: list[Notice], nomination_id: str | None, case_id: str | None, about: str | None
    ) -> None:
        for notice in told:
            nid = notification_id(event.event_id, notice.recipient)
            if nid in self.by_id:
                continue
            message = (notice.message,) if isinstance(notice.message, str) else notice.message
            self.by_id[nid] = Notification(
                nid, notice.recipient, nomination_id, event.type, message, event.time, len(self.by_id), case_id, about
            )
            self.by_recipient[notice.recipient].append(nid)

    def render(self, notification: Notification, opener: Opener) -> tuple[str, bool]:
        """The message with its personal texts opened (`ERASED` where they cannot be any more),
        and whether any was redacted."""
        about = person_key_id(notification.about) if notification.about else None
        texts = opener.reading(notification.nomination_id or "", about)
        sentence = composed(notification.message, lambda text: texts.composed(text.value, text.field))
        return sentence, texts.redacted

    def _on_own_event(self, event: Event) -> None:
        if event.type == "NotificationRead":
            self.read.add((event.payload["notification_id"], event.payload["person"]))
            return
        state = self.emails[event.stream_id]
        state.version, state.last, state.last_at = event.stream_version, event.type, event.time

    def inbox_of(self, person_id: str, role: str, unit: str) -> list[Notification]:
        """Everything addressed to the person or to their role and unit, newest first."""
        ids = {nid for key in keys_of(person_id, role, unit) for nid in self.by_recipient.get(key, ())}
        return sorted((self.by_id[i] for i in ids), key=inbox_key, reverse=True)

    def reaches(self, notification: Notification, person_id: str, role: str, unit: str) -> bool:
        return notification.recipient in keys_of(person_id, role, unit)

    # -- snapshots (Projection; see NominationBook.snapshot) ----------------------------------
    def snapshot(self) -> Build | None:
        book = self.book.snapshot(own_listeners=[self._on_nomination_event])
        cases = self.cases.snapshot()
        if book is None or cases is None:
            return None
        notifications = list(self.by_id.values())  # insertion order is creation order
        read = [list(pair) for pair in self.read]
        emails = {k: [s.version, s.last, s.last_at.isoformat() if s.last_at else None] for k, s in self.emails.items()}
        return lambda records: {
            "book": book(records),
            "cases": cases(records),
            "notifications": [
                [n.id, n.recipient, n.nomination_id, n.event_type, _packed(n.message), n.created_at.isoformat()]
                + [n.case_id, n.about]
                for n in notifications
            ],
            "read": read,
            "emails": emails,
        }

    def restore(self, state: dict[str, Any], records: Records) -> None:
        by_id: dict[str, Notification] = {}
        by_recipient: dict[str, list[str]] = defaultdict(list)
        for nid, recipient, nomination_id, event_type, parts, created_at, case_id, about in state["notifications"]:
            at = datetime.fromisoformat(created_at)
            message = tuple(part if isinstance(part, str) else Text(*part) for part in parts)
            by_id[nid] = Notification(
                nid, recipient, nomination_id, event_type, message, at, len(by_id), case_id, about
            )
            by_recipient[recipient].append(nid)
        emails: dict[str, EmailState] = defaultdict(EmailState)
        for key, (version, last, last_at) in state["emails"].items():
            emails[key] = EmailState(version, last, datetime.fromisoformat(last_at) if last_at else None)
        self.cases.restore(state["cases"], records)  # first: it changes nothing when it refuses
        self.book.restore(state["book"], records, own_listeners=[self._on_nomination_event])
        self.by_id, self.by_recipient, self.emails = by_id, by_recipient, emails
        self.read = {(nid, person) for nid, person in state["read"]}


def _packed(message: Message) -> list[Any]:
    """A message as the snapshot keeps it: literal parts, and [field, value as recorded]."""
    return [part if isinstance(part, str) else [part.field, part.value] for part in message]


_OWN_EVENTS = frozenset({"NotificationRead", "EmailClaimed", "EmailSent", "EmailFailed"})
_CASE_EVENTS = frozenset({*CASE_EVENT_TYPES, COMMITMENT_PUBLISHED})
