"""What each kind of reader is shown of a case: JSON-ready dicts built from the folded state.

Three views, from most to least: the officers' (everything about the case and its loop, never
the reporter's identity or the receipt digest), the reporter's (status, public notes and the
messages; nothing about the investigation's people), and the link a reviewer of a nomination
sees (id, category, status: never the reporter, the receipt or the description). The texts about
people are opened for the view (`shared.application.personal`): null where redacted, and the view
says `"redacted": true`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.application.personal import Opener, Reading, case_subject_key_id
from shared.domain.supervision.state import (
    CLOSED,
    DISMISSED,
    FOUND,
    RECTIFYING,
    Assignment,
    Case,
    Entry,
    Finding,
    Message,
    Round,
)


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


PERSONAL_SUBJECT = frozenset({"name"})
"""The subject fields that are texts about a person (sealed); the unit, position or nomination are not."""


def texts_of(case: Case, opener: Opener) -> Reading:
    """The texts of a case, opened for one view (its clear texts are under its subject key)."""
    return opener.reading(case.case_id, case_subject_key_id(case.case_id))


def officer_view(case: Case, opener: Opener) -> dict[str, Any]:
    """The case as supervision officers see it."""
    texts = texts_of(case, opener)
    subject = {k: texts.text(v, k) if k in PERSONAL_SUBJECT else v for k, v in case.subject.items()}
    view = {
        "case_id": case.case_id,
        "kind": case.kind,
        "category": case.category,
        "subject": subject,
        "description": texts.text(case.description, "description"),
        "channel": case.channel,
        "anonymous": case.anonymous,
        "status": case.status,
        "unit": case.unit,
        "supervising_unit": case.supervising_unit,
        "cadre_id": case.cadre_id,
        "dismissal_reason": texts.text(case.dismissal_reason, "reason"),
        "finding": _finding(case.finding, texts),
        "rounds": [_round(r) for r in case.rounds],
        "due_at": _due_at(case),
        "overdue": case.overdue,
        "education": [_assignment(a) for a in case.education],
        "messages": [_message(m, texts) for m in case.messages],
        "history": [_entry(e) for e in case.history],
        "version": case.version,
        "received_at": _time(case.received_at),
        "updated_at": _time(case.updated_at),
        "closed_at": _time(case.closed_at),
    }
    view["redacted"] = texts.redacted
    return view


def summary_view(case: Case) -> dict[str, Any]:
    """One line of the officers' list."""
    where = {"unit": case.unit, "supervising_unit": case.supervising_unit, "channel": case.channel}
    return {**_basics(case), **where, "due_at": _due_at(case), "overdue": case.overdue}


def reporter_view(case: Case, opener: Opener) -> dict[str, Any]:
    """What the holder of the receipt sees: where the case stands, public notes, the messages."""
    texts = texts_of(case, opener)
    notes = {"notes": _public_notes(case, texts), "rectification_due_at": _due_at(case)}
    messages = [_message(m, texts) for m in case.messages]
    return {**_basics(case), **notes, "messages": messages, "redacted": texts.redacted}


def _basics(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "kind": case.kind,
        "category": case.category,
        "status": case.status,
        "received_at": _time(case.received_at),
        "updated_at": _time(case.updated_at),
    }


def _due_at(case: Case) -> str | None:
    """The due time of the round under way, while the unit has yet to report."""
    current = case.current_round
    return _time(current.due_at) if current and case.status == RECTIFYING else None


def link_view(case: Case) -> dict[str, Any]:
    """A case as the review view of a nomination lists it."""
    return {"case_id": case.case_id, "category": case.category, "status": case.status}


def _public_notes(case: Case, texts: Reading) -> list[dict[str, Any]]:
    """One note per change of status, in order: the status, and what the public may read of it
    (a dismissal's reason, a finding's result, an evaluation's verdict), never a person's name."""
    notes: list[dict[str, Any]] = []
    for entry in case.history:
        if notes and notes[-1]["status"] == entry.status:
            continue
        note: dict[str, Any] = {"at": _time(entry.at), "status": entry.status}
        if entry.status == DISMISSED:
            note["reason"] = texts.text(case.dismissal_reason, "reason")
        if entry.status in (FOUND, CLOSED) and case.finding and entry.at == case.finding.found_at:
            note["result"] = case.finding.result
        notes.append(note)
    return notes


def _finding(finding: Finding | None, texts: Reading) -> dict[str, Any] | None:
    if finding is None:
        return None
    circular = finding.circular
    return {
        "result": finding.result,
        "outcome": finding.outcome,
        "summary": texts.text(finding.summary, "summary"),
        "circular": {"units": list(circular.units), "text": circular.text} if circular else None,
        "found_at": _time(finding.found_at),
        "found_by": finding.found_by,
    }


def _round(r: Round) -> dict[str, Any]:
    return {
        "round": r.number,
        "unit": r.unit,
        "requirement": r.requirement,
        "due_days": r.due_days,
        "due_at": _time(r.due_at),
        "ordered_at": _time(r.ordered_at),
        "supervising_unit": r.supervising_unit,
        "overdue_at": _time(r.overdue_at),
        "report": r.report,
        "reported_at": _time(r.reported_at),
        "effective": r.effective,
        "evaluation_note": r.evaluation_note,
        "evaluated_at": _time(r.evaluated_at),
    }


def _assignment(a: Assignment) -> dict[str, Any]:
    done = {"done": a.is_done, "done_at": _time(a.done_at), "note": a.note}
    return {"unit": a.unit, "requirement": a.requirement, **done}


def _message(m: Message, texts: Reading) -> dict[str, Any]:
    return {"from": m.sender, "text": texts.text(m.text, "text"), "at": _time(m.at)}


def _entry(e: Entry) -> dict[str, Any]:
    return {"event": e.type, "status": e.status, "at": _time(e.at), "actor": {"id": e.actor_id, "role": e.actor_role}}
