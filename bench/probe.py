"""A service process for the start-up and memory figures: build the app, wait until ready, report.

python -m bench.probe <service> <event_db> <snapshot_dir or -> [--save] [--recheck]
Prints one JSON line: seconds from interpreter start to ready, RSS, nominations held, restored?
With --recheck it then waits for the background re-check of the transparency trees restored
from the snapshot, timing GET /healthz meanwhile and after it (how much the re-check holds
requests back), and adds its report (records, wall and CPU seconds).
The service runs as shipped, its transparency log included (a signing key and heads of the
probe's own, beside the snapshots or in a temporary folder).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

STARTED = time.time()


def main() -> None:
    import orjson

    service, event_db, snapshot_dir = sys.argv[1:4]
    from shared.config import Config

    work = Path(tempfile.mkdtemp(prefix="probe-") if snapshot_dir == "-" else snapshot_dir)
    config = Config(
        service=service,
        event_db=event_db,
        snapshot_dir=None if snapshot_dir == "-" else snapshot_dir,
        overdue_scan_interval_s=0,
        notice_scan_interval_s=0,  # the timer would append to the cached log (closing overdue notices)
        transparency_key_file=str(work / "signing" / "head.pem"),
        heads_dir=str(work / "heads"),
    )
    module = __import__(f"services.{service}.app", fromlist=["create_app"])
    app = module.create_app(config)
    runtime = app.extensions["runtime"]
    while not runtime.readiness()[0]:
        time.sleep(0.01)
    ready_s = time.time() - STARTED
    book = app.extensions.get("book") or app.extensions["inbox"].book
    report = {
        "ready_s": ready_s,
        "rss_mb": _rss_mb(),
        "nominations": len(book.nominations),
        "restored": any(keeper.restored for keeper in runtime.keepers),
        "rebuild_s": max(f.rebuild_seconds or 0 for f in runtime.followers),
    }
    if "--save" in sys.argv:
        started = time.perf_counter()
        runtime.save_snapshots()
        report["snapshot_write_s"] = time.perf_counter() - started
    if "--recheck" in sys.argv:
        report["recheck"] = _recheck(app)
    sys.stdout.write(orjson.dumps(report).decode() + "\n")
    sys.stdout.flush()
    runtime.stop()


def _recheck(app) -> dict:
    """The re-check's report once it ended, and /healthz latencies (ms) while it ran and after."""
    recheck = app.extensions["transparency"].recheck
    client = app.test_client()
    during = _healthz_ms(client, lambda _count: recheck.status.state in ("waiting", "running"))
    after = _healthz_ms(client, lambda count: count < min(len(during), 500))
    return {**recheck.report(), "healthz_ms_during": _spread(during), "healthz_ms_after": _spread(after)}


def _healthz_ms(client, going_on) -> list[float]:
    times: list[float] = []
    while going_on(len(times)):
        started = time.perf_counter()
        client.get("/healthz")
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.01)
    return times


def _spread(times: list[float]) -> dict:
    ordered = sorted(times) or [0.0]
    return {
        "n": len(times),
        "p50": ordered[len(ordered) // 2],
        "p99": ordered[min(len(ordered) - 1, len(ordered) * 99 // 100)],
        "max": ordered[-1],
    }


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    main()
