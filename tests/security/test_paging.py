"""Every list is cursor-paged (`limit`, `cursor` -> `items`, `next_cursor`), stable while the log grows."""

from __future__ import annotations

import uuid

import pytest

from tests.support.apps import settle
from tests.support.people import nomination_body, person_factory

LISTS = {
    "nomination": ["/api/v1/nominations", "/api/v1/nominations/{nomination_id}/events"],
    "review": ["/api/v1/reviews/queue"],
    "notification": ["/api/v1/notifications"],
}


def submit(apps, cadre, **changes) -> str:
    created = (
        apps["nomination"]
        .test_client()
        .post("/api/v1/nominations", json=nomination_body(**changes), headers=cadre.headers)
    )
    assert created.status_code == 201, created.json
    return created.json["nomination_id"]


def pages(client, path: str, who, limit: int) -> list[list[str]]:
    """Every page of a list, as ids (nomination_id, notification id, or event id)."""
    found, cursor = [], None
    while True:
        query = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        answer = client.get(path, query_string=query, headers=who.headers)
        assert answer.status_code == 200, answer.json
        items = answer.json["items"]
        assert answer.json["count"] == len(items) <= limit
        found.append([item.get("event_id") or item.get("id") or item["nomination_id"] for item in items])
        cursor = answer.json["next_cursor"]
        if cursor is None:
            return found


@pytest.fixture
def unit_queue(apps):
    """Five nominations waiting in a fresh unit, and that unit's reviewer."""
    unit = f"paged-{uuid.uuid4().hex[:6]}"
    ids = [submit(apps, person_factory("cadre", unit)) for _ in range(5)]
    settle(apps.values())
    return ids, person_factory("unit_reviewer", unit)


class TestQueue:
    def test_pages_of_the_queue_are_the_whole_queue_in_order(self, apps, unit_queue) -> None:
        ids, reviewer = unit_queue
        client = apps["review"].test_client()

        paged = pages(client, "/api/v1/reviews/queue", reviewer, 2)

        assert [len(p) for p in paged] == [2, 2, 1]
        assert sum(paged, []) == ids  # oldest due first: submission order here
        assert pages(client, "/api/v1/reviews/queue", reviewer, 200) == [ids]

    def test_a_decision_between_two_pages_skips_nothing(self, apps, unit_queue) -> None:
        ids, reviewer = unit_queue
        client = apps["review"].test_client()
        first = client.get("/api/v1/reviews/queue?limit=2", headers=reviewer.headers).json
        assert [i["nomination_id"] for i in first["items"]] == ids[:2]

        decided = client.post(
            f"/api/v1/reviews/{ids[0]}/decisions",
            json={"stage": "unit", "decision": "approve"},
            headers=reviewer.headers,
        )
        assert decided.status_code == 200  # it leaves the unit queue: an offset would now skip ids[2]
        later = submit(apps, person_factory("cadre", reviewer.unit))
        settle(apps.values())

        second = client.get(
            "/api/v1/reviews/queue", query_string={"limit": 2, "cursor": first["next_cursor"]}, headers=reviewer.headers
        ).json
        assert [i["nomination_id"] for i in second["items"]] == ids[2:4]
        third = client.get(
            "/api/v1/reviews/queue",
            query_string={"limit": 2, "cursor": second["next_cursor"]},
            headers=reviewer.headers,
        ).json
        assert [i["nomination_id"] for i in third["items"]] == [ids[4], later]  # appended: due last
        assert third["next_cursor"] is None


class TestOtherLists:
    def test_a_cadres_nominations_newest_first_in_pages(self, apps) -> None:
        cadre = person_factory("cadre")
        ids = [submit(apps, cadre) for _ in range(3)]

        paged = pages(apps["nomination"].test_client(), "/api/v1/nominations", cadre, 2)

        assert paged == [ids[::-1][:2], ids[::-1][2:]]

    def test_the_inbox_in_pages_and_the_unread_count_of_all_of_it(self, apps) -> None:
        cadre = person_factory("cadre")
        for _ in range(3):
            submit(apps, cadre)
        settle(apps.values())
        client = apps["notification"].test_client()

        first = client.get("/api/v1/notifications?limit=2", headers=cadre.headers).json

        assert (first["count"], first["unread"]) == (2, 3)
        assert [len(p) for p in pages(client, "/api/v1/notifications", cadre, 2)] == [2, 1]

    def test_the_audit_trail_in_pages(self, apps) -> None:
        cadre = person_factory("cadre")
        nid = submit(apps, cadre)
        withdrawn = (
            apps["nomination"]
            .test_client()
            .post(f"/api/v1/nominations/{nid}/withdrawal", json={"reason": "paging"}, headers=cadre.headers)
        )
        assert withdrawn.status_code == 200

        paged = pages(apps["nomination"].test_client(), f"/api/v1/nominations/{nid}/events", cadre, 1)

        assert len(paged) == 2 and len(set(sum(paged, []))) == 2


class TestQuery:
    @pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 201}, {"limit": "x"}, {"cursor": "not-a-cursor!"}])
    def test_a_bad_limit_or_cursor_is_422(self, apps, query) -> None:
        answer = (
            apps["review"]
            .test_client()
            .get("/api/v1/reviews/queue", query_string=query, headers=person_factory("org_reviewer").headers)
        )
        assert answer.status_code == 422 and answer.json["error"]["code"] == "invalid"

    @pytest.mark.parametrize("service, path", [(s, p) for s, paths in LISTS.items() for p in paths])
    def test_the_spec_shows_the_paging_parameters_and_next_cursor(self, apps, service, path) -> None:
        spec = apps[service].test_client().get("/api/v1/openapi.json").json
        operation = spec["paths"][path]["get"]
        assert {"limit", "cursor"} <= {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        assert "next_cursor" in spec["components"]["schemas"][ref]["properties"]
