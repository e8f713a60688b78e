"""What a person sees when something fails: a page in their language, never a stack trace.

A service that does not answer gets its own page (503) that names it; an expired sign-in goes
back to the sign-in page; a refused call shows the service's reason.
"""

from __future__ import annotations

from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from services.web.backend import ApiError, ServiceDown

SERVICE_NAMES = {
    "nomination": _l("the nomination service"),
    "review": _l("the review service"),
    "notification": _l("the notification service"),
    "supervision": _l("the supervision service"),
}
TITLES = {
    400: _l("The request could not be understood"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Not allowed"),
    409: _l("Changed meanwhile"),
    413: _l("Too large"),
    422: _l("Not accepted"),
    429: _l("Too many requests"),
}
PAGING_PARAMS = ("cursor", "trail")  # the query parameters that carry a list's cursor
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
}


def register(app: Flask) -> None:
    app.register_error_handler(ServiceDown, service_down)
    app.register_error_handler(ApiError, api_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.after_request(secure_headers)


def page(status: int, title: str, text: str):
    return render_template("error.html", title=title, text=text, status=status), status


def service_down(error: ServiceDown):
    name = SERVICE_NAMES.get(error.service, error.service)
    text = _("%(service)s is not answering right now. Please try again in a minute.", service=name)
    return page(503, _("A service is unavailable"), text)


def api_error(error: ApiError):
    if error.status == 401:
        session.clear()
        flash(_("Your sign-in has expired. Please sign in again."))
        return redirect(url_for("home.index", next=request.full_path.rstrip("?")))
    if error.status == 429:
        return slow_down(error)
    if error.status == 422 and request.method == "GET" and _about_a_cursor(error):
        flash(_("That page of the list is no longer valid; here is its first page."))
        return redirect(_first_page())
    title = str(TITLES.get(error.status, _("The service refused the request")))
    texts = {403: _("Your role may not do this."), 404: _("It does not exist, or it is not yours to see.")}
    return page(error.status if error.status in TITLES else 502, title, texts.get(error.status, error.message))


def retry_text(error: ApiError) -> str:
    """The polite answer to a rate limit: how long to wait, from the service's Retry-After."""
    seconds = error.retry_after if str(error.retry_after or "").isdigit() else "60"
    return _(
        "Too many requests came from here in a short time. Please wait %(seconds)s seconds and try again.",
        seconds=seconds,
    )


def slow_down(error: ApiError):
    """429 with the service's Retry-After passed on."""
    body, status = page(429, str(TITLES[429]), retry_text(error))
    return body, status, {"Retry-After": str(error.retry_after or 60)}


def _about_a_cursor(error: ApiError) -> bool:
    details = error.details if isinstance(error.details, dict) else {}
    inner = details.get("query", details)
    return isinstance(inner, dict) and "cursor" in inner


def _first_page() -> str:
    args = {k: v for k, v in request.args.items() if k not in PAGING_PARAMS}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def csrf_error(error: CSRFError):
    return page(400, _("The form has expired"), _("Please go back, reload the page and send the form again."))


def http_error(error: HTTPException):
    status = error.code or 500
    title = str(TITLES.get(status, error.name))
    texts = {403: _("Your role may not open this page."), 404: _("There is no such page.")}
    return page(status, title, texts.get(status, ""))


def secure_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if session.get("person") or request.method == "POST":
        response.headers["Cache-Control"] = "no-store"
    return response
