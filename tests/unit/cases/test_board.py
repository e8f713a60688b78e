"""The public board: aggregates by category and unit, small cells suppressed, no names or text."""

import json
from datetime import timedelta

from shared.application.cases.board import board
from tests.unit.domain.supervision.conftest import Story, clue, officer


def case(n, unit="unit-a"):
    """A received cadre case about a person of `unit`."""
    return Story().given(clue(case_id=f"case-{n}", subject={"name": f"Person {n}", "unit": unit})).state


def loop(n, *, reopen=False, result="substantiated"):
    story = Story()
    story.given(clue(case_id=f"case-{n}"))
    story.accepted()
    if result == "unsubstantiated":
        return story.found(result=result, outcome="none").state
    story.found(result=result).ordered()
    story.clock += timedelta(days=2)
    if reopen:
        story.reported().evaluated(False, officer("unit-a"))
        return story.reported().evaluated(True, officer("city")).state
    return story.reported().evaluated(True).state


class TestBoard:
    def test_counts_a_cell_of_three_or_more(self):
        cases = [loop(1), loop(2, reopen=True), loop(3, result="unsubstantiated"), case(4)]

        result = board(cases)

        assert result["suppressed_cells"] == 0
        (cell,) = result["items"]
        assert {k: cell[k] for k in ("category", "unit", "received", "substantiated", "rectified", "reopened")} == {
            "category": "never-available",
            "unit": "unit-a",
            "received": 4,
            "substantiated": 2,
            "rectified": 2,
            "reopened": 1,
        }
        assert cell["median_days_to_close"] > 0

    def test_each_cell_has_a_title_for_charts(self):
        (cell,) = board([case(1), case(2), case(3)], {"never-available": "Never there"})["items"]

        assert (cell["category_title"], cell["title"]) == ("Never there", "Never there · unit-a")

    def test_small_cells_are_left_out_entirely(self):
        cases = [case(1), case(2), case(3), case(4, unit="unit-small"), case(5, unit="unit-small")]

        result = board(cases)

        assert [c["unit"] for c in result["items"]] == ["unit-a"]
        assert result["suppressed_cells"] == 1
        assert "unit-small" not in json.dumps(result)

    def test_no_names_or_text(self):
        text = json.dumps(board([case(1), case(2), case(3)]), ensure_ascii=False)

        assert "Person" not in text and "phone" not in text and "case-" not in text

    def test_objections_are_not_on_the_board(self):
        cases = [Story().given(clue("objection", case_id=f"o-{n}")).state for n in range(4)]

        assert board(cases)["items"] == []
