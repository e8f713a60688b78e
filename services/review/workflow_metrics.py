"""Workflow metrics folded from the log: where nominations are, how long stages take, what is decided.

Every gunicorn worker folds the same log, so these are gauges in `livemax` mode: the scrape shows
one value per series (not a sum over workers), and a restart rebuilds the same values. The dwell
histogram is exposed as cumulative `_bucket{le}` / `_sum` / `_count` gauges for the same reason.
Labels never carry ids or names of people.
"""

from __future__ import annotations

from collections import Counter as Tally
from functools import cache

from prometheus_client import Gauge

from shared.domain.workflow.state import Nomination
from shared.events.envelope import Event

DWELL_BUCKETS_S = (3600, 6 * 3600, 86400, 2 * 86400, 5 * 86400, 10 * 86400, 20 * 86400, 40 * 86400, float("inf"))
DECISIONS = {
    "StageApproved": "approve",
    "NominationApproved": "approve",
    "NominationReturned": "return",
    "NominationRejected": "reject",
}


@cache
def _gauges() -> dict[str, Gauge]:
    def gauge(name: str, doc: str, labels: list[str]) -> Gauge:
        return Gauge(name, doc, labels, multiprocess_mode="livemax")

    return {
        "nominations": gauge("cadreflow_nominations", "Nominations by status and active stage", ["status", "stage"]),
        "submissions": gauge("cadreflow_submissions_total", "Nominations submitted, by channel", ["channel"]),
        "decisions": gauge(
            "cadreflow_decisions_total", "Decisions taken, by stage and decision", ["stage", "decision"]
        ),
        "overdue": gauge("cadreflow_overdue_steps_total", "Steps that passed their due time, by stage", ["stage"]),
        "overdue_now": gauge("cadreflow_overdue_open_steps", "Open steps past their due time now, by stage", ["stage"]),
        "bucket": gauge("cadreflow_stage_dwell_seconds_bucket", "Decided steps open at most `le` s", ["stage", "le"]),
        "sum": gauge("cadreflow_stage_dwell_seconds_sum", "Total seconds decided steps were open", ["stage"]),
        "count": gauge("cadreflow_stage_dwell_seconds_count", "Decided steps", ["stage"]),
    }


class WorkflowMetrics:
    """A NominationBook listener that keeps the workflow gauges equal to the fold of the log.

    It keeps every value in its own tallies (the gauges show them), so a snapshot of the book can
    carry them and a restart from the snapshot shows the same values without a full fold.
    """

    def __init__(self) -> None:
        self.gauges = _gauges()
        self.tallies: dict[str, Tally[tuple[str, ...]]] = {name: Tally() for name in self.gauges}

    def __call__(self, event: Event, before: Nomination | None, after: Nomination) -> None:
        self._move(before, after)
        if event.type == "NominationSubmitted":
            self._add("submissions", (after.channel,))
        elif event.type == "StageOverdue":
            self._add("overdue", (event.payload["stage"],))
        elif event.type in DECISIONS and before is not None and before.active_step is not None:
            stage = event.payload["stage"]
            self._add("decisions", (stage, DECISIONS[event.type]))
            self._dwell(stage, (event.time - before.active_step.opened_at).total_seconds())

    def _add(self, gauge: str, labels: tuple[str, ...], amount: float = 1) -> None:
        tally = self.tallies[gauge]
        tally[labels] += amount
        self.gauges[gauge].labels(*labels).set(tally[labels])

    def _move(self, before: Nomination | None, after: Nomination) -> None:
        for nomination, delta in ((before, -1), (after, 1)):
            if nomination is not None:
                self._add("nominations", (nomination.status, nomination.stage or "none"), delta)
                if nomination.overdue and nomination.stage:
                    self._add("overdue_now", (nomination.stage,), delta)

    def _dwell(self, stage: str, seconds: float) -> None:
        for bound in DWELL_BUCKETS_S:
            if seconds <= bound:
                self._add("bucket", (stage, _le(bound)))
        self._add("sum", (stage,), seconds)
        self._add("count", (stage,))

    # -- snapshots (the book calls these under the follower's lock) ---------------------------
    def snapshot_state(self) -> dict[str, list]:
        """Every tally as [label..., value] rows (JSON-ready, a copy)."""
        return {name: [[*labels, value] for labels, value in tally.items()] for name, tally in self.tallies.items()}

    def restore_state(self, state: dict[str, list]) -> None:
        """Take the tallies of a snapshot and show them."""
        tallies = {name: Tally() for name in self.gauges}
        for name, rows in state.items():
            tallies[name].update({tuple(row[:-1]): row[-1] for row in rows})
        self.tallies = tallies
        for name, tally in tallies.items():
            for labels, value in tally.items():
                self.gauges[name].labels(*labels).set(value)


def _le(bound: float) -> str:
    return "+Inf" if bound == float("inf") else f"{bound:.1f}"
