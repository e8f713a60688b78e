"""Public pages, no sign-in: report a clue, follow it with the receipt, the board, the notices,
the units' commitments.

The receipt is shown once, in the answer to the report itself (never in a URL, a redirect or the
session), and travels back to the service only as the `X-Receipt` header. Nothing here records a
visitor's address.
"""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web.backend import ApiError, ServiceDown
from services.web.board import COUNTS
from services.web.board import sections as board_sections
from services.web.forms import FORM_LEVEL, field_errors
from services.web.pages.cases import KINDS, categories, category_titles
from services.web.pages.common import api, backend, page_args
from services.web.signin import person, signed_in, token

bp = Blueprint("public", __name__)
NOTICES_SERVICE = "nomination"  # GET /api/v1/notices (issue 12)
SUBJECT_FIELDS = {"cadre": ("name", "unit", "position"), "matter": ("unit",), "objection": ("nomination_id",)}
RECEIPT = re.compile(r"^\d{16}$")


def clue_body(form) -> dict:
    kind = form.get("kind", "")
    subject = {key: form.get(f"subject.{key}", "").strip() for key in SUBJECT_FIELDS.get(kind, ())}
    body = {
        "kind": kind,
        "category": form.get("category", ""),
        "subject": {key: value for key, value in subject.items() if value},
        "description": form.get("description", "").strip(),
        "anonymous": form.get("anonymous") == "true",
    }
    if not body["anonymous"]:
        body["reporter"] = {
            "name": form.get("reporter.name", "").strip(),
            "phone": form.get("reporter.phone", "").strip(),
        }
    if kind == "objection" and not body["category"]:
        body.pop("category")
    return body


def forwarded() -> dict[str, str]:
    """The visitor's address, passed on for the service's per-client rate limit only."""
    return {"X-Forwarded-For": request.remote_addr} if request.remote_addr else {}


@bp.route("/report", methods=["GET", "POST"])
def report():
    if request.method == "GET":
        form = {"kind": request.args.get("kind", "cadre"), "anonymous": "true"}
        if request.args.get("nomination_id"):
            form["subject.nomination_id"] = request.args["nomination_id"]
        return _report_form(form, {})
    hotline = (person() or {}).get("role") == "hotline_operator"
    try:
        answer = backend().post(
            "supervision",
            "/api/v1/clues",
            json=clue_body(request.form),
            token=token() if hotline else None,  # anyone else reports as the public, unnamed by their sign-in
            headers=forwarded(),
        )
    except ServiceDown:
        return _report_form(
            request.form, {FORM_LEVEL: [_("The service is not answering; your text is kept. Try again.")]}
        ), 503
    except ApiError as error:
        if error.status != 422:
            raise
        return _report_form(request.form, field_errors(error)), 422
    return render_template("public/receipt.html", case_id=answer.get("case_id"), receipt=answer.get("receipt", ""))


def _report_form(form, errors: dict) -> str:
    return render_template("public/report.html", form=form, errors=errors, kinds=KINDS, category_groups=_grouped())


def _grouped() -> list[tuple[str, list[tuple[str, str]]]]:
    """The categories by kind, for the option groups of the report form (objections need none)."""
    known = categories()
    return [
        (kind, [(ident, title) for ident, title, of in known if of == kind]) for kind in KINDS if kind != "objection"
    ]


def normalised(receipt: str) -> str:
    return re.sub(r"[\s-]", "", receipt)


@bp.route("/report/status", methods=["GET", "POST"])
def status():
    if request.method == "GET":
        return render_template("public/follow.html", errors={})
    receipt = normalised(request.form.get("receipt", ""))
    if not RECEIPT.match(receipt):
        return render_template("public/follow.html", errors={"receipt": [_("A receipt is 16 digits.")]}), 422
    return _status(receipt)


def _status(receipt: str, errors: dict | None = None, code: int = 200):
    headers = {"X-Receipt": receipt, **forwarded()}
    try:
        view = backend().get("supervision", "/api/v1/clues/status", headers=headers)
    except ApiError as error:
        if error.status not in (401, 403, 404):
            raise
        return render_template("public/follow.html", errors={"receipt": [_("No report has this receipt.")]}), 404
    return render_template("public/status.html", view=view, receipt=receipt, errors=errors or {}), code


@bp.post("/report/messages")
def message():
    receipt = normalised(request.form.get("receipt", ""))
    if not RECEIPT.match(receipt):
        return redirect(url_for(".status"), 303)
    headers = {"X-Receipt": receipt, **forwarded()}
    try:
        backend().post(
            "supervision", "/api/v1/clues/messages", json={"text": request.form.get("text", "")}, headers=headers
        )
    except ApiError as error:
        if error.status != 422:
            raise
        return _status(receipt, field_errors(error), 422)
    flash(_("Your message was sent."))
    return _status(receipt)


@bp.get("/board")
def board():
    answer = backend().get("supervision", "/api/v1/board")
    return render_template(
        "public/board.html",
        sections=board_sections(answer),
        counts=COUNTS,
        titles=category_titles(),
        suppressed=answer.get("suppressed_cells", 0) if isinstance(answer, dict) else 0,
    )


@bp.get("/notices")
def notices():
    try:
        answer = backend().get(NOTICES_SERVICE, "/api/v1/notices", params=page_args())
    except ApiError as error:
        if error.status != 404:
            raise
        answer = {"items": [], "unavailable": True}  # a nomination service from before public notice (issue 12)
    return render_template(
        "public/notices.html",
        items=answer.get("items", []),
        next_cursor=answer.get("next_cursor"),
        unavailable=answer.get("unavailable", False),
    )


@bp.get("/commitments")
def commitments():
    return _commitments({}, {})


def _commitments(form, errors: dict, code: int = 200):
    answer = backend().get("supervision", "/api/v1/commitments", params=page_args())
    items = answer.get("items", [])
    who = person()
    own = next((c for c in items if who and c.get("unit") == who.get("unit")), None)
    if who and not form and own:
        form = {"text": own.get("text", ""), "supervision_phone": own.get("supervision_phone", "")}
    page = render_template(
        "public/commitments.html", items=items, next_cursor=answer.get("next_cursor"), form=form, errors=errors
    )
    return page, code


@bp.post("/commitments")
@signed_in("unit_reviewer")
def publish_commitment():
    unit = person()["unit"]
    body = {
        "text": request.form.get("text", "").strip(),
        "supervision_phone": request.form.get("supervision_phone", "").strip(),
    }
    try:
        api("PUT", "supervision", f"/api/v1/commitments/{unit}", json=body)
    except ApiError as error:
        if error.status != 422:
            raise
        return _commitments(request.form, field_errors(error), 422)
    flash(_("Your unit's commitment was published."))
    return redirect(url_for(".commitments"), 303)
