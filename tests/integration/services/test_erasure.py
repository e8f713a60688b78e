"""Erasure that keeps the trail, through HTTP on both backends: a cadre's nomination goes through
review and a supervision case about them through the loop; their texts are stored only sealed (in
the log, the SQLite file, the snapshots); an admin erases them; every view then shows the whole
decision trail with their personal texts null and `redacted: true`, and the hash chain verifies."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from shared.application.personal import ERASED, case_subject_key_id, person_key_id
from tests.support.clues import clue_body
from tests.support.people import nomination_body, person_factory
from tests.support.stored import stored


def marked(what: str) -> str:
    """A text no other test writes: searchable in every byte stored."""
    return f"{what} {uuid.uuid4().hex[:10]}"


class Story:
    """A cadre, a nomination of theirs decided to its end, and a closed case linked to them."""

    def __init__(self, services, cast) -> None:
        self.services, self.cast = services, cast
        self.texts = {
            "statement": marked("statement"),
            "title": marked("achievement"),
            "description": marked("how"),
            "commitment": marked("commitment"),
            "returned": marked("returned because"),
            "revised": marked("revised statement"),
            "approved": marked("approved because"),
            "rejected": marked("rejected because"),
            "subject": marked("Zhang Min"),
            "clue": marked("never in the office"),
            "question": marked("which office"),
            "answer": marked("room 3"),
            "summary": marked("absent on 9 of 20 days"),
        }
        self.officer = person_factory("supervision_officer", cast.cadre.unit)

    def nomination(self) -> str:
        t, cast, services = self.texts, self.cast, self.services
        achievements = [{"title": t["title"], "description": t["description"]}]
        body = nomination_body(statement=t["statement"], achievements=achievements, commitment=t["commitment"])
        nid = services.submit(cast.cadre, **body)["nomination_id"]
        assert services.decide(cast.unit_reviewer, nid, "unit", "return", comment=t["returned"]).status_code == 200
        revised = services.nomination.post(
            f"/api/v1/nominations/{nid}/revision", json={"statement": t["revised"]}, headers=cast.cadre.headers
        )
        assert revised.status_code == 200, revised.json
        assert services.decide(cast.unit_reviewer, nid, "unit", comment=t["approved"]).status_code == 200
        rejected = services.decide(cast.org_reviewer, nid, "org_department", "reject", comment=t["rejected"])
        assert rejected.status_code == 200, rejected.json
        return nid

    def case(self) -> tuple[str, str]:
        t, services = self.texts, self.services
        subject = {"name": t["subject"], "unit": self.cast.cadre.unit, "position": "Section chief"}
        filed = services.supervision.post("/api/v1/clues", json=clue_body(subject=subject, description=t["clue"]))
        assert filed.status_code == 201, filed.json
        case_id, receipt = filed.json["case_id"], filed.json["receipt"]
        services.settle()
        self.act(case_id, "accept", cadre_id=self.cast.cadre.id)
        self.act(case_id, "message", text=t["question"])
        answer = services.supervision.post(
            "/api/v1/clues/messages", json={"text": t["answer"]}, headers={"X-Receipt": receipt}
        )
        assert answer.status_code == 201, answer.json
        self.act(case_id, "finding", result="unsubstantiated", summary=t["summary"])
        return case_id, receipt

    def act(self, case_id: str, action: str, **fields) -> None:
        answer = self.services.supervision.post(
            f"/api/v1/cases/{case_id}/actions", json={"action": action, **fields}, headers=self.officer.headers
        )
        assert answer.status_code == 200, answer.json
        self.services.settle()

    def erase(self, who=None):
        answer = self.services.review.post(
            f"/api/v1/people/{self.cast.cadre.id}/erasure", headers=(who or self.cast.admin).headers
        )
        self.services.settle()
        return answer


@pytest.fixture
def story(services, cast) -> Story:
    return Story(services, cast)


class TestErasure:
    def test_texts_are_stored_sealed_and_after_erasure_every_view_keeps_the_trail_redacted(
        self, services, cast, story, app_factory, tmp_path
    ) -> None:
        nid = story.nomination()
        case_id, receipt = story.case()
        texts = [*story.texts.values(), cast.cadre.name]
        cadre, admin = cast.cadre.headers, cast.admin.headers

        everything = stored(services, app_factory, tmp_path, ("nomination", "review", "notification", "supervision"))
        assert nid.encode() in everything and case_id.encode() in everything  # the search reaches them
        assert [t for t in texts if t.encode() in everything] == []
        before = services.nomination.get(f"/api/v1/nominations/{nid}", headers=cadre).json
        assert (before["statement"], before["cadre"]["name"], before["redacted"]) == (
            story.texts["revised"],
            cast.cadre.name,
            False,
        )

        assert story.erase(cast.org_reviewer).status_code == 403
        erased = story.erase()

        assert erased.status_code == 200, erased.json
        assert erased.json["keys"] == [person_key_id(cast.cadre.id), case_subject_key_id(case_id)]
        assert (erased.json["erased_by"], erased.json["nominations"], erased.json["cases"]) == (
            cast.admin.id,
            [nid],
            [case_id],
        )
        self.the_nomination_keeps_its_trail_redacted(services, cast, nid)
        self.the_case_keeps_its_loop_redacted(services, story, case_id, receipt)
        self.the_inboxes_read_erased(services, cast, nid)
        assert story.erase().json == erased.json  # idempotent: the first erasure
        again = services.nomination.post("/api/v1/nominations", json=nomination_body(), headers=cadre)
        assert (again.status_code, again.json["error"]["code"]) == (409, "person_erased")
        verdict = services.nomination.get(f"/api/v1/nominations/{nid}/verify", headers=admin).json
        assert verdict["valid"] is True and verdict["problems"] == [] and verdict["events"] == 5, verdict
        key_dir = Path(services.apps[0].config["CADREFLOW_CONFIG"].key_dir)
        assert (key_dir / person_key_id(cast.cadre.id)).read_bytes() == b""  # a tombstone

    @staticmethod
    def the_nomination_keeps_its_trail_redacted(services, cast, nid: str) -> None:
        for client, headers, path in [
            (services.nomination, cast.cadre.headers, f"/api/v1/nominations/{nid}"),
            (services.review, cast.admin.headers, f"/api/v1/reviews/{nid}"),
        ]:
            view = client.get(path, headers=headers).json
            assert view["redacted"] is True and view["status"] == "rejected", view
            assert view["cadre"] == {"id": cast.cadre.id, "name": None, "unit": cast.cadre.unit}
            assert (view["statement"], view["commitment"]) == (None, None)
            assert view["achievements"] == [{"title": None, "description": None}]
            assert view["target_position"]["title"] == "Deputy director"  # the post is no personal text
            assert [(s["stage"], s["decision"], s["reviewer"], s["comment"]) for s in view["history"]] == [
                ("unit", "return", cast.unit_reviewer.id, None),
                ("unit", "approve", cast.unit_reviewer.id, None),
                ("org_department", "reject", cast.org_reviewer.id, None),
            ]
        trail = services.nomination.get(f"/api/v1/nominations/{nid}/events", headers=cast.cadre.headers).json
        assert [(e["type"], e["outcome"], e["redacted"]) for e in trail["items"]] == [
            ("NominationSubmitted", "applied", True),
            ("NominationReturned", "applied", True),
            ("NominationRevised", "applied", True),
            ("StageApproved", "applied", True),
            ("NominationRejected", "applied", True),
        ]
        submitted = trail["items"][0]["payload"]
        assert (submitted["cadre"]["name"], submitted["statement"], submitted["channel"]) == (None, None, "unit")

    @staticmethod
    def the_case_keeps_its_loop_redacted(services, story: Story, case_id: str, receipt: str) -> None:
        view = services.supervision.get(f"/api/v1/cases/{case_id}", headers=story.officer.headers).json
        assert view["redacted"] is True and view["status"] == "closed", view
        assert view["subject"] == {"name": None, "unit": story.cast.cadre.unit, "position": "Section chief"}
        assert (view["description"], view["finding"]["summary"], view["finding"]["result"]) == (
            None,
            None,
            "unsubstantiated",
        )
        assert [(m["from"], m["text"]) for m in view["messages"]] == [("officer", None), ("reporter", None)]
        assert [e["event"] for e in view["history"]][:2] == ["ClueReceived", "CaseAccepted"]
        followed = services.supervision.get("/api/v1/clues/status", headers={"X-Receipt": receipt}).json
        assert followed["redacted"] is True and {m["text"] for m in followed["messages"]} == {None}
        refused = services.supervision.post(
            f"/api/v1/cases/{case_id}/actions",
            json={"action": "message", "text": "more?"},
            headers=story.officer.headers,
        )
        assert (refused.status_code, refused.json["error"]["code"]) == (409, "person_erased")

    @staticmethod
    def the_inboxes_read_erased(services, cast, nid: str) -> None:
        items = services.notification.get("/api/v1/notifications", headers=cast.cadre.headers).json["items"]
        returned = next(i for i in items if i["event_type"] == "NominationReturned")
        assert returned["redacted"] is True and returned["message"].endswith(f"returned for revision: {ERASED}")
        queue = services.notification.get("/api/v1/notifications", headers=cast.unit_reviewer.headers).json["items"]
        submitted = next(i for i in queue if i["nomination_id"] == nid and i["event_type"] == "NominationSubmitted")
        assert submitted["message"].startswith(f"New nomination of {ERASED} for Deputy director")

    def test_a_person_with_a_nomination_under_way_is_not_erased(self, services, cast, story) -> None:
        nid = services.submit(cast.cadre)["nomination_id"]

        refused = story.erase()

        assert refused.status_code == 409
        assert refused.json["error"]["code"] == "erasure_blocked"
        assert refused.json["error"]["details"] == {"open_nominations": [nid], "open_cases": []}
        view = services.nomination.get(f"/api/v1/nominations/{nid}", headers=cast.cadre.headers).json
        assert view["redacted"] is False and view["cadre"]["name"] == cast.cadre.name

    def test_a_person_never_erased_is_not_found_as_erased(self, services, cast) -> None:
        answer = services.review.get(f"/api/v1/people/{cast.cadre.id}/erasure", headers=cast.admin.headers)
        assert answer.status_code == 404
