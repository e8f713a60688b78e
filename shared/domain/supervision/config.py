"""The supervision service's rules as data: categories, the city level, limits on deadlines and text.

Deadlines are counted by a function the caller injects (`Deadline`), so the domain does not
know how working days are counted: the application binds `shared.domain.workdays` to the
configured holiday calendar; tests pass plain calendar days.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from shared.domain.supervision.categories import DEFAULT_CATEGORIES, KINDS, Category

Deadline = Callable[[datetime, int], datetime]
"""`deadline(start, days)`: the due instant `days` working days after `start` (aware datetimes)."""

TEXT_LIMITS = MappingProxyType(
    {
        "description": 5000,
        "text": 2000,  # reasons, summaries, requirements, notes, reports, messages, commitments
        "name": 200,  # subject fields, units, ids
        "phone": 32,
    }
)
"""The longest text (in characters) each kind of field may hold; the HTTP schemas use the same."""

_SECTIONS = ("categories", "city_unit", "max_due_days")


@dataclass(frozen=True)
class SupervisionConfig:
    """Validated and frozen on construction.

    `categories`: every configured category, ids unique, at least one per kind.
    `city_unit`: the unit id of the city-wide level; its officers see every case, and a case is
    escalated to it when a rectification proves ineffective.
    `max_due_days`: the longest rectification deadline an officer may set, in working days.
    """

    categories: tuple[Category, ...] = DEFAULT_CATEGORIES
    city_unit: str = "city"
    max_due_days: int = 90
    _by_id: Mapping[str, Category] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        categories = tuple(self.categories)
        object.__setattr__(self, "categories", categories)
        object.__setattr__(self, "_by_id", MappingProxyType(_checked_categories(categories)))
        if not isinstance(self.city_unit, str) or not self.city_unit.strip():
            raise ValueError("city_unit must be a non-blank unit id")
        days = self.max_due_days
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise ValueError(f"max_due_days must be a positive integer, got {days!r}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SupervisionConfig:
        """Build a config from parsed JSON: `{"categories": [{id, kind, title, title_zh?}],
        "city_unit": "city", "max_due_days": 90}`; every section is optional and replaces the
        default. Raises `ValueError` naming what is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError("supervision config must be a mapping")
        unknown = sorted(set(map(str, data)) - set(_SECTIONS))
        if unknown:
            raise ValueError(f"unknown supervision config section(s): {', '.join(unknown)}")
        values: dict[str, Any] = {key: data[key] for key in ("city_unit", "max_due_days") if key in data}
        if "categories" in data:
            values["categories"] = tuple(_category(entry) for entry in _entries(data["categories"]))
        return cls(**values)

    def category(self, category_id: str) -> Category | None:
        """The category with this id, if configured."""
        return self._by_id.get(category_id)

    def categories_of(self, kind: str) -> tuple[Category, ...]:
        """The categories of one kind, in configured order."""
        return tuple(category for category in self.categories if category.kind == kind)


def _entries(entries: Any) -> list[Any]:
    if isinstance(entries, str) or not isinstance(entries, list | tuple):
        raise ValueError("categories must be a list of {id, kind, title, title_zh?}")
    return list(entries)


def _category(entry: Any) -> Category:
    if not isinstance(entry, Mapping):
        raise ValueError(f"a category must be a mapping, got {entry!r}")
    unknown = sorted(set(map(str, entry)) - {"id", "kind", "title", "title_zh"})
    if unknown:
        raise ValueError(f"unknown category field(s): {', '.join(unknown)}")
    values = {key: entry.get(key, "") for key in ("id", "kind", "title", "title_zh")}
    for key, value in values.items():
        if not isinstance(value, str) or (key != "title_zh" and not value.strip()):
            raise ValueError(f"category {key!r} must be a non-blank string, got {value!r}")
    return Category(**values)


def _checked_categories(categories: tuple[Category, ...]) -> dict[str, Category]:
    by_id: dict[str, Category] = {}
    for category in categories:
        if category.kind not in KINDS:
            raise ValueError(f"category {category.id!r} has unknown kind {category.kind!r}")
        if category.id in by_id:
            raise ValueError(f"category id {category.id!r} is configured twice")
        by_id[category.id] = category
    missing = [kind for kind in KINDS if not any(c.kind == kind for c in categories)]
    if missing:
        raise ValueError(f"no category for kind(s): {', '.join(missing)}")
    return by_id


DEFAULT_CONFIG = SupervisionConfig()
"""The default categories, city unit `city`, rectification deadlines up to 90 working days."""
