"""Objections as the supervision service records them, written straight to the cases topic.

The tests of the public notice stand in for the supervision service: they append the case events
of an objection (`ClueReceived` kind `objection`, then `FindingRecorded` or `CaseDismissed`) with
the full payloads of its contract (`shared.contracts.supervision`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import shared.contracts  # noqa: F401 - registers the case events
from shared.eventlog.port import EventLog
from shared.eventlog.topics import CASES
from shared.events.envelope import Actor, new_event

OFFICER = Actor("officer-city", "supervision_officer")


@dataclass
class Objection:
    """One objection case to a nomination, appended event by event to the cases topic."""

    log: EventLog
    nomination_id: str
    case_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    version: int = 0

    def filed(self, at: datetime) -> Objection:
        """The public filed it (web form, no identity kept)."""
        return self._append(
            "ClueReceived",
            {
                "case_id": self.case_id,
                "kind": "objection",
                "category": "notice-objection",
                "subject": {"nomination_id": self.nomination_id},
                "description": "He took a gift from a contractor last spring.",
                "channel": "web",
                "anonymous": True,
                "identity_sealed": None,
                "receipt_digest": "scrypt$stand-in",
                "unit": "city",
            },
            Actor("public", "public"),
            at,
        )

    def found(self, result: str, at: datetime) -> Objection:
        """An officer recorded the finding of the investigation."""
        summary = {"summary": "Checked with the unit and the contractor.", "circular": None, "education": None}
        payload = {"result": result, "outcome": "none", **summary, "cadre_id": None}
        return self._append("FindingRecorded", {**payload, **self._about()}, OFFICER, at)

    def dismissed(self, at: datetime) -> Objection:
        """An officer dismissed it without investigation."""
        return self._append("CaseDismissed", {"reason": "No facts given.", **self._about()}, OFFICER, at)

    def _about(self) -> dict[str, Any]:
        return {"kind": "objection", "nomination_id": self.nomination_id}

    def _append(self, type_: str, payload: dict[str, Any], actor: Actor, at: datetime) -> Objection:
        event = new_event(type_, self.case_id, self.version, payload, actor, time=at)
        self.log.append(CASES, [event])
        self.version += 1
        return self
