"""Per-process wiring: the event log, the followers that keep projections current, readiness.

Built inside `create_app()`, which gunicorn calls in each worker after the fork, so no Kafka
client or thread exists before it.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import shared.contracts  # noqa: F401 - registers every event type
from shared.config import Config
from shared.eventlog.factory import open_event_log
from shared.eventlog.port import EventLog
from shared.eventlog.topics import ALL_TOPICS
from shared.events.envelope import Event
from shared.metrics import ServiceMetrics, service_metrics
from shared.readside.follower import Follower
from shared.readside.gate import Outcome
from shared.readside.snapshots.file import SnapshotFile
from shared.readside.snapshots.keeper import SnapshotKeeper

log = logging.getLogger(__name__)
GAUGE_REFRESH_S = 1.0


@dataclass
class Runtime:
    """The event log and followers of one service process."""

    config: Config
    log: EventLog
    metrics: ServiceMetrics
    followers: list[Follower] = field(default_factory=list)
    companions: list = field(default_factory=list)  # background helpers with stop()
    _stopped: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def build(cls, config: Config) -> Runtime:
        log = open_event_log(
            config.event_backend,
            event_db=config.event_db,
            bootstrap_servers=config.kafka_bootstrap_servers,
            client_id=config.service,
        )
        return cls(config, log, service_metrics(config.service))

    def follow(self, topics: Sequence[str], handler: Callable[[Event, Outcome], None], name: str) -> Follower:
        """Add a follower that folds `topics` into `handler`, counting what it consumes."""
        consumed = self.metrics.events_consumed

        children: dict[tuple[str, Outcome], object] = {}

        def observe(event_type: str, outcome: Outcome, count: int) -> None:
            child = children.get((event_type, outcome))
            if child is None:  # labels() costs more than inc(): look each series up once
                child = children[event_type, outcome] = consumed.labels(event_type, outcome.value)
            child.inc(count)

        follower = Follower(self.log, topics, handler, name=f"{self.config.service}.{name}", observe=observe)
        projection = getattr(handler, "__self__", None)
        if hasattr(projection, "use_log"):
            projection.use_log(self.log.read_at)
        follower.snapshots = self._snapshot_keeper(follower, projection)
        self.followers.append(follower)
        return follower

    def _snapshot_keeper(self, follower: Follower, projection: object) -> SnapshotKeeper | None:
        """Snapshots for followers whose handler is a method of a projection that supports them."""
        if not self.config.snapshot_dir or not hasattr(projection, "capture"):
            return None
        file = SnapshotFile(self.config.snapshot_dir, follower.name)
        return SnapshotKeeper(file, projection, interval_s=self.config.snapshot_interval_s)  # type: ignore[arg-type]

    def start(self) -> None:
        """In the background: create the topics (retrying while the log is down), then follow."""
        if any(f.snapshots is not None for f in self.followers):
            atexit.register(self.save_snapshots)  # a gunicorn worker exits normally on SIGTERM
        threading.Thread(target=self._start, name="runtime-start", daemon=True).start()

    def save_snapshots(self) -> None:
        """Write every follower's snapshot now (clean stop)."""
        for follower in self.followers:
            follower.save_snapshot()

    def _start(self) -> None:
        while True:
            try:
                self.log.create_topics(ALL_TOPICS)
                break
            except Exception as error:  # the broker may be down at boot; /readyz says 503 meanwhile
                log.warning("creating topics failed (%r); retrying", error)
                time.sleep(1)
        for follower in self.followers:
            follower.start()
        self._keep_gauges_fresh()

    def _keep_gauges_fresh(self) -> None:
        """Every worker refreshes its own ready/lag/rebuild gauges, not only the one a scrape lands on:
        in multiprocess mode the scrape combines all workers' files, so a stale one would win."""
        while not self._stopped.wait(GAUGE_REFRESH_S):
            self.refresh_metrics()

    def readiness(self) -> tuple[bool, dict]:
        """Ready once every follower caught up with the log it saw at start, and while it can read it."""
        ready = self.is_ready()
        details = {
            f.name: {"ready": f.ready, "lag": sum(f.lag.values()), "error": f.last_error} for f in self.followers
        }
        self.refresh_metrics()
        return ready, {"followers": details}

    def is_ready(self) -> bool:
        return all(f.ready and f.healthy for f in self.followers)

    def refresh_metrics(self) -> None:
        """Copy readiness, rebuild time and lag into the gauges (called before each scrape)."""
        self.metrics.ready.set(1 if self.is_ready() else 0)
        for f in self.followers:
            if f.rebuild_seconds is not None:
                self.metrics.rebuild_seconds.set(f.rebuild_seconds)
            for (topic, partition), lag in f.lag.items():
                self.metrics.consumer_lag.labels(topic, str(partition)).set(lag)

    def stop(self) -> None:
        self._stopped.set()
        atexit.unregister(self.save_snapshots)
        for companion in self.companions:
            companion.stop()
        for follower in self.followers:
            follower.stop()
        self.log.close()
