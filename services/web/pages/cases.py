"""Supervision pages: the officers' case queue and a case with every action of the closed loop;
the responsible unit's report; the custodian's identity reveal (for a stated reason, recorded).
"""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web.backend import ApiError, ServiceDown
from services.web.errors import retry_text
from services.web.forms import FORM_LEVEL, field_errors
from services.web.i18n import category_title
from services.web.pages.common import api, page_args
from services.web.signin import person, signed_in

bp = Blueprint("cases", __name__, url_prefix="/cases")
CASE_ROLES = ("supervision_officer", "custodian", "unit_reviewer", "admin")
FILTERS = ("status", "kind", "category", "unit")
STATUSES = ("received", "investigating", "found", "rectifying", "evaluating", "closed", "dismissed")
KINDS = ("cadre", "matter", "objection")
# which actions fit which status (the service has the last word: 409 otherwise), and who takes them
OPEN = STATUSES[:-2]
ACTIONS = {
    "accept": (("received",), ("supervision_officer",)),
    "dismiss": (("received",), ("supervision_officer",)),
    "finding": (("investigating",), ("supervision_officer",)),
    "order": (("found",), ("supervision_officer",)),
    "report": (("rectifying",), ("unit_reviewer",)),
    "evaluate": (("evaluating",), ("supervision_officer",)),
    "education_done": (OPEN + ("closed",), ("unit_reviewer",)),
    "message": (OPEN + ("closed", "dismissed"), ("supervision_officer",)),
}
FIELDS = {
    "accept": ("cadre_id",),
    "dismiss": ("reason",),
    "finding": (
        "result",
        "outcome",
        "summary",
        "circular.units",
        "circular.text",
        "education.units",
        "education.requirement",
    ),
    "order": ("unit", "due_days", "requirement"),
    "report": ("what_was_done",),
    "evaluate": ("effective", "note", "due_days", "requirement"),
    "education_done": ("note",),
    "message": ("text",),
}
UNITS = re.compile(r"[\s,，、;；]+")


def categories() -> list[tuple[str, str, str]]:
    """The configured categories as (id, title in the page's language, kind); none if unknown."""
    try:
        items = api("GET", "supervision", "/api/v1/clues/categories").get("items", [])
    except (ServiceDown, ApiError):
        return []
    return [(c.get("id"), category_title(c), c.get("kind")) for c in items]


def category_titles() -> dict[str, str]:
    return {ident: title for ident, title, _ in categories()}


@bp.get("")
@signed_in(*CASE_ROLES)
def queue():
    filters = {key: request.args[key].strip() for key in FILTERS if request.args.get(key, "").strip()}
    try:
        answer, errors = api("GET", "supervision", "/api/v1/cases", params={**filters, **page_args()}), {}
    except ApiError as error:
        if error.status != 422 or "cursor" in str(error.details):
            raise
        answer, errors = {}, field_errors(error)  # a filter the service refused: said beside it
    titles = category_titles()
    return render_template(
        "cases/queue.html",
        items=answer.get("items", []),
        next_cursor=answer.get("next_cursor"),
        errors=errors,
        filters=filters,
        statuses=STATUSES,
        kinds=KINDS,
        category_options=list(titles.items()),
        titles=titles,
    )


def available(case: dict) -> list[str]:
    who = person() or {}
    fits = [
        a for a, (statuses, roles) in ACTIONS.items() if case.get("status") in statuses and who.get("role") in roles
    ]
    owed = any(a.get("unit") == who.get("unit") and not a.get("done") for a in case.get("education") or [])
    return [action for action in fits if action != "education_done" or owed]


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
        titles=category_titles(),
        **extra,
    )
    return page, status


def action_body(action: str, form) -> dict:
    """The action's fields that were filled in (`circular.units` -> `{"circular": {"units": [...]}}`);
    what is missing, the service names beside its field."""
    body: dict = {"action": action}
    for name in FIELDS.get(action, ()):
        value = form.get(name, "").strip()
        if not value:
            continue
        if name == "due_days" and value.isdigit():
            value = int(value)
        elif name == "effective":
            value = value == "true"
        elif name.endswith(".units"):
            value = [unit for unit in UNITS.split(value) if unit]
        outer, _, inner = name.partition(".")
        if inner:
            body.setdefault(outer, {})[inner] = value
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
        return _refused(case_id, action, error)
    flash(_("Recorded."))
    return redirect(url_for(".show", case_id=case_id), 303)


def _refused(case_id: str, action: str, error: ApiError):
    """The case again with the form as it was sent: the service's reasons beside the fields (422)
    or a request to wait (429)."""
    if error.status == 422:
        return _show(case_id, action, field_errors(error), 422)
    if error.status == 429:
        page, status = _show(case_id, action, {FORM_LEVEL: [retry_text(error)]}, 429)
        return page, status, {"Retry-After": str(error.retry_after or 60)}
    raise error


@bp.post("/<case_id>/identity")
@signed_in("custodian")
def identity(case_id: str):
    """Reveal the reporter to the custodian, once, for the reason given (the service records it)."""
    reason = request.form.get("reason", "").strip()
    try:
        revealed = api("POST", "supervision", f"/api/v1/cases/{case_id}/identity", json={"reason": reason})
    except ApiError as error:
        if error.status == 404:  # the case is there (or _show says not): no name was given, or it was erased
            return _show(case_id, identity_gone=True, status=404)
        return _refused(case_id, "identity", error)
    return _show(case_id, identity=revealed)
