"""Run every figure several times and record medians, min-max and the machine.

python -m bench.run [--quick] [--only fold_sqlite,append_sqlite,...]
Writes bench/results/<date>.json and bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import shared.contracts  # noqa: F401 - registers the event types
from bench import fold, report
from bench.loggen import cached_log, read_values

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")  # services run in the project venv, not the bench one


def figure_fold_sqlite(args, work: Path) -> dict:
    from bench import library

    path = cached_log(args.fold_events)
    library_path = HERE / "var" / "logs" / f"library-{path.stem}.db"
    if not library_path.exists():
        library.write_library_log(path, library_path)
    runs: dict[str, list[float]] = {"cadreflow": [], "library": [], "bare": []}
    cpu: dict[str, list[float]] = {"cadreflow": [], "library": [], "bare": []}
    for _ in range(args.repeat):
        for name, function, target in (
            ("cadreflow", fold.fold_sqlite, path),
            ("bare", fold.fold_bare, path),
            ("library", library.fold_library, library_path),
        ):
            wall_rate, cpu_rate = fold.rates(function, target)
            runs[name].append(wall_rate)
            cpu[name].append(cpu_rate)
    return {"events": args.fold_events, "runs": runs, "cpu": cpu, "stages_us": fold.stages(path)}


def figure_append_sqlite(args, work: Path) -> dict:
    from bench import library
    from shared.eventlog.sqlite import SqliteEventLog
    from shared.eventlog.topics import NOMINATIONS
    from shared.events.codec import decode

    values = [v for _, _, v in read_values(cached_log(args.fold_events))[: args.append_events]]
    events = [decode(v) for v in values]
    lib_events = [library.to_library_event(v) for v in values]
    runs: dict[str, list[float]] = {"cadreflow": [], "library": [], "bare": []}
    for round_ in range(args.repeat):
        log = SqliteEventLog(str(work / f"append-{round_}.db"))
        started = time.perf_counter()
        for event in events:
            log.append(NOMINATIONS, [event])
        runs["cadreflow"].append(len(events) / (time.perf_counter() - started))
        log.close()
        runs["bare"].append(len(values) / _append_bare(work / f"bare-{round_}.db", values))
        started = time.perf_counter()
        library.append_library(work / f"library-{round_}.db", lib_events)
        runs["library"].append(len(values) / (time.perf_counter() - started))
    return {"events": len(values), "runs": runs}


def _append_bare(path: Path, values: list[bytes]) -> float:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE records (offset INTEGER PRIMARY KEY AUTOINCREMENT, value BLOB NOT NULL)")
    started = time.perf_counter()
    for value in values:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO records (value) VALUES (?)", (value,))
        db.execute("COMMIT")
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def figure_fold_kafka(args, work: Path) -> dict:
    topic = _kafka_log(args.fold_events)
    runs: dict[str, list[float]] = {"cadreflow": [], "bare_consumer": []}
    cpu: dict[str, list[float]] = {"cadreflow": [], "bare_consumer": []}
    for _ in range(args.repeat):
        # in the project venv, as the services run; the anchor is the same consumer without a fold
        command = [PYTHON, "-m", "bench.fold", "kafka", topic, args.bootstrap]
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=1800)  # noqa: S603
        measured = json.loads(out.stdout.strip().splitlines()[-1])
        runs["cadreflow"].append(measured["wall"])
        cpu["cadreflow"].append(measured["cpu"])
        runs["bare_consumer"].append(measured["bare_wall"])
        cpu["bare_consumer"].append(measured["bare_cpu"])
    return {"events": args.fold_events, "topic": topic, "runs": runs, "cpu": cpu}


def _kafka_log(count: int) -> str:
    """A bench topic holding the generated log (6 partitions, keyed by stream), loaded once."""
    from kafka import KafkaProducer

    from shared.eventlog.kafka import KafkaEventLog
    from shared.eventlog.port import TopicSpec

    path = cached_log(count)
    topic = f"bench.{path.stem}"
    log = KafkaEventLog(_bootstrap(), client_id="bench-load")
    log.create_topics([TopicSpec(topic, partitions=6)])
    if sum(log.end_offsets([topic]).values()) < count:
        producer = KafkaProducer(
            bootstrap_servers=_bootstrap(),
            acks="all",
            linger_ms=20,
            batch_size=256 * 1024,
            max_request_size=8 * 1024 * 1024,
        )
        for key, _, value in read_values(path):
            producer.send(topic, key=key.encode(), value=value)
        producer.flush()
        producer.close()
    log.close()
    return topic


def figure_http(args, work: Path, backend: str) -> dict:
    from bench import http

    env = {
        "EVENT_BACKEND": backend,
        "EVENT_DB": str(work / f"http-{backend}.db"),
        "KAFKA_BOOTSTRAP_SERVERS": args.bootstrap,
        "SNAPSHOT_DIR": str(work / "snapshots"),
        "OVERDUE_SCAN_INTERVAL_S": "0",
    }
    runs: dict[str, list[dict]] = {"cadreflow": [], "echo": []}
    script = http.submit_script(work)
    if backend == "sqlite":
        echo = http.Served("bench.echo_app:create_app()", env, work)
        try:
            echo.wait_ready()
            echo_script = work / "echo.lua"
            echo_script.write_text(script.read_text())
            for _ in range(args.repeat):
                runs["echo"].append(http.wrk(echo.url + "/echo", echo_script, args.http_seconds))
        finally:
            echo.stop()
    served = http.Served("nomination", env, work)
    try:
        served.wait_ready()
        http.wrk(served.url + "/api/v1/nominations", script, 2)  # warm-up
        for _ in range(args.repeat):
            before = served.worker_cpu()
            run = http.wrk(served.url + "/api/v1/nominations", script, args.http_seconds)
            after = served.worker_cpu()
            run["worker_cpu_s"] = sorted(after[pid] - before.get(pid, 0.0) for pid in after)
            runs["cadreflow"].append(run)
    finally:
        served.stop()
    return {"backend": backend, "seconds": args.http_seconds, "runs": runs}


def figure_latency(args, work: Path) -> dict:
    from bench import http, latency

    env = {
        "EVENT_BACKEND": "kafka",
        "KAFKA_BOOTSTRAP_SERVERS": args.bootstrap,
        "OVERDUE_SCAN_INTERVAL_S": "0",
        "SNAPSHOT_DIR": str(work / "snapshots"),
    }
    services = {name: http.Served(name, env, work) for name in ("nomination", "review", "notification")}
    try:
        for served in services.values():
            served.wait_ready()
        urls = {name: s.url for name, s in services.items()}
        runs = [latency.run(urls, args.rate, args.latency_seconds) for _ in range(max(1, args.repeat - 1))]
        # the same with the inbox polled every 20 ms, not 2: how much of the figure is the probes' own load
        calmer = latency.run(urls, args.rate, args.latency_seconds, poll_s=0.02)
    finally:
        for served in services.values():
            served.stop()
    return {"rate": args.rate, "seconds": args.latency_seconds, "runs": runs, "calmer_polling": calmer}


def figure_startup(args, work: Path) -> dict:
    path = cached_log(args.startup_events)
    snapshots = work / "startup-snapshots"
    first = _probe("nomination", path, snapshots, save=True)  # no snapshot yet: a full rebuild, then save
    with_snapshot = [_probe("nomination", path, snapshots) for _ in range(args.repeat)]
    return {"events": args.startup_events, "without": [first], "with": with_snapshot}


def figure_memory(args, work: Path) -> dict:
    path = _prefix_with_nominations(cached_log(args.startup_events), args.memory_nominations)
    return {"nominations": args.memory_nominations, "runs": [_probe("nomination", path, None)]}


def _probe(service: str, path: Path, snapshots: Path | None, save: bool = False) -> dict:
    command = [PYTHON, "-m", "bench.probe", service, str(path), str(snapshots) if snapshots else "-"]
    started = time.perf_counter()
    out = subprocess.run(  # noqa: S603 - our own module
        command + (["--save"] if save else []), cwd=ROOT, capture_output=True, text=True, check=True, timeout=1800
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_to_exit_s"] = time.perf_counter() - started
    return result


def _prefix_with_nominations(path: Path, nominations: int) -> Path:
    target = path.with_name(f"{path.stem}-first-{nominations}-nominations.db")
    if target.exists():
        return target
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    seen: set[str] = set()
    last = 0
    for offset, key in db.execute("SELECT offset, key FROM records ORDER BY offset"):
        if key not in seen and len(seen) == nominations:
            break
        seen.add(key)
        last = offset
    db.close()
    partial = target.with_suffix(".partial")
    shutil.copyfile(path, partial)
    copy = sqlite3.connect(partial, isolation_level=None)
    copy.execute("DELETE FROM records WHERE offset > ?", (last,))
    copy.execute("VACUUM")
    copy.close()
    os.replace(partial, target)
    return target


def _bootstrap() -> str:
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")


FIGURES: dict[str, Callable] = {
    "fold_sqlite": figure_fold_sqlite,
    "append_sqlite": figure_append_sqlite,
    "fold_kafka": figure_fold_kafka,
    "http_sqlite": lambda a, w: figure_http(a, w, "sqlite"),
    "http_kafka": lambda a, w: figure_http(a, w, "kafka"),
    "latency_kafka": figure_latency,
    "startup": figure_startup,
    "memory": figure_memory,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(FIGURES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each (a smoke test)")
    args = parser.parse_args()
    args.bootstrap = _bootstrap()
    args.fold_events, args.startup_events, args.memory_nominations = 100_000, 1_000_000, 100_000
    args.append_events, args.http_seconds, args.rate, args.latency_seconds = 2000, 8, 100.0, 15
    if args.quick:
        args.repeat, args.fold_events, args.startup_events, args.memory_nominations = 1, 10_000, 20_000, 2_000
        args.append_events, args.http_seconds, args.latency_seconds = 300, 2, 3
    results = {"machine": report.machine(), "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "figures": {}}
    with tempfile.TemporaryDirectory(prefix="cadreflow-bench-") as scratch:
        for name in args.only.split(","):
            started = time.perf_counter()
            print(f"bench: {name} ...", file=sys.stderr, flush=True)
            results["figures"][name] = FIGURES[name](args, Path(scratch))
            results["figures"][name]["bench_seconds"] = time.perf_counter() - started
            print(f"bench: {name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    results["machine"]["load_after"] = os.getloadavg()
    path = report.write(results, quick=args.quick)
    print(
        f"bench: wrote {path} and {path.parent / ('latest-quick.md' if args.quick else 'latest.md')}", file=sys.stderr
    )


if __name__ == "__main__":
    main()
