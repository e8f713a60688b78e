"""HTTP request schemas of the review service (strict)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.domain.workflow.routes import STAGES
from shared.domain.workflow.state import DECISIONS


class DecisionRequestSchema(Schema):
    """A reviewer's decision on the active step. `stage` (and optionally `step`) guard stale screens."""

    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    comment = fields.String(load_default="", validate=validate.Length(max=2000))
    step = fields.Integer(
        validate=validate.Range(min=0, max=100), metadata={"description": "route index of the step decided (optional)"}
    )


class OverdueScanResponseSchema(Schema):
    flagged = fields.Integer()
    checked = fields.Integer()
