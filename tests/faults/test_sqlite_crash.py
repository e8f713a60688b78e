"""kill -9 services on the embedded SQLite log mid-write: the file stays intact and nothing is lost or doubled."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.eventlog.sqlite import SqliteEventLog
from tests.support.log_audit import LogAudit
from tests.support.stack import start_stack
from tests.support.workload import Workload

pytestmark = pytest.mark.slow


def test_kill_9_on_sqlite_leaves_an_intact_log(tmp_path) -> None:
    db = str(tmp_path / "events.db")
    procs = start_stack(
        {"EVENT_BACKEND": "sqlite", "EVENT_DB": db, "WEB_CONCURRENCY": "2"}, tmp_path, ("nomination", "review")
    )
    workload = Workload({name: proc.url for name, proc in procs.items()})

    def crash() -> None:
        for name in ("nomination", "review", "nomination"):
            time.sleep(1.5)
            procs[name].kill()
            procs[name].start().wait_ready()

    crasher = threading.Thread(target=crash)
    try:
        crasher.start()
        with ThreadPoolExecutor(max_workers=6) as pool:
            ids = list(pool.map(workload.run_one, range(80)))
        crasher.join()
    finally:
        for proc in procs.values():
            proc.stop()

    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    log = SqliteEventLog(db)
    audit = LogAudit(log)
    log.close()
    for accepted in workload.accepted:
        assert audit.applied[accepted.nomination_id][accepted.version - 1].type == accepted.event_type
    for nid in ids:
        types = Counter(e.type for e in audit.applied[nid])
        assert types == {"NominationSubmitted": 1, "StageApproved": 2, "NominationApproved": 1}, (nid, types)
    print(f"\nsqlite: sent {workload.sent}, answers {dict(workload.answers)}, accepted {len(workload.accepted)}")
