"""Messages both ways between the officers and the reporter; the custodian's access to the identity."""

import pytest

from shared.domain.supervision import (
    AccessIdentity,
    Actor,
    Forbidden,
    Invalid,
    MessageOfficers,
    MessageReporter,
    NotFound,
)

from .conftest import CUSTODIAN, PUBLIC, REPORTER, clue, officer, unit_reviewer


class TestMessages:
    def test_an_officer_writes_to_the_reporter(self, story):
        story.received()

        decision = story.when(MessageReporter(text="Which office?"), officer())

        assert (decision.type, decision.payload) == ("MessageSentToReporter", {"text": "Which office?"})

    def test_the_reporter_answers_with_the_receipt(self, story):
        story.received().given(MessageReporter(text="Which office?"), officer())

        decision = story.when(MessageOfficers(text="Room 3"), REPORTER)

        assert (decision.type, decision.payload) == ("MessageReceivedFromReporter", {"text": "Room 3"})
        story.record(decision, REPORTER, story.clock)
        assert [(m.sender, m.text) for m in story.state.messages] == [
            ("officer", "Which office?"),
            ("reporter", "Room 3"),
        ]
        assert story.state.status == "received"

    def test_messages_go_on_after_the_case_is_closed(self, story):
        story.rectifying().reported().evaluated(True)

        assert story.when(MessageOfficers(text="thank you"), REPORTER).type == "MessageReceivedFromReporter"
        assert story.when(MessageReporter(text="closed: fixed"), officer()).type == "MessageSentToReporter"

    @pytest.mark.parametrize("actor", [PUBLIC, officer(), unit_reviewer(), CUSTODIAN])
    def test_only_the_reporter_writes_as_the_reporter(self, story, actor):
        story.received()

        with pytest.raises(Forbidden):
            story.when(MessageOfficers(text="hello"), actor)

    def test_an_officer_out_of_scope_may_not_write(self, story):
        story.received()

        with pytest.raises(Forbidden):
            story.when(MessageReporter(text="hi"), officer("unit-b"))

    @pytest.mark.parametrize("text", ["", "  ", "x" * 2001, None])
    def test_a_message_has_text_within_limits(self, story, text):
        story.received()

        with pytest.raises(Invalid):
            story.when(MessageOfficers(text=text), REPORTER)

    def test_no_messages_to_an_unknown_case(self, story):
        with pytest.raises(NotFound):
            story.when(MessageOfficers(text="hello"), REPORTER)


class TestIdentityAccess:
    def test_a_custodian_access_is_recorded_with_its_reason(self, story):
        story.received()

        decision = story.when(AccessIdentity(reason="witness needed by the commission"), CUSTODIAN)

        assert (decision.type, decision.payload) == ("IdentityAccessed", {"reason": "witness needed by the commission"})
        story.record(decision, CUSTODIAN, story.clock)
        assert [(a.custodian, a.reason) for a in story.state.accesses] == [("k-1", "witness needed by the commission")]

    def test_every_access_is_recorded_again(self, story):
        story.received().given(AccessIdentity(reason="one"), CUSTODIAN).given(AccessIdentity(reason="two"), CUSTODIAN)

        assert [a.reason for a in story.state.accesses] == ["one", "two"]

    @pytest.mark.parametrize(
        "actor",
        [officer(), officer("city"), Actor(id="a", role="admin"), REPORTER, PUBLIC, Actor("h", "hotline_operator")],
    )
    def test_nobody_else_opens_the_identity(self, story, actor):
        story.received()

        with pytest.raises(Forbidden):
            story.when(AccessIdentity(reason="curious"), actor)

    def test_an_anonymous_case_has_no_identity_to_open(self, story):
        story.given(clue(anonymous=True, identity_sealed=None))

        with pytest.raises(NotFound):
            story.when(AccessIdentity(reason="x"), CUSTODIAN)

    def test_others_do_not_learn_whether_a_reporter_is_anonymous(self, story):
        story.given(clue(anonymous=True, identity_sealed=None))

        with pytest.raises(Forbidden):
            story.when(AccessIdentity(reason="x"), officer())

    def test_a_reason_is_required(self, story):
        story.received()

        with pytest.raises(Invalid) as refused:
            story.when(AccessIdentity(reason=" "), CUSTODIAN)
        assert "reason" in refused.value.details
