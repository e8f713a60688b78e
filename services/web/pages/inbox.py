"""Everyone's inbox: what happened to them or waits for them, newest first; mark read."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from services.web.pages.common import api, page_args
from services.web.signin import person, signed_in

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
REVIEWERS = ("unit_reviewer", "org_reviewer", "secretary")


def link_of(item: dict) -> str | None:
    """Where an entry leads: the case, or the nomination as this person's role sees it."""
    if item.get("case_id"):
        return url_for("cases.show", case_id=item["case_id"])
    if not item.get("nomination_id"):
        return None
    role = (person() or {}).get("role")
    if role in REVIEWERS:
        return url_for("reviews.show", nomination_id=item["nomination_id"])
    if role in ("cadre", "admin"):
        return url_for("nominations.show", nomination_id=item["nomination_id"])
    return None


@bp.get("")
@signed_in()
def index():
    answer = api("GET", "notification", "/api/v1/notifications", params=page_args())
    items = answer.get("items", [])
    unread = answer.get("unread", sum(1 for item in items if not item.get("read")))
    return render_template(
        "inbox.html", items=items, unread_here=unread, link_of=link_of, next_cursor=answer.get("next_cursor")
    )


@bp.post("/<notification_id>/read")
@signed_in()
def mark_read(notification_id: str):
    api("POST", "notification", f"/api/v1/notifications/{notification_id}/read")
    return redirect(url_for(".index", _anchor=f"n-{notification_id}"), 303)
