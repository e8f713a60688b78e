"""The machine, the figures against their targets and anchors, as JSON and a markdown table."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_before": os.getloadavg(),
        "git": _git(),
    }


def _git() -> str:
    try:
        command = ["git", "rev-parse", "--short", "HEAD"]
        return subprocess.run(command, capture_output=True, text=True).stdout.strip()  # noqa: S603, S607
    except OSError:
        return ""


def spread(values: list[float]) -> dict:
    values = [v for v in values if v == v and v != float("inf")] or [float("nan")]
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def _latency_load_note(lat: dict) -> str:
    """What each run's CPUs and the services' own fold-delay histograms said, and the run with
    calmer polling (see bench/latency.py)."""
    from bench.latency import bucket_quantile, share_within

    def said(run: dict) -> str:
        if "cpu_busy" not in run:
            return ""
        inbox = run["fold_delay_buckets"].get("notification.inbox", {})
        own = run["fold_delay_buckets"].get("review.nominations", {})
        client_p99, inbox_p99 = percentile(run["probes"], 99) * 1000, bucket_quantile(inbox, 0.99) * 1000
        return (
            f"polled every {run['poll_s'] * 1000:.0f} ms: client p99 {client_p99:.0f} ms, "
            f"CPUs {run['cpu_busy'] * 100:.0f}% busy, inbox fold delay p99 ≤ {inbox_p99:.0f} ms "
            f"({share_within(inbox, 0.05) * 100:.1f}% ≤ 50 ms), review's own fold p99 ≤ "
            f"{bucket_quantile(own, 0.99) * 1000:.0f} ms"
        )

    parts = [said(run) for run in lat["runs"]]
    if lat.get("calmer_polling"):
        parts.append(said(lat["calmer_polling"]))
    return "; ".join(p for p in parts if p)


def _fold_stages_note(fold: dict, cpu: dict) -> str:
    """Where an event's CPU time goes, and what 2x the library would take: both folds run the
    same `evolve`, so only the work around it can differ."""
    stages = fold.get("stages_us")
    if not stages or not cpu.get("library") or not cpu.get("cadreflow"):
        return ""
    ours, library, evolve = 1e6 / cpu["cadreflow"], 1e6 / cpu["library"], stages["evolve"]
    budget = library / 2 - evolve
    return (
        f"; CPU µs per event: cadreflow {ours:.1f} (decode {stages['decode']:.1f}, gate {stages['gate']:.1f}, "
        f"evolve {evolve:.1f}, book around it {stages['book']:.1f}), library {library:.1f} (its own work "
        f"{library - evolve:.1f} + the same evolve); 2× the library leaves {budget:.1f} µs for everything "
        f"but evolve, now {ours - evolve:.1f}"
    )


def rows(figures: dict) -> list[dict]:
    """One row per figure: what, target, median, min-max, anchor and ratio."""
    out = []
    fold = figures.get("fold_sqlite")
    if fold:
        ours, lib, bare = (spread(fold["runs"][k]) for k in ("cadreflow", "library", "bare"))
        cpu = {k: spread(v)["median"] for k, v in fold.get("cpu", {}).items()}
        out.append(
            _row(
                f"fold whole log from SQLite ({fold['events']:,} events), events/s",
                "≥ 2× library",
                ours,
                f"library {lib['median']:,.0f} ({lib['min']:,.0f}–{lib['max']:,.0f}); bare loop {bare['median']:,.0f}",
                f"{ours['median'] / lib['median']:.2f}× library, {ours['median'] / bare['median']:.2f}× bare",
                ours["median"] >= 2 * lib["median"],
                _cpu_note(cpu) + _cpu_ratio(cpu, "cadreflow", "library") + _fold_stages_note(fold, cpu),
            )
        )
    append = figures.get("append_sqlite")
    if append:
        ours, lib, bare = (spread(append["runs"][k]) for k in ("cadreflow", "library", "bare"))
        out.append(
            _row(
                f"append one command's event to SQLite ({append['events']:,} appends), events/s",
                "≥ 5k",
                ours,
                f"library {lib['median']:,.0f}; bare sqlite3 {bare['median']:,.0f}",
                f"{ours['median'] / lib['median']:.2f}× library, {ours['median'] / bare['median']:.2f}× bare",
                ours["median"] >= 5000,
            )
        )
    kafka = figures.get("fold_kafka")
    if kafka:
        ours = spread(kafka["runs"]["cadreflow"])
        bare = spread(kafka["runs"].get("bare_consumer") or [float("nan")])
        cpu = {k: spread(v)["median"] for k, v in kafka.get("cpu", {}).items()}
        out.append(
            _row(
                f"fold whole log from Kafka ({kafka['events']:,} events), events/s",
                "≥ 60k",
                ours,
                f"bare reader {bare['median']:,.0f} ({bare['min']:,.0f}–{bare['max']:,.0f})",
                f"{ours['median'] / bare['median']:.2f}× bare consumer",
                ours["median"] >= 60_000,
                _cpu_note(cpu),
            )
        )
    echo_runs = (figures.get("http_sqlite") or {}).get("runs", {}).get("echo") or []
    for backend, target, p99 in (("sqlite", 1500, 25), ("kafka", 1000, 50)):
        http = figures.get(f"http_{backend}")
        if http:
            runs = http["runs"]["cadreflow"]
            ours = spread([r["rps"] for r in runs])
            tail = spread([r["p99_ms"] for r in runs])
            errors = sum(r["non_2xx"] for r in runs)
            echo = spread([r["rps"] for r in echo_runs]) if echo_runs else None
            anchor = f"Flask+marshmallow echo {echo['median']:,.0f} req/s" if echo else "—"
            ratio = f"{ours['median'] / echo['median']:.2f}× echo" if echo else ""
            out.append(
                _row(
                    f"submissions over HTTP, gunicorn 2 workers, {backend}, req/s (p99 ms)",
                    f"≥ {target:,}, p99 ≤ {p99} ms, each run",
                    ours,
                    anchor,
                    ratio,
                    ours["min"] >= target and tail["max"] <= p99,  # every run, not the median
                    f"p99 {tail['median']:.1f} ms ({tail['min']:.1f}–{tail['max']:.1f}); non-2xx {errors}"
                    + _split_note(runs),
                )
            )
    lat = figures.get("latency_kafka")
    if lat:
        p99s = [percentile(r["probes"], 99) * 1000 for r in lat["runs"]]
        p50s = [percentile(r["probes"], 50) * 1000 for r in lat["runs"]]
        ours = spread(p99s)
        answered = spread([percentile(r["decision_s"], 99) * 1000 for r in lat["runs"]])
        rate = spread([r["achieved_rate"] for r in lat["runs"]])
        out.append(
            _row(
                f"decision to inbox entry, Kafka, {lat['rate']:.0f} decisions/s, p99 ms",
                "≤ 50 ms, each run",
                ours,
                f"the decision answered, p99 {answered['median']:.1f} ms ({answered['min']:.1f}–{answered['max']:.1f})",
                f"{ours['median'] / answered['median']:.2f}× the answer",
                ours["max"] <= 50,
                f"p50 {statistics.median(p50s):.1f} ms; rate "
                f"{rate['median']:.0f}/s; failures {sum(r['failures'] for r in lat['runs'])}; probes "
                f"{sum(len(r['probes']) for r in lat['runs'])}; " + _latency_load_note(lat),
            )
        )
    start = figures.get("startup")
    if start:
        ours = spread([r["ready_s"] for r in start["with"]])
        without = start["without"][0]
        out.append(
            _row(
                f"start to ready over a {start['events']:,}-event log, with a snapshot, s",
                "≤ 2 s",
                ours,
                f"without a snapshot {without['ready_s']:.1f} s",
                f"{without['ready_s'] / ours['median']:.1f}× faster",
                ours["median"] <= 2,
                f"restored {all(r['restored'] for r in start['with'])}; "
                f"{without['nominations']:,} nominations; snapshot write "
                f"{without.get('snapshot_write_s', 0):.1f} s",
            )
        )
    memory = figures.get("memory")
    if memory:
        ours = spread([r["rss_mb"] for r in memory["runs"]])
        run = memory["runs"][0]
        out.append(
            _row(
                f"resident memory, service holding {run['nominations']:,} nominations, MB",
                "≤ 500 MB",
                ours,
                "—",
                "",
                ours["median"] <= 500,
                f"full rebuild took {run['ready_s']:.1f} s",
            )
        )
    return out


def _cpu_note(cpu: dict) -> str:
    """Rates per CPU second of the folding process (less sensitive to the other load on the machine)."""
    return "per CPU second: " + ", ".join(f"{k} {v:,.0f}" for k, v in cpu.items()) if cpu else ""


def _cpu_ratio(cpu: dict, ours: str, anchor: str) -> str:
    return f"; {cpu[ours] / cpu[anchor]:.2f}× {anchor} per CPU second" if cpu.get(ours) and cpu.get(anchor) else ""


def _split_note(runs: list[dict]) -> str:
    """How the two workers shared the work in each run (CPU seconds): a lopsided split is the
    keep-alive connections falling unevenly on them."""
    splits = [r["worker_cpu_s"] for r in runs if r.get("worker_cpu_s")]
    return "; worker CPU s " + ", ".join("/".join(f"{s:.1f}" for s in split) for split in splits) if splits else ""


def _row(what, target, ours, anchor, ratio, met, note="") -> dict:
    return {
        "figure": what,
        "target": target,
        "median": ours["median"],
        "min": ours["min"],
        "max": ours["max"],
        "n": ours["n"],
        "anchor": anchor,
        "ratio": ratio,
        "met": met,
        "note": note,
    }


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"# cadreflow benchmarks — {results['started_at']}",
        "",
        f"Machine: {m['nproc']} × {m['cpu_model']}, {m['memory_gib']} GiB, Python {m['python']}, git {m['git']}; "
        f"load average before {m['load_before'][0]:.1f}, after {m.get('load_after', [float('nan')])[0]:.1f}.",
        "",
        "| figure | target | median | min–max | n | anchor (same run) | ratio | met | notes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows(results["figures"]):
        lines.append(
            f"| {r['figure']} | {r['target']} | {_num(r['median'])} | {_num(r['min'])}–{_num(r['max'])} | "
            f"{r['n']} | {r['anchor']} | {r['ratio']} | {'yes' if r['met'] else 'no'} | {r['note']} |"
        )
    took = sum(f.get("bench_seconds", 0) for f in results["figures"].values())
    lines += ["", f"Figures took {took / 60:.1f} min in all."]
    return "\n".join(lines) + "\n"


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def write(results: dict, quick: bool = False) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H%M%S")
    path = RESULTS / f"{stamp}{'-quick' if quick else ''}.json"
    results["rows"] = rows(results["figures"])
    path.write_text(json.dumps(results, indent=1, default=str))
    (RESULTS / ("latest-quick.md" if quick else "latest.md")).write_text(markdown(results))
    return path
