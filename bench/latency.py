"""A decision to the inbox entry on Kafka: decisions at a fixed rate, the cadre's inbox polled.

Open loop: decision k is sent at start + k / rate whatever happened before. Every `probe_every`-th
decision is followed by polling the cadre's inbox (every 2 ms) until its StageApproved entry shows;
the latency is from sending the decision to seeing the entry. The polling is load of its own
(some thirty clients asking every `poll_s`), so each run also records how busy the CPUs were and,
from the services' own `event_fold_delay_seconds` histograms, how long after its time the
decision's event was folded into the inbox (notification) and the review service's own view,
with no client polling in that figure.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from prometheus_client.parser import text_string_to_metric_families

from bench.http import BODY
from shared.config import DEVELOPMENT_JWT_SECRET
from tools.mint_token import mint

_local = threading.local()
REVIEWERS = 100  # decisions rotate over many reviewers: the per-reviewer rate limit stays on


def session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def headers(person: str, role: str, unit: str) -> dict[str, str]:
    token = mint(person, role, unit, person, 2, DEVELOPMENT_JWT_SECRET)
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def submit_all(nomination_url: str, count: int, unit: str) -> list[tuple[str, dict]]:
    """Submit `count` nominations of distinct cadres; returns (nomination id, cadre headers)."""

    def one(_: int) -> tuple[str, dict]:
        cadre = headers(f"lat-{uuid.uuid4().hex[:10]}", "cadre", unit)
        answer = session().post(f"{nomination_url}/api/v1/nominations", data=BODY, headers=cadre, timeout=30)
        answer.raise_for_status()
        return answer.json()["nomination_id"], cadre

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def wait_visible(review_url: str, reviewer: dict, nomination_id: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while session().get(f"{review_url}/api/v1/reviews/{nomination_id}", headers=reviewer, timeout=5).status_code != 200:
        if time.monotonic() > deadline:
            raise RuntimeError("the review service never saw the nominations")
        time.sleep(0.05)


def run(urls: dict[str, str], rate: float, seconds: float, probe_every: int = 3, poll_s: float = 0.002) -> dict:
    unit = f"unit-{uuid.uuid4().hex[:6]}"
    count = int(rate * seconds)
    nominations = submit_all(urls["nomination"], count, unit)
    reviewers = [headers(f"rev-{uuid.uuid4().hex[:6]}", "unit_reviewer", unit) for _ in range(REVIEWERS)]
    wait_visible(urls["review"], reviewers[0], nominations[-1][0])
    probes, decisions, failures = [], [], []
    delays_before = {name: fold_delays(urls[name]) for name in ("review", "notification")}
    cpu_before = cpu_times()

    def decide(k: int, nomination_id: str, cadre: dict) -> None:
        sent = time.perf_counter()
        answer = session().post(
            f"{urls['review']}/api/v1/reviews/{nomination_id}/decisions",
            json={"stage": "unit", "decision": "approve", "comment": "ok"},
            headers=reviewers[k % REVIEWERS],
            timeout=30,
        )
        decisions.append(time.perf_counter() - sent)
        if answer.status_code != 200:
            failures.append(answer.status_code)
            return
        if k % probe_every == 0:
            probes.append(_until_in_inbox(urls["notification"], cadre, nomination_id, sent, poll_s))

    started = time.perf_counter()
    with ThreadPoolExecutor(48) as pool:
        for k, (nomination_id, cadre) in enumerate(nominations):
            time.sleep(max(0.0, started + k / rate - time.perf_counter()))
            pool.submit(decide, k, nomination_id, cadre)
        sent_over = time.perf_counter() - started
    return {
        "probes": probes,
        "decision_s": decisions,
        "failures": len(failures),
        "achieved_rate": count / sent_over,
        "poll_s": poll_s,
        "cpu_busy": busy_fraction(cpu_before, cpu_times()),
        "fold_delay_buckets": {  # by follower: "notification.inbox", "review.nominations", ...
            follower: buckets
            for name, before in delays_before.items()
            for follower, buckets in _difference(fold_delays(urls[name]), before).items()
        },
    }


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [float(f) for f in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_fraction(before: tuple[float, float], after: tuple[float, float]) -> float:
    return (after[0] - before[0]) / max(1.0, after[1] - before[1])


def fold_delays(url: str) -> dict[str, dict[float, float]]:
    """Cumulative bucket counts (upper bound -> count) of `<svc>_event_fold_delay_seconds`, by follower."""
    text = session().get(f"{url}/metrics", timeout=5).text
    found: dict[str, dict[float, float]] = {}
    for family in text_string_to_metric_families(text):
        if family.name.endswith("_event_fold_delay_seconds"):
            for sample in family.samples:
                if sample.name.endswith("_bucket"):
                    follower = found.setdefault(sample.labels["follower"], {})
                    follower[float(sample.labels["le"])] = sample.value
    return found


def _difference(after: dict, before: dict) -> dict[str, dict[float, float]]:
    return {
        follower: {le: count - before.get(follower, {}).get(le, 0.0) for le, count in buckets.items()}
        for follower, buckets in after.items()
    }


def bucket_quantile(buckets: dict[float, float], q: float) -> float:
    """The upper bound of the bucket holding quantile `q` (seconds; inf past the last bound)."""
    total = buckets.get(float("inf"), 0.0)
    if total <= 0:
        return float("nan")
    return next(le for le, count in sorted(buckets.items()) if count >= q * total)


def share_within(buckets: dict[float, float], bound: float) -> float:
    total = buckets.get(float("inf"), 0.0)
    return buckets.get(bound, float("nan")) / total if total > 0 else float("nan")


def _until_in_inbox(
    url: str, cadre: dict, nomination_id: str, sent: float, poll_s: float, timeout_s: float = 30
) -> float:
    while time.perf_counter() - sent < timeout_s:
        items = session().get(f"{url}/api/v1/notifications", headers=cadre, timeout=5).json()["items"]
        if any(i["event_type"] == "StageApproved" and i["nomination_id"] == nomination_id for i in items):
            return time.perf_counter() - sent
        time.sleep(poll_s)
    return float("inf")
