"""Public notice (公示): what is on notice, for everyone without an account; and the timer's pass."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC
from typing import Any

from flask import current_app
from flask.views import MethodView

from services.nomination.schemas import NoticeListResponseSchema, NoticeScanResponseSchema
from shared.application.nominations.book import NominationBook
from shared.application.nominations.notices import NoticeTimer
from shared.application.paging import page
from shared.domain.workflow.state import Nomination
from shared.web.auth import principal, require_role
from shared.web.paging import PageQuerySchema
from shared.web.parsing import Blueprint
from shared.web.views import reading_of

PUBLIC: list[dict[str, list[str]]] = []  # OpenAPI: no token needed
blp = Blueprint("notices", __name__, url_prefix="/api/v1/notices", description="Public notice before appointment")


def notice_view(n: Nomination) -> dict[str, Any]:
    """What the public sees of a nomination on notice: name, unit, post, window. Nothing else."""
    position = n.target_position
    texts = reading_of(n)
    return {
        "nomination_id": n.nomination_id,
        "cadre": {"name": texts.text(n.cadre.name, "name"), "unit": n.cadre.unit},
        "target_position": {"title": position["title"], "organization": position["organization"]},
        "notice_starts_at": n.history[-1].decided_at.isoformat() if n.history[-1].decided_at else None,
        "notice_ends_at": n.notice_ends_at.isoformat() if n.notice_ends_at else None,
        "redacted": texts.redacted,
    }


def _key(n: Nomination) -> tuple[str, str]:
    ends = n.notice_ends_at.astimezone(UTC).isoformat() if n.notice_ends_at else ""
    return ends, n.nomination_id


@blp.route("")
class Notices(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, NoticeListResponseSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The nominations on public notice now, the window ending first first (no token needed).
        To object, file a clue with the supervision service: kind `objection`, subject
        `{nomination_id}`."""
        book: NominationBook = current_app.extensions["book"]
        items, cursor = page(book.notices(), _key, query["limit"], query.get("cursor"))
        return {"items": [notice_view(n) for n in items], "next_cursor": cursor}


@blp.route("/scan")
class NoticeScan(MethodView):
    @blp.response(200, NoticeScanResponseSchema)
    def post(self) -> dict[str, int]:
        """Run the notice timer's pass now (admin): end the windows that are due (it also runs
        every NOTICE_SCAN_INTERVAL_S seconds)."""
        require_role(principal(), "admin")
        timer: NoticeTimer = current_app.extensions["notice_timer"]
        return asdict(timer.scan())
