"""Each stream is a hash chain; /verify re-reads the stored records and finds an altered event."""

from __future__ import annotations

import sqlite3

import orjson
import pytest

from tests.support.people import nomination_body, person_factory


def walk_to_org_stage(services, cadre) -> str:
    nid = services.nomination.post("/api/v1/nominations", json=nomination_body(), headers=cadre.headers).json[
        "nomination_id"
    ]
    services.settle()
    reviewer = person_factory("unit_reviewer", cadre.unit)
    assert services.decide(reviewer, nid, "unit", "return").status_code == 200
    revised = services.nomination.post(
        f"/api/v1/nominations/{nid}/revision", json={"statement": "Revised."}, headers=cadre.headers
    )
    assert revised.status_code == 200, revised.json
    assert services.decide(reviewer, nid, "unit").status_code == 200
    return nid


def test_an_untouched_stream_verifies(services) -> None:
    cadre = person_factory("cadre")
    nid = walk_to_org_stage(services, cadre)
    verdict = services.nomination.get(f"/api/v1/nominations/{nid}/verify", headers=cadre.headers).json
    assert verdict["valid"] is True and verdict["problems"] == [], verdict
    assert verdict["events"] == 4 and len(verdict["head_hash"]) == 64
    events = services.nomination.get(f"/api/v1/nominations/{nid}/events", headers=cadre.headers).json["items"]
    assert events[0]["prev_hash"] == "" and all(len(e["prev_hash"]) == 64 for e in events[1:])


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # a stored Kafka record cannot be edited in place
def test_an_altered_stored_event_fails_verification(services, config_factory) -> None:
    cadre = person_factory("cadre")
    nid = walk_to_org_stage(services, cadre)
    db = sqlite3.connect(config_factory("x").event_db)
    offset, value = db.execute(
        "SELECT offset, value FROM records WHERE key = ? ORDER BY offset LIMIT 1", (nid,)
    ).fetchone()
    forged = orjson.loads(value)
    forged["payload"]["statement"] = "Forged statement."
    db.execute("UPDATE records SET value = ? WHERE offset = ?", (orjson.dumps(forged), offset))
    db.commit()
    verdict = services.nomination.get(f"/api/v1/nominations/{nid}/verify", headers=cadre.headers).json
    assert verdict["valid"] is False
    reasons = {p["reason"] for p in verdict["problems"]}
    assert "the stored record changed since it was read" in reasons
    assert "prev_hash does not match the previous event's hash" in reasons
