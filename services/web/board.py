"""The public board's figures arranged for charts: one section per breakdown (by category, by
unit, ...), one row per group, bar lengths scaled to the largest count of the section.

The supervision service sends aggregates only; a cell under 3 cases comes suppressed (null), and
is shown as such, never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COUNTS = ("received", "substantiated", "rectified", "reopened")
LABEL_KEYS = ("title", "category_title", "name", "category", "unit", "key", "id")
BAR_WIDTH = 100.0  # percent of the chart's width for the largest count


@dataclass(frozen=True)
class Row:
    label: str
    counts: dict[str, int | None]
    median_days: float | None
    category: str | None = None
    unit: str | None = None

    def width(self, metric: str, largest: int) -> float:
        value = self.counts.get(metric)
        return round(BAR_WIDTH * value / largest, 1) if value and largest else 0.0


@dataclass(frozen=True)
class Section:
    key: str
    rows: list[Row]

    @property
    def largest(self) -> int:
        return max((v for row in self.rows for v in row.counts.values() if isinstance(v, int)), default=0)


def sections(board: Any) -> list[Section]:
    """Every list of groups in the board's answer, in its order (`by_category`, `by_unit`, ...)."""
    if not isinstance(board, dict):
        return []
    found = []
    for key, value in board.items():
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            found.append(Section(key, [_row(item) for item in value]))
    return found


def _row(item: dict) -> Row:
    label = next((str(item[k]) for k in LABEL_KEYS if item.get(k) not in (None, "")), "—")
    counts = {metric: _count(item.get(metric)) for metric in COUNTS if metric in item}
    median = item.get("median_days_to_close")
    median_days = float(median) if isinstance(median, int | float) else None
    return Row(label, counts, median_days, item.get("category"), item.get("unit"))


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
