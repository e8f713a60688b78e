"""Everyone's inbox: what happened to them or waits for them, newest first; mark read. Each
entry in the page's language (see `inbox_text`)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from services.web.i18n import label
from services.web.inbox_text import is_notice, sentence
from services.web.pages.cases import CASE_ROLES, category_titles
from services.web.pages.common import api, page_args
from services.web.signin import person, signed_in

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
REVIEWERS = ("unit_reviewer", "org_reviewer", "secretary")


def link_of(item: dict) -> str | None:
    """Where an entry leads: the case, or the nomination as this person's role sees it."""
    role = (person() or {}).get("role")
    if item.get("case_id"):  # a cadre is told of a finding, but does not open cases
        return url_for("cases.show", case_id=item["case_id"]) if role in CASE_ROLES else None
    if not item.get("nomination_id"):
        return None
    if role in REVIEWERS:
        return url_for("reviews.show", nomination_id=item["nomination_id"])
    if role in ("cadre", "admin"):
        return url_for("nominations.show", nomination_id=item["nomination_id"])
    return None


def entry(item: dict, categories: dict[str, str]) -> dict:
    """An inbox item as the page shows it: a heading and a sentence in the page's language."""
    event_type, text = item.get("event_type", ""), item.get("message", "")
    heading = label("NominationOnNotice" if is_notice(event_type, text) else event_type, "event")
    return {**item, "heading": heading, "text": sentence(event_type, text, categories), "link": link_of(item)}


@bp.get("")
@signed_in()
def index():
    answer = api("GET", "notification", "/api/v1/notifications", params=page_args())
    items = answer.get("items", [])
    categories = category_titles() if any(i.get("event_type") == "ClueReceived" for i in items) else {}
    return render_template(
        "inbox.html",
        items=[entry(item, categories) for item in items],
        unread_here=answer.get("unread", sum(1 for item in items if not item.get("read"))),
        next_cursor=answer.get("next_cursor"),
    )


@bp.post("/<notification_id>/read")
@signed_in()
def mark_read(notification_id: str):
    api("POST", "notification", f"/api/v1/notifications/{notification_id}/read")
    return redirect(url_for(".index", _anchor=f"n-{notification_id}"), 303)
