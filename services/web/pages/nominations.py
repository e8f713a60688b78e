"""The cadre's pages: write a nomination, follow it, revise it when returned, withdraw it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web.backend import ApiError, ServiceDown
from services.web.forms import FORM_LEVEL, achievement_rows, field_errors, nomination_body, renumbered_errors
from services.web.pages.common import api, page_args
from services.web.signin import signed_in

bp = Blueprint("nominations", __name__, url_prefix="/nominations")
CHANNELS = ("unit", "org_department", "secretary")
WITHDRAWABLE = ("in_review", "returned")
TRAIL_PAGE = 200  # a nomination's whole trail on one page, unless it was revised very often


def trail_args() -> dict:
    """The audit trail's page: its cursor travels as `trail`, beside the page's other parameters."""
    return page_args("trail", TRAIL_PAGE)


@bp.get("")
@signed_in("cadre")
def mine():
    answer = api("GET", "nomination", "/api/v1/nominations", params=page_args())
    return render_template(
        "nominations/list.html", items=answer.get("items", []), next_cursor=answer.get("next_cursor")
    )


@bp.route("/new", methods=["GET", "POST"])
@signed_in("cadre")
def new():
    form = request.form
    if request.method == "POST" and "add_achievement" not in form:
        try:
            created = api("POST", "nomination", "/api/v1/nominations", json=nomination_body(form))
        except ServiceDown:
            return _form(form, {FORM_LEVEL: [_("The service is not answering; your text is kept. Try again.")]}), 503
        except ApiError as error:
            if error.status != 422:
                raise
            return _form(form, renumbered_errors(field_errors(error), form)), 422
        flash(_("Your nomination was submitted."))
        return redirect(url_for(".show", nomination_id=created["nomination_id"]), 303)
    return _form(form, {}, extra=1 if "add_achievement" in form else 0)


def _form(form, errors: dict, extra: int = 0) -> str:
    return render_template(
        "nominations/new.html", form=form, rows=achievement_rows(form, extra), errors=errors, channels=CHANNELS
    )


@bp.route("/direct", methods=["GET", "POST"])
@signed_in("org_reviewer")
def direct():
    """The organization department puts an outstanding cadre forward directly (Huzhou)."""
    form = request.form
    if request.method == "POST":
        body = {
            "cadre": {key: form.get(f"cadre.{key}", "").strip() for key in ("id", "name", "unit")},
            "target_position": nomination_body(form, False)["target_position"],
            "justification": form.get("justification", "").strip(),
        }
        try:
            created = api("POST", "nomination", "/api/v1/nominations/direct", json=body)
        except ApiError as error:
            if error.status not in (403, 422):
                raise
            errors = (
                field_errors(error) if error.status == 422 else {FORM_LEVEL: [_("You may not put yourself forward.")]}
            )
            return render_template("nominations/direct.html", form=form, errors=errors), error.status
        flash(_("The direct nomination was put forward; it waits at the Party secretary."))
        return redirect(url_for("reviews.show", nomination_id=created["nomination_id"]), 303)
    return render_template("nominations/direct.html", form=form, errors={})


@bp.get("/<nomination_id>")
@signed_in("cadre", "admin")
def show(nomination_id: str):
    return _show(nomination_id, form=None, errors={})


def _show(nomination_id: str, form, errors: dict, extra: int = 0):
    nomination = api("GET", "nomination", f"/api/v1/nominations/{nomination_id}")
    trail = api("GET", "nomination", f"/api/v1/nominations/{nomination_id}/events", params=trail_args())
    if form is None:
        form = revision_form(nomination)
    return render_template(
        "nominations/show.html",
        n=nomination,
        events=[e for e in trail.get("items", []) if e.get("outcome", "applied") == "applied"],
        trail_next=trail.get("next_cursor"),
        form=form,
        rows=achievement_rows(form, extra),
        errors=errors,
        withdrawable=nomination["status"] in WITHDRAWABLE,
    )


def revision_form(nomination: dict) -> dict[str, str]:
    """The returned nomination's text, as the revision form's fields."""
    fields = {
        "target_position.title": nomination["target_position"]["title"],
        "target_position.organization": nomination["target_position"]["organization"],
        "statement": nomination["statement"],
        "commitment": nomination["commitment"],
        "achievement_rows": str(len(nomination["achievements"])),
    }
    for i, achievement in enumerate(nomination["achievements"]):
        fields[f"achievements.{i}.title"] = achievement.get("title", "")
        fields[f"achievements.{i}.description"] = achievement.get("description", "")
    return fields


@bp.post("/<nomination_id>/revision")
@signed_in("cadre")
def revise(nomination_id: str):
    form = request.form
    if "add_achievement" in form:
        return _show(nomination_id, form, {}, extra=1)
    try:
        api("POST", "nomination", f"/api/v1/nominations/{nomination_id}/revision", json=nomination_body(form, False))
    except ApiError as error:
        if error.status == 409:
            flash(_("This nomination can no longer be revised: it is not returned for revision any more."))
            return redirect(url_for(".show", nomination_id=nomination_id), 303)
        if error.status != 422:
            raise
        return _show(nomination_id, form, renumbered_errors(field_errors(error), form)), 422
    flash(_("Your revision was sent; the same review step is open again."))
    return redirect(url_for(".show", nomination_id=nomination_id), 303)


@bp.post("/<nomination_id>/withdrawal")
@signed_in("cadre")
def withdraw(nomination_id: str):
    try:
        body = {"reason": request.form.get("reason", "").strip()}
        api("POST", "nomination", f"/api/v1/nominations/{nomination_id}/withdrawal", json=body)
    except ApiError as error:
        if error.status != 409:
            raise
        flash(_("This nomination can no longer be withdrawn."))
        return redirect(url_for(".show", nomination_id=nomination_id), 303)
    flash(_("Your nomination was withdrawn."))
    return redirect(url_for(".show", nomination_id=nomination_id), 303)
