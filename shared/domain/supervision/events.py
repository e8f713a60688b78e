"""The events of a supervision case and of a unit's commitment: names, meaning, payloads.

Topic `cadreflow.cases`. Key and stream id: the case id for a case; `commitment:<unit id>` for a
unit's commitment (its own small stream, so a change of commitment never races a case). Every
event type is at schema version 1. Payloads are JSON-ready: times are ISO-8601 strings with a
timezone, sequences are lists, absent optional values are null. Every command yields exactly one
event; the envelope's actor is the person who acted (`public`/`reporter` actors carry no id
beyond the role name: the log never learns who reported, nor from where).

What a consumer needs is in the payload, so most consumers need no fold of their own:
`FindingRecorded` and `CaseDismissed` repeat the case's `kind` and `nomination_id`.

Objections (for the public-notice workflow): a case with `kind=objection` and
`subject.nomination_id`. It is OPEN from `ClueReceived` until `CaseDismissed` or
`FindingRecorded`, whichever comes first (exactly one of them can happen, once). A finding with
`result` `substantiated` or `partly` blocks the appointment; `unsubstantiated` releases the hold.
An objection's finding closes the case (there is nothing for a unit to rectify).
"""

CLUE_RECEIVED = "ClueReceived"
"""A clue came in through the public form (`channel=web`) or the hotline (`channel=hotline`).
Payload: case_id, kind (cadre|matter|objection), category, subject ({name, unit, position} |
{unit} | {nomination_id}), description, channel, anonymous (bool), identity_sealed (the
reporter's {name, phone} sealed with the case's own key, base64 text; null when anonymous),
receipt_digest (the slow keyed hash of the receipt; never the receipt), unit (the unit the case
is about; the city for an objection). Status: received."""

CASE_ACCEPTED = "CaseAccepted"
"""An officer took the case up for investigation. Payload: cadre_id (the `sub` of the cadre the
case is about, for a cadre case; else null). Status: investigating."""

CASE_DISMISSED = "CaseDismissed"
"""An officer dismissed the clue without investigation (terminal). Payload: reason, kind,
nomination_id (null unless an objection). Status: dismissed."""

FINDING_RECORDED = "FindingRecorded"
"""The investigation's finding. Payload: result (substantiated|partly|unsubstantiated), outcome
(adjust|warn|educate|none; none unless a cadre case with an upheld result), summary, circular
({units: [unit], text} | null: a 通报 to the cadres of those units), education ({units: [unit],
requirement} | null: each unit must report it done), cadre_id (the linked cadre or null), kind,
nomination_id (null unless an objection). Status: found; closed when unsubstantiated or an
objection."""

RECTIFICATION_ORDERED = "RectificationOrdered"
"""An officer ordered a unit to rectify. Payload: round (1), unit (the responsible unit),
requirement, due_days (working days), due_at, supervising_unit. Status: rectifying."""

RECTIFICATION_REPORTED = "RectificationReported"
"""The responsible unit reported what it did. Payload: round, unit, what_was_done.
Status: evaluating."""

RECTIFICATION_CONFIRMED = "RectificationConfirmed"
"""An officer evaluated the rectification as effective (terminal). Payload: round, note.
Status: closed."""

RECTIFICATION_REOPENED = "RectificationReopened"
"""An officer evaluated the rectification as ineffective: the next round is ordered at once and
the case is escalated one level (a unit's case to the city). Payload: round (the evaluated one),
note, next_round, unit, requirement, due_days, due_at, supervising_unit (the new level).
Status: rectifying."""

RECTIFICATION_OVERDUE = "RectificationOverdue"
"""The current round passed its due time without a report; recorded once per round by the
deadline scanner. Payload: round, unit, due_at, supervising_unit. Status unchanged."""

EDUCATION_COMPLETED = "EducationCompleted"
"""A unit named in the finding's education assignment reported it done. Payload: unit, note.
Status unchanged."""

MESSAGE_SENT_TO_REPORTER = "MessageSentToReporter"
"""An officer wrote to the reporter (a question, or a public note); the reporter reads it with
the receipt, nothing is pushed. Payload: text. Status unchanged."""

MESSAGE_RECEIVED_FROM_REPORTER = "MessageReceivedFromReporter"
"""The reporter, holding the receipt, wrote to the officers. Payload: text. Status unchanged."""

IDENTITY_ACCESSED = "IdentityAccessed"
"""A custodian opened the reporter's identity for a stated reason; recorded before it is shown.
Payload: reason. Status unchanged."""

CASE_EVENT_TYPES = (
    CLUE_RECEIVED,
    CASE_ACCEPTED,
    CASE_DISMISSED,
    FINDING_RECORDED,
    RECTIFICATION_ORDERED,
    RECTIFICATION_REPORTED,
    RECTIFICATION_CONFIRMED,
    RECTIFICATION_REOPENED,
    RECTIFICATION_OVERDUE,
    EDUCATION_COMPLETED,
    MESSAGE_SENT_TO_REPORTER,
    MESSAGE_RECEIVED_FROM_REPORTER,
    IDENTITY_ACCESSED,
)
"""Every event type of a case stream."""

COMMITMENT_PUBLISHED = "CommitmentPublished"
"""A unit's reviewer published (or replaced) the unit's commitment not to lie flat. Stream
`commitment:<unit>`. Payload: unit, text, supervision_phone."""

COMMITMENT_STREAM_PREFIX = "commitment:"
"""Stream ids of commitments: this prefix and the unit id."""


def commitment_stream(unit: str) -> str:
    """The stream id of a unit's commitment."""
    return f"{COMMITMENT_STREAM_PREFIX}{unit}"
