"""Reviewers' pages: the queue of their stage (oldest due first), a nomination, a decision.

A decision names the stage (and step) the reviewer saw. If the nomination moved on meanwhile the
review service answers 409, and the reviewer gets the page again with its current state and a
clear message, not an error page.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web.backend import ApiError
from services.web.forms import field_errors
from services.web.pages.cases import category_titles
from services.web.pages.common import api, page_args
from services.web.signin import person, signed_in

STAGE_OF_ROLE = {"unit_reviewer": "unit", "org_reviewer": "org_department", "secretary": "secretary"}
REVIEWERS = tuple(STAGE_OF_ROLE)
DECISIONS = ("approve", "return", "reject")
bp = Blueprint("reviews", __name__, url_prefix="/reviews")


def is_overdue(nomination: dict) -> bool:
    """Flagged by the service, or past its due time already (the scanner runs on a timer)."""
    if nomination.get("overdue"):
        return True
    due = nomination.get("due_at")
    if not due:
        return False
    due_at = datetime.fromisoformat(due)
    return (due_at if due_at.tzinfo else due_at.replace(tzinfo=UTC)) < datetime.now(UTC)


@bp.get("")
@signed_in(*REVIEWERS)
def queue():
    answer = api("GET", "review", "/api/v1/reviews/queue", params=page_args())
    items = answer.get("items", [])
    return render_template(
        "reviews/queue.html",
        items=items,
        overdue={n["nomination_id"] for n in items if is_overdue(n)},
        next_cursor=answer.get("next_cursor"),
    )


@bp.get("/<nomination_id>")
@signed_in(*REVIEWERS, "admin")
def show(nomination_id: str):
    return _show(nomination_id)


def _show(nomination_id: str, errors: dict | None = None, stale: bool = False, status: int = 200):
    nomination = api("GET", "review", f"/api/v1/reviews/{nomination_id}")
    page = render_template(
        "reviews/show.html",
        n=nomination,
        titles=category_titles() if nomination.get("open_cases") else {},
        overdue=is_overdue(nomination) and nomination["status"] == "in_review",
        decisions=DECISIONS,
        errors=errors or {},
        form=request.form if errors else {},
        stale=stale,
        decidable=nomination["status"] == "in_review"
        and nomination.get("stage") == STAGE_OF_ROLE.get(person()["role"]),
    )
    return page, status


@bp.post("/<nomination_id>/decision")
@signed_in(*REVIEWERS)
def decide(nomination_id: str):
    form = request.form
    body = {"stage": form.get("stage", ""), "decision": form.get("decision", ""), "comment": form.get("comment", "")}
    if form.get("step", "").isdigit():
        body["step"] = int(form["step"])
    try:
        api("POST", "review", f"/api/v1/reviews/{nomination_id}/decisions", json=body)
    except ApiError as error:
        if error.status == 409:
            return _show(nomination_id, stale=True, status=409)
        if error.status != 422:
            raise
        return _show(nomination_id, errors=field_errors(error), status=422)
    flash(_("Your decision was recorded."))
    return redirect(url_for(".queue"), 303)
