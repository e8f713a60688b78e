"""HTTP request schemas of the nomination service (strict: unknown fields are an error)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.domain.workflow.routes import CHANNELS
from shared.web.views import REDACTED_FLAG, PositionSchema, personal

TITLE = validate.Length(min=1, max=200)
TEXT = validate.Length(min=1, max=5000)


class TargetPositionSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    organization = fields.String(required=True, validate=TITLE)


class AchievementInputSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    description = fields.String(load_default="", validate=validate.Length(max=2000))


class SubmitNominationRequestSchema(Schema):
    """A self-nomination: the post sought, strengths, concrete achievements and a commitment.

    There is deliberately no field for age, years of service, academic degree or rank.
    """

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    target_position = fields.Nested(TargetPositionSchema, required=True)
    statement = fields.String(required=True, validate=TEXT)
    achievements = fields.List(
        fields.Nested(AchievementInputSchema), required=True, validate=validate.Length(min=1, max=20)
    )
    commitment = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ReviseNominationRequestSchema(Schema):
    """The fields to change in a returned nomination (at least one)."""

    target_position = fields.Nested(TargetPositionSchema)
    statement = fields.String(validate=TEXT)
    achievements = fields.List(fields.Nested(AchievementInputSchema), validate=validate.Length(min=1, max=20))
    commitment = fields.String(validate=validate.Length(min=1, max=2000))

    @validates_schema
    def require_a_change(self, data: dict, **_: object) -> None:
        if not data:
            raise ValidationError("give at least one field to change", "_schema")


class WithdrawalRequestSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=1000))


class AsOfQuerySchema(Schema):
    as_of = fields.AwareDateTime(metadata={"description": "show the nomination as it stood at this time"})


class CadreInputSchema(Schema):
    id = fields.String(required=True, validate=TITLE, metadata={"description": "the `sub` of the cadre's tokens"})
    name = fields.String(required=True, validate=TITLE)
    unit = fields.String(required=True, validate=TITLE)


class DirectNominationRequestSchema(Schema):
    """The organization department puts an outstanding cadre forward directly (Huzhou): the
    cadre, the post, and why. Seniority, age, degree and rank are deliberately not asked."""

    cadre = fields.Nested(CadreInputSchema, required=True)
    target_position = fields.Nested(TargetPositionSchema, required=True)
    justification = fields.String(required=True, validate=TEXT)


class NoticeCadreSchema(Schema):
    """The cadre on notice: the name and unit the public sees (never the person id)."""

    name = personal()
    unit = fields.String()


class NoticeResponseSchema(Schema):
    """One nomination on public notice: who, for which post, and the window. Nothing else."""

    nomination_id = fields.String(metadata={"description": "quote it as subject.nomination_id to object"})
    cadre = fields.Nested(NoticeCadreSchema)
    target_position = fields.Nested(PositionSchema)
    notice_starts_at = fields.String()
    notice_ends_at = fields.String()
    redacted = fields.Boolean(metadata={"description": REDACTED_FLAG})


class NoticeListResponseSchema(Schema):
    items = fields.List(fields.Nested(NoticeResponseSchema))
    next_cursor = fields.String(allow_none=True)


class NoticeScanResponseSchema(Schema):
    appointed = fields.Integer()
    rejected = fields.Integer()
    held = fields.Integer()
    checked = fields.Integer()
