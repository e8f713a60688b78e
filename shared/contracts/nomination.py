"""Events of a nomination stream (topic `cadreflow.nominations`, key = nomination id).

Payload types are tolerant readers (unknown fields are ignored, never an error). Times are
ISO-8601 strings with a timezone. Every event type is at schema version 1.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, UnsetType

from shared.contracts.base import Payload, register_v1
from shared.contracts.topics import NOMINATIONS

TOPIC = NOMINATIONS
Stage = Literal["unit", "org_department", "secretary"]


class Person(Payload):
    id: str
    name: str
    unit: str


class TargetPosition(Payload):
    title: str
    organization: str


class Achievement(Payload):
    title: str
    description: str = ""


class NominationSubmittedV1(Payload):
    """A cadre recommended themself; the first step of the channel's route opened at once."""

    nomination_id: str
    cadre: Person
    channel: Stage
    target_position: TargetPosition
    statement: str
    achievements: list[Achievement]
    commitment: str
    route: Annotated[list[Stage], Meta(min_length=1)]
    due_at: str


class Changes(Payload):
    """Only the revised fields are present."""

    statement: str | UnsetType = UNSET
    achievements: list[Achievement] | UnsetType = UNSET
    commitment: str | UnsetType = UNSET
    target_position: TargetPosition | UnsetType = UNSET


class NominationRevisedV1(Payload):
    """The cadre revised a returned nomination; the same step re-opened with a new due time."""

    changes: Changes
    step: int
    due_at: str


class NominationWithdrawnV1(Payload):
    """The cadre withdrew the nomination (terminal)."""

    reason: str = ""


class StepDecision(Payload):
    """A reviewer's decision on one step of the route."""

    stage: Stage
    step: int
    comment: str = ""


class StageApprovedV1(StepDecision, kw_only=True):
    """A reviewer approved a step that is not the last; the next step opened."""

    next_stage: Stage
    next_step: int
    next_due_at: str


class NominationApprovedV1(StepDecision):
    """The last step was approved: the nomination is approved (terminal)."""


class NominationReturnedV1(StepDecision):
    """A reviewer sent the nomination back to the cadre for revision."""


class NominationRejectedV1(StepDecision):
    """A reviewer rejected the nomination (terminal)."""


class StageOverdueV1(Payload):
    """The active step passed its due time; recorded once per step opening."""

    stage: Stage
    step: int
    due_at: str


PAYLOAD_TYPES: dict[str, type[Payload]] = {
    "NominationSubmitted": NominationSubmittedV1,
    "NominationRevised": NominationRevisedV1,
    "NominationWithdrawn": NominationWithdrawnV1,
    "StageApproved": StageApprovedV1,
    "NominationApproved": NominationApprovedV1,
    "NominationReturned": NominationReturnedV1,
    "NominationRejected": NominationRejectedV1,
    "StageOverdue": StageOverdueV1,
}
register_v1(PAYLOAD_TYPES)
