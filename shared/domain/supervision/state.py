"""The state of one supervision case, as folded from its events. Immutable: every change is a new value.

Cases are few next to nominations (thousands, not millions), so the state favours clarity:
frozen dataclasses, tuples for what grows (history, rectification rounds, messages).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from shared.domain.personal import PersonalText
from shared.domain.workflow.state import Actor as Actor  # one actor for both deciders (re-exported)

RECEIVED = "received"
DISMISSED = "dismissed"
INVESTIGATING = "investigating"
FOUND = "found"
RECTIFYING = "rectifying"
EVALUATING = "evaluating"
CLOSED = "closed"
STATUSES = (RECEIVED, DISMISSED, INVESTIGATING, FOUND, RECTIFYING, EVALUATING, CLOSED)
TERMINAL_STATUSES = frozenset({DISMISSED, CLOSED})
"""A case in these statuses takes no more steps of the loop (messages and the custodian's access
to the identity are still possible: they do not move the case)."""

SUBSTANTIATED = "substantiated"
PARTLY = "partly"
UNSUBSTANTIATED = "unsubstantiated"
RESULTS = (SUBSTANTIATED, PARTLY, UNSUBSTANTIATED)
UPHELD_RESULTS = frozenset({SUBSTANTIATED, PARTLY})
"""Results that make a finding: the case goes on to rectification; an objection blocks the appointment."""

ADJUST = "adjust"
WARN = "warn"
EDUCATE = "educate"
NO_OUTCOME = "none"
OUTCOMES = (ADJUST, WARN, EDUCATE, NO_OUTCOME)
"""Outcomes for a cadre (Pingdingshan: adjust one, warn a batch, educate a piece)."""

WEB = "web"
HOTLINE = "hotline"
CHANNELS = (WEB, HOTLINE)

OFFICER_ROLE = "supervision_officer"
HOTLINE_ROLE = "hotline_operator"
CUSTODIAN_ROLE = "custodian"
UNIT_ROLE = "unit_reviewer"
"""The reviewer of a unit: publishes its commitment, reports its rectification and education."""
PUBLIC_ROLE = "public"
"""Whoever posts a clue without an account. The actor carries no identity at all."""
REPORTER_ROLE = "reporter"
"""Whoever holds a case's receipt. The actor carries no identity at all."""
SYSTEM_ROLE = "system"
"""Timers (the rectification deadline scanner)."""

OFFICER = "officer"
REPORTER = "reporter"
"""The two ends of a message between the supervision officers and the reporter."""


@dataclass(frozen=True)
class Circular:
    """A circular (通报) to the cadres of the named units ("warn a batch")."""

    units: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Assignment:
    """Education assigned to one unit ("educate a piece"), done once the unit reports it."""

    unit: str
    requirement: str
    done_at: datetime | None = None
    note: str | None = None

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class Finding:
    """What the investigation found, the outcome for the cadre, and what it sends out."""

    result: str
    outcome: str
    summary: PersonalText
    found_at: datetime
    found_by: str
    circular: Circular | None = None


@dataclass(frozen=True)
class Round:
    """One round of rectification: ordered to a unit, reported, evaluated.

    `number` counts from 1; a round evaluated ineffective is followed by the next one.
    `supervising_unit` is the level that ordered it and evaluates it.
    """

    number: int
    unit: str
    requirement: str
    due_days: int
    due_at: datetime
    ordered_at: datetime
    supervising_unit: str
    overdue_at: datetime | None = None
    report: str | None = None
    reported_at: datetime | None = None
    effective: bool | None = None
    evaluation_note: str | None = None
    evaluated_at: datetime | None = None


@dataclass(frozen=True)
class Message:
    """A message between the officers and the reporter; `sender` is `officer` or `reporter`."""

    sender: str
    text: PersonalText
    at: datetime


@dataclass(frozen=True)
class Access:
    """One access by a custodian to the reporter's identity, with its stated reason."""

    custodian: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class Entry:
    """One applied event in the case's history: what happened, the status after it, when, by whom."""

    type: str
    status: str
    at: datetime
    actor_id: str
    actor_role: str


@dataclass(frozen=True)
class Case:
    """A clue and where it stands in the closed loop.

    `unit` is the unit the case is about (the subject's unit; the city for an objection).
    `supervising_unit` is the level whose officers act on it: the case's unit at first, the
    city once a rectification proved ineffective. `identity_sealed` is the reporter's identity
    encrypted with the case's own key (None when anonymous); `receipt_digest` the slow keyed
    hash of the receipt. Neither is ever shown to anyone but through the custodian's access.
    The texts about people (the subject's name, the description, a dismissal's reason, the
    finding's summary, the messages) are held as the log holds them (`shared.domain.personal`).
    """

    case_id: str
    version: int
    kind: str
    category: str
    subject: Mapping[str, PersonalText]
    description: PersonalText
    channel: str
    anonymous: bool
    identity_sealed: str | None
    receipt_digest: str
    unit: str
    supervising_unit: str
    status: str
    received_at: datetime
    updated_at: datetime
    cadre_id: str | None = None
    dismissal_reason: PersonalText | None = None
    finding: Finding | None = None
    rounds: tuple[Round, ...] = ()
    education: tuple[Assignment, ...] = ()
    messages: tuple[Message, ...] = ()
    accesses: tuple[Access, ...] = ()
    history: tuple[Entry, ...] = ()
    closed_at: datetime | None = None

    @property
    def is_terminal(self) -> bool:
        """Dismissed or closed: the loop is over."""
        return self.status in TERMINAL_STATUSES

    @property
    def is_open(self) -> bool:
        """Neither closed nor dismissed (what the review view of a nomination lists)."""
        return not self.is_terminal

    @property
    def current_round(self) -> Round | None:
        """The latest round of rectification, if any was ordered."""
        return self.rounds[-1] if self.rounds else None

    @property
    def reopened(self) -> int:
        """How many rounds were evaluated ineffective."""
        return sum(1 for r in self.rounds if r.effective is False)

    @property
    def overdue(self) -> bool:
        """True while the current round waits for the unit's report past its flagged due time."""
        current = self.current_round
        return self.status == RECTIFYING and current is not None and current.overdue_at is not None

    @property
    def nomination_id(self) -> str | None:
        """The nomination an objection is about (None for the other kinds)."""
        nomination_id = self.subject.get("nomination_id")
        return nomination_id if isinstance(nomination_id, str) else None


@dataclass(frozen=True)
class Commitment:
    """A unit's public commitment not to lie flat, with its supervision phone number."""

    unit: str
    text: str
    supervision_phone: str
    version: int
    published_at: datetime
