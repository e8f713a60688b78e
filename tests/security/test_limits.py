"""Limits: rate limits on the writing endpoints (429), body size (413), lengths, all in the OpenAPI spec."""

from __future__ import annotations

import time

import pytest

from services.nomination.app import create_app as create_nomination
from services.review.app import create_app as create_review
from shared.config import Config
from tests.support.people import nomination_body, person_factory


@pytest.fixture
def limited(tmp_path):
    db = str(tmp_path / "events.db")
    apps = [
        make(
            Config(
                service=name,
                event_db=db,
                overdue_scan_interval_s=0,
                submission_rate_limit="3/60",
                decision_rate_limit="2/60",
            )
        )
        for name, make in (("nomination", create_nomination), ("review", create_review))
    ]
    for app in apps:
        while not app.extensions["runtime"].is_ready():
            time.sleep(0.01)
    yield apps
    for app in apps:
        app.extensions["runtime"].stop()


def test_a_cadre_submitting_too_fast_gets_429_with_a_retry_time(limited) -> None:
    client, cadre = limited[0].test_client(), person_factory("cadre")
    answers = [client.post("/api/v1/nominations", json=nomination_body(), headers=cadre.headers) for _ in range(4)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    refused = answers[-1]
    assert refused.json["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) == refused.json["error"]["details"]["retry_after_s"] >= 1
    other = person_factory("cadre")
    assert client.post("/api/v1/nominations", json=nomination_body(), headers=other.headers).status_code == 201


def test_a_reviewer_deciding_too_fast_gets_429(limited) -> None:
    nomination, review = (app.test_client() for app in limited)
    reviewer = person_factory("org_reviewer")
    answers = [
        review.post(
            "/api/v1/reviews/unknown/decisions", json={"stage": "unit", "decision": "approve"}, headers=reviewer.headers
        )
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [404, 404, 404]  # unknown ids are refused before counting
    cadre = person_factory("cadre")
    ids = [
        nomination.post("/api/v1/nominations", json=nomination_body("org_department"), headers=cadre.headers).json[
            "nomination_id"
        ]
        for _ in range(3)
    ]
    follower = limited[1].extensions["follower"]
    assert follower.wait_until(limited[1].extensions["runtime"].log.end_offsets(follower.topics), 10)
    codes = [
        review.post(
            f"/api/v1/reviews/{nid}/decisions",
            json={"stage": "org_department", "decision": "return"},
            headers=reviewer.headers,
        ).status_code
        for nid in ids
    ]
    assert codes == [200, 200, 429]


def test_the_spec_documents_limits_and_error_answers(limited) -> None:
    spec = limited[0].test_client().get("/api/v1/openapi.json").json
    submit = spec["paths"]["/api/v1/nominations"]["post"]
    assert {"400", "401", "403", "413", "422", "429", "503"} <= set(submit["responses"])
    assert submit["responses"]["429"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    request = spec["components"]["schemas"]["SubmitNominationRequest"]
    assert request["properties"]["statement"]["maxLength"] == 5000
    assert request["properties"]["achievements"]["maxItems"] == 20
    assert any(p["name"] == "Idempotency-Key" for p in submit.get("parameters", []))


@pytest.fixture
def capped(tmp_path):
    app = create_nomination(
        Config(
            service="nomination",
            event_db=str(tmp_path / "events.db"),
            submission_rate_limit="0",
            max_open_nominations=2,
        )
    )
    while not app.extensions["runtime"].is_ready():
        time.sleep(0.01)
    yield app.test_client()
    app.extensions["runtime"].stop()


def test_a_cadre_with_the_most_open_nominations_gets_409_until_one_closes(capped) -> None:
    cadre = person_factory("cadre")
    first, second = (
        capped.post("/api/v1/nominations", json=nomination_body(), headers={**cadre.headers, "Idempotency-Key": key})
        for key in ("k1", "k2")
    )
    assert first.status_code == second.status_code == 201

    refused = capped.post("/api/v1/nominations", json=nomination_body(), headers=cadre.headers)

    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "too_many_open_nominations"
    assert refused.json["error"]["details"] == {"open": 2, "max_open": 2}
    retried = capped.post(
        "/api/v1/nominations", json=nomination_body(), headers={**cadre.headers, "Idempotency-Key": "k1"}
    )
    assert retried.status_code == 201 and retried.json["nomination_id"] == first.json["nomination_id"]
    other = person_factory("cadre")
    assert capped.post("/api/v1/nominations", json=nomination_body(), headers=other.headers).status_code == 201
    withdrawn = capped.post(
        f"/api/v1/nominations/{first.json['nomination_id']}/withdrawal",
        json={"reason": "one at a time"},
        headers=cadre.headers,
    )
    assert withdrawn.status_code == 200
    assert capped.post("/api/v1/nominations", json=nomination_body(), headers=cadre.headers).status_code == 201


def test_a_direct_proposal_counts_the_proposed_cadres_open_nominations(capped) -> None:
    org = person_factory("org_reviewer")
    busy, others = person_factory("cadre"), [person_factory("cadre") for _ in range(3)]
    for key in ("k1", "k2"):
        headers = {**busy.headers, "Idempotency-Key": key}
        assert capped.post("/api/v1/nominations", json=nomination_body(), headers=headers).status_code == 201

    refused = capped.post("/api/v1/nominations/direct", json=_direct_body(busy), headers=org.headers)

    assert refused.status_code == 409
    assert refused.json["error"]["details"] == {"open": 2, "max_open": 2}
    for cadre in others:  # the proposer has no cap of their own: three cadres put forward, past 2
        assert (
            capped.post("/api/v1/nominations/direct", json=_direct_body(cadre), headers=org.headers).status_code == 201
        )


def _direct_body(cadre) -> dict:
    return {
        "cadre": {"id": cadre.id, "name": cadre.name, "unit": cadre.unit},
        "target_position": {"title": "Director", "organization": "Development Zone"},
        "justification": "A deputy who delivered the port project two years early.",
    }


def test_clues_are_limited_per_client_address_and_a_forged_forward_does_not_dodge_it(tmp_path) -> None:
    from services.supervision.app import create_app as create_supervision
    from tests.support.clues import clue_body

    config = Config(
        service="supervision",
        event_db=str(tmp_path / "events.db"),
        key_dir=str(tmp_path / "keys"),
        receipt_hash_cost=2**10,
        overdue_scan_interval_s=0,
        clue_rate_limit="2/60",
        trusted_proxies="127.0.0.1",
    )
    app = create_supervision(config)
    try:
        while not app.extensions["runtime"].is_ready():
            time.sleep(0.01)
        client = app.test_client()

        def post(address: str, peer: str = "127.0.0.1") -> int:
            headers = {"X-Forwarded-For": address}
            return client.post(
                "/api/v1/clues", json=clue_body(), headers=headers, environ_base={"REMOTE_ADDR": peer}
            ).status_code

        assert [post("198.51.100.1") for _ in range(3)] == [201, 201, 429]
        assert post("198.51.100.2") == 201  # another visitor behind the same trusted proxy
        assert [post(f"203.0.113.{n}", peer="192.0.2.9") for n in range(3)] == [201, 201, 429]  # forged forwards
    finally:
        app.extensions["runtime"].stop()
