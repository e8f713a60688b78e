"""The officers' side: the queue of their scope, a case, the actions of the closed loop, and the
custodian's access to a named reporter's identity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView

from services.supervision.access import CASE_READERS, actor_of, book, cases, sees, visible_case
from services.supervision.limits import limit
from services.supervision.schemas import (
    ActionRequestSchema,
    CaseListQuerySchema,
    CaseListResponseSchema,
    CaseResponseSchema,
    IdentityRequestSchema,
    IdentityResponseSchema,
)
from shared.application.cases.views import officer_view, summary_view
from shared.application.paging import page
from shared.domain.supervision.commands import (
    AcceptCase,
    CompleteEducation,
    DismissCase,
    EvaluateRectification,
    MessageReporter,
    OrderRectification,
    RecordFinding,
    ReportRectification,
)
from shared.domain.supervision.state import CUSTODIAN_ROLE, Case
from shared.web.auth import principal, require_role
from shared.web.hygiene import request_id
from shared.web.parsing import Blueprint
from shared.web.views import ErrorResponseSchema, opener

blp = Blueprint("cases", __name__, url_prefix="/api/v1/cases", description="Supervision cases, for officers")
FILTERS = ("status", "kind", "category", "unit")

COMMANDS: dict[str, Callable[[dict[str, Any]], object]] = {
    "accept": lambda b: AcceptCase(cadre_id=b.get("cadre_id")),
    "dismiss": lambda b: DismissCase(reason=b["reason"]),
    "finding": lambda b: RecordFinding(
        result=b["result"],
        summary=b["summary"],
        outcome=b.get("outcome", "none"),
        circular=b.get("circular"),
        education=b.get("education"),
    ),
    "order": lambda b: OrderRectification(unit=b["unit"], due_days=b["due_days"], requirement=b["requirement"]),
    "report": lambda b: ReportRectification(what_was_done=b["what_was_done"]),
    "evaluate": lambda b: EvaluateRectification(
        effective=b["effective"], note=b.get("note", ""), due_days=b.get("due_days"), requirement=b.get("requirement")
    ),
    "message": lambda b: MessageReporter(text=b["text"]),
    "education_done": lambda b: CompleteEducation(note=b.get("note", "")),
}
"""Each action of the API as the domain's command (the schema has checked the fields)."""


def _matches(case: Case, query: dict[str, Any]) -> bool:
    return all(query.get(name) in (None, getattr(case, name)) for name in FILTERS)


@blp.route("")
class Cases(MethodView):
    @blp.arguments(CaseListQuerySchema, location="query")
    @blp.response(200, CaseListResponseSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The cases of the caller's scope, newest first, filtered by status, kind, category, unit."""
        who = principal()
        require_role(who, *CASE_READERS)
        found = [c for c in book().all() if sees(who, c) and _matches(c, query)]
        key = lambda c: (c.received_at.isoformat(), c.case_id)  # noqa: E731
        items, cursor = page(found, key, query["limit"], query.get("cursor"), newest_first=True)
        return {"items": [summary_view(c) for c in items], "next_cursor": cursor}


@blp.route("/<case_id>")
class CaseView(MethodView):
    @blp.response(200, CaseResponseSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def get(self, case_id: str) -> dict[str, Any]:
        """One case, with its loop, findings, rounds, messages and history (never the reporter)."""
        return officer_view(visible_case(principal(), case_id), opener())


@blp.route("/<case_id>/actions")
class Actions(MethodView):
    @blp.arguments(ActionRequestSchema)
    @blp.response(200, CaseResponseSchema)
    @blp.alt_response(409, schema=ErrorResponseSchema)
    def post(self, body: dict[str, Any], case_id: str) -> dict[str, Any]:
        """One step of the loop; 409 when it does not fit the status, 403 out of scope or role."""
        who = principal()
        visible_case(who, case_id)
        limit("case", who)
        command = COMMANDS[body["action"]](body)
        case = cases().commands.execute(case_id, command, actor_of(who), request_id())
        return officer_view(case, opener())


@blp.route("/<case_id>/identity")
class Identity(MethodView):
    @blp.arguments(IdentityRequestSchema)
    @blp.response(200, IdentityResponseSchema)
    @blp.alt_response(403, schema=ErrorResponseSchema)
    def post(self, body: dict[str, str], case_id: str) -> dict[str, Any]:
        """A custodian opens the named reporter's identity; the access is recorded first, with the reason."""
        who = principal()
        require_role(who, CUSTODIAN_ROLE)
        visible_case(who, case_id)
        limit("case", who)
        reporter = cases().reporting.reveal(case_id, body["reason"], actor_of(who), request_id())
        case = book().get(case_id)
        accessed = case.accesses[-1].at.isoformat() if case and case.accesses else None
        return {"case_id": case_id, "reporter": reporter, "accessed_at": accessed}
