"""STAND-IN for the supervision service's contract (topic `cadreflow.cases`), until it lands.

Only the three events the public notice folds, as tolerant subsets of the supervision branch's
payload schemas, so every process of this tree can decode them: an objection is `ClueReceived`
with `kind=objection` and `subject.nomination_id`; it is settled by `CaseDismissed` or
`FindingRecorded` (both repeat `kind` and `nomination_id`); a finding `substantiated` or `partly`
blocks the appointment. MERGE NOTE: the supervision branch's `shared/contracts/supervision.py`
replaces this file whole (it registers these three with their full schemas, and the rest).
"""

from __future__ import annotations

from marshmallow import fields

from shared.contracts.base import TolerantSchema, register_v1
from shared.contracts.topics import CASES

TOPIC = CASES


class ClueReceivedV1Schema(TolerantSchema):
    """A clue came in; for an objection, `subject` is `{nomination_id}`."""

    case_id = fields.String(required=True)
    kind = fields.String(required=True)
    subject = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class CaseDismissedV1Schema(TolerantSchema):
    """An officer dismissed the clue (terminal)."""

    kind = fields.String(required=True)
    nomination_id = fields.String()


class FindingRecordedV1Schema(TolerantSchema):
    """The investigation's finding: `result` substantiated | partly | unsubstantiated."""

    kind = fields.String(required=True)
    nomination_id = fields.String()
    result = fields.String(required=True)


SCHEMAS = {
    "ClueReceived": ClueReceivedV1Schema,
    "CaseDismissed": CaseDismissedV1Schema,
    "FindingRecorded": FindingRecordedV1Schema,
}
register_v1(SCHEMAS)
