"""The cadre-facing endpoints: thin views that parse, build a command, execute and serialise."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from flask import current_app, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from services.nomination.schemas import (
    AsOfQuerySchema,
    ReviseNominationRequestSchema,
    SubmitNominationRequestSchema,
    WithdrawalRequestSchema,
)
from shared.auth import Principal, require_role
from shared.errors import ApiError, not_found
from shared.http import principal
from shared.nominations.book import NominationBook
from shared.nominations.commands import NominationCommands
from shared.nominations.verify import verify_stream
from shared.nominations.views import (
    ErrorResponseSchema,
    EventListResponseSchema,
    NominationListResponseSchema,
    NominationResponseSchema,
    VerificationResponseSchema,
    logged_view,
    nomination_view,
)
from shared.workflow.commands import ReviseNomination, SubmitNomination, WithdrawNomination
from shared.workflow.state import Actor, Nomination, Person

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
    """The nomination if the caller may read it: its cadre, or an admin."""
    who = principal()
    nomination = _book().get(nomination_id)
    if nomination is None:
        raise not_found("nomination")
    if who.role != "admin" and nomination.cadre.id != who.id:
        raise ApiError(403, "forbidden", "only the cadre who submitted it (or an admin) may read it")
    return nomination


@blp.route("")
class Nominations(MethodView):
    @blp.arguments(SubmitNominationRequestSchema)
    @blp.response(201, NominationResponseSchema)
    @blp.alt_response(422, schema=ErrorResponseSchema)
    def post(self, body: dict):
        """Submit a self-nomination (cadres only); the first review step opens at once."""
        who = principal()
        require_role(who, "cadre")
        nomination_id = uuid.uuid4().hex
        command = SubmitNomination(nomination_id=nomination_id, cadre=Person(who.id, who.name, who.unit), **body)
        nomination = _commands().execute(nomination_id, command, actor_of(who), _correlation())
        location = url_for("nominations.NominationItem", nomination_id=nomination_id)
        return nomination_view(nomination), 201, {"Location": location}

    @blp.response(200, NominationListResponseSchema)
    def get(self):
        """The caller's own nominations, newest first."""
        items = [nomination_view(n) for n in _book().of_cadre(principal().id)]
        return {"items": items, "count": len(items)}


@blp.route("/<nomination_id>")
class NominationItem(MethodView):
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, NominationResponseSchema)
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
    @blp.response(200, EventListResponseSchema)
    def get(self, nomination_id: str):
        """The nomination's stream in log order: the audit trail (void events marked)."""
        readable(nomination_id)
        items = [logged_view(entry) for entry in _book().events(nomination_id)]
        return {"items": items, "count": len(items)}


@blp.route("/<nomination_id>/verify")
class Verification(MethodView):
    @blp.response(200, VerificationResponseSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def get(self, nomination_id: str):
        """Re-read the stream from the log and check its hash chain (tamper evidence)."""
        readable(nomination_id)
        verdict = verify_stream(current_app.extensions["runtime"].log, _book().events(nomination_id))
        return {"nomination_id": nomination_id, **asdict(verdict)}


@blp.route("/<nomination_id>/revision")
class Revision(MethodView):
    @blp.arguments(ReviseNominationRequestSchema)
    @blp.response(200, NominationResponseSchema)
    @blp.alt_response(409, schema=ErrorResponseSchema)
    def post(self, body: dict, nomination_id: str):
        """Revise a returned nomination; the same review step re-opens."""
        readable(nomination_id)
        nomination = _commands().execute(
            nomination_id, ReviseNomination(changes=body), actor_of(principal()), _correlation()
        )
        return nomination_view(nomination)


@blp.route("/<nomination_id>/withdrawal")
class Withdrawal(MethodView):
    @blp.arguments(WithdrawalRequestSchema)
    @blp.response(200, NominationResponseSchema)
    @blp.alt_response(409, schema=ErrorResponseSchema)
    def post(self, body: dict, nomination_id: str):
        """Withdraw the nomination (while in review or returned)."""
        readable(nomination_id)
        nomination = _commands().execute(
            nomination_id, WithdrawNomination(reason=body["reason"]), actor_of(principal()), _correlation()
        )
        return nomination_view(nomination)


def _correlation() -> str:
    return request.headers.get("X-Request-Id") or uuid.uuid4().hex
