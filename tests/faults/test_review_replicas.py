"""Two review replicas scanning deadlines and deciding at once: one StageOverdue and one decision per step."""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.log_audit import LogAudit
from tests.support.people import nomination_body, person_factory

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
DUE_S = 2.0
NOMINATIONS = 12


def test_replicas_flag_each_overdue_step_once_and_decide_each_step_once(stack_factory, kafka_log, tmp_path) -> None:
    workflow = tmp_path / "workflow.json"
    workflow.write_text(json.dumps({"due_days": {s: DUE_S / 86400 for s in ("unit", "org_department", "secretary")}}))
    env = {"WORKFLOW_CONFIG": str(workflow), "OVERDUE_SCAN_INTERVAL_S": "0.2"}
    front = stack_factory(services=("nomination",), **env)["nomination"]
    replicas = [stack_factory(services=("review",), **env)["review"] for _ in range(2)]

    cadres = [person_factory("cadre", unit="replica-unit") for _ in range(NOMINATIONS)]
    ids = [
        requests.post(f"{front.url}/api/v1/nominations", json=nomination_body(), headers=c.headers, timeout=30).json()[
            "nomination_id"
        ]
        for c in cadres
    ]
    time.sleep(DUE_S * 2)  # every unit step is now overdue; both replicas' scanners race to flag it
    reviewers = [person_factory("unit_reviewer", "replica-unit") for _ in range(4)]

    def decide(args):
        nid, who, replica = args
        url = f"{replica.url}/api/v1/reviews/{nid}/decisions"
        return requests.post(url, json={"stage": "unit", "decision": "approve"}, headers=who.headers, timeout=30)

    jobs = [(nid, who, replicas[i % 2]) for nid in ids for i, who in enumerate(reviewers)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(decide, jobs))
    time.sleep(DUE_S * 2)  # the org_department steps fall overdue too

    audit = LogAudit(kafka_log)
    by_nomination = Counter()
    for (nid, _, _), answer in zip(jobs, answers, strict=True):
        assert answer.status_code in (200, 409), answer.text
        by_nomination[nid] += answer.status_code == 200
    assert all(by_nomination[nid] == 1 for nid in ids), by_nomination
    for nid in ids:
        events = audit.applied[nid]
        overdue = Counter(e.payload["step"] for e in events if e.type == "StageOverdue")
        assert overdue == {0: 1, 1: 1}, (nid, overdue)
        assert sum(e.type == "StageApproved" for e in events) == 1
