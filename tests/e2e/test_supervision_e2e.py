"""End to end on Kafka with the four services under gunicorn (2 workers each): a clue from the
public form to closed after an effective rectification, through HTTP only; then nothing the
reporter was promised is broken: no receipt in the topic's bytes, no address or device in the
gunicorn logs (access log on)."""

from __future__ import annotations

import re
import time
import uuid

import pytest
import requests

from shared.eventlog.factory import open_event_log
from shared.eventlog.port import caught_up
from tests.support.clues import clue_body
from tests.support.people import person_factory
from tests.support.stack import start_stack

VISITOR = "198.51.100.77"
DEVICE = f"ReporterPhone/9.9 (device-{uuid.uuid4().hex[:8]})"
ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


@pytest.fixture(scope="module")
def four(kafka_bootstrap, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("stack4")
    env = {
        "EVENT_BACKEND": "kafka",
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "WEB_CONCURRENCY": "2",
        "OVERDUE_SCAN_INTERVAL_S": "3600",
        "ACCESS_LOG": "-",  # gunicorn's access log on, into the process log the test reads
        "RECEIPT_HASH_COST": "16384",
    }
    procs = start_stack(env, workdir, ("nomination", "review", "notification", "supervision"))
    yield {name: proc.url for name, proc in procs.items()}, workdir, kafka_bootstrap
    for proc in procs.values():
        proc.stop()


def until(check, what: str, timeout_s: float = 20):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"{what} after {timeout_s}s")


def topic_bytes(bootstrap: str, topic: str) -> bytes:
    log = open_event_log("kafka", event_db="", bootstrap_servers=bootstrap, client_id=f"e2e-{uuid.uuid4().hex[:6]}")
    reader = log.open_reader([topic])
    target, position, chunks = reader.end_offsets(), {}, []
    try:
        while not caught_up(position, target):
            for record in reader.poll(0.5):
                position[(record.topic, record.partition)] = record.offset + 1
                chunks.append(record.value)
    finally:
        reader.close()
        log.close()
    return b"".join(chunks)


def test_a_clue_goes_from_the_public_form_to_closed_after_effective_rectification(four) -> None:
    urls, workdir, bootstrap = four
    supervision, unit = urls["supervision"], f"unit-{uuid.uuid4().hex[:6]}"
    officer, unit_reviewer = person_factory("supervision_officer", unit), person_factory("unit_reviewer", unit)
    cadre = person_factory("cadre", unit)
    visitor = {"X-Forwarded-For": VISITOR, "User-Agent": DEVICE}

    filed = requests.post(f"{supervision}/api/v1/clues", json=clue_body(unit=unit), headers=visitor, timeout=30)
    assert filed.status_code == 201, filed.text
    case_id, receipt = filed.json()["case_id"], filed.json()["receipt"]

    def act(who, **body) -> dict:
        answer = requests.post(
            f"{supervision}/api/v1/cases/{case_id}/actions", json=body, headers=who.headers, timeout=30
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    assert act(officer, action="accept", cadre_id=cadre.id)["status"] == "investigating"
    act(officer, action="finding", result="substantiated", outcome="warn", summary="Absent in March.")
    assert act(officer, action="order", unit=unit, due_days=5, requirement="Answer calls.")["status"] == "rectifying"
    until(
        lambda: any(
            n["case_id"] == case_id and n["event_type"] == "RectificationOrdered"
            for n in requests.get(
                f"{urls['notification']}/api/v1/notifications", headers=unit_reviewer.headers, timeout=5
            ).json()["items"]
        ),
        "no order in the unit's inbox",
    )
    assert act(unit_reviewer, action="report", what_was_done="A duty rota.")["status"] == "evaluating"
    closed = act(officer, action="evaluate", effective=True, note="Calls answered in a spot check.")
    assert closed["status"] == "closed" and closed["rounds"][0]["effective"] is True

    status = requests.get(f"{supervision}/api/v1/clues/status", headers={"X-Receipt": receipt, **visitor}, timeout=10)
    assert status.status_code == 200 and status.json()["status"] == "closed"
    assert receipt.encode() not in topic_bytes(bootstrap, "cadreflow.cases")

    logs = "\n".join(path.read_text(errors="replace") for path in workdir.glob("*.log"))
    assert "POST /api/v1/clues" in logs, "the access log was not written"
    assert VISITOR not in logs and DEVICE not in logs and receipt not in logs
    access_lines = [line for line in logs.splitlines() if '"GET /' in line or '"POST /' in line]
    assert access_lines and not [line for line in access_lines if ADDRESS.search(line)]
