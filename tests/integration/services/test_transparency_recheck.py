"""After a start from snapshots, the nomination service re-checks the restored transparency trees
against the SQLite log in the background: an untouched log passes; a record rewritten before the
snapshot's last (which the snapshot's anchor cannot see) is found and named by its leaf, and the
service ends where a start without the snapshot would: nothing more signed, the partition's
streams not vouched for, the divergence alerting; a start that rebuilt the trees re-checks nothing."""

from __future__ import annotations

import logging
import sqlite3
import time

import orjson

from tests.integration.services.test_transparency_log import Stack, rows_of

TIMEOUT_S = 60


def until(done, what: str) -> None:
    """Wait for `done()`, generously (the re-check runs on a thread of its own)."""
    deadline = time.monotonic() + TIMEOUT_S
    while not done():
        assert time.monotonic() < deadline, f"not within {TIMEOUT_S} s: {what}"
        time.sleep(0.02)


def finished(stack: Stack) -> dict:
    """The re-check's report in /readyz once it is no longer waiting or running."""

    def report() -> dict:
        return stack.nomination.get("/readyz").json["transparency_recheck"]

    until(lambda: report()["state"] not in ("waiting", "running"), "the re-check ended")
    return report()


def restarted_from_snapshots(tmp_path, change=None) -> tuple[Stack, tuple[str, object], tuple[str, object]]:
    """Two nominations walked to rejection, the services stopped (snapshots saved, a last head
    signed), the log changed by `change(db, first nomination)`, the services started again;
    each nomination with its cadre."""
    stack = Stack(tmp_path, snapshots=tmp_path / "snapshots").start()
    first = stack.walk_to_rejection(), stack.cadre
    second = stack.walk_to_rejection(), stack.cadre  # the last records of the log: the snapshots' anchors
    stack.stop()
    if change is not None:
        db = sqlite3.connect(stack.db, isolation_level=None)
        change(db, first[0])
        db.close()
    stack.start()
    assert stack.apps[0].extensions["transparency"].follower.snapshots.restored
    return stack, first, second


MISMATCHES = "transparency_recheck_mismatches_total"


def rewrite_the_approval(db: sqlite3.Connection, nid: str) -> None:
    """The unit's approval of `nid` says something else: its stream's second record, not re-chained."""
    offset, body = rows_of(db, nid)[1]
    assert body["type"] == "StageApproved"
    body["payload"]["comment"] = "Approved without reservation."
    db.execute("UPDATE records SET value = ? WHERE offset = ?", (orjson.dumps(body), offset))


def metric(stack: Stack, name: str) -> str:
    lines = stack.nomination.get("/metrics").text.splitlines()
    return next(line.split()[-1] for line in lines if line.startswith(f"nomination_{name} "))


def test_an_untouched_log_passes_the_recheck_and_the_metrics_say_so(tmp_path) -> None:
    stack, first, _ = restarted_from_snapshots(tmp_path)
    mismatches = float(metric(stack, MISMATCHES))  # a counter of the process: earlier tests' too
    restored = stack.apps[0].extensions["transparency"].follower.snapshots.projection.restored
    report = finished(stack)
    assert report["state"] == "passed" and report["divergences"] == [] and report["seconds"] is not None
    assert report["records"] >= sum(restored.values()) > 0
    assert metric(stack, "transparency_recheck_passed") == "1.0"
    assert float(metric(stack, "transparency_recheck_records")) == report["records"]
    assert float(metric(stack, MISMATCHES)) == mismatches
    assert metric(stack, "transparency_diverged") == "0.0"
    assert stack.nomination.get("/api/v1/transparency/heads/latest").status_code == 200
    assert stack.verify(*first)["valid"] is True
    stack.stop()


def test_a_record_rewritten_before_the_snapshots_last_is_found_by_the_recheck(tmp_path, caplog) -> None:
    caplog.set_level(logging.ERROR, "shared.transparency.ledger")
    stack, first, second = restarted_from_snapshots(tmp_path, change=rewrite_the_approval)
    mismatches = float(metric(stack, MISMATCHES))
    until(lambda: metric(stack, "transparency_diverged") == "1.0", "the divergence in the metrics")  # alerts

    report = finished(stack)
    forest = stack.apps[0].extensions["transparency"].ledger.forest
    with sqlite3.connect(stack.db) as db:
        offset = rows_of(db, first[0])[1][0]  # the rewritten approval
    leaf = forest.locate("cadreflow.nominations/0", offset)
    assert leaf is not None and 0 < leaf < forest.tree("cadreflow.nominations/0").size - 1  # neither end
    assert report["state"] == "diverged" and len(report["divergences"]) == 1
    assert f"cadreflow.nominations/0: the record at offset {offset}" in report["divergences"][0]
    assert f"the changed record is leaf {leaf}" in report["divergences"][0]
    assert f"the changed record is leaf {leaf}" in caplog.text
    assert float(metric(stack, MISMATCHES)) == mismatches + 1
    assert metric(stack, "transparency_recheck_passed") == "0.0"

    assert stack.nomination.get("/readyz").status_code == 200  # live and ready: the log is what is wrong
    refused = stack.nomination.get("/api/v1/transparency/heads/latest")
    assert refused.status_code == 503 and refused.json["error"]["code"] == "log_diverged"
    untouched = stack.verify(*second)  # another stream of the partition: no longer vouched for
    assert untouched["valid"] is False and "contradicts a signed head" in str(untouched["problems"])
    stack.stop()


def test_a_start_that_rebuilt_the_trees_rechecks_nothing(tmp_path) -> None:
    stack = Stack(tmp_path, snapshots=tmp_path / "snapshots").start()
    stack.walk_to_rejection()
    stack.stop()
    (tmp_path / "snapshots" / "nomination" / "nomination.transparency.snapshot").unlink()  # the books' stay
    stack.start()
    assert not stack.apps[0].extensions["transparency"].follower.snapshots.restored
    report = finished(stack)
    assert report["state"] == "skipped" and report["records"] == 0
    assert metric(stack, "transparency_recheck_records") == "0.0"
    stack.stop()
