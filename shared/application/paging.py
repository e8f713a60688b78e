"""Cursor paging, one convention for every list: `limit` (default 50, max 200) and an opaque
`cursor`; the answer is `{"items": [...], "next_cursor": "<opaque>" | null}`.

The cursor is the sort key of the last item shown (keyset paging), so items added or removed
meanwhile never shift a page: the next page starts right after that key, whatever happened. A key
is a tuple of strings, integers and aware datetimes (kept in the cursor as integer microseconds
since the epoch: exact, and JSON). Any worker can serve any page: the key is in the cursor.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import orjson

from shared.domain.workflow.errors import Invalid

T = TypeVar("T")
Key = tuple[Any, ...]
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def page(
    items: Iterable[T], key: Callable[[T], Key], limit: int, cursor: str | None, *, newest_first: bool = False
) -> tuple[list[T], str | None]:
    """One page of `items` in `key` order (descending with `newest_first`) after `cursor`, and the
    cursor of the next page (None on the last)."""
    limit = max(1, min(limit, MAX_LIMIT))
    ordered = sorted(items, key=key, reverse=newest_first)
    if cursor:
        after = _decoded(cursor)
        try:
            ordered = [
                item for item in ordered if (_plain(key(item)) < after if newest_first else _plain(key(item)) > after)
            ]
        except TypeError:  # a cursor of another list
            raise _invalid() from None
    shown = ordered[:limit]
    return shown, (_encoded(_plain(key(shown[-1]))) if len(ordered) > limit else None)


def _plain(key: Key) -> list[Any]:
    """The key with times as integer microseconds since the epoch."""
    return [(part - EPOCH) // timedelta(microseconds=1) if isinstance(part, datetime) else part for part in key]


def _encoded(position: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(position)).decode().rstrip("=")


def _decoded(cursor: str) -> list[Any]:
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        values = None
    if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
        raise _invalid()
    return values


def _invalid() -> Invalid:
    return Invalid("not a cursor of this list", details={"cursor": ["not a cursor of this list"]})
