"""What people (and timers) ask of a supervision case. Imperative names; each yields exactly one event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReceiveClue:
    """A clue from the public (`public` actor: channel web) or a hotline operator (channel hotline).

    The application has already sealed the reporter's identity (`identity_sealed`, None when
    anonymous) and hashed the receipt (`receipt_digest`): the domain never sees either in clear.
    """

    case_id: str
    kind: str
    category: str
    subject: Mapping[str, Any]
    description: str
    anonymous: bool
    identity_sealed: str | None
    receipt_digest: str


@dataclass(frozen=True)
class AcceptCase:
    """An officer takes the case up; for a cadre case `cadre_id` links it to the person."""

    cadre_id: str | None = None


@dataclass(frozen=True)
class DismissCase:
    """An officer dismisses a received clue, with a reason."""

    reason: str


@dataclass(frozen=True)
class RecordFinding:
    """An officer records the finding of an investigation.

    `circular`: `{units: [unit], text}`; `education`: `{units: [unit], requirement}`.
    """

    result: str
    summary: str
    outcome: str = "none"
    circular: Mapping[str, Any] | None = None
    education: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class OrderRectification:
    """An officer orders `unit` to rectify by `due_days` working days, meeting `requirement`."""

    unit: str
    due_days: int
    requirement: str


@dataclass(frozen=True)
class ReportRectification:
    """The responsible unit reports what it did."""

    what_was_done: str


@dataclass(frozen=True)
class EvaluateRectification:
    """An officer evaluates the effect. Ineffective re-orders (same unit; `due_days` and
    `requirement` default to the evaluated round's) and escalates the case one level."""

    effective: bool
    note: str
    due_days: int | None = None
    requirement: str | None = None


@dataclass(frozen=True)
class FlagRectificationOverdue:
    """The deadline scanner records that round `round` is past its due time (once per round)."""

    round: int


@dataclass(frozen=True)
class CompleteEducation:
    """A unit named in the finding's education assignment reports it done (the actor's unit)."""

    note: str = ""


@dataclass(frozen=True)
class MessageReporter:
    """An officer writes to the reporter."""

    text: str


@dataclass(frozen=True)
class MessageOfficers:
    """The reporter (holding the receipt) writes to the officers."""

    text: str


@dataclass(frozen=True)
class AccessIdentity:
    """A custodian opens the reporter's identity, stating why."""

    reason: str


@dataclass(frozen=True)
class PublishCommitment:
    """A unit's reviewer publishes the unit's commitment and supervision phone number."""

    unit: str
    text: str
    supervision_phone: str
