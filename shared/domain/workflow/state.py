"""The state of one nomination, as folded from its events. Immutable: every change is a new value.

Person, Step and Nomination are named tuples: folding a long log builds millions of them, and a
tuple is built and copied with one change (`_replace`) several times faster than a frozen dataclass.

What the cadre wrote (target position, statement, achievements, commitment) is shown, never
reasoned on, so a nomination keeps it as one compact JSON value (`content`, UTF-8 bytes) and parses
it when it is read: a hundred thousand nominations then hold a few bytes objects instead of millions
of strings and dicts. Every read returns fresh dicts; the state itself cannot be changed through
them. The standard library writes it here; a layer above may pass a faster writer of the same
format (`JsonEncoder`) to `evolve`, since any JSON reader reads the result.

The personal texts (the cadre's name, what they wrote, reviewers' comments, a withdrawal's reason)
are held as the log holds them (`shared.domain.personal`): sealed, or clear in old events.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from shared.domain.personal import PersonalText

IN_REVIEW = "in_review"
RETURNED = "returned"
ON_NOTICE = "on_notice"
"""Every step approved; on public notice (公示) until `notice_ends_at`, or past it while an
objection is open. Not terminal: it ends appointed (`approved`) or `rejected` by an objection."""
APPROVED = "approved"
"""Appointed (after a clean notice window), or approved before public notice existed (old logs)."""
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
STATUSES = (IN_REVIEW, RETURNED, ON_NOTICE, APPROVED, REJECTED, WITHDRAWN)
TERMINAL_STATUSES = frozenset({APPROVED, REJECTED, WITHDRAWN})

APPROVE = "approve"
RETURN = "return"
REJECT = "reject"
DECISIONS = (APPROVE, RETURN, REJECT)
"""What a reviewer may decide at the active step."""

CADRE_ROLE = "cadre"
ORG_ROLE = "org_reviewer"
"""The organization department: it may also put an outstanding cadre forward directly."""
SYSTEM_ROLE = "system"
"""The role of timers (the deadline scanner, the notice timer)."""


class Person(NamedTuple):
    """The cadre nominated (by themself, or directly by the organization department): person
    id, display name (a personal text: sealed from schema version 2 on) and unit id."""

    id: str
    name: PersonalText
    unit: str


@dataclass(frozen=True, slots=True)
class Actor:
    """Who issues a command: person id, token role, unit id (if any) and display name."""

    id: str
    role: str
    unit: str | None = None
    name: str = ""


class Step(NamedTuple):
    """One opening of a stage step of the route.

    `index` is the position in the route. A step re-opened after a revision appears again in the
    history with the same index, after the entry that holds its "return" decision.
    """

    index: int  # type: ignore[assignment]  # the route position; it hides tuple.index, never used on a Step
    stage: str
    opened_at: datetime
    due_at: datetime
    decision: str | None = None
    reviewer: str | None = None
    comment: PersonalText | None = None
    decided_at: datetime | None = None
    overdue_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """True while no decision has been taken at this opening of the step."""
        return self.decision is None


CONTENT_FIELDS = ("target_position", "statement", "achievements", "commitment", "justification")
"""`justification` only in a direct nomination: why the organization department puts the cadre forward."""
JsonEncoder = Callable[[Any], bytes]
"""Writes a JSON-ready value as compact JSON in UTF-8."""
_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))


def dumps(value: Any) -> bytes:
    """`value` as compact JSON in UTF-8, by the standard library (the default `JsonEncoder`)."""
    return _JSON.encode(value).encode()


def encode_content(fields: Mapping[str, Any], encode: JsonEncoder = dumps) -> bytes:
    """The `content` value of the content fields present in `fields` (JSON-ready values)."""
    return encode({name: fields[name] for name in CONTENT_FIELDS if name in fields})


class Nomination(NamedTuple):
    """A self-nomination and where it stands.

    `step` is the route index of the active step (or of the last one once terminal); `history`
    lists every opening of a step in order, the last entry being the active one; `version` counts
    the events folded so far; `overdue` is true while the active step is flagged overdue and
    still waits for a reviewer.
    """

    nomination_id: str
    version: int
    cadre: Person
    channel: str
    content: bytes
    """JSON object of the content fields, in `CONTENT_FIELDS` order (see `encode_content`)."""
    status: str
    route: tuple[str, ...]
    step: int
    history: tuple[Step, ...]
    submitted_at: datetime
    updated_at: datetime
    withdrawal_reason: PersonalText | None = None
    overdue: bool = False
    notice_ends_at: datetime | None = None
    """End of the public notice window (set when the last step is approved)."""
    appointed_at: datetime | None = None
    """When the appointment was recorded (the clean window closed)."""
    objection_case: str | None = None
    """The case id of the objection that stopped the appointment (status `rejected`)."""
    proposer: str | None = None
    """The organization-department reviewer who put the cadre forward directly (route `direct`)."""

    @property
    def is_terminal(self) -> bool:
        """True once approved, rejected or withdrawn: no command is accepted any more."""
        return self.status in TERMINAL_STATUSES

    def contents(self) -> dict[str, Any]:
        """The content fields, freshly parsed (the caller owns the dicts)."""
        fields: dict[str, Any] = json.loads(self.content)
        return fields

    @property
    def target_position(self) -> Mapping[str, Any]:
        position: Mapping[str, Any] = self.contents()["target_position"]
        return position

    @property
    def statement(self) -> PersonalText:
        statement: PersonalText = self.contents()["statement"]
        return statement

    @property
    def achievements(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(self.contents()["achievements"])

    @property
    def commitment(self) -> PersonalText:
        commitment: PersonalText = self.contents()["commitment"]
        return commitment

    @property
    def active_step(self) -> Step | None:
        """The current step (awaiting a reviewer, or returned to the cadre); None on notice and
        once terminal."""
        if self.is_terminal or self.status == ON_NOTICE or not self.history:
            return None
        return self.history[-1]

    @property
    def stage(self) -> str | None:
        """The stage name of the active step; None on notice and once terminal."""
        step = self.active_step
        return step.stage if step else None

    @property
    def is_last_step(self) -> bool:
        """True when the active (or last) step is the last one of the route."""
        return self.step == len(self.route) - 1
