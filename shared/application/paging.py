"""Cursor paging, one convention for every list: `limit` (default 50, max 200) and an opaque
`cursor`; the answer is `{"items": [...], "next_cursor": "<opaque>" | null}`.

The cursor is the sort key of the last item shown (keyset paging), so items added or removed
meanwhile never shift a page: the next page starts right after that key, whatever happened.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from typing import TypeVar

from shared.domain.workflow.errors import Invalid

T = TypeVar("T")
Key = tuple[str, ...]
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def page(
    items: Iterable[T], key: Callable[[T], Key], limit: int, cursor: str | None, *, newest_first: bool = False
) -> tuple[list[T], str | None]:
    """One page of `items` in `key` order (descending with `newest_first`) after `cursor`, and the
    cursor of the next page (None on the last)."""
    limit = max(1, min(limit, MAX_LIMIT))
    ordered = sorted(items, key=key, reverse=newest_first)
    if cursor:
        after = _decoded(cursor)
        ordered = [item for item in ordered if (key(item) < after if newest_first else key(item) > after)]
    shown = ordered[:limit]
    return shown, (_encoded(key(shown[-1])) if len(ordered) > limit else None)


def _encoded(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key), separators=(",", ":")).encode()).decode().rstrip("=")


def _decoded(cursor: str) -> Key:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        values = None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise Invalid("not a cursor of this list", details={"cursor": ["not a cursor of this list"]})
    return tuple(values)
