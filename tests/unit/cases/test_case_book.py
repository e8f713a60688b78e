"""CaseBook (the supervision service's projection) and CaseLinks (the lean one other services fold)."""

import json

import pytest

from shared.application.cases.book import CaseBook
from shared.application.cases.links import CaseLinks
from shared.domain.supervision import MessageReporter, PublishCommitment, decide_commitment, events
from shared.events.envelope import Actor, new_event
from shared.readside.gate import Outcome
from tests.unit.domain.supervision.conftest import Story, clue, officer, unit_reviewer


def fed(projection, *stories, outcome=Outcome.APPLIED):
    """Feed the facts of `stories` to `projection` as events of the log."""
    for story in stories:
        for version, fact in enumerate(story.facts):
            stream_id = fact.payload.get("case_id", story.facts[0].payload["case_id"])
            actor = Actor(fact.actor.id, fact.actor.role)
            event = new_event(
                fact.type, stream_id, version, dict(fact.payload), actor, schema_version=1, time=fact.time
            )
            projection.apply(event, outcome)
    return projection


def story_of(case_id, **fields):
    return Story().given(clue(case_id=case_id, receipt_digest=f"digest-{case_id}", **fields))


class TestCaseBook:
    def test_folds_cases_and_finds_them_by_receipt_digest_and_cadre(self):
        one = story_of("case-1").accepted(cadre_id="c-9")
        two = story_of("case-2")

        book = fed(CaseBook(), one, two)

        assert book.get("case-1").status == "investigating"
        assert book.with_receipt("digest-case-2").case_id == "case-2"
        assert book.with_receipt("digest-unknown") is None
        assert [c.case_id for c in book.of_cadre("c-9")] == ["case-1"]

    def test_void_events_change_nothing(self):
        book = fed(CaseBook(), story_of("case-1"), outcome=Outcome.VOID)

        assert book.get("case-1") is None

    def test_listeners_hear_every_applied_case_event(self):
        heard = []
        book = CaseBook()
        book.listeners.append(lambda event, before, after: heard.append((event.type, before is None, after.status)))

        fed(book, story_of("case-1").accepted())

        assert heard == [("ClueReceived", True, "received"), ("CaseAccepted", False, "investigating")]

    def test_commitments_are_folded_per_unit(self):
        book = CaseBook()
        decision = decide_commitment(PublishCommitment("unit-a", "No lying flat.", "0377-1234"), None, unit_reviewer())
        event = new_event(
            decision.type,
            events.commitment_stream("unit-a"),
            0,
            decision.payload,
            Actor("u-1", "unit_reviewer"),
            schema_version=1,
        )

        book.apply(event, Outcome.APPLIED)

        assert book.commitments["unit-a"].supervision_phone == "0377-1234"
        assert book.cases == {}

    def test_a_snapshot_restores_the_same_cases_and_indexes(self):
        book = fed(CaseBook(), story_of("case-1").accepted().found().ordered(), story_of("case-2"))
        state = json.loads(json.dumps(book.snapshot()([])))  # through JSON, as the file keeps it

        restored = CaseBook()
        restored.restore(state)

        assert restored.cases == book.cases
        assert restored.with_receipt("digest-case-1").status == "rectifying"
        assert restored.of_cadre("c-9") == book.of_cadre("c-9")

    def test_a_foreign_snapshot_is_refused_without_change(self):
        book = fed(CaseBook(), story_of("case-1"))

        with pytest.raises(ValueError):
            book.restore({"nominations": {}})
        assert book.get("case-1") is not None


class TestCaseLinks:
    def test_open_cases_of_a_cadre_without_text_identity_or_receipt(self):
        open_one = story_of("case-1").accepted(cadre_id="c-9")
        closed = story_of("case-2").accepted(cadre_id="c-9").found(result="unsubstantiated", outcome="none")
        other = story_of("case-3").accepted(cadre_id="c-7")

        links = fed(CaseLinks(), open_one, closed, other)

        assert links.open_cases("c-9") == [
            {"case_id": "case-1", "category": "never-available", "status": "investigating"}
        ]
        kept = repr(links.cases)
        assert (
            "digest-" not in kept and "c2VhbGVk" not in kept and "Nobody answers" not in kept and "Wang Wu" not in kept
        )

    def test_an_objection_keeps_its_nomination(self):
        links = fed(CaseLinks(), Story().given(clue("objection", case_id="o-1")))

        assert links.get("o-1").nomination_id == "n-1"

    def test_its_snapshot_holds_no_text_identity_or_receipt_either(self):
        story = story_of("case-1").accepted(cadre_id="c-9")
        story.given(MessageReporter(text="Which room?"), officer())
        links = fed(CaseLinks(), story)

        state = json.dumps(links.snapshot()([]), ensure_ascii=False)
        restored = CaseLinks()
        restored.restore(json.loads(state))

        assert not any(held in state for held in ("digest-", "c2VhbGVk", "Nobody answers", "Wang Wu", "Which room"))
        assert restored.open_cases("c-9") == links.open_cases("c-9")
