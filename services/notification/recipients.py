"""Who is told what when a nomination event is applied (pure: state before and after in, notices out).

A recipient is a key: `person:<id>` or `role:<role>:<unit>` (`*` for any unit).

A message is composed of literal parts and personal texts (`Text`: the cadre's name, a reviewer's
comment) kept as the log holds them, sealed: the inbox and its snapshot never hold them in clear;
they are opened when the inbox is shown or an e-mail sent (`Inbox.render`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson

from shared.domain.workdays import Calendar, deadline_day
from shared.domain.workflow.routes import ESCALATION, STAGE_ROLES
from shared.domain.workflow.state import Nomination

LABELS = {"unit": "unit", "org_department": "organization department", "secretary": "Party secretary"}
LOCAL = Calendar()  # only its timezone is used: the day a notice ends, in local time


class Text(NamedTuple):
    """A personal text inside a message: its field name and its value as recorded."""

    field: str
    value: Any


Message = tuple[str | Text, ...]
"""Literal parts and personal texts, in reading order."""


@dataclass(frozen=True, slots=True)
class Notice:
    recipient: str
    message: str | Message


def composed(message: str | Message, text_of: Callable[[Text], str]) -> str:
    """The sentence of a message, each personal text told by `text_of` (opened, or `[erased]`)."""
    if isinstance(message, str):
        return message
    return "".join(part if isinstance(part, str) else text_of(part) for part in message)


def name_of(nomination: Nomination) -> Text:
    return Text("name", nomination.cadre.name)


def comment_of(payload: dict) -> Text:
    return Text("comment", payload.get("comment"))


def person(person_id: str) -> str:
    return f"person:{person_id}"


def reviewers(nomination: Nomination, stage: str) -> str:
    unit = nomination.cadre.unit if stage == "unit" else "*"
    return f"role:{STAGE_ROLES[stage]}:{unit}"


def keys_of(person_id: str, role: str, unit: str) -> set[str]:
    """Every recipient key that reaches a caller."""
    return {person(person_id), f"role:{role}:{unit}", f"role:{role}:*"}


def notices(event_type: str, payload: dict, before: Nomination | None, after: Nomination) -> list[Notice]:
    """The notices an applied event produces."""
    title = orjson.loads(after.content)["target_position"].get("title", "the post")
    cadre = person(after.cadre.id)
    stage = after.stage
    outcome = _appointment_notices(event_type, payload, after, title)
    if outcome is not None:
        return outcome
    match event_type:
        case "NominationSubmitted":
            return [
                Notice(cadre, f"Your nomination for {title} was submitted; it waits at the {_l(stage)} stage."),
                Notice(reviewers(after, stage), ("New nomination of ", name_of(after), f" for {title} in your queue.")),
            ]
        case "StageApproved":
            return [
                Notice(
                    cadre,
                    f"Your nomination for {title} passed the {_l(payload['stage'])} stage; "
                    f"it now waits at the {_l(stage)} stage.",
                ),
                Notice(reviewers(after, stage), ("Nomination of ", name_of(after), f" for {title} in your queue.")),
            ]
        case "NominationReturned":
            returned = f"Your nomination for {title} was returned for revision: "
            return [Notice(cadre, (returned, comment_of(payload)))]
        case "NominationRevised":
            return [
                Notice(
                    reviewers(after, stage),
                    (name_of(after), f" revised the nomination for {title}; it is back in your queue."),
                )
            ]
        case "NominationApproved":
            return [Notice(cadre, f"Your nomination for {title} was approved.")]
        case "NominationRejected":
            return [Notice(cadre, (f"Your nomination for {title} was rejected: ", comment_of(payload)))]
        case "NominationWithdrawn":
            was = before.stage if before else None
            return (
                [Notice(reviewers(after, was), (name_of(after), f" withdrew the nomination for {title}."))]
                if was
                else []
            )
        case "StageOverdue":
            late = payload["stage"]
            return [
                Notice(
                    reviewers(after, late),
                    (
                        "Reminder: the nomination of ",
                        name_of(after),
                        f" for {title} is overdue at the {_l(late)} stage.",
                    ),
                ),
                Notice(
                    f"role:{ESCALATION[late]}:*",
                    (
                        f"Escalation: the {_l(late)} stage of the nomination of ",
                        name_of(after),
                        f" for {title} is overdue.",
                    ),
                ),
            ]
    return []


def _appointment_notices(event_type: str, payload: dict, after: Nomination, title: str) -> list[Notice] | None:
    """The notices of a direct nomination, a public notice and its end (None for other events)."""
    name, stage = name_of(after), after.stage
    match event_type:
        case "NominationSubmitted" if after.proposer:
            told = f"The organization department put you forward for {title}; it waits at the {_l(stage)} stage."
            queued = ("New direct nomination of ", name, f" for {title} in your queue.")
            return [Notice(person(after.cadre.id), told), Notice(reviewers(after, stage), queued)]
        case "NominationApproved" if after.notice_ends_at:
            until = deadline_day(after.notice_ends_at, LOCAL).isoformat()
            return _to_all(after, ("The nomination of ", name, f" for {title} is on public notice through {until}."))
        case "Appointed":
            return _to_all(after, (name, f" is appointed {title}: the public notice closed with no objection upheld."))
        case "ObjectionUpheld":
            found = f"found {payload['result']} (case {payload['case_id']})"
            return _to_all(after, ("The nomination of ", name, f" for {title} is rejected: an objection was {found}."))
    return None


def _to_all(after: Nomination, message: Message) -> list[Notice]:
    """The cadre, whoever proposed the nomination, and the reviewers of every stage of its route."""
    people = [person(after.cadre.id)] + ([person(after.proposer)] if after.proposer else [])
    stages = dict.fromkeys(after.route)  # each stage once, in route order
    return [Notice(key, message) for key in [*people, *(reviewers(after, stage) for stage in stages)]]


def _l(stage: str | None) -> str:
    return LABELS.get(stage or "", stage or "")
