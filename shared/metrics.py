"""Prometheus metrics of one service, declared once per process and prefixed by the service name.

Under gunicorn the launch script sets PROMETHEUS_MULTIPROC_DIR, and `/metrics` aggregates the
files of every worker; in a single process (tests) the default registry is used. Labels never
carry ids or names of people.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)


@dataclass(frozen=True)
class ServiceMetrics:
    """The technical metrics every service exports."""

    http_requests: Counter
    http_duration: Histogram
    events_consumed: Counter
    events_appended: Counter
    append_errors: Counter
    consumer_lag: Gauge
    rebuild_seconds: Gauge
    ready: Gauge
    deliveries: Counter
    fold_delay: Histogram


FOLD_DELAY_BUCKETS = (0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10)
"""Fine below 100 ms, where a decision should reach the other services' views."""


@cache
def service_metrics(service: str) -> ServiceMetrics:
    """The metrics of `service` (created on first use, then shared by the process)."""
    p = service
    return ServiceMetrics(
        http_requests=Counter(f"{p}_http_requests_total", "HTTP requests answered", ["method", "route", "status"]),
        http_duration=Histogram(
            f"{p}_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        ),
        events_consumed=Counter(
            f"{p}_events_consumed_total", "Log records folded by this service", ["event_type", "outcome"]
        ),
        events_appended=Counter(
            f"{p}_events_appended_total", "Events this service appended to the log", ["event_type"]
        ),
        append_errors=Counter(
            f"{p}_append_errors_total", "Appends the log did not confirm (producer errors)", ["backend"]
        ),
        consumer_lag=Gauge(
            f"{p}_consumer_lag_messages",
            "Records behind the end of the log",
            ["topic", "partition"],
            multiprocess_mode="max",
        ),
        rebuild_seconds=Gauge(
            f"{p}_rebuild_duration_seconds", "Time from start to caught up with the log", multiprocess_mode="max"
        ),
        ready=Gauge(f"{p}_ready", "1 once the projection caught up with the log", multiprocess_mode="min"),
        deliveries=Counter(
            f"{p}_deliveries_total", "Notifications delivered, by channel and outcome", ["channel", "outcome"]
        ),
        fold_delay=Histogram(
            f"{p}_event_fold_delay_seconds",
            "From an event's time (stamped by the service that recorded it) to its fold here, once caught up",
            ["follower"],
            buckets=FOLD_DELAY_BUCKETS,
        ),
    )


@dataclass(frozen=True)
class TransparencyMetrics:
    """The transparency log of the service that keeps it."""

    diverged: Gauge
    heads_signed: Counter
    recheck_passed: Gauge
    recheck_mismatches: Counter
    recheck_records: Gauge
    recheck_seconds: Gauge


@cache
def transparency_metrics(service: str) -> TransparencyMetrics:
    """The transparency metrics of `service` (created on first use, then shared by the process)."""
    return TransparencyMetrics(
        diverged=Gauge(
            f"{service}_transparency_diverged",
            "1 while the log contradicts a head signed before or the trees restored at start (forged or lost records)",
            multiprocess_mode="max",
        ),
        heads_signed=Counter(f"{service}_transparency_heads_signed_total", "Tree heads signed and archived"),
        recheck_passed=Gauge(
            f"{service}_transparency_recheck_passed",
            "1 once the trees restored from a snapshot were found equal to the log read again (0 before or without)",
            multiprocess_mode="min",
        ),
        recheck_mismatches=Counter(
            f"{service}_transparency_recheck_mismatches_total",
            "Partitions whose records differ from the trees restored from a snapshot",
        ),
        recheck_records=Gauge(
            f"{service}_transparency_recheck_records",
            "Records read again so far by the re-check of the trees restored from a snapshot",
            multiprocess_mode="max",
        ),
        recheck_seconds=Gauge(
            f"{service}_transparency_recheck_duration_seconds",
            "Wall time of the finished re-check of the trees restored from a snapshot",
            multiprocess_mode="max",
        ),
    )


def render() -> tuple[bytes, str]:
    """The exposition text of this process, or of all gunicorn workers in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
