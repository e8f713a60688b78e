"""The public board: how the clues about each unit and category fare, in aggregates only.

A cell is one (category, unit) pair. It counts cases received, substantiated (a finding of
`substantiated` or `partly`), rectified (closed after an effective rectification), reopened (at
least one rectification found ineffective), and the median days from receipt to closing. No
names, no text, no ids. A cell of fewer than `MIN_CELL` cases is left out altogether (only the
number of such cells is given), so nobody can single out the one clue about a small unit.
Objections are not on the board: they concern a person on public notice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from statistics import median
from typing import Any

from shared.domain.supervision.categories import OBJECTION
from shared.domain.supervision.state import CLOSED, UPHELD_RESULTS, Case

MIN_CELL = 3
SECONDS_PER_DAY = 86400


def board(cases: Iterable[Case], titles: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`{"items": [cell, ...], "suppressed_cells": n, "min_cell": MIN_CELL}`, cells sorted by
    category then unit; `titles` maps category ids to the titles shown (the id by default)."""
    cells: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in cases:
        if case.kind != OBJECTION:
            cells[(case.category, case.unit)].append(case)
    titles = titles or {}
    shown = [_cell(category, unit, members) for (category, unit), members in sorted(cells.items())]
    for cell in shown:
        cell["category_title"] = titles.get(cell["category"], cell["category"])
        cell["title"] = f"{cell['category_title']} · {cell['unit']}"
    items = [cell for cell in shown if cell["received"] >= MIN_CELL]
    return {"items": items, "suppressed_cells": len(shown) - len(items), "min_cell": MIN_CELL}


def _cell(category: str, unit: str, cases: list[Case]) -> dict[str, Any]:
    days = [
        (case.closed_at - case.received_at).total_seconds() / SECONDS_PER_DAY
        for case in cases
        if case.status == CLOSED and case.closed_at is not None
    ]
    return {
        "category": category,
        "unit": unit,
        "received": len(cases),
        "substantiated": sum(1 for c in cases if c.finding is not None and c.finding.result in UPHELD_RESULTS),
        "rectified": sum(1 for c in cases if c.status == CLOSED and c.rounds and c.rounds[-1].effective),
        "reopened": sum(1 for c in cases if c.reopened),
        "median_days_to_close": round(median(days), 1) if days else None,
    }
