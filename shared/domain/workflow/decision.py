"""What a decision of the workflow is: the one event a command produces, before its envelope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Decision:
    """The one event a command produces: its type and JSON-ready payload (no envelope yet)."""

    type: str
    payload: dict[str, Any]
