"""Cursor paging: keyset pages that never shift, an opaque cursor, a bad cursor is a 422."""

import pytest

from shared.application.paging import page
from shared.domain.workflow.errors import Invalid


def key(n):
    return (f"{n:03d}",)


class TestPage:
    def test_walks_every_item_once_in_order(self):
        seen, cursor = [], None
        while True:
            items, cursor = page(range(7), key, 3, cursor)
            seen += items
            if cursor is None:
                break

        assert seen == list(range(7))

    def test_newest_first(self):
        items, cursor = page(range(5), key, 2, None, newest_first=True)
        more, _ = page(range(5), key, 2, cursor, newest_first=True)

        assert (items, more) == ([4, 3], [2, 1])

    def test_an_item_added_before_the_cursor_does_not_shift_the_next_page(self):
        first, cursor = page([1, 2, 3, 4], key, 2, None)
        second, _ = page([0, 1, 2, 3, 4], key, 2, cursor)

        assert (first, second) == ([1, 2], [3, 4])

    def test_the_last_page_has_no_cursor_and_the_limit_is_capped(self):
        items, cursor = page(range(300), key, 1000, None)

        assert len(items) == 200 and cursor is not None
        assert page(range(3), key, 50, None) == ([0, 1, 2], None)

    @pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", "eyJhIjoxfQ"])
    def test_a_cursor_not_made_here_is_invalid(self, cursor):
        with pytest.raises(Invalid) as refused:
            page(range(3), key, 2, cursor)
        assert "cursor" in refused.value.details
