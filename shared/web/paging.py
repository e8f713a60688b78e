"""Cursor paging over HTTP: the query and the answer's fields every paged list shares. The pages
themselves are cut by `shared.application.paging.page`.

One convention for every list: `?limit=` (default 50, at most 200) and
`?cursor=` (opaque); the answer is `{"items": [...], "next_cursor": "<opaque>" | null}`.

A list is sorted by a key that orders it totally (e.g. due time, then submission time, then id).
The cursor is the key of the last item a page showed, so the next page starts right after it
whatever was appended meanwhile: an item is never shown twice nor skipped while it stays in the
list; one added before the cursor shows up on the next pass from the start. Any worker can serve
any page: the key is in the cursor, not in the process.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.application.paging import DEFAULT_LIMIT, MAX_LIMIT


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
