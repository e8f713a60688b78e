"""evolve and fold: what each event changes, the history, tolerance of unknown events."""

import pytest

from shared.domain.supervision import evolve, fold

from .conftest import PUBLIC, T0, FakeFact, clue


class TestEvolve:
    def test_an_empty_stream_is_no_case(self):
        assert fold([]) is None

    def test_a_stream_starts_with_a_clue(self):
        with pytest.raises(ValueError, match="starts with ClueReceived"):
            evolve(None, FakeFact("CaseAccepted", {"cadre_id": None}, T0, PUBLIC))

    def test_a_case_is_received_only_once(self, story):
        story.received()

        with pytest.raises(ValueError, match="already"):
            evolve(story.state, story.facts[0])

    def test_unknown_event_types_count_but_change_nothing(self, story):
        story.received()
        before = story.state

        after = evolve(before, FakeFact("CaseRenamed", {"x": 1}, T0, PUBLIC))

        assert after.version == 2
        assert (after.status, after.history) == (before.status, before.history)

    def test_the_history_records_who_did_what_and_the_status_after(self, story):
        story.received().accepted()

        entries = [(e.type, e.status, e.actor_role) for e in story.state.history]
        assert entries == [
            ("ClueReceived", "received", "public"),
            ("CaseAccepted", "investigating", "supervision_officer"),
        ]

    def test_the_subject_cannot_be_changed_through_the_state(self, story):
        story.received()

        with pytest.raises(TypeError):
            story.state.subject["name"] = "someone else"

    def test_the_sealed_identity_and_receipt_digest_are_kept_for_the_application(self, story):
        story.given(clue(identity_sealed="c2VhbGVk", receipt_digest="d1"))

        assert (story.state.identity_sealed, story.state.receipt_digest, story.state.anonymous) == (
            "c2VhbGVk",
            "d1",
            False,
        )

    def test_an_objection_knows_its_nomination(self, story):
        story.received("objection")

        assert story.state.nomination_id == "n-1"
        assert story.state.cadre_id is None
