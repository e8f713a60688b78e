"""Events of a nomination stream (topic `cadreflow.nominations`, key = nomination id).

Payload schemas are tolerant readers (unknown fields are dropped, never an error). Times are
ISO-8601 strings with a timezone. Every event type is at schema version 1, except
`NominationApproved` at version 2 (public notice): version 1 is upcast on read.
"""

from __future__ import annotations

from marshmallow import fields, validate

from shared.contracts.base import TolerantSchema, register_v1
from shared.contracts.topics import NOMINATIONS
from shared.events.registry import REGISTRY, Payload

TOPIC = NOMINATIONS
STAGE = validate.OneOf(("unit", "org_department", "secretary"))
CHANNEL = validate.OneOf(("unit", "org_department", "secretary", "direct"))


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


class ProposerSchema(TolerantSchema):
    id = fields.String(required=True)
    name = fields.String(required=True)


class NominationSubmittedV1Schema(TolerantSchema):
    """A cadre recommended themself, or the organization department put a cadre forward directly
    (channel `direct`, with justification and proposer); the first step of the route opened."""

    nomination_id = fields.String(required=True)
    cadre = fields.Nested(PersonSchema, required=True)
    channel = fields.String(required=True, validate=CHANNEL)
    target_position = fields.Nested(PositionSchema, required=True)
    statement = fields.String(required=True)
    achievements = fields.List(fields.Nested(AchievementSchema), required=True)
    commitment = fields.String(required=True)
    route = fields.List(fields.String(validate=STAGE), required=True, validate=validate.Length(min=1))
    due_at = fields.String(required=True)
    justification = fields.String()
    proposer = fields.Nested(ProposerSchema)


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
    """Before public notice existed: the last step was approved, the nomination approved (terminal)."""


class NominationApprovedV2Schema(_StepDecision):
    """The last step was approved: the nomination is on public notice until `notice_ends_at`.
    Every approval written as version 2 has it; it is absent only from an approval upcast from
    version 1, which meant approved at once (terminal) and still does."""

    notice_ends_at = fields.String()


def upcast_v1_to_v2(payload: Payload) -> Payload:
    """NominationApproved v1 -> v2: the same fields, and no `notice_ends_at` (no public notice
    existed then), so the approval keeps its meaning: approved, terminal."""
    return payload


class AppointedV1Schema(TolerantSchema):
    """The notice window closed with no objection open or upheld: the appointment (terminal)."""

    cadre = fields.Nested(PersonSchema, required=True)
    target_position = fields.Nested(PositionSchema, required=True)
    notice_ends_at = fields.String(required=True)


class ObjectionUpheldV1Schema(TolerantSchema):
    """An objection to the nomination on notice was found substantiated or partly: rejected."""

    case_id = fields.String(required=True)
    result = fields.String(required=True, validate=validate.OneOf(("substantiated", "partly")))


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
    "Appointed": AppointedV1Schema,
    "ObjectionUpheld": ObjectionUpheldV1Schema,
}
register_v1(SCHEMAS)
REGISTRY.register("NominationApproved", 2, NominationApprovedV2Schema)
REGISTRY.register_upcaster("NominationApproved", 1, upcast_v1_to_v2)
