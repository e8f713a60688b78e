"""The public side: clues (no account), the reporter's follow-up with the receipt, the categories,
the units' commitments and the board. Nothing here stores or logs an address or a receipt."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView

from services.supervision.access import actor_of, book, cases, optional_principal
from services.supervision.limits import limit
from services.supervision.schemas import (
    BoardResponseSchema,
    CategoryListResponseSchema,
    ClueReceiptResponseSchema,
    ClueRequestSchema,
    CommitmentListResponseSchema,
    CommitmentRequestSchema,
    CommitmentResponseSchema,
    MessageAcceptedResponseSchema,
    MessageRequestSchema,
    ReporterViewResponseSchema,
)
from shared.application.cases.board import board
from shared.application.cases.reporting import PUBLIC, Clue
from shared.application.cases.views import reporter_view
from shared.application.paging import page
from shared.domain.supervision.commands import PublishCommitment
from shared.domain.supervision.state import HOTLINE_ROLE, Commitment
from shared.web.auth import principal
from shared.web.hygiene import request_id
from shared.web.paging import PageQuerySchema
from shared.web.parsing import Blueprint
from shared.web.views import ErrorResponseSchema, opener

RECEIPT_HEADER = {
    "in": "header",
    "name": "X-Receipt",
    "required": True,
    "schema": {"type": "string", "maxLength": 40},
    "description": "The 16-digit receipt given when the clue was filed (spaces or dashes between groups allowed).",
}
clues = Blueprint("clues", __name__, url_prefix="/api/v1/clues", description="Clues from the public, and follow-up")
commitments = Blueprint("commitments", __name__, url_prefix="/api/v1/commitments", description="Units' commitments")
boards = Blueprint("board", __name__, url_prefix="/api/v1/board", description="The public board (aggregates)")


def _receipt() -> str:
    return request.headers.get("X-Receipt", "")


@clues.route("")
class Clues(MethodView):
    @clues.arguments(ClueRequestSchema)
    @clues.response(201, ClueReceiptResponseSchema)
    @clues.alt_response(422, schema=ErrorResponseSchema)
    @clues.alt_response(429, schema=ErrorResponseSchema)
    def post(self, body: dict[str, Any]) -> dict[str, str]:
        """File a clue (no account needed); with a hotline operator's token the channel is hotline.
        The receipt is shown this once: keep it to follow the case."""
        who = optional_principal()
        actor = actor_of(who) if who is not None and who.role == HOTLINE_ROLE else PUBLIC  # nobody else is named
        limit("clue")
        clue = Clue(
            body["kind"],
            body.get("category"),
            body["subject"],
            body["description"],
            body["anonymous"],
            body.get("reporter"),
        )
        case, receipt = cases().reporting.receive(clue, actor, request_id())
        return {"case_id": case.case_id, "receipt": receipt}


@clues.route("/categories")
class Categories(MethodView):
    @clues.response(200, CategoryListResponseSchema)
    def get(self) -> dict[str, Any]:
        """The configured categories of clues, by kind."""
        items = [vars(c) for c in cases().commands.config.categories]
        return {"items": items}


@clues.route("/status")
class Status(MethodView):
    @clues.doc(parameters=[RECEIPT_HEADER])
    @clues.response(200, ReporterViewResponseSchema)
    @clues.alt_response(404, schema=ErrorResponseSchema)
    def get(self) -> dict[str, Any]:
        """Where the case of a receipt stands: status, public notes and the messages."""
        limit("receipt")
        return reporter_view(cases().reporting.with_receipt(_receipt()), opener())


@clues.route("/messages")
class Messages(MethodView):
    @clues.doc(parameters=[RECEIPT_HEADER])
    @clues.arguments(MessageRequestSchema)
    @clues.response(201, MessageAcceptedResponseSchema)
    @clues.alt_response(404, schema=ErrorResponseSchema)
    def post(self, body: dict[str, str]) -> dict[str, str]:
        """The reporter writes to the officers (with the receipt)."""
        limit("receipt")
        case = cases().reporting.write(_receipt(), body["text"], request_id())
        return {"case_id": case.case_id, "status": case.status}


def commitment_view(commitment: Commitment) -> dict[str, str]:
    return {
        "unit": commitment.unit,
        "text": commitment.text,
        "supervision_phone": commitment.supervision_phone,
        "published_at": commitment.published_at.isoformat(),
    }


@commitments.route("")
class Commitments(MethodView):
    @commitments.arguments(PageQuerySchema, location="query")
    @commitments.response(200, CommitmentListResponseSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Every unit's commitment not to lie flat, with its supervision phone (public)."""
        shown = list(book().commitments.values())
        items, cursor = page(shown, lambda c: (c.unit,), query["limit"], query.get("cursor"))
        return {"items": [commitment_view(c) for c in items], "next_cursor": cursor}


@commitments.route("/<unit>")
class UnitCommitment(MethodView):
    @commitments.arguments(CommitmentRequestSchema)
    @commitments.response(200, CommitmentResponseSchema)
    @commitments.alt_response(403, schema=ErrorResponseSchema)
    def put(self, body: dict[str, str], unit: str) -> dict[str, str]:
        """Publish (or replace) the unit's commitment: that unit's reviewer only."""
        who = principal()
        limit("case", who)
        command = PublishCommitment(unit=unit, text=body["text"], supervision_phone=body["supervision_phone"])
        return commitment_view(cases().commands.publish(command, actor_of(who), request_id()))


@boards.route("")
class Board(MethodView):
    @boards.response(200, BoardResponseSchema)
    def get(self) -> dict[str, Any]:
        """How clues fare, by category and unit: counts only, cells under 3 cases left out."""
        titles = {c.id: c.title for c in cases().commands.config.categories}
        return board(book().all(), titles)
