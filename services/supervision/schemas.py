"""HTTP schemas of the supervision service: requests strict (unknown fields are 422), responses
documented for the OpenAPI description. Lengths come from the domain's `TEXT_LIMITS`."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.domain.supervision.categories import KINDS
from shared.domain.supervision.commitments import PHONE as PHONE_NUMBER
from shared.domain.supervision.config import TEXT_LIMITS
from shared.domain.supervision.state import OUTCOMES, RESULTS, STATUSES
from shared.web.paging import PageQuerySchema
from shared.web.views import REDACTED_FLAG, personal

NAME = validate.Length(min=1, max=TEXT_LIMITS["name"])
TEXT = validate.Length(min=1, max=TEXT_LIMITS["text"])
OPTIONAL_TEXT = validate.Length(max=TEXT_LIMITS["text"])
PHONE = validate.And(
    validate.Length(min=3, max=TEXT_LIMITS["phone"]),
    validate.Regexp(
        f"^(?:{PHONE_NUMBER.pattern})$", error="must be a telephone number (digits, spaces, dashes, brackets, +)"
    ),
)


def _name(**kwargs: Any) -> fields.String:
    return fields.String(validate=NAME, **kwargs)


def _text(**kwargs: Any) -> fields.String:
    return fields.String(validate=TEXT, **kwargs)


# -- requests ---------------------------------------------------------------------------------
class SubjectSchema(Schema):
    """Whom or what the clue is about: `{name, unit, position?}` for a cadre, `{unit}` for a
    matter, `{nomination_id}` for an objection."""

    name = _name()
    unit = _name()
    position = fields.String(validate=validate.Length(max=TEXT_LIMITS["name"]))
    nomination_id = _name()


class ReporterSchema(Schema):
    """A named reporter: sealed with the case's own key; only a custodian can ever open it."""

    name = _name(required=True)
    phone = fields.String(required=True, validate=PHONE)


class ClueRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    category = _name(metadata={"description": "a category id of the kind; an objection may leave it out"})
    subject = fields.Nested(SubjectSchema, required=True)
    description = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_LIMITS["description"]))
    anonymous = fields.Boolean(required=True)
    reporter = fields.Nested(ReporterSchema, allow_none=True)


class MessageRequestSchema(Schema):
    text = _text(required=True)


class CircularSchema(Schema):
    units = fields.List(_name(), required=True, validate=validate.Length(min=1, max=50))
    text = _text(required=True)


class EducationSchema(Schema):
    units = fields.List(_name(), required=True, validate=validate.Length(min=1, max=50))
    requirement = _text(required=True)


ACTION_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "accept": ((), ("cadre_id",)),
    "dismiss": (("reason",), ()),
    "finding": (("result", "summary"), ("outcome", "circular", "education")),
    "order": (("unit", "due_days", "requirement"), ()),
    "report": (("what_was_done",), ()),
    "evaluate": (("effective",), ("note", "due_days", "requirement")),
    "message": (("text",), ()),
    "education_done": ((), ("note",)),
}
"""Each action's (required, optional) fields."""


class ActionRequestSchema(Schema):
    """One step of the loop: `action` and that action's fields (others are refused).

    accept {cadre_id?}; dismiss {reason}; finding {result, outcome?, summary, circular?,
    education?}; order {unit, due_days, requirement}; report {what_was_done}; evaluate
    {effective, note?, due_days?, requirement?}; message {text}; education_done {note?}.
    """

    action = fields.String(required=True, validate=validate.OneOf(tuple(ACTION_FIELDS)))
    cadre_id = _name(allow_none=True)
    reason = _text()
    result = fields.String(validate=validate.OneOf(RESULTS))
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    summary = _text()
    circular = fields.Nested(CircularSchema, allow_none=True)
    education = fields.Nested(EducationSchema, allow_none=True)
    unit = _name()
    due_days = fields.Integer(strict=True, validate=validate.Range(min=1, max=365))
    requirement = _text()
    what_was_done = _text()
    effective = fields.Boolean()
    note = fields.String(validate=OPTIONAL_TEXT)
    text = _text()

    @validates_schema
    def _fields_of_the_action(self, data: dict[str, Any], **kwargs: Any) -> None:
        required, optional = ACTION_FIELDS.get(data.get("action", ""), ((), ()))
        errors: dict[str, list[str]] = {}
        for name in required:
            if name not in data:
                errors[name] = [f"required for action {data['action']}"]
        for name in set(data) - {"action", *required, *optional}:
            errors[name] = [f"not a field of action {data.get('action')}"]
        if errors:
            raise ValidationError(errors)


class IdentityRequestSchema(Schema):
    reason = _text(required=True, metadata={"description": "why the identity is needed; recorded"})


class CommitmentRequestSchema(Schema):
    text = _text(required=True)
    supervision_phone = fields.String(required=True, validate=PHONE)


class CaseListQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String(validate=validate.OneOf(KINDS))
    category = _name()
    unit = _name()


# -- responses --------------------------------------------------------------------------------
class ClueReceiptResponseSchema(Schema):
    case_id = fields.String()
    receipt = fields.String(metadata={"description": "16 digits, shown this once and never stored in clear"})


class CategorySchema(Schema):
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    title_zh = fields.String()


class CategoryListResponseSchema(Schema):
    items = fields.List(fields.Nested(CategorySchema))


MessageSchema = Schema.from_dict(
    {
        "from": fields.String(metadata={"description": "officer | reporter"}),
        "text": personal(),
        "at": fields.String(),
    },
    name="MessageSchema",
)


class NoteSchema(Schema):
    at = fields.String()
    status = fields.String()
    reason = personal("a dismissal's reason")
    result = fields.String()


class ReporterViewResponseSchema(Schema):
    case_id = fields.String()
    kind = fields.String()
    category = fields.String()
    status = fields.String()
    received_at = fields.String()
    updated_at = fields.String()
    notes = fields.List(fields.Nested(NoteSchema))
    rectification_due_at = fields.String(allow_none=True)
    messages = fields.List(fields.Nested(MessageSchema))
    redacted = fields.Boolean(metadata={"description": REDACTED_FLAG})


class MessageAcceptedResponseSchema(Schema):
    case_id = fields.String()
    status = fields.String()


class FindingSchema(Schema):
    result = fields.String()
    outcome = fields.String()
    summary = personal()
    circular = fields.Nested(CircularSchema, allow_none=True)
    found_at = fields.String()
    found_by = fields.String()


class RoundSchema(Schema):
    round = fields.Integer()
    unit = fields.String()
    requirement = fields.String()
    due_days = fields.Integer()
    due_at = fields.String()
    ordered_at = fields.String()
    supervising_unit = fields.String()
    overdue_at = fields.String(allow_none=True)
    report = fields.String(allow_none=True)
    reported_at = fields.String(allow_none=True)
    effective = fields.Boolean(allow_none=True)
    evaluation_note = fields.String(allow_none=True)
    evaluated_at = fields.String(allow_none=True)


class AssignmentSchema(Schema):
    unit = fields.String()
    requirement = fields.String()
    done = fields.Boolean()
    done_at = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class ActorSchema(Schema):
    id = fields.String()
    role = fields.String()


class EntrySchema(Schema):
    event = fields.String()
    status = fields.String()
    at = fields.String()
    actor = fields.Nested(ActorSchema)


class CaseSummarySchema(Schema):
    case_id = fields.String()
    kind = fields.String()
    category = fields.String()
    status = fields.String()
    unit = fields.String()
    supervising_unit = fields.String()
    channel = fields.String()
    due_at = fields.String(allow_none=True)
    overdue = fields.Boolean()
    received_at = fields.String()
    updated_at = fields.String()


class CaseResponseSchema(CaseSummarySchema):
    subject = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True),
        metadata={"description": "`name`: " + REDACTED_FLAG},
    )
    description = personal()
    anonymous = fields.Boolean()
    cadre_id = fields.String(allow_none=True)
    dismissal_reason = personal()
    finding = fields.Nested(FindingSchema, allow_none=True)
    rounds = fields.List(fields.Nested(RoundSchema))
    education = fields.List(fields.Nested(AssignmentSchema))
    messages = fields.List(fields.Nested(MessageSchema))
    history = fields.List(fields.Nested(EntrySchema))
    version = fields.Integer()
    closed_at = fields.String(allow_none=True)
    redacted = fields.Boolean(metadata={"description": REDACTED_FLAG})


class CaseListResponseSchema(Schema):
    items = fields.List(fields.Nested(CaseSummarySchema))
    next_cursor = fields.String(allow_none=True)


class IdentityResponseSchema(Schema):
    case_id = fields.String()
    reporter = fields.Nested(ReporterSchema)
    accessed_at = fields.String()


class CommitmentResponseSchema(Schema):
    unit = fields.String()
    text = fields.String()
    supervision_phone = fields.String()
    published_at = fields.String()


class CommitmentListResponseSchema(Schema):
    items = fields.List(fields.Nested(CommitmentResponseSchema))
    next_cursor = fields.String(allow_none=True)


class BoardCellSchema(Schema):
    category = fields.String()
    category_title = fields.String()
    unit = fields.String()
    title = fields.String()
    received = fields.Integer()
    substantiated = fields.Integer()
    rectified = fields.Integer()
    reopened = fields.Integer()
    median_days_to_close = fields.Float(allow_none=True)


class BoardResponseSchema(Schema):
    items = fields.List(fields.Nested(BoardCellSchema))
    suppressed_cells = fields.Integer()
    min_cell = fields.Integer()
