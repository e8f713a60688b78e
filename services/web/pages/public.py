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
from services.web.errors import retry_text
from services.web.forms import FORM_LEVEL, field_errors
from services.web.pages.cases import KINDS, categories, category_titles
from services.web.pages.common import api, backend, page_args
from services.web.signin import person, signed_in, token

bp = Blueprint("public", __name__)
SUBJECT_FIELDS = {"cadre": ("name", "unit", "position"), "matter": ("unit",), "objection": ("nomination_id",)}
RECEIPT = re.compile(r"^\d{16}$")
NOTICES_SCANNED = 200  # nominations on notice at once are a few; one page of the largest size holds them


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
    if not body["category"]:  # the service names what is missing (an objection needs none)
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
        return _refused(error, lambda errors: _report_form(request.form, errors))
    return render_template("public/receipt.html", case_id=answer.get("case_id"), receipt=answer.get("receipt", ""))


def _refused(error: ApiError, again):
    """The form again, the service's reasons beside its fields (422), or a polite request to wait
    (429, with Retry-After): what the visitor typed stays in the form either way."""
    if error.status == 422:
        return again(field_errors(error)), 422
    if error.status == 429:
        return again({FORM_LEVEL: [retry_text(error)]}), 429, {"Retry-After": str(error.retry_after or 60)}
    raise error


def _report_form(form, errors: dict) -> str:
    objection = form.get("kind") == "objection" and bool(form.get("subject.nomination_id"))
    return render_template(
        "public/report.html",
        form=form,
        errors=errors,
        kinds=KINDS,
        category_groups=[] if objection else _grouped(),
        objection=objection,
        notice=notice_of(form.get("subject.nomination_id", "")) if objection else None,
    )


def notice_of(nomination_id: str) -> dict | None:
    """The public notice of a nomination, to show whom an objection is about; None when it is
    not among the notices (ended meanwhile: the service still decides) or the service is down."""
    try:
        answer = backend().get("nomination", "/api/v1/notices", params={"limit": NOTICES_SCANNED})
    except (ServiceDown, ApiError):
        return None
    return next((n for n in answer.get("items", []) if n.get("nomination_id") == nomination_id), None)


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
        return _follow({"receipt": [_("A receipt is 16 digits.")]}, 422)
    return _status(receipt)


def _follow(errors: dict, code: int, headers: dict | None = None):
    """The receipt form again, with why it did not open a report."""
    return render_template("public/follow.html", errors=errors), code, headers or {}


def _receipt_refused(error: ApiError):
    """The service did not take the receipt: unknown (404), not a receipt (422), or too many tries
    from here (429). Said beside the receipt field; the receipt is never put back into the page."""
    if error.status == 404:
        return _follow({"receipt": [_("No report has this receipt.")]}, 404)
    if error.status == 422:
        return _follow({"receipt": [_("A receipt is 16 digits.")]}, 422)
    if error.status == 429:
        return _follow({"receipt": [retry_text(error)]}, 429, {"Retry-After": str(error.retry_after or 60)})
    raise error


def _status(receipt: str, errors: dict | None = None, code: int = 200):
    headers = {"X-Receipt": receipt, **forwarded()}
    try:
        view = backend().get("supervision", "/api/v1/clues/status", headers=headers)
    except ApiError as error:
        return _receipt_refused(error)
    page = render_template(
        "public/status.html", view=view, receipt=receipt, errors=errors or {}, titles=category_titles()
    )
    return page, code


@bp.post("/report/messages")
def message():
    receipt = normalised(request.form.get("receipt", ""))
    if not RECEIPT.match(receipt):
        return redirect(url_for(".status"), 303)
    headers = {"X-Receipt": receipt, **forwarded()}
    text = request.form.get("text", "")
    try:
        backend().post("supervision", "/api/v1/clues/messages", json={"text": text}, headers=headers)
    except ApiError as error:
        if error.status in (404, 429) or (error.status == 422 and "X-Receipt" in error.details):
            return _receipt_refused(error)
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
    answer = backend().get("nomination", "/api/v1/notices", params=page_args())
    return render_template("public/notices.html", items=answer.get("items", []), next_cursor=answer.get("next_cursor"))


@bp.get("/commitments")
def commitments():
    return _commitments({}, {})


def _commitments(form, errors: dict) -> str:
    answer = backend().get("supervision", "/api/v1/commitments", params=page_args())
    items = answer.get("items", [])
    who = person()
    own = next((c for c in items if who and c.get("unit") == who.get("unit")), None)
    if who and not form and own:
        form = {"text": own.get("text", ""), "supervision_phone": own.get("supervision_phone", "")}
    return render_template(
        "public/commitments.html", items=items, next_cursor=answer.get("next_cursor"), form=form, errors=errors
    )


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
        return _refused(error, lambda errors: _commitments(request.form, errors))
    flash(_("Your unit's commitment was published."))
    return redirect(url_for(".commitments"), 303)
