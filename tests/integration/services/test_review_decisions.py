"""Reviewers decide the active step: the three routes to approval, rejection, stale screens, recusal, races."""

import threading
from datetime import datetime

import pytest

from tests.support.deadlines import working_days
from tests.support.paging import every_page
from tests.support.people import Person, person_factory

DUE_DAYS = {"unit": 5, "org_department": 10, "secretary": 5}
ROUTES = {
    "unit": ["unit", "org_department", "secretary"],
    "org_department": ["org_department", "secretary"],
    "secretary": ["secretary", "org_department", "secretary"],
}


def at(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class TestRoutesToApproval:
    @pytest.mark.parametrize("channel", ["unit", "org_department", "secretary"])
    def test_each_approval_opens_the_next_step_until_the_last_one_approves_the_nomination(
        self, services, cast, channel
    ) -> None:
        route = ROUTES[channel]
        nid = services.submit(cast.cadre, channel)["nomination_id"]

        for index, stage in enumerate(route):
            services.clock.advance(days=1)
            decided_at = services.clock.now
            reviewer = cast.reviewer_of(stage)
            answer = services.decide(reviewer, nid, stage, comment=f"step {index} ok")
            assert answer.status_code == 200, answer.json
            view = services.nomination.get(f"/api/v1/nominations/{nid}", headers=cast.cadre.headers).json
            assert {**view, "open_cases": []} == answer.json  # reviewers also see open supervision cases

            closed = view["history"][index]
            assert (closed["step"], closed["stage"], closed["decision"]) == (index, stage, "approve")
            assert (closed["reviewer"], closed["comment"]) == (reviewer.id, f"step {index} ok")
            assert at(closed["decided_at"]) == decided_at
            assert view["version"] == index + 2
            if index < len(route) - 1:
                assert (view["status"], view["stage"], view["step"]) == ("in_review", route[index + 1], index + 1)
                assert len(view["history"]) == index + 2
                opened = view["history"][-1]
                assert (opened["step"], opened["stage"], opened["decision"]) == (index + 1, route[index + 1], None)
                assert at(opened["opened_at"]) == decided_at
                assert at(opened["due_at"]) == working_days(decided_at, DUE_DAYS[route[index + 1]])
            else:
                assert (view["status"], view["stage"], view["step"]) == ("on_notice", None, index)
                assert at(view["notice_ends_at"]) == working_days(decided_at, 5)
                assert len(view["history"]) == len(route)
                assert view["due_at"] is None

    def test_the_nomination_moves_from_queue_to_queue(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]

        def queued(who) -> bool:
            queue = every_page(services.review, "/api/v1/reviews/queue", who)
            return nid in [item["nomination_id"] for item in queue["items"]]

        assert [queued(who) for who in (cast.unit_reviewer, cast.org_reviewer, cast.secretary)] == [True, False, False]
        services.decide(cast.unit_reviewer, nid, "unit")
        assert [queued(who) for who in (cast.unit_reviewer, cast.org_reviewer, cast.secretary)] == [False, True, False]
        services.decide(cast.org_reviewer, nid, "org_department")
        assert [queued(who) for who in (cast.unit_reviewer, cast.org_reviewer, cast.secretary)] == [False, False, True]
        services.decide(cast.secretary, nid, "secretary")
        assert [queued(who) for who in (cast.unit_reviewer, cast.org_reviewer, cast.secretary)] == [False, False, False]


class TestReject:
    def test_a_rejection_ends_the_nomination(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]

        answer = services.decide(cast.org_reviewer, nid, "org_department", "reject", comment="not now")

        assert answer.status_code == 200
        assert (answer.json["status"], answer.json["stage"], answer.json["step"]) == ("rejected", None, 0)
        assert answer.json["history"][-1]["decision"] == "reject"
        assert answer.json["history"][-1]["comment"] == "not now"

    def test_a_rejected_nomination_accepts_no_decision_withdrawal_or_revision(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]
        services.decide(cast.org_reviewer, nid, "org_department", "reject")

        for decision in ("approve", "return", "reject"):
            assert services.decide(cast.org_reviewer, nid, "org_department", decision).status_code == 409
        assert services.decide(cast.secretary, nid, "secretary").status_code == 409
        withdrawal = services.nomination.post(
            f"/api/v1/nominations/{nid}/withdrawal", json={"reason": "late"}, headers=cast.cadre.headers
        )
        revision = services.nomination.post(
            f"/api/v1/nominations/{nid}/revision", json={"statement": "Better"}, headers=cast.cadre.headers
        )
        assert (withdrawal.status_code, revision.status_code) == (409, 409)
        assert withdrawal.json["error"]["code"] == "conflict"
        services.settle()
        view = services.nomination.get(f"/api/v1/nominations/{nid}", headers=cast.cadre.headers).json
        assert (view["status"], view["version"]) == ("rejected", 2)


class TestStaleDecisions:
    def test_deciding_a_stage_that_is_not_active_is_a_conflict(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, nid, "unit")

        stale = services.decide(cast.unit_reviewer, nid, "unit", "reject")

        assert stale.status_code == 409
        assert stale.json["error"]["code"] == "conflict"
        assert "stale" in stale.json["error"]["message"]

    def test_deciding_a_step_index_that_is_not_active_is_a_conflict(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "secretary")["nomination_id"]
        services.decide(cast.secretary, nid, "secretary", step=0)
        services.decide(cast.org_reviewer, nid, "org_department", step=1)

        stale = services.decide(cast.secretary, nid, "secretary", step=0)
        current = services.decide(cast.secretary, nid, "secretary", step=2)

        assert stale.status_code == 409
        assert current.status_code == 200
        assert current.json["status"] == "on_notice"

    def test_a_second_decision_on_a_decided_step_is_a_conflict(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]
        assert services.decide(cast.org_reviewer, nid, "org_department", step=0).status_code == 200

        again = services.decide(person_factory("org_reviewer"), nid, "org_department", step=0)

        assert again.status_code == 409
        view = services.review.get(f"/api/v1/reviews/{nid}", headers=cast.org_reviewer.headers).json
        assert view["history"][0]["reviewer"] == cast.org_reviewer.id

    def test_a_decision_while_the_nomination_waits_for_the_cadre_is_a_conflict(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, nid, "unit", "return", comment="add figures")

        assert services.decide(cast.unit_reviewer, nid, "unit").status_code == 409

    def test_two_replicas_deciding_the_same_step_at_once_give_one_200_and_one_409(
        self, services, cast, review_replica
    ) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]
        reviewers = [cast.org_reviewer, person_factory("org_reviewer")]
        start = threading.Barrier(2)
        answers = {}

        def decide(client, reviewer, decision) -> None:
            start.wait()
            answers[decision] = client.post(
                f"/api/v1/reviews/{nid}/decisions",
                json={"stage": "org_department", "decision": decision},
                headers=reviewer.headers,
            )

        threads = [
            threading.Thread(target=decide, args=(services.review, reviewers[0], "approve")),
            threading.Thread(target=decide, args=(review_replica, reviewers[1], "reject")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        statuses = sorted(answer.status_code for answer in answers.values())
        assert statuses == [200, 409], {d: a.json for d, a in answers.items()}
        [winner] = [d for d, a in answers.items() if a.status_code == 200]
        services.settle()
        view = services.nomination.get(f"/api/v1/nominations/{nid}", headers=cast.cadre.headers).json
        assert view["status"] == {"approve": "in_review", "reject": "rejected"}[winner]
        assert view["version"] == 2


class TestRecusal:
    def test_nobody_decides_their_own_nomination(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        herself = Person(cast.cadre.id, "unit_reviewer", cast.cadre.unit, cast.cadre.name)

        answer = services.decide(herself, nid, "unit")

        assert answer.status_code == 403
        assert "recusal" in answer.json["error"]["message"]
        assert services.decide(cast.unit_reviewer, nid, "unit").status_code == 200

    def test_a_reviewers_own_nomination_is_not_in_their_queue(self, services, cast) -> None:
        mine = services.submit(cast.cadre, "unit")["nomination_id"]
        colleague = person_factory("cadre", cast.cadre.unit)
        theirs = services.submit(colleague, "unit")["nomination_id"]
        herself = Person(cast.cadre.id, "unit_reviewer", cast.cadre.unit, cast.cadre.name)

        queue = services.review.get("/api/v1/reviews/queue", headers=herself.headers).json
        others = services.review.get("/api/v1/reviews/queue", headers=cast.unit_reviewer.headers).json

        assert [item["nomination_id"] for item in queue["items"]] == [theirs]
        assert sorted(item["nomination_id"] for item in others["items"]) == sorted([mine, theirs])


class TestWrongReviewer:
    @pytest.mark.parametrize("role", ["org_reviewer", "secretary", "admin", "cadre"])
    def test_only_the_role_of_the_stage_decides_it(self, services, cast, role) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]

        answer = services.decide(person_factory(role, cast.cadre.unit), nid, "unit")

        assert answer.status_code == 403
        assert answer.json["error"]["code"] == "forbidden"
