"""Supervision pages: the officers' case queue and a case with every action of the closed loop;
the responsible unit's report; the custodian's identity reveal (for a stated reason, recorded).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web.backend import ApiError, ServiceDown
from services.web.forms import field_errors
from services.web.pages.common import api, page_args
from services.web.signin import person, signed_in

bp = Blueprint("cases", __name__, url_prefix="/cases")
CASE_ROLES = ("supervision_officer", "custodian", "unit_reviewer", "admin")
FILTERS = ("status", "kind", "category", "unit")
STATUSES = ("received", "investigating", "found", "rectifying", "evaluating", "closed", "dismissed")
KINDS = ("cadre", "matter", "objection")
# which actions fit which status (the service has the last word: 409 otherwise), and who takes them
ACTIONS = {
    "accept": (("received",), ("supervision_officer",)),
    "dismiss": (("received",), ("supervision_officer",)),
    "finding": (("investigating",), ("supervision_officer",)),
    "order": (("found",), ("supervision_officer",)),
    "report": (("rectifying",), ("unit_reviewer", "supervision_officer")),
    "evaluate": (("evaluating",), ("supervision_officer",)),
    "message": (STATUSES[:-2] + ("closed", "dismissed"), ("supervision_officer",)),
}
FIELDS = {
    "accept": ("cadre_id",),
    "dismiss": ("reason",),
    "finding": ("result", "outcome", "summary"),
    "order": ("unit", "due_days", "requirement"),
    "report": ("what_was_done",),
    "evaluate": ("effective", "note"),
    "message": ("text",),
}


def categories() -> list[dict]:
    try:
        return api("GET", "supervision", "/api/v1/clues/categories").get("items", [])
    except (ServiceDown, ApiError):
        return []


@bp.get("")
@signed_in(*CASE_ROLES)
def queue():
    filters = {key: request.args[key] for key in FILTERS if request.args.get(key)}
    answer = api("GET", "supervision", "/api/v1/cases", params={**filters, **page_args()})
    return render_template(
        "cases/queue.html",
        items=answer.get("items", []),
        next_cursor=answer.get("next_cursor"),
        filters=filters,
        statuses=STATUSES,
        kinds=KINDS,
        category_options=[(c.get("id"), c.get("title")) for c in categories()],
    )


def available(case: dict) -> list[str]:
    role = (person() or {}).get("role")
    return [name for name, (statuses, roles) in ACTIONS.items() if case.get("status") in statuses and role in roles]


@bp.get("/<case_id>")
@signed_in(*CASE_ROLES)
def show(case_id: str):
    return _show(case_id)


def _show(case_id: str, action: str = "", errors: dict | None = None, status: int = 200, **extra):
    case = api("GET", "supervision", f"/api/v1/cases/{case_id}")
    page = render_template(
        "cases/show.html",
        case=case,
        actions=available(case),
        posted=action,
        form=request.form if errors else {},
        errors=errors or {},
        titles={c.get("id"): c.get("title") for c in categories()},
        **extra,
    )
    return page, status


def action_body(action: str, form) -> dict:
    """The action's fields that were filled in: what is missing the service names beside its field."""
    body: dict = {"action": action}
    for name in FIELDS.get(action, ()):
        value = form.get(name, "").strip()
        if not value:
            continue
        if name == "due_days" and value.isdigit():
            body[name] = int(value)
        elif name == "effective":
            body[name] = value == "true"
        else:
            body[name] = value
    return body


@bp.post("/<case_id>/actions")
@signed_in(*CASE_ROLES)
def act(case_id: str):
    action = request.form.get("action", "")
    try:
        api("POST", "supervision", f"/api/v1/cases/{case_id}/actions", json=action_body(action, request.form))
    except ApiError as error:
        if error.status == 409:
            return _show(case_id, stale=True, status=409)
        if error.status != 422:
            raise
        return _show(case_id, action, field_errors(error), 422)
    flash(_("Recorded."))
    return redirect(url_for(".show", case_id=case_id), 303)


@bp.post("/<case_id>/identity")
@signed_in("custodian")
def identity(case_id: str):
    """Reveal the reporter to the custodian, once, for the reason given (the service records it)."""
    reason = request.form.get("reason", "").strip()
    try:
        revealed = api("POST", "supervision", f"/api/v1/cases/{case_id}/identity", json={"reason": reason})
    except ApiError as error:
        if error.status != 422:
            raise
        return _show(case_id, "identity", field_errors(error), 422)
    return _show(case_id, identity=revealed)
