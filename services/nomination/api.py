"""The cadre-facing endpoints: thin views that parse, build a command, execute and serialise."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from flask import current_app, request, url_for
from flask.views import MethodView

from services.nomination.schemas import (
    AsOfQuerySchema,
    DirectNominationRequestSchema,
    ReviseNominationRequestSchema,
    SubmitNominationRequestSchema,
    WithdrawalRequestSchema,
)
from shared.application.nominations.book import NominationBook, submission_key
from shared.application.nominations.caps import check_open_cap
from shared.application.nominations.commands import NominationCommands
from shared.application.nominations.lookup import find_nomination
from shared.application.nominations.verify import verify_stream
from shared.application.paging import page
from shared.domain.workflow.commands import (
    ProposeNomination,
    ReviseNomination,
    SubmitNomination,
    WithdrawNomination,
)
from shared.domain.workflow.errors import Conflict
from shared.domain.workflow.state import Actor, Nomination, Person
from shared.web.auth import Principal, principal, require_role
from shared.web.errors import ApiError, not_found
from shared.web.hygiene import request_id
from shared.web.paging import PageQuerySchema
from shared.web.parsing import Blueprint
from shared.web.ratelimit import rate_limit
from shared.web.views import (
    ErrorResponseSchema,
    EventListResponseSchema,
    NominationListResponseSchema,
    NominationResponseSchema,
    VerificationResponseSchema,
    logged_view,
    nomination_view,
)

IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "Retrying with the same key returns the nomination the first request made, never a second one.",
}
SUBMISSIONS = uuid.UUID("6f1d9a52-3b8e-4c61-9a0f-2d7c5e4b8a13")
blp = Blueprint(
    "nominations", __name__, url_prefix="/api/v1/nominations", description="Self-nominations, as the cadre sees them"
)


def _book() -> NominationBook:
    return current_app.extensions["book"]


def _commands() -> NominationCommands:
    return current_app.extensions["commands"]


def actor_of(who: Principal) -> Actor:
    return Actor(id=who.id, role=who.role, unit=who.unit or None, name=who.name)


def readable(nomination_id: str) -> Nomination:
    """The nomination if the caller may read it: its cadre, who proposed it directly, or an admin."""
    who = principal()
    nomination = find_nomination(_book(), current_app.extensions["follower"], nomination_id)
    if who.role != "admin" and who.id not in (nomination.cadre.id, nomination.proposer):
        raise ApiError(403, "forbidden", "only its cadre, who proposed it, or an admin may read it")
    return nomination


def owned(nomination_id: str) -> Nomination:
    """The nomination if the caller is its cadre (only they revise or withdraw it)."""
    nomination = readable(nomination_id)
    if nomination.cadre.id != principal().id:
        raise ApiError(403, "forbidden", "only the cadre who submitted it may change it")
    return nomination


@blp.route("")
class Nominations(MethodView):
    @blp.arguments(SubmitNominationRequestSchema)
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @blp.shaped_response(201, NominationResponseSchema)
    @blp.alt_response(422, schema=ErrorResponseSchema)
    def post(self, body: dict):
        """Submit a self-nomination (cadres only); the first review step opens at once."""
        who = principal()
        require_role(who, "cadre")
        rate_limit("submission")
        nomination_id = submission_id(who.id, request.headers.get("Idempotency-Key"))
        command = SubmitNomination(nomination_id=nomination_id, cadre=Person(who.id, who.name, who.unit), **body)
        nomination = _submit_once(command, who)
        location = url_for("nominations.NominationItem", nomination_id=nomination_id)
        return nomination_view(nomination), 201, {"Location": location}

    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, NominationListResponseSchema)
    def get(self, query: dict):
        """The caller's own nominations, newest first (cursor-paged)."""
        shown, next_cursor = page(
            _book().of_cadre(principal().id), submission_key, query["limit"], query.get("cursor"), newest_first=True
        )
        return {"items": [nomination_view(n) for n in shown], "count": len(shown), "next_cursor": next_cursor}


@blp.route("/direct")
class DirectNominations(MethodView):
    @blp.arguments(DirectNominationRequestSchema)
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @blp.response(201, NominationResponseSchema)
    @blp.alt_response(422, schema=ErrorResponseSchema)
    def post(self, body: dict):
        """Put an outstanding cadre forward directly (organization department only; never oneself):
        the route `direct` (the Party secretary), then public notice as for any nomination."""
        who = principal()
        require_role(who, "org_reviewer")
        rate_limit("submission")
        nomination_id = submission_id(who.id, request.headers.get("Idempotency-Key"))
        command = ProposeNomination(
            nomination_id, Person(**body["cadre"]), body["target_position"], body["justification"]
        )
        nomination = _submit_once(command, who)
        location = url_for("nominations.NominationItem", nomination_id=nomination_id)
        return nomination_view(nomination), 201, {"Location": location}


@blp.route("/<nomination_id>")
class NominationItem(MethodView):
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.shaped_response(200, NominationResponseSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def get(self, query: dict, nomination_id: str):
        """One nomination; `?as_of=` shows it as it stood at that time."""
        nomination = readable(nomination_id)
        if "as_of" in query:
            nomination = _book().as_of(nomination_id, query["as_of"])
            if nomination is None:
                raise not_found("nomination at that time")
        return nomination_view(nomination)


@blp.route("/<nomination_id>/events")
class NominationEvents(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, EventListResponseSchema)
    def get(self, query: dict, nomination_id: str):
        """The nomination's stream in log order: the audit trail (void events marked; cursor-paged)."""
        cadre_id = readable(nomination_id).cadre.id
        entries = list(enumerate(_book().events(nomination_id)))  # the trail only grows at its end
        shown, next_cursor = page(entries, lambda entry: (entry[0],), query["limit"], query.get("cursor"))
        items = [logged_view(e, cadre_id) for _, e in shown]
        return {"items": items, "count": len(shown), "next_cursor": next_cursor}


@blp.route("/<nomination_id>/verify")
class Verification(MethodView):
    @blp.response(200, VerificationResponseSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def get(self, nomination_id: str):
        """Re-read the stream from the log, check its hash chain, and anchor it to the signed tree heads."""
        readable(nomination_id)
        extensions = current_app.extensions
        verdict = verify_stream(
            extensions["runtime"].log, _book().events(nomination_id), extensions.get("transparency")
        )
        return {"nomination_id": nomination_id, **asdict(verdict)}


@blp.route("/<nomination_id>/revision")
class Revision(MethodView):
    @blp.arguments(ReviseNominationRequestSchema)
    @blp.response(200, NominationResponseSchema)
    @blp.alt_response(409, schema=ErrorResponseSchema)
    def post(self, body: dict, nomination_id: str):
        """Revise a returned nomination; the same review step re-opens."""
        owned(nomination_id)
        nomination = _commands().execute(
            nomination_id, ReviseNomination(changes=body), actor_of(principal()), request_id()
        )
        return nomination_view(nomination)


@blp.route("/<nomination_id>/withdrawal")
class Withdrawal(MethodView):
    @blp.arguments(WithdrawalRequestSchema)
    @blp.response(200, NominationResponseSchema)
    @blp.alt_response(409, schema=ErrorResponseSchema)
    def post(self, body: dict, nomination_id: str):
        """Withdraw the nomination (while in review or returned)."""
        owned(nomination_id)
        nomination = _commands().execute(
            nomination_id, WithdrawNomination(reason=body["reason"]), actor_of(principal()), request_id()
        )
        return nomination_view(nomination)


def _submit_once(command: SubmitNomination | ProposeNomination, who: Principal) -> Nomination:
    """Submit, or return the nomination a previous request with the same Idempotency-Key made."""
    earlier = _book().get(command.nomination_id)
    if earlier is not None and _made_by(earlier, who):
        return earlier
    cap = current_app.config["CADREFLOW_CONFIG"].max_open_nominations
    # the cap is the nominee's: a proposal counts the proposed cadre's open nominations, not the proposer's
    check_open_cap(_book(), current_app.extensions["follower"], command.cadre.id, cap)
    try:
        return _commands().execute(command.nomination_id, command, actor_of(who), request_id())
    except Conflict:
        earlier = _book().get(command.nomination_id)
        if earlier is not None and _made_by(earlier, who):  # a concurrent retry won the race
            return earlier
        raise


def _made_by(nomination: Nomination, who: Principal) -> bool:
    """True when `who` submitted the nomination: its cadre, or the org reviewer who proposed it."""
    return (nomination.proposer or nomination.cadre.id) == who.id


def submission_id(cadre_id: str, idempotency_key: str | None) -> str:
    """A fresh id, or one derived from the client's Idempotency-Key so a retry cannot submit twice."""
    if not idempotency_key:
        return uuid.uuid4().hex
    return uuid.uuid5(SUBMISSIONS, f"{cadre_id}\n{idempotency_key[:200]}").hex
