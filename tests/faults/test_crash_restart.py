"""kill -9 services in the middle of 200 nominations: nothing accepted is lost or doubled."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.log_audit import LogAudit
from tests.support.workload import Workload

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
NOMINATIONS = 200


def crash_and_restart(procs, order, pause_s: float) -> list[str]:
    done = []
    for name in order:
        time.sleep(pause_s)
        procs[name].kill()
        procs[name].start().wait_ready()
        done.append(name)
    return done


def wait_for_inboxes(url: str, workload: Workload, audit: LogAudit, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        inboxes = {
            nid: requests.get(f"{url}/api/v1/notifications", headers=c.headers, timeout=10).json()["items"]
            for nid, c in workload.cadres.items()
        }
        if all(len(inboxes[n]) >= len(audit.expected_notices[f"person:{c.id}"]) for n, c in workload.cadres.items()):
            return inboxes
        assert time.monotonic() < deadline, "inboxes never caught up"
        time.sleep(0.5)


def test_kill_9_mid_stream_loses_and_doubles_nothing(stack_factory, kafka_log) -> None:
    procs = stack_factory()
    urls = {name: proc.url for name, proc in procs.items()}
    workload = Workload(urls)
    crasher = threading.Thread(target=crash_and_restart, args=(procs, ["review", "nomination", "notification"], 2.5))
    crasher.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(workload.run_one, range(NOMINATIONS)))
    crasher.join()

    audit = LogAudit(kafka_log)
    assert len(set(ids)) == NOMINATIONS
    for accepted in workload.accepted:  # every 2xx is in the log, once, at the version it reported
        events = audit.applied[accepted.nomination_id]
        assert len(events) >= accepted.version, (accepted, [e.type for e in events], len(audit.states))
        assert events[accepted.version - 1].type == accepted.event_type
    for nid in ids:
        types = Counter(e.type for e in audit.applied[nid])
        assert types == {"NominationSubmitted": 1, "StageApproved": 2, "NominationApproved": 1}, (nid, types)

    cadre = workload.cadres[ids[0]]
    for nid in ids:  # every view agrees with a fresh fold of the log
        view = requests.get(
            f"{urls['nomination']}/api/v1/nominations/{nid}", headers=workload.cadres[nid].headers, timeout=10
        ).json()
        truth = audit.states[nid]
        assert (view["status"], view["version"], len(view["history"])) == (
            "on_notice",
            truth.version,
            len(truth.history),
        )

    inboxes = wait_for_inboxes(urls["notification"], workload, audit)
    for nid, cadre in workload.cadres.items():  # no notification missing or doubled
        got = sorted((item["nomination_id"], item["event_type"]) for item in inboxes[nid])
        assert got == sorted(audit.expected_notices[f"person:{cadre.id}"])
    print(
        f"\nrequests sent {workload.sent}, answers {dict(sorted(workload.answers.items()))}, "
        f"accepted {len(workload.accepted)}, in the log {sum(len(v) for k, v in audit.applied.items() if k in ids)}"
    )
