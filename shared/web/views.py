"""The nomination view the APIs return, and its OpenAPI schema (shared by nomination and review).

Personal texts are opened here, for the view only (`shared.application.personal`): what can no
longer be opened (the person was erased) is null, and the view says `"redacted": true`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from flask import current_app, g
from marshmallow import Schema, fields

from shared.application.erasure import People
from shared.application.nominations.trail import Logged
from shared.application.personal import NOMINATION_TEXTS, Opener, Reading, person_key_id
from shared.domain.workflow.state import Nomination, Step
from shared.events.codec import to_dict
from shared.transparency.leaves import log_id
from shared.web.openapi import ErrorResponseSchema  # noqa: F401 - the views' error schema, re-exported
from shared.web.paging import PageSchema


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def opener() -> Opener:
    """The opener of this process's personal texts, for the current request (its views share
    the keys they ask for)."""
    if "opener" not in g:
        people: People = current_app.extensions["people"]
        g.opener = people.opener.remembering()
    found: Opener = g.opener
    return found


def reading_of(n: Nomination) -> Reading:
    """The texts of a nomination, opened for one view (its clear texts are the cadre's)."""
    return opener().reading(n.nomination_id, person_key_id(n.cadre.id))


def step_view(step: Step, texts: Reading) -> dict[str, Any]:
    return {
        "step": step.index,
        "stage": step.stage,
        "opened_at": _time(step.opened_at),
        "due_at": _time(step.due_at),
        "decision": step.decision,
        "reviewer": step.reviewer,
        "comment": texts.text(step.comment, "comment"),
        "decided_at": _time(step.decided_at),
        "overdue_at": _time(step.overdue_at),
    }


def nomination_view(n: Nomination) -> dict[str, Any]:
    """The JSON view of a nomination, its personal texts opened (null where redacted)."""
    content = orjson.loads(n.content)  # the domain's compact JSON, read by the faster reader
    texts = reading_of(n)
    achievements = [
        {"title": texts.text(a["title"], "title"), "description": texts.text(a.get("description", ""), "description")}
        for a in content["achievements"]
    ]
    view = {
        "nomination_id": n.nomination_id,
        "cadre": {"id": n.cadre.id, "name": texts.text(n.cadre.name, "name"), "unit": n.cadre.unit},
        "channel": n.channel,
        "target_position": content["target_position"],
        "statement": texts.text(content["statement"], "statement"),
        "achievements": achievements,
        "commitment": texts.text(content["commitment"], "commitment"),
        "status": n.status,
        "stage": n.stage,
        "route": list(n.route),
        "step": n.step,
        "overdue": n.overdue,
        "due_at": _time(n.active_step.due_at) if n.active_step else None,
        "history": [step_view(s, texts) for s in n.history],
        "withdrawal_reason": texts.text(n.withdrawal_reason, "reason"),
        "notice_ends_at": _time(n.notice_ends_at),
        "appointed_at": _time(n.appointed_at),
        "objection_case": n.objection_case,
        "justification": texts.text(content.get("justification"), "justification"),
        "proposer": n.proposer,
        "version": n.version,
        "submitted_at": _time(n.submitted_at),
        "updated_at": _time(n.updated_at),
    }
    view["redacted"] = texts.redacted
    return view


def logged_view(logged: Logged, cadre_id: str) -> dict[str, Any]:
    """One audit-trail entry: the envelope (its personal texts opened, null where redacted),
    whether the log order applied it, and where it is stored (the log id and offset an inclusion
    proof of the transparency log asks for). The stored form is the log's, sealed: `/verify`."""
    event = logged.event
    position = event.position
    where = {"log_id": log_id(position[0], position[1]), "offset": position[2]} if position else None
    texts = opener().reading(event.stream_id, person_key_id(cadre_id))
    proposer = (event.payload.get("proposer") or {}).get("id")
    owners = {"proposer": person_key_id(proposer)} if proposer else None
    payload = texts.payload(NOMINATION_TEXTS.get(event.type, ()), event.payload, owners)
    entry = {**to_dict(event), "payload": payload, "outcome": logged.outcome.value, "stored_at": where}
    entry["redacted"] = texts.redacted
    return entry


REDACTED_NOTE = "null when redacted: the person it is about was erased (then `redacted` is true)"
REDACTED_FLAG = "true when a personal text of this item was redacted (null) because its person was erased"


def personal(what: str = "") -> fields.String:
    """A personal text in a view: null once redacted."""
    description = f"{what}; {REDACTED_NOTE}" if what else REDACTED_NOTE
    return fields.String(allow_none=True, metadata={"description": description})


class PersonSchema(Schema):
    id = fields.String()
    name = personal()
    unit = fields.String()


class PositionSchema(Schema):
    title = fields.String()
    organization = fields.String()


class AchievementSchema(Schema):
    title = personal()
    description = personal()


class StepSchema(Schema):
    step = fields.Integer()
    stage = fields.String()
    opened_at = fields.String()
    due_at = fields.String()
    decision = fields.String(allow_none=True)
    reviewer = fields.String(allow_none=True)
    comment = personal()
    decided_at = fields.String(allow_none=True)
    overdue_at = fields.String(allow_none=True)


class NominationResponseSchema(Schema):
    """A nomination as the cadre and the reviewers see it."""

    nomination_id = fields.String()
    cadre = fields.Nested(PersonSchema)
    channel = fields.String()
    target_position = fields.Nested(PositionSchema)
    statement = personal()
    achievements = fields.List(fields.Nested(AchievementSchema))
    commitment = personal()
    status = fields.String()
    stage = fields.String(allow_none=True)
    route = fields.List(fields.String())
    step = fields.Integer()
    overdue = fields.Boolean()
    due_at = fields.String(allow_none=True)
    history = fields.List(fields.Nested(StepSchema))
    withdrawal_reason = personal()
    notice_ends_at = fields.String(allow_none=True, metadata={"description": "end of the public notice window"})
    appointed_at = fields.String(allow_none=True, metadata={"description": "when the appointment was recorded"})
    objection_case = fields.String(allow_none=True, metadata={"description": "the upheld objection that rejected it"})
    justification = personal("why it was proposed directly")
    proposer = fields.String(allow_none=True, metadata={"description": "the org reviewer who proposed it directly"})
    version = fields.Integer()
    submitted_at = fields.String()
    updated_at = fields.String()
    redacted = fields.Boolean(metadata={"description": REDACTED_FLAG})


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
    payload = fields.Dict(metadata={"description": "personal texts opened; " + REDACTED_NOTE})
    prev_hash = fields.String(metadata={"description": "SHA-256 of the stream's previous applied event"})
    outcome = fields.String()
    stored_at = fields.Nested(StoredAtSchema, allow_none=True)
    redacted = fields.Boolean(metadata={"description": REDACTED_FLAG})


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
