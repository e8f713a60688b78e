"""The cadre revises a returned nomination (the same step re-opens) or withdraws it."""

from datetime import datetime

import pytest

from tests.support.deadlines import working_days
from tests.support.paging import every_page
from tests.support.people import person_factory


def view_of(services, who, nid) -> dict:
    services.settle()
    return services.nomination.get(f"/api/v1/nominations/{nid}", headers=who.headers).json


def revise(services, who, nid, **changes):
    return services.nomination.post(f"/api/v1/nominations/{nid}/revision", json=changes, headers=who.headers)


def withdraw(services, who, nid, reason="found another post"):
    return services.nomination.post(
        f"/api/v1/nominations/{nid}/withdrawal", json={"reason": reason}, headers=who.headers
    )


class TestReturnAndRevision:
    def test_a_returned_nomination_waits_for_the_cadre(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, nid, "unit")

        returned = services.decide(cast.org_reviewer, nid, "org_department", "return", comment="add figures")

        assert returned.status_code == 200
        view = returned.json
        assert (view["status"], view["stage"], view["step"]) == ("returned", "org_department", 1)
        assert view["history"][-1]["decision"] == "return"
        assert view["history"][-1]["comment"] == "add figures"
        queue = every_page(services.review, "/api/v1/reviews/queue", cast.org_reviewer)
        assert nid not in [item["nomination_id"] for item in queue["items"]]

    def test_a_revision_reopens_the_same_step_and_it_can_then_be_approved(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, nid, "unit")
        services.decide(cast.org_reviewer, nid, "org_department", "return", comment="add figures")
        services.clock.advance(days=2)

        revised = revise(services, cast.cadre, nid, statement="Ten years; sales up 40%, 3,000 jobs.")

        assert revised.status_code == 200, revised.json
        view = revised.json
        assert (view["status"], view["stage"], view["step"]) == ("in_review", "org_department", 1)
        assert view["statement"] == "Ten years; sales up 40%, 3,000 jobs."
        assert [(h["step"], h["stage"], h["decision"]) for h in view["history"]] == [
            (0, "unit", "approve"),
            (1, "org_department", "return"),
            (1, "org_department", None),
        ]
        reopened = view["history"][-1]
        assert datetime.fromisoformat(reopened["opened_at"]) == services.clock.now
        assert datetime.fromisoformat(reopened["due_at"]) == working_days(services.clock.now, 10)
        services.settle()
        queue = every_page(services.review, "/api/v1/reviews/queue", cast.org_reviewer)
        assert nid in [item["nomination_id"] for item in queue["items"]]

        approved = services.decide(cast.org_reviewer, nid, "org_department", step=1)

        assert approved.status_code == 200
        assert (approved.json["status"], approved.json["stage"], approved.json["step"]) == ("in_review", "secretary", 2)

    def test_a_revision_changes_only_the_fields_given(self, services, cast) -> None:
        created = services.submit(cast.cadre, "org_department")
        nid = created["nomination_id"]
        services.decide(cast.org_reviewer, nid, "org_department", "return")
        achievements = [{"title": "Cut permit times by half", "description": "From 20 to 10 working days"}]

        view = revise(services, cast.cadre, nid, achievements=achievements).json

        assert view["achievements"] == achievements
        for name in ("statement", "commitment", "target_position"):
            assert view[name] == created[name]

    def test_a_revision_of_a_nomination_in_review_is_a_conflict(self, services, cast) -> None:
        nid = services.submit(cast.cadre)["nomination_id"]

        answer = revise(services, cast.cadre, nid, statement="Better")

        assert answer.status_code == 409
        assert answer.json["error"]["code"] == "conflict"

    def test_only_the_cadre_revises(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]
        services.decide(cast.org_reviewer, nid, "org_department", "return")

        assert revise(services, person_factory("cadre", cast.cadre.unit), nid, statement="Mine").status_code == 403
        assert revise(services, cast.admin, nid, statement="Mine").status_code == 403

    @pytest.mark.parametrize(
        "changes, field",
        [
            ({}, "_schema"),
            ({"channel": "secretary"}, "channel"),
            ({"statement": ""}, "statement"),
            ({"achievements": []}, "achievements"),
        ],
    )
    def test_a_revision_must_change_a_revisable_field_to_a_valid_value(self, services, cast, changes, field) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]
        services.decide(cast.org_reviewer, nid, "org_department", "return")

        answer = revise(services, cast.cadre, nid, **changes)

        assert answer.status_code == 422
        assert field in answer.json["error"]["details"]["json"]
        assert view_of(services, cast.cadre, nid)["status"] == "returned"

    def test_a_blank_statement_in_a_revision_is_refused_with_field_details(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]
        services.decide(cast.org_reviewer, nid, "org_department", "return")

        answer = revise(services, cast.cadre, nid, statement="   ")

        assert answer.status_code == 422
        assert answer.json["error"]["details"] == {"statement": ["must not be blank"]}


class TestWithdrawal:
    def test_a_cadre_withdraws_a_nomination_in_review(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]

        answer = withdraw(services, cast.cadre, nid, reason="found another post")

        assert answer.status_code == 200
        assert (answer.json["status"], answer.json["stage"]) == ("withdrawn", None)
        assert answer.json["withdrawal_reason"] == "found another post"
        services.settle()
        queue = services.review.get("/api/v1/reviews/queue", headers=cast.unit_reviewer.headers).json
        assert queue["items"] == []

    def test_a_cadre_withdraws_a_returned_nomination(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, nid, "unit", "return")

        answer = withdraw(services, cast.cadre, nid)

        assert answer.status_code == 200
        assert answer.json["status"] == "withdrawn"

    def test_a_withdrawal_needs_no_reason(self, services, cast) -> None:
        nid = services.submit(cast.cadre)["nomination_id"]

        answer = services.nomination.post(f"/api/v1/nominations/{nid}/withdrawal", json={}, headers=cast.cadre.headers)

        assert answer.status_code == 200
        assert answer.json["withdrawal_reason"] == ""

    def test_another_cadre_cannot_withdraw_it(self, services, cast) -> None:
        nid = services.submit(cast.cadre)["nomination_id"]

        answer = withdraw(services, person_factory("cadre", cast.cadre.unit), nid)

        assert answer.status_code == 403
        assert answer.json["error"]["code"] == "forbidden"
        assert view_of(services, cast.cadre, nid)["status"] == "in_review"

    def test_an_admin_cannot_withdraw_it_either(self, services, cast) -> None:
        nid = services.submit(cast.cadre)["nomination_id"]

        assert withdraw(services, cast.admin, nid).status_code == 403

    def test_a_withdrawn_nomination_accepts_no_further_command(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        withdraw(services, cast.cadre, nid)

        assert withdraw(services, cast.cadre, nid).status_code == 409
        assert revise(services, cast.cadre, nid, statement="Back").status_code == 409
        assert services.decide(cast.unit_reviewer, nid, "unit").status_code == 409
        assert view_of(services, cast.cadre, nid)["version"] == 2
