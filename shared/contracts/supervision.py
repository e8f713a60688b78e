"""Events of the supervision service (topic `cadreflow.cases`; key = case id, or
`commitment:<unit>` for a unit's commitment).

What each event means, when it is emitted and how it moves a case is documented where the names
are defined, in `shared.domain.supervision.events` (the event contract); these are the payload
types the codec decodes and checks in one step. Tolerant readers: unknown fields are ignored,
never an error. Times are ISO-8601 strings with a timezone. An optional value is present as null
(`X | None = None`). Fields are in the order
the marshmallow schemas they replaced loaded them (tests/fixtures/payload-cases.json records it).

Personal texts are sealed (crypto-shredding) under the case's subject key (`case-subject-<case
id>`, `shared.application.personal`) from these versions on: `ClueReceived` v2 (the subject's name,
the description), `CaseDismissed` v2 (reason), `FindingRecorded` v2 (summary),
`MessageSentToReporter` v2 and `MessageReceivedFromReporter` v2 (text). Erasing the person a case
is linked to destroys that key. A clear version 1 is upcast unchanged (its texts stay clear).

For the public-notice workflow: an objection is `ClueReceived` with `kind=objection` and
`subject.nomination_id`; it is settled by `CaseDismissed` or `FindingRecorded` (both repeat
`kind` and `nomination_id`); a finding `substantiated` or `partly` blocks the appointment.
"""

from __future__ import annotations

from typing import Literal

from shared.contracts.base import Payload, Personal, register_sealed, register_v1
from shared.contracts.topics import CASES
from shared.domain.supervision import events

TOPIC = CASES
Kind = Literal["cadre", "matter", "objection"]
Channel = Literal["web", "hotline"]
Result = Literal["substantiated", "partly", "unsubstantiated"]
Outcome = Literal["adjust", "warn", "educate", "none"]


class ClueReceivedV1(Payload, kw_only=True):
    """A clue came in (web or hotline); the case is received. No receipt, only its keyed slow hash;
    the identity only sealed with the case's own key."""

    case_id: str
    kind: Kind
    category: str
    subject: dict[str, str]
    description: str
    channel: Channel
    anonymous: bool
    identity_sealed: str | None = None
    receipt_digest: str
    unit: str


class CaseAcceptedV1(Payload):
    """An officer took the case up; `cadre_id` links a cadre case to the person."""

    cadre_id: str | None = None


class CaseDismissedV1(Payload, kw_only=True):
    """An officer dismissed the clue (terminal)."""

    kind: Kind
    nomination_id: str | None = None
    reason: str


class Circular(Payload):
    units: list[str]
    text: str


class Education(Payload):
    units: list[str]
    requirement: str


class FindingRecordedV1(Payload, kw_only=True):
    """The investigation's finding, the outcome for the cadre, a circular and education."""

    kind: Kind
    nomination_id: str | None = None
    result: Result
    outcome: Outcome
    summary: str
    circular: Circular | None = None
    education: Education | None = None
    cadre_id: str | None = None


class RectificationOrderedV1(Payload):
    """A unit was ordered to rectify by a working-day deadline."""

    unit: str
    requirement: str
    due_days: int
    due_at: str
    supervising_unit: str
    round: int


class RectificationReportedV1(Payload):
    """The responsible unit reported what it did."""

    round: int
    unit: str
    what_was_done: str


class RectificationConfirmedV1(Payload):
    """The rectification was effective: the case is closed."""

    round: int
    note: str = ""


class RectificationReopenedV1(Payload):
    """Ineffective: the next round is ordered and the case escalated one level."""

    unit: str
    requirement: str
    due_days: int
    due_at: str
    supervising_unit: str
    round: int
    note: str
    next_round: int


class RectificationOverdueV1(Payload):
    """A round passed its due time without a report (once per round)."""

    round: int
    unit: str
    due_at: str
    supervising_unit: str


class EducationCompletedV1(Payload):
    """A unit reported the education assigned to it done."""

    unit: str
    note: str = ""


class MessageSentToReporterV1(Payload):
    """An officer wrote to the reporter (read with the receipt)."""

    text: str


class MessageReceivedFromReporterV1(Payload):
    """The reporter wrote to the officers."""

    text: str


class IdentityAccessedV1(Payload):
    """A custodian opened the reporter's identity for this reason."""

    reason: str


class CommitmentPublishedV1(Payload):
    """A unit published its commitment not to lie flat and its supervision phone."""

    unit: str
    text: str
    supervision_phone: str


PAYLOAD_TYPES: dict[str, type[Payload]] = {
    events.CLUE_RECEIVED: ClueReceivedV1,
    events.CASE_ACCEPTED: CaseAcceptedV1,
    events.CASE_DISMISSED: CaseDismissedV1,
    events.FINDING_RECORDED: FindingRecordedV1,
    events.RECTIFICATION_ORDERED: RectificationOrderedV1,
    events.RECTIFICATION_REPORTED: RectificationReportedV1,
    events.RECTIFICATION_CONFIRMED: RectificationConfirmedV1,
    events.RECTIFICATION_REOPENED: RectificationReopenedV1,
    events.RECTIFICATION_OVERDUE: RectificationOverdueV1,
    events.EDUCATION_COMPLETED: EducationCompletedV1,
    events.MESSAGE_SENT_TO_REPORTER: MessageSentToReporterV1,
    events.MESSAGE_RECEIVED_FROM_REPORTER: MessageReceivedFromReporterV1,
    events.IDENTITY_ACCESSED: IdentityAccessedV1,
    events.COMMITMENT_PUBLISHED: CommitmentPublishedV1,
}
register_v1(PAYLOAD_TYPES)


# -- the versions that seal the texts about people (same fields, in the same order) -------------


class ClueReceivedV2(Payload, kw_only=True):
    """ClueReceived with the subject's name and the description sealed under the case's subject key."""

    case_id: str
    kind: Kind
    category: str
    subject: dict[str, Personal]
    description: Personal
    channel: Channel
    anonymous: bool
    identity_sealed: str | None = None
    receipt_digest: str
    unit: str


class CaseDismissedV2(Payload, kw_only=True):
    """CaseDismissed with the reason sealed."""

    kind: Kind
    nomination_id: str | None = None
    reason: Personal


class FindingRecordedV2(Payload, kw_only=True):
    """FindingRecorded with the summary sealed (the result and outcome stay clear: the trail)."""

    kind: Kind
    nomination_id: str | None = None
    result: Result
    outcome: Outcome
    summary: Personal
    circular: Circular | None = None
    education: Education | None = None
    cadre_id: str | None = None


class MessageSentToReporterV2(Payload):
    """MessageSentToReporter with the text sealed."""

    text: Personal


class MessageReceivedFromReporterV2(Payload):
    """MessageReceivedFromReporter with the text sealed."""

    text: Personal


register_sealed(
    {
        events.CLUE_RECEIVED: ClueReceivedV2,
        events.CASE_DISMISSED: CaseDismissedV2,
        events.FINDING_RECORDED: FindingRecordedV2,
        events.MESSAGE_SENT_TO_REPORTER: MessageSentToReporterV2,
        events.MESSAGE_RECEIVED_FROM_REPORTER: MessageReceivedFromReporterV2,
    }
)
