"""HTML forms <-> API bodies. A field's `name` is the API's field path (`target_position.title`,
`achievements.0.description`), so an API's 422 details land beside the field they are about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from services.web.backend import ApiError

MIN_ACHIEVEMENT_ROWS = 3
MAX_ACHIEVEMENT_ROWS = 20
FORM_LEVEL = "_form"


def field_errors(error: ApiError) -> dict[str, list[str]]:
    """The API's field details flattened to dotted paths; what names no field goes under `_form`."""
    details = error.details
    if isinstance(details, Mapping) and set(details) <= {"json", "query", "headers"}:
        details = {k: v for part in details.values() if isinstance(part, Mapping) for k, v in part.items()}
    flat: dict[str, list[str]] = {}
    _flatten(details, "", flat)
    if not flat:
        flat[FORM_LEVEL] = [error.message or error.code]
    return flat


def _flatten(value: Any, prefix: str, into: dict[str, list[str]]) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        into.setdefault(prefix or FORM_LEVEL, []).extend(value)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _flatten(inner, f"{prefix}.{index}", into)
    elif value not in (None, ""):
        into.setdefault(prefix or FORM_LEVEL, []).append(str(value))


def achievement_rows(form: Mapping[str, str], extra: int = 0) -> list[dict[str, str]]:
    """The achievement rows a form shows: those posted (kept in place, so errors still point at
    them) plus `extra` empty ones, at least MIN_ACHIEVEMENT_ROWS, at most MAX_ACHIEVEMENT_ROWS."""
    posted = int(form.get("achievement_rows") or 0)
    count = min(MAX_ACHIEVEMENT_ROWS, max(MIN_ACHIEVEMENT_ROWS, posted + extra))
    return [
        {
            "title": form.get(f"achievements.{i}.title", ""),
            "description": form.get(f"achievements.{i}.description", ""),
        }
        for i in range(count)
    ]


def achievements_body(form: Mapping[str, str]) -> list[dict[str, str]]:
    """The achievements to send: the filled rows, in order. Empty rows are left out; a row with a
    description but no title is sent as it is, so the API's error points at its title."""
    rows = achievement_rows(form)
    return [row for row in rows if row["title"].strip() or row["description"].strip()]


def nomination_body(form: MultiDict, include_channel: bool = True) -> dict[str, Any]:
    """A submission (or a full revision) from the nomination form."""
    body: dict[str, Any] = {
        "target_position": {
            "title": form.get("target_position.title", "").strip(),
            "organization": form.get("target_position.organization", "").strip(),
        },
        "statement": form.get("statement", "").strip(),
        "achievements": achievements_body(form),
        "commitment": form.get("commitment", "").strip(),
    }
    if include_channel:
        body["channel"] = form.get("channel", "")
    return body


def renumbered_errors(errors: dict[str, list[str]], form: Mapping[str, str]) -> dict[str, list[str]]:
    """Point `achievements.<i>` errors of the sent list back at the rows of the form (empty rows
    were left out of what was sent, so the indexes differ)."""
    rows = achievement_rows(form)
    sent = [i for i, row in enumerate(rows) if row["title"].strip() or row["description"].strip()]
    fixed: dict[str, list[str]] = {}
    for path, messages in errors.items():
        parts = path.split(".")
        if len(parts) >= 2 and parts[0] == "achievements" and parts[1].isdigit() and int(parts[1]) < len(sent):
            parts[1] = str(sent[int(parts[1])])
        fixed.setdefault(".".join(parts), []).extend(messages)
    return fixed
