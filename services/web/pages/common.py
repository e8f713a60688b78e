"""What every page uses: the services' API with the signed-in person's token, and paged lists."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for

from services.web.backend import ApiError, Backend, ServiceDown
from services.web.signin import person, token


def backend() -> Backend:
    return current_app.extensions["backend"]


def api(method: str, service: str, path: str, **kwargs: Any) -> Any:
    """Call a service as the signed-in person (anonymously when nobody is)."""
    return backend().call(service, method, path, token=token(), **kwargs)


def page_args() -> dict[str, str]:
    """The `cursor` of a paged list, passed on from the page's query (the services' convention)."""
    cursor = request.args.get("cursor", "")
    return {"cursor": cursor} if cursor else {}


def unread_count() -> int | None:
    """Unread inbox entries for the header; None when unknown (the page is shown anyway)."""
    if person() is None:
        return None
    try:
        inbox = api("GET", "notification", "/api/v1/notifications")
    except (ServiceDown, ApiError):
        return None
    if isinstance(inbox.get("unread"), int):
        return inbox["unread"]
    return sum(1 for item in inbox.get("items", []) if not item.get("read"))


def page_url(cursor: str) -> str:
    """This page again, with the same filters, at the next cursor."""
    args = {**(request.view_args or {}), **request.args.to_dict(), "cursor": cursor}
    return url_for(request.endpoint, **args)
