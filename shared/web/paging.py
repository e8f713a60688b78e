"""Cursor paging, one convention for every list: `?limit=` (default 50, at most 200) and
`?cursor=` (opaque); the answer is `{"items": [...], "next_cursor": "<opaque>" | null}`.

A list is sorted by a key that orders it totally (e.g. due time, then submission time, then id).
The cursor is the key of the last item a page showed, so the next page starts right after it
whatever was appended meanwhile: an item is never shown twice nor skipped while it stays in the
list; one added before the cursor shows up on the next pass from the start. Any worker can serve
any page: the key is in the cursor, not in the process.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import orjson
from marshmallow import Schema, fields, validate

from shared.web.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
T = TypeVar("T")


class PageQuerySchema(Schema):
    """The query of a paged list."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(1, MAX_LIMIT),
        metadata={"description": f"items per page (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})"},
    )
    cursor = fields.String(
        validate=validate.Length(max=1000),
        metadata={"description": "`next_cursor` of the previous page; omit for the first"},
    )


class PageSchema(Schema):
    """The fields of every paged answer; a list's schema adds its `items`."""

    count = fields.Integer(metadata={"description": "items on this page"})
    next_cursor = fields.String(
        allow_none=True, metadata={"description": "pass as `cursor` for the next page; null on the last"}
    )


def page(
    items: Sequence[T], key: Callable[[T], tuple[Any, ...]], query: dict[str, Any], descending: bool = False
) -> tuple[list[T], str | None]:
    """The page of `items` (sorted by `key`, descending if so) after `query["cursor"]`, and the
    cursor of the next page (None when this is the last)."""
    limit = query.get("limit", DEFAULT_LIMIT)
    start = 0
    if query.get("cursor"):
        after = _decode(query["cursor"])
        start = next((i for i, item in enumerate(items) if _beyond(_plain(key(item)), after, descending)), len(items))
    shown = list(items[start : start + limit])
    more = start + limit < len(items)
    return shown, (_encode(_plain(key(shown[-1]))) if more and shown else None)


def _beyond(position: list[Any], cursor: list[Any], descending: bool) -> bool:
    try:
        return position < cursor if descending else position > cursor
    except TypeError:  # a cursor of another list
        raise _invalid() from None


def _plain(key: tuple[Any, ...]) -> list[Any]:
    """The key with times as integer microseconds since the epoch (exact, and JSON)."""
    return [_microseconds(part) if isinstance(part, datetime) else part for part in key]


def _microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def _encode(position: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(position)).decode().rstrip("=")


def _decode(cursor: str) -> list[Any]:
    try:
        position = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise _invalid() from None
    if not isinstance(position, list):
        raise _invalid()
    return position


def _invalid() -> ApiError:
    return ApiError(422, "invalid", "the request does not match the schema", {"query": {"cursor": ["not a cursor"]}})
