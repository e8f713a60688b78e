"""Events of the supervision service (topic `cadreflow.cases`; key = case id, or
`commitment:<unit>` for a unit's commitment).

What each event means, when it is emitted and how it moves a case is documented where the names
are defined, in `shared.domain.supervision.events` (the event contract); these are the payload
schemas the codec checks. Tolerant readers: unknown fields are dropped, never an error. Times are
ISO-8601 strings with a timezone. Every event type is at schema version 1.

For the public-notice workflow: an objection is `ClueReceived` with `kind=objection` and
`subject.nomination_id`; it is settled by `CaseDismissed` or `FindingRecorded` (both repeat
`kind` and `nomination_id`); a finding `substantiated` or `partly` blocks the appointment.
"""

from __future__ import annotations

from marshmallow import fields, validate

from shared.contracts.base import TolerantSchema, register_v1
from shared.contracts.topics import CASES
from shared.domain.supervision import events
from shared.domain.supervision.categories import KINDS
from shared.domain.supervision.state import CHANNELS, OUTCOMES, RESULTS

TOPIC = CASES
KIND = validate.OneOf(KINDS)


def _optional() -> fields.String:
    return fields.String(allow_none=True, load_default=None)


class ClueReceivedV1Schema(TolerantSchema):
    """A clue came in (web or hotline); the case is received. No receipt, only its keyed slow hash;
    the identity only sealed with the case's own key."""

    case_id = fields.String(required=True)
    kind = fields.String(required=True, validate=KIND)
    category = fields.String(required=True)
    subject = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    description = fields.String(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    anonymous = fields.Boolean(required=True)
    identity_sealed = _optional()
    receipt_digest = fields.String(required=True)
    unit = fields.String(required=True)


class CaseAcceptedV1Schema(TolerantSchema):
    """An officer took the case up; `cadre_id` links a cadre case to the person."""

    cadre_id = _optional()


class _About(TolerantSchema):
    kind = fields.String(required=True, validate=KIND)
    nomination_id = _optional()


class CaseDismissedV1Schema(_About):
    """An officer dismissed the clue (terminal)."""

    reason = fields.String(required=True)


class CircularSchema(TolerantSchema):
    units = fields.List(fields.String(), required=True)
    text = fields.String(required=True)


class EducationSchema(TolerantSchema):
    units = fields.List(fields.String(), required=True)
    requirement = fields.String(required=True)


class FindingRecordedV1Schema(_About):
    """The investigation's finding, the outcome for the cadre, a circular and education."""

    result = fields.String(required=True, validate=validate.OneOf(RESULTS))
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    summary = fields.String(required=True)
    circular = fields.Nested(CircularSchema, allow_none=True, load_default=None)
    education = fields.Nested(EducationSchema, allow_none=True, load_default=None)
    cadre_id = _optional()


class _Round(TolerantSchema):
    round = fields.Integer(required=True)


class _Order(TolerantSchema):
    unit = fields.String(required=True)
    requirement = fields.String(required=True)
    due_days = fields.Integer(required=True)
    due_at = fields.String(required=True)
    supervising_unit = fields.String(required=True)


class RectificationOrderedV1Schema(_Round, _Order):
    """A unit was ordered to rectify by a working-day deadline."""


class RectificationReportedV1Schema(_Round):
    """The responsible unit reported what it did."""

    unit = fields.String(required=True)
    what_was_done = fields.String(required=True)


class RectificationConfirmedV1Schema(_Round):
    """The rectification was effective: the case is closed."""

    note = fields.String(load_default="")


class RectificationReopenedV1Schema(_Round, _Order):
    """Ineffective: the next round is ordered and the case escalated one level."""

    note = fields.String(required=True)
    next_round = fields.Integer(required=True)


class RectificationOverdueV1Schema(_Round):
    """A round passed its due time without a report (once per round)."""

    unit = fields.String(required=True)
    due_at = fields.String(required=True)
    supervising_unit = fields.String(required=True)


class EducationCompletedV1Schema(TolerantSchema):
    """A unit reported the education assigned to it done."""

    unit = fields.String(required=True)
    note = fields.String(load_default="")


class _Text(TolerantSchema):
    text = fields.String(required=True)


class MessageSentToReporterV1Schema(_Text):
    """An officer wrote to the reporter (read with the receipt)."""


class MessageReceivedFromReporterV1Schema(_Text):
    """The reporter wrote to the officers."""


class IdentityAccessedV1Schema(TolerantSchema):
    """A custodian opened the reporter's identity for this reason."""

    reason = fields.String(required=True)


class CommitmentPublishedV1Schema(TolerantSchema):
    """A unit published its commitment not to lie flat and its supervision phone."""

    unit = fields.String(required=True)
    text = fields.String(required=True)
    supervision_phone = fields.String(required=True)


SCHEMAS = {
    events.CLUE_RECEIVED: ClueReceivedV1Schema,
    events.CASE_ACCEPTED: CaseAcceptedV1Schema,
    events.CASE_DISMISSED: CaseDismissedV1Schema,
    events.FINDING_RECORDED: FindingRecordedV1Schema,
    events.RECTIFICATION_ORDERED: RectificationOrderedV1Schema,
    events.RECTIFICATION_REPORTED: RectificationReportedV1Schema,
    events.RECTIFICATION_CONFIRMED: RectificationConfirmedV1Schema,
    events.RECTIFICATION_REOPENED: RectificationReopenedV1Schema,
    events.RECTIFICATION_OVERDUE: RectificationOverdueV1Schema,
    events.EDUCATION_COMPLETED: EducationCompletedV1Schema,
    events.MESSAGE_SENT_TO_REPORTER: MessageSentToReporterV1Schema,
    events.MESSAGE_RECEIVED_FROM_REPORTER: MessageReceivedFromReporterV1Schema,
    events.IDENTITY_ACCESSED: IdentityAccessedV1Schema,
    events.COMMITMENT_PUBLISHED: CommitmentPublishedV1Schema,
}
register_v1(SCHEMAS)
