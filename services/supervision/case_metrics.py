"""Supervision metrics, computed from the folded cases: where cases are, how long they take to
close, how often a rectification is found ineffective, how many rounds ran late.

Every figure is a function of the case book alone, so the gauges are recomputed from it (every
few seconds, in every gunicorn worker: in `livemax` mode the scrape shows one value per series,
and a stale worker could otherwise win). A restart from a snapshot or a replay shows the same
values, since nothing is counted event by event. Labels never carry ids, units or people: kind,
category (configuration, bounded) and status only.
"""

from __future__ import annotations

import threading
from collections import Counter as Tally
from collections.abc import Callable, Iterable
from functools import cache

from prometheus_client import Gauge

from shared.domain.supervision.state import CLOSED, Case

CLOSE_BUCKETS_S = (86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 60 * 86400, 90 * 86400, float("inf"))


@cache
def _gauges() -> dict[str, Gauge]:
    def gauge(name: str, doc: str, labels: list[str]) -> Gauge:
        return Gauge(name, doc, labels, multiprocess_mode="livemax")

    return {
        "cases": gauge("cadreflow_cases", "Cases by kind, category and status", ["kind", "category", "status"]),
        "received": gauge("cadreflow_cases_received_total", "Clues received, by kind and channel", ["kind", "channel"]),
        "evaluations": gauge(
            "cadreflow_rectification_evaluations_total", "Rectifications evaluated, by effect", ["effective"]
        ),
        "reopened": gauge("cadreflow_cases_reopened_total", "Cases with a rectification found ineffective", ["kind"]),
        "overdue": gauge("cadreflow_rectifications_overdue_total", "Rounds of rectification that ran late", ["kind"]),
        "overdue_now": gauge(
            "cadreflow_rectifications_overdue_open", "Rounds past their due time without a report now", ["kind"]
        ),
        "bucket": gauge("cadreflow_case_close_seconds_bucket", "Closed cases closed within `le` s", ["kind", "le"]),
        "sum": gauge("cadreflow_case_close_seconds_sum", "Total seconds from receipt to closing", ["kind"]),
        "count": gauge("cadreflow_case_close_seconds_count", "Closed cases", ["kind"]),
    }


def case_figures(cases: Iterable[Case]) -> dict[str, Tally[tuple[str, ...]]]:
    """Every gauge's values, by label tuple."""
    figures: dict[str, Tally[tuple[str, ...]]] = {name: Tally() for name in _gauges()}
    for case in cases:
        figures["cases"][(case.kind, case.category, case.status)] += 1
        figures["received"][(case.kind, case.channel)] += 1
        for effect in (r.effective for r in case.rounds if r.effective is not None):
            figures["evaluations"][(str(effect).lower(),)] += 1
        figures["reopened"][(case.kind,)] += 1 if case.reopened else 0
        figures["overdue"][(case.kind,)] += sum(1 for r in case.rounds if r.overdue_at is not None)
        figures["overdue_now"][(case.kind,)] += 1 if case.overdue else 0
        if case.status == CLOSED and case.closed_at is not None:
            _closed(figures, case.kind, (case.closed_at - case.received_at).total_seconds())
    return figures


def _closed(figures: dict[str, Tally[tuple[str, ...]]], kind: str, seconds: float) -> None:
    for bound in CLOSE_BUCKETS_S:
        if seconds <= bound:
            figures["bucket"][(kind, "+Inf" if bound == float("inf") else f"{bound:.1f}")] += 1
    figures["sum"][(kind,)] += seconds
    figures["count"][(kind,)] += 1


class CaseMetrics:
    """Shows `case_figures` of the book's cases in the gauges; `refresh` when the book moved."""

    def __init__(self, cases: Callable[[], list[Case]]) -> None:
        self.cases = cases
        self.gauges = _gauges()
        self.shown: dict[str, set[tuple[str, ...]]] = {name: set() for name in self.gauges}

    def refresh(self) -> None:
        for name, tally in case_figures(self.cases()).items():
            gauge = self.gauges[name]
            for labels in self.shown[name] - set(tally):
                gauge.labels(*labels).set(0)  # a series once shown drops to 0 (remove() is not multiprocess-safe)
            for labels, value in tally.items():
                gauge.labels(*labels).set(value)
            self.shown[name] |= set(tally)

    def run_every(self, interval_s: float) -> threading.Thread:
        """Refresh periodically on a daemon thread."""

        def loop() -> None:
            stop = threading.Event()
            while not stop.wait(interval_s):
                self.refresh()

        thread = threading.Thread(target=loop, name="case-metrics", daemon=True)
        thread.start()
        return thread
