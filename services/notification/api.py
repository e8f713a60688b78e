"""Inbox endpoints: the caller's notifications, and marking one read."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields

from services.notification.inbox import Inbox, Notification, inbox_key
from shared.application.paging import page
from shared.application.personal import ERASED
from shared.application.recording import append_awaited
from shared.eventlog.port import LogUnavailable
from shared.eventlog.topics import NOTIFICATIONS
from shared.events.envelope import Actor, new_event
from shared.web.auth import principal
from shared.web.errors import not_found, unavailable
from shared.web.paging import PageQuerySchema, PageSchema
from shared.web.parsing import Blueprint
from shared.web.views import REDACTED_FLAG, ErrorResponseSchema, opener

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications", description="Inboxes")


class NotificationResponseSchema(Schema):
    id = fields.String()
    nomination_id = fields.String(allow_none=True)
    case_id = fields.String(allow_none=True)
    event_type = fields.String()
    message = fields.String(
        metadata={"description": f"a personal text in it reads {ERASED} once its person was erased"}
    )
    created_at = fields.String()
    read = fields.Boolean()
    redacted = fields.Boolean(metadata={"description": REDACTED_FLAG})


class NotificationListResponseSchema(PageSchema):
    items = fields.List(fields.Nested(NotificationResponseSchema))
    unread = fields.Integer(metadata={"description": "unread notifications in the whole inbox"})


def _inbox() -> Inbox:
    return current_app.extensions["inbox"]


def view(notification: Notification, person_id: str) -> dict:
    message, redacted = _inbox().render(notification, opener())
    return {
        "id": notification.id,
        "nomination_id": notification.nomination_id,
        "case_id": notification.case_id,
        "event_type": notification.event_type,
        "message": message,
        "created_at": notification.created_at.isoformat(),
        "read": (notification.id, person_id) in _inbox().read,
        "redacted": redacted,
    }


@blp.route("")
class Notifications(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, NotificationListResponseSchema)
    def get(self, query: dict):
        """The caller's inbox (to them, or to their role and unit), newest first (cursor-paged)."""
        who = principal()
        inbox = _inbox()
        everything = inbox.inbox_of(who.id, who.role, who.unit)
        shown, next_cursor = page(everything, inbox_key, query["limit"], query.get("cursor"), newest_first=True)
        unread = sum((n.id, who.id) not in inbox.read for n in everything)
        items = [view(n, who.id) for n in shown]
        return {"items": items, "count": len(items), "unread": unread, "next_cursor": next_cursor}


@blp.route("/<notification_id>/read")
class MarkRead(MethodView):
    @blp.response(200, NotificationResponseSchema)
    @blp.alt_response(404, schema=ErrorResponseSchema)
    def post(self, notification_id: str):
        """Mark a notification of the caller's inbox read (idempotent)."""
        who = principal()
        inbox = _inbox()
        notification = inbox.by_id.get(notification_id)
        if notification is None or not inbox.reaches(notification, who.id, who.role, who.unit):
            raise not_found("notification")
        if (notification_id, who.id) not in inbox.read:
            _record_read(notification_id, who.id)
        return view(notification, who.id)


def _record_read(notification_id: str, person_id: str) -> None:
    follower = current_app.extensions["follower"]
    event = new_event(
        "NotificationRead",
        f"read:{notification_id}:{person_id}",
        0,
        {"notification_id": notification_id, "person": person_id},
        Actor(person_id, "reader"),
    )
    try:  # a VOID verdict means a concurrent request marked it read first: same result
        append_awaited(follower, NOTIFICATIONS, event, current_app.config["CADREFLOW_CONFIG"].command_timeout_s)
    except LogUnavailable as error:
        raise unavailable(f"the event log is unavailable: {error}") from None
