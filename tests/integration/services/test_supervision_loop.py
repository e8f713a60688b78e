"""Supervision through HTTP on both backends: a clue from the public form through the closed loop
to closed-after-effective-rectification, with the reporter, the units, the cadre and the reviewers
of a nomination told or shown what is theirs."""

from __future__ import annotations

import pytest

from tests.support.clues import clue_body
from tests.support.people import person_factory


@pytest.fixture
def people():
    unit = f"unit-{person_factory('x').id[-6:]}"
    return {
        "unit": unit,
        "officer": person_factory("supervision_officer", unit),
        "city": person_factory("supervision_officer", "city"),
        "unit_reviewer": person_factory("unit_reviewer", unit),
        "cadre": person_factory("cadre", unit),
        "custodian": person_factory("custodian", "city"),
    }


def file_clue(services, **changes) -> tuple[str, str]:
    answer = services.supervision.post("/api/v1/clues", json=clue_body(**changes))
    assert answer.status_code == 201, answer.json
    services.settle()
    return answer.json["case_id"], answer.json["receipt"]


def act(services, who, case_id: str, action: str, **fields):
    answer = services.supervision.post(
        f"/api/v1/cases/{case_id}/actions", json={"action": action, **fields}, headers=who.headers
    )
    services.settle()
    return answer


def inbox(services, who) -> list[dict]:
    return services.notification.get("/api/v1/notifications", headers=who.headers).json["items"]


def status(services, receipt: str) -> dict:
    answer = services.supervision.get("/api/v1/clues/status", headers={"X-Receipt": receipt})
    assert answer.status_code == 200, answer.json
    return answer.json


class TestClosedLoop:
    def test_a_clue_goes_from_the_public_form_to_closed_after_effective_rectification(self, services, people):
        officer, city, unit_reviewer, cadre = (
            people["officer"],
            people["city"],
            people["unit_reviewer"],
            people["cadre"],
        )
        case_id, receipt = file_clue(services, unit=people["unit"])
        assert len(receipt) == 16 and receipt.isdigit()
        assert any(n["case_id"] == case_id for n in inbox(services, officer))  # new clue in scope

        assert act(services, officer, case_id, "accept", cadre_id=cadre.id).json["status"] == "investigating"
        found = act(
            services,
            officer,
            case_id,
            "finding",
            result="substantiated",
            outcome="warn",
            summary="Absent on 9 of 20 working days.",
            circular={"units": [people["unit"]], "text": "Be reachable in working hours."},
            education={"units": [people["unit"]], "requirement": "A session on the duty rota."},
        )
        assert found.json["status"] == "found"
        told = [n["message"] for n in inbox(services, cadre)]
        assert any("finding about you" in m for m in told) and any(m.startswith("Circular:") for m in told)

        ordered = act(services, officer, case_id, "order", unit=people["unit"], due_days=5, requirement="Answer calls.")
        assert ordered.json["status"] == "rectifying" and ordered.json["due_at"]
        assert any(n["event_type"] == "RectificationOrdered" for n in inbox(services, unit_reviewer))
        assert status(services, receipt)["rectification_due_at"] == ordered.json["due_at"]

        assert act(services, unit_reviewer, case_id, "report", what_was_done="A rota.").json["status"] == "evaluating"
        assert any(n["event_type"] == "RectificationReported" for n in inbox(services, officer))
        reopened = act(services, officer, case_id, "evaluate", effective=False, note="Calls still unanswered.")
        assert (reopened.json["status"], reopened.json["supervising_unit"]) == ("rectifying", "city")
        assert any(n["event_type"] == "RectificationReopened" for n in inbox(services, city))

        act(services, unit_reviewer, case_id, "report", what_was_done="A rota and a forwarding line.")
        assert act(services, officer, case_id, "evaluate", effective=True).status_code == 403  # escalated
        closed = act(services, city, case_id, "evaluate", effective=True, note="Answered in a spot check.")
        assert closed.status_code == 200 and closed.json["status"] == "closed"
        assert act(services, unit_reviewer, case_id, "education_done", note="Held.").json["education"][0]["done"]

        reporter = status(services, receipt)
        assert reporter["status"] == "closed"
        assert [n["status"] for n in reporter["notes"]][-1] == "closed"
        assert "Wang Wu" not in str(reporter) and cadre.id not in str(reporter)

    def test_messages_go_both_ways_and_nothing_is_pushed_to_the_reporter(self, services, people):
        case_id, receipt = file_clue(services, unit=people["unit"])
        act(services, people["officer"], case_id, "message", text="Which office did you visit?")

        written = services.supervision.post(
            "/api/v1/clues/messages", json={"text": "Room 3."}, headers={"X-Receipt": receipt}
        )
        services.settle()

        assert written.status_code == 201
        assert [(m["from"], m["text"]) for m in status(services, receipt)["messages"]] == [
            ("officer", "Which office did you visit?"),
            ("reporter", "Room 3."),
        ]
        view = services.supervision.get(f"/api/v1/cases/{case_id}", headers=people["officer"].headers).json
        assert [m["from"] for m in view["messages"]] == ["officer", "reporter"]
        assert any(n["event_type"] == "MessageReceivedFromReporter" for n in inbox(services, people["officer"]))

    def test_a_dismissal_tells_the_reporter_why(self, services, people):
        case_id, receipt = file_clue(services, unit=people["unit"])

        assert act(services, people["officer"], case_id, "dismiss", reason="Outside our remit.").status_code == 200
        assert status(services, receipt)["notes"][-1] == {
            "at": status(services, receipt)["updated_at"],
            "status": "dismissed",
            "reason": "Outside our remit.",
        }


class TestLinksToNominations:
    def test_the_review_view_shows_the_open_cases_about_the_cadre_and_nothing_of_the_reporter(
        self, services, people, cast
    ):
        nomination = services.submit(cast.cadre)
        case_id, receipt = file_clue(services, unit=cast.cadre.unit)
        officer = person_factory("supervision_officer", cast.cadre.unit)
        act(services, officer, case_id, "accept", cadre_id=cast.cadre.id)

        view = services.review.get(f"/api/v1/reviews/{nomination['nomination_id']}", headers=cast.unit_reviewer.headers)

        assert view.json["open_cases"] == [
            {"case_id": case_id, "category": "never-available", "status": "investigating"}
        ]
        assert not any(secret in view.text for secret in (receipt, "Li Si", "13800138000", "three visits"))
        act(services, officer, case_id, "finding", result="unsubstantiated", summary="Never absent.")
        view = services.review.get(f"/api/v1/reviews/{nomination['nomination_id']}", headers=cast.unit_reviewer.headers)
        assert view.json["open_cases"] == []


class TestCommitmentsAndBoard:
    def test_a_unit_publishes_its_commitment_and_the_public_reads_it(self, services, people):
        unit = people["unit"]
        body = {"text": "We will not lie flat.", "supervision_phone": "0377-6310 1234"}

        assert services.supervision.put(f"/api/v1/commitments/{unit}", json=body).status_code == 401
        other = person_factory("unit_reviewer")
        assert (
            services.supervision.put(f"/api/v1/commitments/{unit}", json=body, headers=other.headers).status_code == 403
        )
        put = services.supervision.put(
            f"/api/v1/commitments/{unit}", json=body, headers=people["unit_reviewer"].headers
        )
        assert put.status_code == 200

        found, cursor = [], None
        while True:
            page = services.supervision.get(
                "/api/v1/commitments", query_string={"limit": 200, **({"cursor": cursor} if cursor else {})}
            ).json
            found += page["items"]
            if not (cursor := page["next_cursor"]):
                break
        assert {"unit": unit, **body} in [{k: c[k] for k in ("unit", "text", "supervision_phone")} for c in found]

    def test_the_board_counts_a_unit_with_three_clues_and_hides_one_with_fewer(self, services, people):
        for _ in range(3):
            file_clue(services, unit=people["unit"])
        lonely = f"{people['unit']}-lonely"
        file_clue(services, unit=lonely)

        board = services.supervision.get("/api/v1/board").json

        (cell,) = [c for c in board["items"] if c["unit"] == people["unit"]]
        assert cell["received"] == 3 and cell["category"] == "never-available"
        assert lonely not in str(board) and "Wang Wu" not in str(board)


class TestOverdueRectification:
    def test_flagged_once_across_replicas_and_the_city_is_told(self, services, people, app_factory):
        officer = people["officer"]
        case_id, _ = file_clue(services, unit=people["unit"])
        act(services, officer, case_id, "accept")
        act(services, officer, case_id, "finding", result="partly", outcome="educate", summary="Sometimes absent.")
        due_at = act(services, officer, case_id, "order", unit=people["unit"], due_days=1, requirement="Rota.").json
        replica = app_factory("supervision")
        services.clock.advance(days=10)
        try:
            flagged = [app.extensions["cases"].scanner.scan()[0] for app in (services.apps[3], replica)]
            services.settle()
        finally:
            services.clock.advance(days=-10)

        view = services.supervision.get(f"/api/v1/cases/{case_id}", headers=officer.headers).json
        assert view["overdue"] and view["rounds"][0]["overdue_at"] and due_at["due_at"]
        assert sum(flagged) >= 1
        overdue = [
            e
            for e, outcome in services.log_events("cadreflow.cases")
            if e.stream_id == case_id and e.type == "RectificationOverdue" and outcome.value == "applied"
        ]
        assert len(overdue) == 1
        assert any(
            n["event_type"] == "RectificationOverdue" and n["case_id"] == case_id
            for n in inbox(services, people["city"])
        )


class TestScopesAndRestarts:
    def test_an_objection_needs_no_category_and_is_the_citys(self, services, people):
        body = clue_body("objection", anonymous=True, reporter=None)
        del body["category"]

        case_id = services.supervision.post("/api/v1/clues", json=body).json["case_id"]
        services.settle()

        view = services.supervision.get(f"/api/v1/cases/{case_id}", headers=people["city"].headers).json
        assert (view["kind"], view["category"], view["supervising_unit"]) == ("objection", "notice-objection", "city")
        assert (
            services.supervision.get(f"/api/v1/cases/{case_id}", headers=people["officer"].headers).status_code == 403
        )

    def test_the_responsible_unit_sees_what_it_must_rectify_and_by_when(self, services, people):
        case_id, _ = file_clue(services, unit=people["unit"])
        reviewer = people["unit_reviewer"]
        assert services.supervision.get(f"/api/v1/cases/{case_id}", headers=reviewer.headers).status_code == 403
        act(services, people["officer"], case_id, "accept")
        act(services, people["officer"], case_id, "finding", result="partly", summary="Seen twice.")
        act(services, people["officer"], case_id, "order", unit=people["unit"], due_days=3, requirement="A rota.")

        listed = services.supervision.get("/api/v1/cases", headers=reviewer.headers).json["items"]

        (mine,) = [c for c in listed if c["case_id"] == case_id]
        assert mine["status"] == "rectifying" and mine["due_at"]

    def test_a_restart_from_a_snapshot_still_finds_the_case_by_its_receipt(
        self, services, people, app_factory, tmp_path
    ):
        case_id, receipt = file_clue(services, unit=people["unit"])
        first = app_factory("supervision", snapshot_dir=str(tmp_path))
        first.extensions["runtime"].save_snapshots()

        restarted = app_factory("supervision", snapshot_dir=str(tmp_path))

        assert restarted.extensions["runtime"].keepers[0].restored
        answer = restarted.test_client().get("/api/v1/clues/status", headers={"X-Receipt": receipt})
        assert answer.status_code == 200 and answer.json["case_id"] == case_id
