"""Events of a nomination stream (topic `cadreflow.nominations`, key = nomination id).

Payload types are tolerant readers (unknown fields are ignored, never an error). Times are
ISO-8601 strings with a timezone. `NominationApproved` v2 brought public notice (v1 is upcast on
read).

Personal texts are sealed (crypto-shredding, `shared.application.personal`) from these versions
on: `NominationSubmitted` v2 (the cadre's name, statement, achievements, commitment,
justification; the proposer's name under the proposer's own key), `NominationRevised` v2,
`NominationWithdrawn` v2 (reason), `StageApproved` v2, `NominationApproved` v3,
`NominationReturned` v2, `NominationRejected` v2 (the reviewer's comment, under the cadre's key)
and `Appointed` v2 (the cadre's name). A clear version is upcast unchanged: its texts stay clear.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, UnsetType

from shared.contracts.base import Payload, Personal, register_sealed, register_v1
from shared.contracts.topics import NOMINATIONS
from shared.events.registry import REGISTRY

TOPIC = NOMINATIONS
Stage = Literal["unit", "org_department", "secretary"]
Channel = Literal["unit", "org_department", "secretary", "direct"]


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


class Proposer(Payload):
    id: str
    name: str


class NominationSubmittedV1(Payload):
    """A cadre recommended themself, or the organization department put a cadre forward directly
    (channel `direct`, with justification and proposer); the first step of the route opened."""

    nomination_id: str
    cadre: Person
    channel: Channel
    target_position: TargetPosition
    statement: str
    achievements: list[Achievement]
    commitment: str
    route: Annotated[list[Stage], Meta(min_length=1)]
    due_at: str
    justification: str | UnsetType = UNSET
    proposer: Proposer | UnsetType = UNSET


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
    """Before public notice existed: the last step was approved, the nomination approved (terminal)."""


class NominationApprovedV2(StepDecision):
    """The last step was approved: the nomination is on public notice until `notice_ends_at`.
    Every approval written as version 2 has it; it is absent only from an approval upcast from
    version 1, which meant approved at once (terminal) and still does."""

    notice_ends_at: str | UnsetType = UNSET


def upcast_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """NominationApproved v1 -> v2: the same fields, and no `notice_ends_at` (no public notice
    existed then), so the approval keeps its meaning: approved, terminal."""
    return payload


class AppointedV1(Payload):
    """The notice window closed with no objection open or upheld: the appointment (terminal)."""

    cadre: Person
    target_position: TargetPosition
    notice_ends_at: str


class ObjectionUpheldV1(Payload):
    """An objection to the nomination on notice was found substantiated or partly: rejected."""

    case_id: str
    result: Literal["substantiated", "partly"]


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
    "Appointed": AppointedV1,
    "ObjectionUpheld": ObjectionUpheldV1,
}
register_v1(PAYLOAD_TYPES)
REGISTRY.register("NominationApproved", 2, NominationApprovedV2)
REGISTRY.register_upcaster("NominationApproved", 1, upcast_v1_to_v2)


# -- the versions that seal personal texts (same fields, in the same order) ---------------------


class SealedPerson(Payload):
    id: str
    name: Personal
    unit: str


class SealedAchievement(Payload):
    title: Personal
    description: Personal = ""


class SealedProposer(Payload):
    id: str
    name: Personal
    """under the proposer's own key: a text about them, not about the cadre"""


class NominationSubmittedV2(Payload):
    """NominationSubmitted with the texts about the cadre sealed under the cadre's key."""

    nomination_id: str
    cadre: SealedPerson
    channel: Channel
    target_position: TargetPosition
    statement: Personal
    achievements: list[SealedAchievement]
    commitment: Personal
    route: Annotated[list[Stage], Meta(min_length=1)]
    due_at: str
    justification: Personal | UnsetType = UNSET
    proposer: SealedProposer | UnsetType = UNSET


class SealedChanges(Payload):
    """Only the revised fields are present."""

    statement: Personal | UnsetType = UNSET
    achievements: list[SealedAchievement] | UnsetType = UNSET
    commitment: Personal | UnsetType = UNSET
    target_position: TargetPosition | UnsetType = UNSET


class NominationRevisedV2(Payload):
    """NominationRevised with the revised texts sealed under the cadre's key."""

    changes: SealedChanges
    step: int
    due_at: str


class NominationWithdrawnV2(Payload):
    """NominationWithdrawn with the reason sealed under the cadre's key."""

    reason: Personal = ""


class SealedStepDecision(Payload):
    """A reviewer's decision on one step; the comment is about the cadre's nomination, so it is
    sealed under the cadre's key (the reviewer stays named, in clear, as the event's actor)."""

    stage: Stage
    step: int
    comment: Personal = ""


class StageApprovedV2(SealedStepDecision, kw_only=True):
    """A step approved that is not the last; the next step opened."""

    next_stage: Stage
    next_step: int
    next_due_at: str


class NominationApprovedV3(SealedStepDecision):
    """The last step approved: on public notice until `notice_ends_at` (absent only when upcast
    from version 1)."""

    notice_ends_at: str | UnsetType = UNSET


class NominationReturnedV2(SealedStepDecision):
    """Sent back to the cadre for revision."""


class NominationRejectedV2(SealedStepDecision):
    """Rejected (terminal)."""


class AppointedV2(Payload):
    """Appointed with the cadre's name sealed (copied, as recorded, from the submission)."""

    cadre: SealedPerson
    target_position: TargetPosition
    notice_ends_at: str


register_sealed(
    {
        "NominationSubmitted": NominationSubmittedV2,
        "NominationRevised": NominationRevisedV2,
        "NominationWithdrawn": NominationWithdrawnV2,
        "StageApproved": StageApprovedV2,
        "NominationApproved": NominationApprovedV3,
        "NominationReturned": NominationReturnedV2,
        "NominationRejected": NominationRejectedV2,
        "Appointed": AppointedV2,
    }
)
