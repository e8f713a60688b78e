"""The published payload types keep every field the decider writes (a tolerant reader would drop
an undeclared one silently): an event of every type goes through the codec unchanged; and the
golden examples fold."""

import json
from pathlib import Path

import pytest

from shared.contracts import supervision
from shared.domain.supervision import (
    AccessIdentity,
    CompleteEducation,
    DismissCase,
    FlagRectificationOverdue,
    MessageOfficers,
    MessageReporter,
    PublishCommitment,
    decide_commitment,
    fold,
)
from shared.events.codec import decode, encode
from shared.events.envelope import Actor, new_event
from tests.unit.domain.supervision.conftest import CUSTODIAN, REPORTER, SYSTEM, Story, clue, officer, unit_reviewer

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "events"


def every_kind_of_decision():
    loop = (
        Story()
        .received()
        .accepted()
        .found(
            circular={"units": ["unit-b"], "text": "Be reachable."},
            education={"units": ["unit-a"], "requirement": "A session."},
        )
    )
    loop.given(CompleteEducation(note="done"), unit_reviewer())
    loop.given(MessageReporter(text="Which room?"), officer()).given(MessageOfficers(text="Room 3"), REPORTER)
    loop.given(AccessIdentity(reason="witness"), CUSTODIAN).ordered()
    loop.given(FlagRectificationOverdue(round=1), SYSTEM, at=loop.state.current_round.due_at)
    loop.reported().evaluated(False).reported().evaluated(True, officer("city"))
    anonymous = Story().given(clue("objection", anonymous=True, identity_sealed=None))
    anonymous.given(DismissCase(reason="not about the notice"), officer("city"))
    commitment = decide_commitment(PublishCommitment("unit-a", "No lying flat.", "0377-1234"), None, unit_reviewer())
    return [(f.type, dict(f.payload)) for f in loop.facts + anonymous.facts] + [(commitment.type, commitment.payload)]


@pytest.mark.parametrize(
    ("event_type", "payload"), every_kind_of_decision(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_the_codec_keeps_every_field_the_decider_writes(event_type, payload):
    event = new_event(event_type, "case-1", 0, payload, Actor("o-1", "supervision_officer"))

    assert decode(encode(event)).payload == payload


def test_the_decisions_cover_every_event_type():
    assert {event_type for event_type, _ in every_kind_of_decision()} == set(supervision.PAYLOAD_TYPES)


def test_the_golden_case_events_fold_in_order():
    names = ["ClueReceived", "CaseAccepted", "FindingRecorded", "RectificationOrdered", "RectificationReported"]
    events = [decode((GOLDEN / f"{name}.v1.json").read_bytes()) for name in names]

    case = fold(events)

    assert (case.status, case.cadre_id, case.current_round.report) == (
        "evaluating",
        "c-042",
        events[-1].payload["what_was_done"],
    )
    assert json.loads((GOLDEN / "ClueReceived.v1.json").read_text())["payload"]["receipt_digest"].startswith("scrypt1$")
