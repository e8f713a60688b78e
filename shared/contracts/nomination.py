"""Events of a nomination stream (topic `cadreflow.nominations`, key = nomination id).

Payload schemas are tolerant readers (unknown fields are dropped, never an error). Times are
ISO-8601 strings with a timezone. Every event type is at schema version 1.
"""

from __future__ import annotations

from marshmallow import fields, validate

from shared.contracts.base import TolerantSchema, register_v1
from shared.contracts.topics import NOMINATIONS

TOPIC = NOMINATIONS
STAGE = validate.OneOf(("unit", "org_department", "secretary"))


class PersonSchema(TolerantSchema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)


class PositionSchema(TolerantSchema):
    title = fields.String(required=True)
    organization = fields.String(required=True)


class AchievementSchema(TolerantSchema):
    title = fields.String(required=True)
    description = fields.String(load_default="")


class NominationSubmittedV1Schema(TolerantSchema):
    """A cadre recommended themself; the first step of the channel's route opened at once."""

    nomination_id = fields.String(required=True)
    cadre = fields.Nested(PersonSchema, required=True)
    channel = fields.String(required=True, validate=STAGE)
    target_position = fields.Nested(PositionSchema, required=True)
    statement = fields.String(required=True)
    achievements = fields.List(fields.Nested(AchievementSchema), required=True)
    commitment = fields.String(required=True)
    route = fields.List(fields.String(validate=STAGE), required=True, validate=validate.Length(min=1))
    due_at = fields.String(required=True)


class ChangesSchema(TolerantSchema):
    statement = fields.String()
    achievements = fields.List(fields.Nested(AchievementSchema))
    commitment = fields.String()
    target_position = fields.Nested(PositionSchema)


class NominationRevisedV1Schema(TolerantSchema):
    """The cadre revised a returned nomination; the same step re-opened with a new due time."""

    changes = fields.Nested(ChangesSchema, required=True)
    step = fields.Integer(required=True)
    due_at = fields.String(required=True)


class NominationWithdrawnV1Schema(TolerantSchema):
    """The cadre withdrew the nomination (terminal)."""

    reason = fields.String(load_default="")


class _StepDecision(TolerantSchema):
    stage = fields.String(required=True, validate=STAGE)
    step = fields.Integer(required=True)
    comment = fields.String(load_default="")


class StageApprovedV1Schema(_StepDecision):
    """A reviewer approved a step that is not the last; the next step opened."""

    next_stage = fields.String(required=True, validate=STAGE)
    next_step = fields.Integer(required=True)
    next_due_at = fields.String(required=True)


class NominationApprovedV1Schema(_StepDecision):
    """The last step was approved: the nomination is approved (terminal)."""


class NominationReturnedV1Schema(_StepDecision):
    """A reviewer sent the nomination back to the cadre for revision."""


class NominationRejectedV1Schema(_StepDecision):
    """A reviewer rejected the nomination (terminal)."""


class StageOverdueV1Schema(TolerantSchema):
    """The active step passed its due time; recorded once per step opening."""

    stage = fields.String(required=True, validate=STAGE)
    step = fields.Integer(required=True)
    due_at = fields.String(required=True)


SCHEMAS = {
    "NominationSubmitted": NominationSubmittedV1Schema,
    "NominationRevised": NominationRevisedV1Schema,
    "NominationWithdrawn": NominationWithdrawnV1Schema,
    "StageApproved": StageApprovedV1Schema,
    "NominationApproved": NominationApprovedV1Schema,
    "NominationReturned": NominationReturnedV1Schema,
    "NominationRejected": NominationRejectedV1Schema,
    "StageOverdue": StageOverdueV1Schema,
}
register_v1(SCHEMAS)
