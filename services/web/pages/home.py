"""The home page: sign in (or "sign in as" in development), then what the person can do."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from services.web.pages.common import unread_count
from services.web.people import DEMO_PEOPLE
from services.web.signin import config, person

bp = Blueprint("home", __name__)
REVIEWERS = ("unit_reviewer", "org_reviewer", "secretary")
CASE_READERS = ("supervision_officer", "custodian", "admin")  # who may open any case they are shown


@bp.app_context_processor
def signed_in_person() -> dict:
    who = person()
    return {
        "who": who,
        "reviewer_roles": REVIEWERS,
        "case_readers": CASE_READERS,
        "unread": unread_count() if who else None,
    }


@bp.get("/")
def index():
    return render_template(
        "home.html",
        people=DEMO_PEOPLE if config().dev_mode else (),
        oidc=config().oidc is not None,
        next=request.args.get("next", ""),
    )


@bp.get("/healthz")
@bp.get("/readyz")
def healthz():
    """The web front keeps no state: up is ready (a service that is down gets its own page)."""
    return {"status": "ok"}
