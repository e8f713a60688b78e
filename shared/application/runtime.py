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
from typing import TYPE_CHECKING, Any, Protocol

import shared.contracts  # noqa: F401 - registers every event type
from shared.config import Config
from shared.eventlog.factory import open_event_log
from shared.eventlog.port import EventLog
from shared.eventlog.topics import ALL_TOPICS
from shared.keys import FileKeyStore, InMemoryKeyStore, KeyStore
from shared.metrics import ServiceMetrics, service_metrics
from shared.readside.follower import Follower, Observer
from shared.readside.gate import Outcome
from shared.readside.projection import Projection, Snapshottable
from shared.readside.record_follower import RecordFollower, RecordSink
from shared.readside.snapshots.file import SnapshotFile
from shared.readside.snapshots.keeper import SnapshotKeeper

if TYPE_CHECKING:
    from shared.application.erasure import People

log = logging.getLogger(__name__)
GAUGE_REFRESH_S = 1.0


class Companion(Protocol):
    """A background helper of the process that is stopped with it."""

    def stop(self) -> None: ...


@dataclass
class Runtime:
    """The event log and followers of one service process, and its key store (`Runtime.build`:
    the FileKeyStore of `config.key_dir`; built directly, as unit tests do, an in-memory one)."""

    config: Config
    log: EventLog
    metrics: ServiceMetrics
    keys: KeyStore = field(default_factory=InMemoryKeyStore)
    people: People | None = None  # wired on first use: shared.application.erasure.People.of
    followers: list[Follower] = field(default_factory=list)
    keepers: list[SnapshotKeeper] = field(default_factory=list)
    companions: list[Companion] = field(default_factory=list)
    on_start: list[Callable[[], None]] = field(default_factory=list)  # run once the followers started
    reports: dict[str, Callable[[], dict[str, Any]]] = field(default_factory=dict)  # in /readyz; never decide it
    _stopped: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def build(cls, config: Config, keys: KeyStore | None = None) -> Runtime:
        log = open_event_log(
            config.event_backend,
            event_db=config.event_db,
            bootstrap_servers=config.kafka_bootstrap_servers,
            client_id=config.service,
        )
        return cls(config, log, service_metrics(config.service), keys or FileKeyStore(config.key_dir))

    def follow(self, topics: Sequence[str], projection: Projection, name: str) -> Follower:
        """Add a follower that folds `topics` into `projection`, counting what it consumes; with a
        snapshot directory configured, the projection is snapshotted and restored."""
        name = f"{self.config.service}.{name}"
        delay = self.metrics.fold_delay.labels(name).observe
        follower = Follower(
            self.log, topics, projection.apply, name=name, observe=self._observer(), observe_delay=delay
        )
        self._add(follower, projection)
        return follower

    def follow_records(
        self, topics: Sequence[str], sink: RecordSink, name: str, state: Snapshottable | None = None
    ) -> RecordFollower:
        """Add a follower that hands every stored record of `topics` to `sink`; with a snapshot
        directory configured, `state` (what the sink grows) is snapshotted and restored, else the
        follower reads from the first offset at every start."""
        follower = RecordFollower(self.log, topics, sink, name=f"{self.config.service}.{name}")
        self._add(follower, state)
        return follower

    def _add(self, follower: Follower, state: Snapshottable | None) -> None:
        if state is not None and self.config.snapshot_dir:
            file = SnapshotFile(self.config.snapshot_dir, follower.name)
            keeper = SnapshotKeeper(file, state, follower, interval_s=self.config.snapshot_interval_s)
            follower.snapshots = keeper
            self.keepers.append(keeper)
        self.followers.append(follower)

    def _observer(self) -> Observer:
        consumed = self.metrics.events_consumed
        children: dict[tuple[str, Outcome], Any] = {}

        def observe(event_type: str, outcome: Outcome, count: int) -> None:
            child = children.get((event_type, outcome))
            if child is None:  # labels() costs more than inc(): look each series up once
                child = children[event_type, outcome] = consumed.labels(event_type, outcome.value)
            child.inc(count)

        return observe

    def start(self) -> None:
        """In the background: create the topics (retrying while the log is down), then follow."""
        if self.keepers:
            atexit.register(self.save_snapshots)  # a gunicorn worker exits normally on SIGTERM
        threading.Thread(target=self._start, name="runtime-start", daemon=True).start()

    def save_snapshots(self) -> None:
        """Write every follower's snapshot now (clean stop)."""
        for keeper in self.keepers:
            keeper.save()

    def _start(self) -> None:
        while True:
            try:
                self.log.create_topics(ALL_TOPICS)
                break
            except Exception as error:  # the broker may be down at boot; /readyz says 503 meanwhile
                log.warning("creating topics failed (%r); retrying", error)
                time.sleep(1)
        self.log.prepare_appends()
        for follower in self.followers:
            follower.start()
        for start in self.on_start:
            start()
        self._keep_gauges_fresh()

    def _keep_gauges_fresh(self) -> None:
        """Every worker refreshes its own ready/lag/rebuild gauges, not only the one a scrape lands on:
        in multiprocess mode the scrape combines all workers' files, so a stale one would win."""
        while not self._stopped.wait(GAUGE_REFRESH_S):
            self.refresh_metrics()

    def readiness(self) -> tuple[bool, dict[str, Any]]:
        """Ready once every follower caught up with the log it saw at start, and while it can read it."""
        ready = self.is_ready()
        details = {
            f.name: {"ready": f.ready, "lag": sum(f.lag.values()), "error": f.last_error} for f in self.followers
        }
        self.refresh_metrics()
        return ready, {"followers": details, **{name: report() for name, report in self.reports.items()}}

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
