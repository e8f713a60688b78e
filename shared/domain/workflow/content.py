"""Content rules of a nomination: what a cadre must state about themself.

Following the source, the rules ask for strengths, concrete achievements and a performance
commitment. There is deliberately no field, rule or ordering on age, years of service, academic
degree or rank; do not add one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from shared.domain.workflow.errors import Invalid

Errors = dict[str, list[str]]
BLANK = "must not be blank"


def checked_content(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Check the given content fields and return them JSON-ready (dicts and lists, known keys only).

    Raises `Invalid` whose `details` map each offending field (dotted path) to its messages.
    """
    errors: Errors = {}
    checked = {name: _CHECKERS[name](value, name, errors) for name, value in fields.items()}
    if errors:
        raise Invalid(f"invalid nomination content: {', '.join(errors)}", details=errors)
    return checked


def _text(value: Any, path: str, errors: Errors) -> str:
    if not isinstance(value, str):
        errors.setdefault(path, []).append("must be a string")
        return ""
    if not value.strip():
        errors.setdefault(path, []).append(BLANK)
    return value


def _target_position(value: Any, path: str, errors: Errors) -> dict[str, str]:
    if not isinstance(value, Mapping):
        errors.setdefault(path, []).append("must be an object with title and organization")
        return {}
    return {key: _text(value.get(key), f"{path}.{key}", errors) for key in ("title", "organization")}


def _achievements(value: Any, path: str, errors: Errors) -> list[dict[str, str]]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        errors.setdefault(path, []).append("must be a list of achievements")
        return []
    if not value:
        errors.setdefault(path, []).append("at least one achievement is required")
    return [_achievement(item, f"{path}[{i}]", errors) for i, item in enumerate(value)]


def _achievement(value: Any, path: str, errors: Errors) -> dict[str, str]:
    if not isinstance(value, Mapping):
        errors.setdefault(path, []).append("must be an object with title and description")
        return {}
    description = value.get("description", "")
    if not isinstance(description, str):
        errors.setdefault(f"{path}.description", []).append("must be a string")
    return {"title": _text(value.get("title"), f"{path}.title", errors), "description": str(description)}


_CHECKERS: dict[str, Callable[[Any, str, Errors], Any]] = {
    "statement": _text,
    "commitment": _text,
    "target_position": _target_position,
    "achievements": _achievements,
}
