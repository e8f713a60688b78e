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


def page_args(param: str = "cursor", limit: int | None = None) -> dict[str, Any]:
    """The query of a paged list: the cursor passed on from the page's `param` (the services'
    `cursor` and `next_cursor` convention), and a `limit` if not the services' default."""
    cursor = request.args.get(param, "")
    return {**({"cursor": cursor} if cursor else {}), **({"limit": limit} if limit else {})}


def unread_count() -> int | None:
    """Unread inbox entries for the header; None when unknown (the page is shown anyway)."""
    if person() is None:
        return None
    try:  # one item is enough: `unread` counts the whole inbox
        inbox = api("GET", "notification", "/api/v1/notifications", params={"limit": 1})
    except (ServiceDown, ApiError):
        return None
    unread = inbox.get("unread")
    return unread if isinstance(unread, int) else None


def page_url(cursor: str | None, param: str = "cursor") -> str:
    """This page again, with the same filters, at `cursor` (None: the first page)."""
    args = {**(request.view_args or {}), **request.args.to_dict(), param: cursor}
    return url_for(request.endpoint, **{key: value for key, value in args.items() if value is not None})


def pages(next_cursor: str | None, param: str = "cursor") -> tuple[str | None, str | None]:
    """The links of a paged list (no JavaScript): back to its first page once past it, and on to
    the next page while there is one. The services' cursors only go forward."""
    first = page_url(None, param) if request.args.get(param) else None
    return first, page_url(next_cursor, param) if next_cursor else None
