"""Reviewer endpoints: the queue of their stage (and unit), a nomination, decisions."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from services.review.overdue import OverdueScanner
from services.review.schemas import DecisionRequestSchema, OverdueScanResponseSchema, ReviewResponseSchema
from shared.application.cases.links import CaseLinks
from shared.application.nominations.book import NominationBook
from shared.application.nominations.commands import NominationCommands
from shared.application.nominations.lookup import find_nomination
from shared.application.paging import page
from shared.domain.workflow.commands import DecideStage
from shared.domain.workflow.queue import queue_key
from shared.domain.workflow.state import Actor, Nomination
from shared.web.auth import Principal, principal, require_role
from shared.web.errors import ApiError
from shared.web.hygiene import request_id
from shared.web.paging import PageQuerySchema
from shared.web.parsing import Blueprint
from shared.web.ratelimit import rate_limit
from shared.web.views import (
    ErrorResponseSchema,
    NominationListResponseSchema,
    nomination_view,
)

REVIEWERS = ("unit_reviewer", "org_reviewer", "secretary")
blp = Blueprint("reviews", __name__, url_prefix="/api/v1/reviews", description="Review of nominations")


def _book() -> NominationBook:
    return current_app.extensions["book"]


def review_view(nomination: Nomination) -> dict:
    """The nomination view and `open_cases`: the cases linked to its cadre that are neither closed
    nor dismissed (id, category, status; never the reporter, the receipt or the description)."""
    links: CaseLinks = current_app.extensions["case_links"]
    return {**nomination_view(nomination), "open_cases": links.open_cases(nomination.cadre.id)}


def visible(who: Principal, nomination_id: str) -> Nomination:
    """The nomination if a reviewer (or admin) may see it: unit reviewers only their own unit."""
    require_role(who, *REVIEWERS, "admin")
    nomination = find_nomination(_book(), current_app.extensions["follower"], nomination_id)
    if who.role == "unit_reviewer" and nomination.cadre.unit != who.unit:
        raise ApiError(403, "forbidden", "unit reviewers only see nominations of their own unit")
    return nomination


@blp.route("/queue")
class Queue(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, NominationListResponseSchema)
    def get(self, query: dict):
        """Nominations waiting at the caller's stage (and unit), oldest due first (cursor-paged)."""
        who = principal()
        require_role(who, *REVIEWERS)
        shown, next_cursor = page(
            _book().queue(who.role, who.unit or None, who.id), queue_key, query["limit"], query.get("cursor")
        )
        return {"items": [nomination_view(n) for n in shown], "count": len(shown), "next_cursor": next_cursor}


@blp.route("/<nomination_id>")
class Review(MethodView):
    @blp.response(200, ReviewResponseSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def get(self, nomination_id: str):
        """One nomination, as reviewers see it, with the open supervision cases about its cadre."""
        return review_view(visible(principal(), nomination_id))


@blp.route("/<nomination_id>/decisions")
class Decisions(MethodView):
    @blp.arguments(DecisionRequestSchema)
    @blp.response(200, ReviewResponseSchema)
    @blp.alt_response(409, schema=ErrorResponseSchema)
    def post(self, body: dict, nomination_id: str):
        """Approve, return or reject the active step; 409 if it is not active or already decided."""
        who = principal()
        visible(who, nomination_id)
        rate_limit("decision")
        actor = Actor(id=who.id, role=who.role, unit=who.unit or None, name=who.name)
        commands: NominationCommands = current_app.extensions["commands"]
        nomination = commands.execute(nomination_id, DecideStage(**body), actor, request_id())
        return review_view(nomination)


@blp.route("/overdue-scan")
class OverdueScan(MethodView):
    @blp.response(200, OverdueScanResponseSchema)
    def post(self):
        """Run the deadline scanner now (admins; it also runs on a timer)."""
        require_role(principal(), "admin")
        scanner: OverdueScanner = current_app.extensions["scanner"]
        flagged, checked = scanner.scan()
        return {"flagged": flagged, "checked": checked}
