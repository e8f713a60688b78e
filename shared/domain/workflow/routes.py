"""Stages, channels, routes and deadlines: the workflow's shape as data, not code.

A *route* is the ordered list of stage steps a nomination passes through; it is chosen by the
channel the cadre submits through. A stage name may appear more than once in a route (the
secretary channel goes secretary -> org_department -> secretary). Each stage has a due time,
counted in days from the moment its step opens.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

STAGES = ("unit", "org_department", "secretary")
"""Every review stage a route may contain."""

STAGE_ROLES = MappingProxyType({"unit": "unit_reviewer", "org_department": "org_reviewer", "secretary": "secretary"})
"""The token role that may decide at each stage."""

ESCALATION = MappingProxyType({"unit": "org_reviewer", "org_department": "secretary", "secretary": "admin"})
"""The role told ("the next level up") when a step of the stage is overdue."""

CHANNELS = ("unit", "org_department", "secretary")
"""The three submission channels: the cadre's unit, the organization department, the secretary."""

_SECTIONS = ("routes", "due_days")


@dataclass(frozen=True)
class WorkflowConfig:
    """Routes by channel and due days by stage; validated and frozen on construction.

    `routes` maps every channel to a non-empty tuple of stages; `due_days` maps every stage used
    in a route to a positive number of days (fractions allowed).
    """

    routes: Mapping[str, tuple[str, ...]]
    due_days: Mapping[str, float]

    def __post_init__(self) -> None:
        routes = _checked_routes(self.routes)
        due_days = _checked_due_days(self.due_days)
        _check_days_cover_routes(routes, due_days)
        object.__setattr__(self, "routes", MappingProxyType(routes))
        object.__setattr__(self, "due_days", MappingProxyType(due_days))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> WorkflowConfig:
        """Build a config from plain data such as parsed JSON: `{"routes": {...}, "due_days": {...}}`.

        Both sections are optional; the entries given replace the defaults of the same channel or
        stage. Raises `ValueError` naming the offending key on unknown sections, channels or
        stages, empty routes, or non-positive days.
        """
        if not isinstance(data, Mapping):
            raise ValueError("workflow config must be a mapping with 'routes' and/or 'due_days'")
        unknown = sorted(set(data) - set(_SECTIONS))
        if unknown:
            raise ValueError(f"unknown workflow config section(s): {', '.join(map(str, unknown))}")
        routes = {**DEFAULT_CONFIG.routes, **_section(data, "routes")}
        due_days = {**DEFAULT_CONFIG.due_days, **_section(data, "due_days")}
        return cls(routes=routes, due_days=due_days)

    def route_for(self, channel: str) -> tuple[str, ...]:
        """The stage steps of the route for `channel`; `ValueError` for an unknown channel."""
        if channel not in self.routes:
            raise ValueError(f"unknown channel {channel!r}; expected one of {', '.join(CHANNELS)}")
        return self.routes[channel]

    def due_at(self, stage: str, opened_at: datetime) -> datetime:
        """When a step of `stage` opened at `opened_at` falls due."""
        if stage not in self.due_days:
            raise ValueError(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")
        return opened_at + timedelta(days=self.due_days[stage])


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, Mapping):
        raise ValueError(f"workflow config {name!r} must be a mapping")
    return section


def _checked_routes(routes: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    checked = {}
    for channel, stages in routes.items():
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r} in routes; expected one of {', '.join(CHANNELS)}")
        checked[channel] = _checked_route(channel, stages)
    missing = [channel for channel in CHANNELS if channel not in checked]
    if missing:
        raise ValueError(f"no route for channel(s): {', '.join(missing)}")
    return checked


def _checked_route(channel: str, stages: Any) -> tuple[str, ...]:
    if isinstance(stages, str) or not isinstance(stages, list | tuple):
        raise ValueError(f"route for channel {channel!r} must be a list of stages")
    if not stages:
        raise ValueError(f"route for channel {channel!r} is empty")
    for stage in stages:
        if stage not in STAGES:
            expected = ", ".join(STAGES)
            raise ValueError(f"unknown stage {stage!r} in route {channel!r}; expected one of {expected}")
    return tuple(stages)


def _checked_due_days(due_days: Mapping[str, Any]) -> dict[str, float]:
    checked = {}
    for stage, days in due_days.items():
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r} in due_days; expected one of {', '.join(STAGES)}")
        if isinstance(days, bool) or not isinstance(days, int | float) or not math.isfinite(days) or days <= 0:
            raise ValueError(f"due_days for stage {stage!r} must be a positive number of days, got {days!r}")
        checked[stage] = days
    return checked


def _check_days_cover_routes(routes: Mapping[str, tuple[str, ...]], due_days: Mapping[str, float]) -> None:
    used = {stage for stages in routes.values() for stage in stages}
    missing = sorted(used - set(due_days))
    if missing:
        raise ValueError(f"no due_days for stage(s) used in a route: {', '.join(missing)}")


DEFAULT_CONFIG = WorkflowConfig(
    routes={
        "unit": ("unit", "org_department", "secretary"),
        "org_department": ("org_department", "secretary"),
        "secretary": ("secretary", "org_department", "secretary"),
    },
    due_days={"unit": 5, "org_department": 10, "secretary": 5},
)
"""The default routes and deadlines from the product brief."""
