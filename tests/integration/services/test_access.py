"""Who may see what: unit scoping of reviewers, reviewer queues, and cadres reading only their own."""

import sys
from datetime import timedelta

import pytest

from shared.eventlog.port import caught_up
from shared.eventlog.topics import NOMINATIONS
from shared.events.envelope import Actor, new_event
from tests.support.paging import every_page
from tests.support.people import person_factory


def queue_ids(services, who) -> list[str]:
    return [item["nomination_id"] for item in every_page(services.review, "/api/v1/reviews/queue", who)["items"]]


class TestUnitScoping:
    def test_a_reviewer_of_another_unit_cannot_see_the_nomination(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        stranger = person_factory("unit_reviewer")

        answer = services.review.get(f"/api/v1/reviews/{nid}", headers=stranger.headers)

        assert answer.status_code == 403
        assert answer.json["error"]["code"] == "forbidden"
        assert services.review.get(f"/api/v1/reviews/{nid}", headers=cast.unit_reviewer.headers).status_code == 200

    def test_a_reviewer_of_another_unit_cannot_decide_it(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]

        for decision in ("approve", "return", "reject"):
            answer = services.decide(person_factory("unit_reviewer"), nid, "unit", decision)
            assert answer.status_code == 403, answer.json
        view = services.review.get(f"/api/v1/reviews/{nid}", headers=cast.unit_reviewer.headers).json
        assert (view["status"], view["version"]) == ("in_review", 1)

    def test_a_reviewer_of_another_unit_does_not_find_it_in_the_queue(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "unit")["nomination_id"]

        assert nid not in queue_ids(services, person_factory("unit_reviewer"))
        assert queue_ids(services, cast.unit_reviewer) == [nid]

    def test_stages_above_the_unit_see_every_unit(self, services, cast) -> None:
        nid = services.submit(cast.cadre, "org_department")["nomination_id"]

        for who in (cast.org_reviewer, cast.secretary, cast.admin):
            assert services.review.get(f"/api/v1/reviews/{nid}", headers=who.headers).status_code == 200
        assert nid in queue_ids(services, cast.org_reviewer)


class TestQueue:
    def test_the_queue_is_ordered_oldest_due_first(self, services, cast) -> None:
        colleague = person_factory("cadre", cast.cadre.unit)
        first = services.submit(cast.cadre, "unit")["nomination_id"]
        services.clock.advance(hours=1)
        second = services.submit(colleague, "unit")["nomination_id"]
        services.clock.advance(hours=1)
        third = services.submit(cast.cadre, "unit")["nomination_id"]
        assert queue_ids(services, cast.unit_reviewer) == [first, second, third]

        services.decide(cast.unit_reviewer, first, "unit", "return")
        services.clock.advance(days=3)  # deadlines are working days: a later working day, a later due time
        revised = services.nomination.post(
            f"/api/v1/nominations/{first}/revision", json={"statement": "Revised"}, headers=cast.cadre.headers
        )
        assert revised.status_code == 200
        services.settle()

        assert queue_ids(services, cast.unit_reviewer) == [second, third, first]

    def test_the_queue_shows_only_the_callers_stage(self, services, cast) -> None:
        at_unit = services.submit(cast.cadre, "unit")["nomination_id"]
        at_org = services.submit(cast.cadre, "org_department")["nomination_id"]
        at_secretary = services.submit(cast.cadre, "secretary")["nomination_id"]
        mine = {at_unit, at_org, at_secretary}

        assert set(queue_ids(services, cast.unit_reviewer)) & mine == {at_unit}
        assert set(queue_ids(services, cast.org_reviewer)) & mine == {at_org}
        assert set(queue_ids(services, cast.secretary)) & mine == {at_secretary}

    def test_every_queued_item_waits_at_the_callers_stage(self, services, cast) -> None:
        services.submit(cast.cadre, "unit")
        services.submit(cast.cadre, "org_department")
        services.submit(cast.cadre, "secretary")

        for who, stage in ((cast.org_reviewer, "org_department"), (cast.secretary, "secretary")):
            items = every_page(services.review, "/api/v1/reviews/queue", who)["items"]
            assert {(item["status"], item["stage"]) for item in items} == {("in_review", stage)}

    @pytest.mark.parametrize("role", ["cadre", "admin"])
    def test_only_reviewers_have_a_queue(self, services, role) -> None:
        answer = services.review.get("/api/v1/reviews/queue", headers=person_factory(role).headers)

        assert answer.status_code == 403

    def test_a_cadre_cannot_open_the_review_of_a_nomination_even_their_own(self, services, cast) -> None:
        nid = services.submit(cast.cadre)["nomination_id"]

        assert services.review.get(f"/api/v1/reviews/{nid}", headers=cast.cadre.headers).status_code == 403


def submitted_far_ahead(services, cadre):
    """A NominationSubmitted event as the nomination service would write it, due in ten years."""
    nid = f"burst-{cadre.id}"
    payload = {
        "nomination_id": nid,
        "cadre": {"id": cadre.id, "name": cadre.name, "unit": cadre.unit},
        "channel": "unit",
        "target_position": {"title": "Deputy director", "organization": "Bureau"},
        "statement": "Strong at delivery.",
        "achievements": [{"title": "Built the logistics park", "description": ""}],
        "commitment": "First-class results.",
        "route": ["unit", "org_department", "secretary"],
        "due_at": (services.clock.now + timedelta(days=3650)).isoformat(),
    }
    return new_event("NominationSubmitted", nid, 0, payload, Actor(cadre.id, "cadre"), time=services.clock.now)


class TestQueueUnderLoad:
    def test_the_queue_answers_while_a_burst_of_nominations_is_folded(self, services, cast, backend) -> None:
        if backend == "kafka":
            pytest.skip("the race is in the in-process projection; the Kafka topics are shared and kept")
        review = services.apps[1]
        follower = review.extensions["follower"]
        burst = [submitted_far_ahead(services, person_factory("cadre")) for _ in range(2000)]
        statuses = []
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # switch threads often, so the fold runs in the middle of a queue read
        try:
            records = review.extensions["runtime"].log.append(NOMINATIONS, burst)
            target = {(records[-1].topic, records[-1].partition): records[-1].offset + 1}
            while not caught_up(follower.position, target):
                queue = services.review.get("/api/v1/reviews/queue", headers=cast.unit_reviewer.headers)
                statuses.append(queue.status_code)
        finally:
            sys.setswitchinterval(interval)

        assert statuses and set(statuses) == {200}


class TestReadingNominations:
    def test_a_cadre_cannot_read_another_cadres_nomination_or_its_events(self, services, cast) -> None:
        nid = services.submit(cast.cadre)["nomination_id"]
        other = person_factory("cadre", cast.cadre.unit)

        view = services.nomination.get(f"/api/v1/nominations/{nid}", headers=other.headers)
        events = services.nomination.get(f"/api/v1/nominations/{nid}/events", headers=other.headers)

        assert (view.status_code, events.status_code) == (403, 403)
        assert view.json["error"]["code"] == "forbidden"
        assert "statement" not in view.get_data(as_text=True)

    def test_an_admin_reads_any_nomination_and_its_events(self, services, cast) -> None:
        created = services.submit(cast.cadre)
        nid = created["nomination_id"]

        view = services.nomination.get(f"/api/v1/nominations/{nid}", headers=cast.admin.headers)
        events = services.nomination.get(f"/api/v1/nominations/{nid}/events", headers=cast.admin.headers)

        assert view.status_code == 200 and view.json == created
        assert events.status_code == 200 and events.json["count"] == 1

    @pytest.mark.parametrize("role", ["unit_reviewer", "org_reviewer", "secretary"])
    def test_reviewers_do_not_read_through_the_cadres_gateway(self, services, cast, role) -> None:
        nid = services.submit(cast.cadre)["nomination_id"]

        answer = services.nomination.get(
            f"/api/v1/nominations/{nid}", headers=person_factory(role, cast.cadre.unit).headers
        )

        assert answer.status_code == 403

    def test_the_list_holds_only_the_callers_own_nominations_newest_first(self, services, cast) -> None:
        first = services.submit(cast.cadre)["nomination_id"]
        services.clock.advance(minutes=5)
        second = services.submit(cast.cadre, "secretary")["nomination_id"]
        services.submit(person_factory("cadre", cast.cadre.unit))

        mine = services.nomination.get("/api/v1/nominations", headers=cast.cadre.headers).json
        nobody = services.nomination.get("/api/v1/nominations", headers=person_factory("cadre").headers).json

        assert [item["nomination_id"] for item in mine["items"]] == [second, first]
        assert mine["count"] == 2
        assert nobody == {"items": [], "count": 0, "next_cursor": None}
