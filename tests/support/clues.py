"""Clues and supervision actions for service tests: bodies, and a caller that settles the apps."""

from __future__ import annotations

import uuid
from typing import Any


def clue_body(kind: str = "cadre", unit: str | None = None, **changes: Any) -> dict[str, Any]:
    """A valid clue of `kind` about someone (or something) of `unit`, from a named reporter."""
    unit = unit or f"unit-{uuid.uuid4().hex[:6]}"
    subjects = {
        "cadre": {"name": "Wang Wu", "unit": unit, "position": "Section chief"},
        "matter": {"unit": unit},
        "objection": {"nomination_id": uuid.uuid4().hex},
    }
    categories = {"cadre": "never-available", "matter": "traffic-and-parking", "objection": "notice-objection"}
    body: dict[str, Any] = {
        "kind": kind,
        "category": categories.get(kind, "never-available"),
        "subject": subjects.get(kind, subjects["cadre"]),
        "description": "Nobody answers the office phone; three visits in March, never there.",
        "anonymous": False,
        "reporter": {"name": "Li Si", "phone": "13800138000"},
    }
    body.update(changes)
    return body
