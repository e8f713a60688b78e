"""The inbox in the reader's language.

An inbox entry carries the notification service's sentence in English, its event type and the
ids it is about; nothing more. The web writes its own sentence instead: each of the service's
sentence shapes is read back into its parts (post, name, stage, comment, date, ...), and the
parts go into the same sentence in the page's language. A sentence of a shape we do not know
(a newer notification service) is shown as the service wrote it.

The shapes mirror `services/notification/recipients.py` and `case_recipients.py`;
tests/unit/webfront/test_inbox_text.py renders every sentence those modules write and checks it
is read back here, so a change there fails a test here rather than going silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from services.web.i18n import label

STAGE_WORDS = {"unit": "unit", "organization department": "org_department", "Party secretary": "secretary"}
"""The words the notification service writes for a stage, back to the stage's id."""
FIELD = {
    "title": r"(?P<title>.+?)",
    "name": r"(?P<name>.+?)",
    "stage": r"(?P<stage>unit|organization department|Party secretary)",
    "next": r"(?P<next>unit|organization department|Party secretary)",
    "comment": r"(?P<comment>.*)",
    "date": r"(?P<date>\d{4}-\d{2}-\d{2})",
    "case": r"case (?P<case>\S+?)",
    "result": r"(?P<result>substantiated|partly|unsubstantiated)",
    "outcome": r"(?P<outcome>adjust|warn|educate)",
    "kind": r"(?P<kind>cadre|matter|objection)",
    "category": r"(?P<category>[^()]+)",
    "unit": r"(?P<unit>\S+?)",
    "text": r"(?P<text>.+)",
}


@dataclass(frozen=True)
class Shape:
    """One sentence the notification service writes (`{field}` marks a part) and ours for it."""

    event_type: str
    english: str
    ours: object  # a lazy msgid with %(field)s for each part
    briefly: object = None  # ours without the category, when it says no more than the kind

    @property
    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"\{(\w+)\}", self.english)
        source = "".join(FIELD[part] if i % 2 else re.escape(part) for i, part in enumerate(parts))
        return re.compile(f"^{source}$", re.DOTALL)


SHAPES = (
    # nominations (recipients.py)
    Shape(
        "NominationSubmitted",
        "The organization department put you forward for {title}; it waits at the {stage} stage.",
        _l("The organization department put you forward for %(title)s; it waits at the %(stage)s stage."),
    ),
    Shape(
        "NominationSubmitted",
        "New direct nomination of {name} for {title} in your queue.",
        _l("New direct nomination of %(name)s for %(title)s in your queue."),
    ),
    Shape(
        "NominationSubmitted",
        "Your nomination for {title} was submitted; it waits at the {stage} stage.",
        _l("Your nomination for %(title)s was submitted; it waits at the %(stage)s stage."),
    ),
    Shape(
        "NominationSubmitted",
        "New nomination of {name} for {title} in your queue.",
        _l("New nomination of %(name)s for %(title)s in your queue."),
    ),
    Shape(
        "StageApproved",
        "Your nomination for {title} passed the {stage} stage; it now waits at the {next} stage.",
        _l("Your nomination for %(title)s passed the %(stage)s stage; it now waits at the %(next)s stage."),
    ),
    Shape(
        "StageApproved",
        "Nomination of {name} for {title} in your queue.",
        _l("The nomination of %(name)s for %(title)s is in your queue."),
    ),
    Shape(
        "NominationReturned",
        "Your nomination for {title} was returned for revision: {comment}",
        _l("Your nomination for %(title)s was returned for revision: %(comment)s"),
    ),
    Shape(
        "NominationRevised",
        "{name} revised the nomination for {title}; it is back in your queue.",
        _l("%(name)s revised the nomination for %(title)s; it is back in your queue."),
    ),
    Shape(
        "NominationApproved",
        "The nomination of {name} for {title} is on public notice through {date}.",
        _l("The nomination of %(name)s for %(title)s is on public notice through %(date)s."),
    ),
    Shape(
        "NominationApproved",
        "Your nomination for {title} was approved.",
        _l("Your nomination for %(title)s was approved."),
    ),
    Shape(
        "NominationRejected",
        "Your nomination for {title} was rejected: {comment}",
        _l("Your nomination for %(title)s was rejected: %(comment)s"),
    ),
    Shape(
        "NominationWithdrawn",
        "{name} withdrew the nomination for {title}.",
        _l("%(name)s withdrew the nomination for %(title)s."),
    ),
    Shape(
        "StageOverdue",
        "Reminder: the nomination of {name} for {title} is overdue at the {stage} stage.",
        _l("Reminder: the nomination of %(name)s for %(title)s is overdue at the %(stage)s stage."),
    ),
    Shape(
        "StageOverdue",
        "Escalation: the {stage} stage of the nomination of {name} for {title} is overdue.",
        _l("Escalation: the %(stage)s stage of the nomination of %(name)s for %(title)s is overdue."),
    ),
    Shape(
        "Appointed",
        "{name} is appointed {title}: the public notice closed with no objection upheld.",
        _l("%(name)s is appointed %(title)s: the public notice closed with no objection upheld."),
    ),
    Shape(
        "ObjectionUpheld",
        "The nomination of {name} for {title} is rejected: an objection was found {result} ({case}).",
        _l("The nomination of %(name)s for %(title)s is rejected: an objection was found %(result)s (case %(case)s)."),
    ),
    # supervision cases (case_recipients.py)
    Shape(
        "ClueReceived",
        "New {kind} clue ({category}) in your scope: {case}.",
        _l("New clue in your scope (%(kind)s, %(category)s): case %(case)s."),
        _l("New clue in your scope (%(kind)s): case %(case)s."),
    ),
    Shape(
        "MessageReceivedFromReporter",
        "The reporter of {case} wrote a message.",
        _l("The reporter of case %(case)s wrote a message."),
    ),
    Shape(
        "FindingRecorded",
        "A finding about you was recorded in {case}: {result}, outcome {outcome}.",
        _l("A finding about you was recorded in case %(case)s: %(result)s; outcome: %(outcome)s."),
    ),
    Shape(
        "FindingRecorded",
        "A finding about you was recorded in {case}: {result}.",
        _l("A finding about you was recorded in case %(case)s: %(result)s."),
    ),
    Shape("FindingRecorded", "Circular: {text}", _l("Circular: %(text)s")),
    Shape(
        "FindingRecorded",
        "Education assigned ({case}): {text}. Report it done when held.",
        _l("Education assigned (case %(case)s): %(text)s. Report it done when held."),
    ),
    Shape(
        "RectificationOrdered",
        "Rectification ordered ({case}), due {date}: {text}",
        _l("Rectification ordered (case %(case)s), due %(date)s: %(text)s"),
    ),
    Shape(
        "RectificationReopened",
        "Rectification ordered ({case}), due {date}: {text}",
        _l("Rectification ordered again (case %(case)s), due %(date)s: %(text)s"),
    ),
    Shape(
        "RectificationReopened",
        "Rectification of {case} was found ineffective; supervised now by {unit}.",
        _l("The rectification of case %(case)s was found ineffective; it is supervised by %(unit)s now."),
    ),
    Shape(
        "RectificationReported",
        "{unit} reported its rectification of {case}; it waits for your evaluation.",
        _l("%(unit)s reported its rectification of case %(case)s; it waits for your evaluation."),
    ),
    Shape(
        "RectificationOverdue",
        "Escalation: Rectification of {case} by {unit} is overdue (due {date}).",
        _l("Escalation: the rectification of case %(case)s by %(unit)s is overdue (due %(date)s)."),
    ),
    Shape(
        "RectificationOverdue",
        "Rectification of {case} by {unit} is overdue (due {date}).",
        _l("The rectification of case %(case)s by %(unit)s is overdue (due %(date)s)."),
    ),
)
COMPILED = tuple((shape, shape.pattern) for shape in SHAPES)
WORDS = {"stage": "stage", "next": "stage", "result": "result", "outcome": "outcome", "kind": "kind"}
"""Parts that are API values, told in the page's words."""


def sentence(event_type: str, message: str, categories: dict[str, str] | None = None) -> str:
    """The entry's sentence in the page's language; the service's own when its shape is unknown."""
    for shape, pattern in COMPILED:
        if shape.event_type != event_type:
            continue
        found = pattern.match(message or "")
        if found:
            parts = _worded(found.groupdict(), categories or {})
            brief = shape.briefly is not None and parts.get("category") == parts.get("kind")
            return str(shape.briefly if brief else shape.ours) % parts
    return message


ERASED = "[erased]"
"""What the notification service writes for a personal text of an erased person."""


def _worded(parts: dict[str, str], categories: dict[str, str]) -> dict[str, str]:
    worded = {key: str(_l("[erased]")) if value == ERASED else value for key, value in parts.items()}
    for key, kind in WORDS.items():
        if key in parts:
            worded[key] = label(STAGE_WORDS.get(parts[key], parts[key]), kind)
    if "category" in parts:
        worded["category"] = categories.get(parts["category"], parts["category"])
    return worded


def is_notice(event_type: str, message: str) -> bool:
    """A `NominationApproved` entry that puts the nomination on public notice (v2), not an old
    final approval (v1)."""
    return event_type == "NominationApproved" and " on public notice " in (message or "")
