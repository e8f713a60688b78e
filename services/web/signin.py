"""Who is signed in: "sign in as" a demo person in development, OpenID Connect in production.

The session is server-side (Flask-Session, files): the cookie carries only a random session id.
What the session holds is the sign-in and nothing else: the person (id, role, unit, name), the
bearer token the services accept, and when it expires.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

import jwt
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from services.web.config import WebConfig
from services.web.people import demo_person, mint
from shared.web.auth import principal_of
from shared.web.errors import ApiError

bp = Blueprint("signin", __name__)


def config() -> WebConfig:
    return current_app.extensions["web_config"]


def person() -> dict[str, str] | None:
    """The signed-in person, or None (also once the token has expired)."""
    who = session.get("person")
    if who and session.get("expires_at", 0) > time.time():
        return who
    return None


def token() -> str | None:
    return session.get("token") if person() else None


def safe_next(target: str | None) -> str:
    """Only a path of this site: never an address elsewhere (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("home.index")
    return target


def signed_in(*roles: str) -> Callable:
    """A page for signed-in people (of `roles`, when given): others go to sign in, or get 403."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            who = person()
            if who is None:
                return redirect(url_for("home.index", next=request.full_path.rstrip("?")))
            if roles and who["role"] not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def start_session(who: dict[str, str], bearer: str, expires_at: float) -> None:
    """A new session id for the new sign-in (no session fixation), holding only the sign-in."""
    current_app.session_interface.regenerate(session)
    session.clear()
    session.update(person=who, token=bearer, expires_at=expires_at)


@bp.post("/signin/dev")
def dev_signin():
    """Development mode only: sign in as one of the demo people."""
    if not config().dev_mode:
        abort(404)
    chosen = demo_person(request.form.get("person", ""))
    if chosen is None:
        abort(400)
    hours = config().session_hours
    who = {"id": chosen.id, "role": chosen.role, "unit": chosen.unit, "name": chosen.name}
    start_session(who, mint(chosen, config().jwt_secret, hours), time.time() + hours * 3600)
    return redirect(safe_next(request.form.get("next")))


@bp.post("/signout")
def signout():
    session.clear()
    return redirect(url_for("home.index"))


@bp.get("/signin/oidc")
def oidc_signin():
    """Send the browser to the provider (authorization code flow with PKCE, S256)."""
    client = _oidc_client()
    session["signin_next"] = safe_next(request.args.get("next"))
    return client.authorize_redirect(url_for("signin.oidc_callback", _external=True))


@bp.get("/signin/callback")
def oidc_callback():
    """The provider sends the browser back with a code; exchange it and keep the token here."""
    client = _oidc_client()
    target = session.pop("signin_next", None)
    try:
        answer = client.authorize_access_token()
    except OAuthError as error:
        text = _("The provider's answer was not accepted (%(reason)s). Please sign in again.", reason=error.error)
        return render_template("error.html", title=_("Sign-in failed"), text=text), 400
    bearer = answer.get("access_token") or answer.get("id_token")
    claims = {**_unverified(bearer), **(answer.get("userinfo") or {})}
    oidc = config().oidc
    claims.update(unit=claims.get(oidc.unit_claim), name=claims.get("name") or claims.get("preferred_username"))
    try:  # the services' own reading of a token: a role (or a dotted path to one), a unit where scoped
        found = principal_of(claims, oidc.role_claim)
    except ApiError as refused:
        text = _("The provider's sign-in lacks what cadreflow needs (%(reason)s).", reason=refused.message)
        return render_template("error.html", title=_("Sign-in failed"), text=text), 403
    who = {"id": found.id, "role": found.role, "unit": found.unit, "name": found.name}
    expires_at = float(answer.get("expires_at") or time.time() + 3600)
    start_session(who, bearer, expires_at)
    return redirect(safe_next(target))


def _unverified(bearer: str | None) -> dict:
    """The claims of the services' token, read to show the right pages; the services verify it."""
    try:
        return jwt.decode(bearer or "", options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}


def _oidc_client():
    oauth: OAuth | None = current_app.extensions.get("web_oauth")
    if oauth is None:
        abort(404)
    return oauth.create_client("provider")


def init_oidc(app, web_config: WebConfig) -> None:
    """Register the provider from its discovery document (read when first used)."""
    oidc = web_config.oidc
    if oidc is None:
        return
    client_kwargs = {"scope": oidc.scope, "code_challenge_method": "S256"}
    if not oidc.client_secret:
        client_kwargs["token_endpoint_auth_method"] = "none"  # noqa: S105 - a public client (PKCE), not a password
    oauth = OAuth(app)
    oauth.register(
        "provider",
        client_id=oidc.client_id,
        client_secret=oidc.client_secret,
        server_metadata_url=oidc.discovery_url,
        client_kwargs=client_kwargs,
    )
    app.extensions["web_oauth"] = oauth
