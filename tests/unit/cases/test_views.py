"""What officers, reporters and reviewers are shown of a case: never the identity or the receipt."""

import json

from shared.application.cases.views import link_view, officer_view, reporter_view, summary_view
from shared.application.personal import Opener
from shared.domain.supervision import DismissCase, MessageOfficers, MessageReporter
from shared.keys import InMemoryKeyStore
from tests.unit.domain.supervision.conftest import REPORTER, officer

CLEAR = Opener(InMemoryKeyStore(), ())  # the stories of the domain tests hold clear texts

SECRETS = ("c2VhbGVk", "scrypt$abc")  # the sealed identity and the receipt digest of the story's clue


def shown(view):
    return json.dumps(view, ensure_ascii=False)


class TestOfficerView:
    def test_the_whole_loop_without_identity_or_receipt(self, story):
        story.rectifying().reported().evaluated(False).given(
            MessageReporter(text="Thanks for the tip"), officer("city")
        )

        view = officer_view(story.state, CLEAR)

        assert view["status"] == "rectifying"
        assert view["supervising_unit"] == "city"
        assert [r["round"] for r in view["rounds"]] == [1, 2]
        assert view["rounds"][0]["effective"] is False
        assert view["due_at"] == view["rounds"][1]["due_at"]
        assert view["finding"]["outcome"] == "warn"
        assert view["messages"] == [{"from": "officer", "text": "Thanks for the tip", "at": view["updated_at"]}]
        assert view["history"][0]["actor"] == {"id": "public", "role": "public"}
        assert not any(secret in shown(view) for secret in SECRETS)
        json.dumps(view)  # JSON-ready

    def test_a_summary_line(self, story):
        story.received()

        assert summary_view(story.state)["status"] == "received"
        assert "description" not in summary_view(story.state)


class TestReporterView:
    def test_status_notes_and_messages_but_no_people(self, story):
        story.received().given(MessageReporter(text="Which office?"), officer()).given(
            MessageOfficers(text="Room 3"), REPORTER
        )
        story.accepted(cadre_id="c-9").found(result="partly")

        view = reporter_view(story.state, CLEAR)

        assert view["status"] == "found"
        assert [n["status"] for n in view["notes"]] == ["received", "investigating", "found"]
        assert view["notes"][-1]["result"] == "partly"
        assert [m["from"] for m in view["messages"]] == ["officer", "reporter"]
        text = shown(view)
        assert not any(hidden in text for hidden in (*SECRETS, "c-9", "o-1", "Wang Wu", "seen", "warn"))

    def test_a_dismissal_tells_the_reason(self, story):
        story.received().given(DismissCase(reason="outside our remit"), officer())

        assert reporter_view(story.state, CLEAR)["notes"][-1] == {
            "at": story.clock.isoformat(),
            "status": "dismissed",
            "reason": "outside our remit",
        }


class TestLinkView:
    def test_only_id_category_and_status(self, story):
        story.received().accepted()

        assert link_view(story.state) == {"case_id": "case-1", "category": "never-available", "status": "investigating"}
