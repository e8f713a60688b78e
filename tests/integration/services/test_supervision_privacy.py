"""What the supervision service promises reporters, checked in everything stored, on both backends:
the receipt never in clear; no address or device data; a named reporter's identity sealed, seen by
the custodian alone, and every such access recorded."""

from __future__ import annotations

import random
import uuid

import pytest

from tests.support.clues import clue_body
from tests.support.people import person_factory
from tests.support.stored import stored as stored_bytes

ADDRESS = "198.51.100.23"
DEVICE = f"ReporterPhone/9.9 (device-{uuid.uuid4().hex[:8]})"


def stored(services, app_factory, tmp_path) -> bytes:
    """Every byte kept, snapshots of the supervision, review and notification projections included."""
    return stored_bytes(services, app_factory, tmp_path, ("supervision", "review", "notification"))


def reporter() -> dict[str, str]:
    return {"name": f"Zhao Liu {uuid.uuid4().hex[:6]}", "phone": f"139{random.randrange(10**8):08d}"}


@pytest.fixture
def filed(services):
    """A named reporter's clue, posted from a visitor's address and device behind the web front."""
    named = reporter()
    headers = {"X-Forwarded-For": ADDRESS, "User-Agent": DEVICE}
    answer = services.supervision.post("/api/v1/clues", json=clue_body(reporter=named), headers=headers)
    assert answer.status_code == 201
    services.supervision.get("/api/v1/clues/status", headers={"X-Receipt": answer.json["receipt"], **headers})
    services.settle()
    return answer.json["case_id"], answer.json["receipt"], named


class TestNothingStoredInClear:
    def test_no_receipt_identity_address_or_device_in_anything_stored(self, services, app_factory, tmp_path, filed):
        case_id, receipt, named = filed

        everything = stored(services, app_factory, tmp_path)

        assert case_id.encode() in everything  # the search does reach the case
        for secret in (receipt, named["name"], named["phone"], ADDRESS, DEVICE):
            assert secret.encode() not in everything, f"{secret!r} is stored"

    def test_no_address_or_device_in_the_metrics(self, services, filed):
        metrics = services.supervision.get("/metrics").text

        assert ADDRESS not in metrics and DEVICE not in metrics and "127.0.0.1" not in metrics


class TestIdentity:
    def test_only_the_custodian_sees_the_identity_and_each_access_is_recorded(self, services, filed):
        case_id, receipt, named = filed
        city_officer = person_factory("supervision_officer", "city")
        view = services.supervision.get(f"/api/v1/cases/{case_id}", headers=city_officer.headers)
        assert view.status_code == 200 and view.json["anonymous"] is False
        assert named["name"] not in view.text and named["phone"] not in view.text and receipt not in view.text

        for role in ("supervision_officer", "admin", "unit_reviewer", "hotline_operator", "cadre"):
            who = person_factory(role, "city")
            denied = services.supervision.post(
                f"/api/v1/cases/{case_id}/identity", json={"reason": "x"}, headers=who.headers
            )
            assert denied.status_code == 403, role

        custodian = person_factory("custodian", "city")
        opened = services.supervision.post(
            f"/api/v1/cases/{case_id}/identity",
            json={"reason": "The commission asks for the witness."},
            headers=custodian.headers,
        )
        services.settle()

        assert opened.status_code == 200 and opened.json["reporter"] == named
        history = services.supervision.get(f"/api/v1/cases/{case_id}", headers=city_officer.headers).json["history"]
        assert history[-1]["event"] == "IdentityAccessed" and history[-1]["actor"]["id"] == custodian.id

    def test_an_anonymous_reporter_has_no_identity_to_open(self, services):
        body = clue_body(anonymous=True, reporter=None)
        case_id = services.supervision.post("/api/v1/clues", json=body).json["case_id"]
        services.settle()

        custodian = person_factory("custodian", "city")
        answer = services.supervision.post(
            f"/api/v1/cases/{case_id}/identity", json={"reason": "x"}, headers=custodian.headers
        )
        assert answer.status_code == 404

    def test_a_signed_in_person_who_reports_is_not_named_by_their_token(self, services):
        cadre = person_factory("cadre")
        case_id = services.supervision.post(
            "/api/v1/clues", json=clue_body(anonymous=True, reporter=None), headers=cadre.headers
        ).json["case_id"]
        services.settle()

        history = services.supervision.get(
            f"/api/v1/cases/{case_id}", headers=person_factory("supervision_officer", "city").headers
        ).json["history"]
        assert history[0]["actor"] == {"id": "public", "role": "public"}

    def test_a_hotline_operator_records_a_call_as_hotline(self, services):
        operator = person_factory("hotline_operator", "hotline")
        case_id = services.supervision.post(
            "/api/v1/clues", json=clue_body(anonymous=True, reporter=None), headers=operator.headers
        ).json["case_id"]
        services.settle()

        view = services.supervision.get(
            f"/api/v1/cases/{case_id}", headers=person_factory("supervision_officer", "city").headers
        ).json
        assert view["channel"] == "hotline" and view["history"][0]["actor"]["role"] == "hotline_operator"
