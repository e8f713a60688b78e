"""CaseLinks: the cases topic reduced to what other services may know of a case.

The review service shows, in the view of a nomination, the open cases linked to its cadre; the
notification service needs a case's units and linked cadre to address its messages. Neither
needs, nor may hold, the description, the subject's name, the reporter's sealed identity, the
receipt digest or the messages: a CaseLinks book drops them from every fact before it keeps or
folds it, so they are in neither its memory nor its snapshot. Services never import each other;
they share this projection and the log.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from shared.application.cases.book import CaseBook, Fact
from shared.domain.supervision import events
from shared.domain.supervision.state import Case

_KEPT_SUBJECT = ("unit", "nomination_id")
_WITHHELD: dict[str, dict[str, object]] = {
    events.CLUE_RECEIVED: {"description": "", "identity_sealed": None, "receipt_digest": ""},
    events.MESSAGE_SENT_TO_REPORTER: {"text": ""},
    events.MESSAGE_RECEIVED_FROM_REPORTER: {"text": ""},
    events.IDENTITY_ACCESSED: {"reason": ""},
    events.FINDING_RECORDED: {"summary": ""},
    events.CASE_DISMISSED: {"reason": ""},
}
"""Payload fields blanked in the facts a CaseLinks book keeps."""


class CaseLinks(CaseBook):
    """A CaseBook without what only the supervision service may hold."""

    def kept_fact(self, fact: Fact) -> Fact:
        withheld = _WITHHELD.get(fact.type)
        if withheld is None:
            return fact
        payload = {**fact.payload, **withheld}
        if "subject" in payload:
            payload["subject"] = {k: v for k, v in payload["subject"].items() if k in _KEPT_SUBJECT}
        return fact._replace(payload=payload)

    def kept_case(self, case: Case) -> Case:
        subject = MappingProxyType({k: v for k, v in case.subject.items() if k in _KEPT_SUBJECT})
        return replace(case, subject=subject, messages=(), accesses=(), history=())
