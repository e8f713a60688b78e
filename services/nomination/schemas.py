"""HTTP request schemas of the nomination service (strict: unknown fields are an error)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.domain.workflow.routes import CHANNELS

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
