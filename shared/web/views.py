"""The nomination view the APIs return, and its OpenAPI schema (shared by nomination and review)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from marshmallow import Schema, fields

from shared.application.nominations.trail import Logged
from shared.domain.workflow.state import Nomination, Step
from shared.events.codec import to_dict
from shared.web.openapi import ErrorResponseSchema  # noqa: F401 - the views' error schema, re-exported
from shared.web.paging import PageSchema


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def step_view(step: Step) -> dict[str, Any]:
    return {
        "step": step.index,
        "stage": step.stage,
        "opened_at": _time(step.opened_at),
        "due_at": _time(step.due_at),
        "decision": step.decision,
        "reviewer": step.reviewer,
        "comment": step.comment,
        "decided_at": _time(step.decided_at),
        "overdue_at": _time(step.overdue_at),
    }


def nomination_view(n: Nomination) -> dict[str, Any]:
    """The JSON view of a nomination."""
    content = orjson.loads(n.content)  # the domain's compact JSON, read by the faster reader
    return {
        "nomination_id": n.nomination_id,
        "cadre": {"id": n.cadre.id, "name": n.cadre.name, "unit": n.cadre.unit},
        "channel": n.channel,
        "target_position": content["target_position"],
        "statement": content["statement"],
        "achievements": content["achievements"],
        "commitment": content["commitment"],
        "status": n.status,
        "stage": n.stage,
        "route": list(n.route),
        "step": n.step,
        "overdue": n.overdue,
        "due_at": _time(n.active_step.due_at) if n.active_step else None,
        "history": [step_view(s) for s in n.history],
        "withdrawal_reason": n.withdrawal_reason,
        "notice_ends_at": _time(n.notice_ends_at),
        "appointed_at": _time(n.appointed_at),
        "objection_case": n.objection_case,
        "justification": content.get("justification"),
        "proposer": n.proposer,
        "version": n.version,
        "submitted_at": _time(n.submitted_at),
        "updated_at": _time(n.updated_at),
    }


def logged_view(logged: Logged) -> dict[str, Any]:
    """One audit-trail entry: the envelope, whether the log order applied it, and where it is stored
    (the log id and offset an inclusion proof of the transparency log asks for)."""
    position = logged.event.position
    where = {"log_id": f"{position[0]}/{position[1]}", "offset": position[2]} if position else None
    return {**to_dict(logged.event), "outcome": logged.outcome.value, "stored_at": where}


class PersonSchema(Schema):
    id = fields.String()
    name = fields.String()
    unit = fields.String()


class PositionSchema(Schema):
    title = fields.String()
    organization = fields.String()


class AchievementSchema(Schema):
    title = fields.String()
    description = fields.String()


class StepSchema(Schema):
    step = fields.Integer()
    stage = fields.String()
    opened_at = fields.String()
    due_at = fields.String()
    decision = fields.String(allow_none=True)
    reviewer = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    decided_at = fields.String(allow_none=True)
    overdue_at = fields.String(allow_none=True)


class NominationResponseSchema(Schema):
    """A nomination as the cadre and the reviewers see it."""

    nomination_id = fields.String()
    cadre = fields.Nested(PersonSchema)
    channel = fields.String()
    target_position = fields.Nested(PositionSchema)
    statement = fields.String()
    achievements = fields.List(fields.Nested(AchievementSchema))
    commitment = fields.String()
    status = fields.String()
    stage = fields.String(allow_none=True)
    route = fields.List(fields.String())
    step = fields.Integer()
    overdue = fields.Boolean()
    due_at = fields.String(allow_none=True)
    history = fields.List(fields.Nested(StepSchema))
    withdrawal_reason = fields.String(allow_none=True)
    notice_ends_at = fields.String(allow_none=True, metadata={"description": "end of the public notice window"})
    appointed_at = fields.String(allow_none=True, metadata={"description": "when the appointment was recorded"})
    objection_case = fields.String(allow_none=True, metadata={"description": "the upheld objection that rejected it"})
    justification = fields.String(allow_none=True, metadata={"description": "why it was proposed directly"})
    proposer = fields.String(allow_none=True, metadata={"description": "the org reviewer who proposed it directly"})
    version = fields.Integer()
    submitted_at = fields.String()
    updated_at = fields.String()


class NominationListResponseSchema(PageSchema):
    items = fields.List(fields.Nested(NominationResponseSchema))


class ActorSchema(Schema):
    id = fields.String()
    role = fields.String()


class StoredAtSchema(Schema):
    log_id = fields.String(metadata={"description": "<topic>/<partition>: the transparency log's tree"})
    offset = fields.Integer()


class EventResponseSchema(Schema):
    event_id = fields.String()
    type = fields.String()
    schema_version = fields.Integer()
    stream_id = fields.String()
    stream_version = fields.Integer()
    expected_version = fields.Integer()
    time = fields.String()
    actor = fields.Nested(ActorSchema)
    correlation_id = fields.String()
    causation_id = fields.String()
    payload = fields.Dict()
    prev_hash = fields.String(metadata={"description": "SHA-256 of the stream's previous applied event"})
    outcome = fields.String()
    stored_at = fields.Nested(StoredAtSchema, allow_none=True)


class EventListResponseSchema(PageSchema):
    items = fields.List(fields.Nested(EventResponseSchema))


class ChainProblemSchema(Schema):
    event_id = fields.String(allow_none=True, metadata={"description": "null for a problem of the whole log"})
    stream_version = fields.Integer(allow_none=True)
    reason = fields.String()


class VerificationResponseSchema(Schema):
    """The result of re-reading a stream and checking its hash chain."""

    nomination_id = fields.String()
    valid = fields.Boolean()
    events = fields.Integer()
    head_hash = fields.String(metadata={"description": "SHA-256 of the last applied event; anchor it elsewhere"})
    problems = fields.List(fields.Nested(ChainProblemSchema))
    anchored = fields.Boolean(metadata={"description": "checked against the transparency log's signed heads"})
    vouched = fields.Integer(metadata={"description": "applied events a signed head covers, unchanged since"})
    unsigned = fields.Integer(metadata={"description": "applied events newer than the latest signed head"})
