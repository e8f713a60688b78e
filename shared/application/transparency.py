"""The transparency log in a service process: the trees over every record of the fact topics,
kept by a record follower (restored from its snapshot where the process keeps snapshots, then
re-checked against the log in the background), the heads signed with the key from the config,
and the anchor of each event (vouched for by a signed head, contradicted by one, or not signed yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.application.recheck_passes import RecheckPasses
from shared.application.runtime import Runtime
from shared.application.transparency_recheck import ForestRecheck
from shared.eventlog.port import Record
from shared.eventlog.topics import AUDITED_TOPICS
from shared.metrics import transparency_metrics
from shared.readside.record_follower import RecordFollower
from shared.readside.snapshots.file import Build, Records
from shared.transparency.anchor import Anchoring
from shared.transparency.archive import HeadArchive
from shared.transparency.forest import Forest, TreeState
from shared.transparency.heads import HeadSigner, SignedHead
from shared.transparency.keyfile import load_or_create_private_key
from shared.transparency.leaves import log_id
from shared.transparency.ledger import HeadIssuer, Ledger


@dataclass(frozen=True)
class Anchor:
    """Where an event's record is in the transparency log, and what the signed heads say of it."""

    log_id: str
    leaf: int | None
    status: str  # vouched | contradicted | unsigned | absent

    @property
    def contradicted(self) -> bool:
        return self.status == "contradicted"


@dataclass(frozen=True)
class Transparency:
    ledger: Ledger
    follower: RecordFollower
    recheck: ForestRecheck | None = None

    @classmethod
    def wire(cls, runtime: Runtime, key_file: str) -> Transparency:
        """Follow every record of the fact topics into the ledger; heads signed with `key_file`'s key;
        trees restored from a snapshot re-checked against the log in the background once ready.
        Nothing runs until `runtime.start()` (the issuer starts with the followers)."""
        config = runtime.config
        signer = HeadSigner(load_or_create_private_key(key_file))
        ledger = Ledger(HeadArchive(config.heads_dir), signer, ready=lambda: follower.ready)

        def add(record: Record, digest: bytes) -> None:
            ledger.add(record.topic, record.partition, record.offset, digest)

        snapshot = ForestSnapshot(ledger.forest)
        follower = runtime.follow_records(AUDITED_TOPICS, add, "transparency", snapshot)
        ledger.partitions = lambda: list(follower.target or {})
        metrics = transparency_metrics(config.service)

        def observe(anchoring: Anchoring, signed: SignedHead | None) -> None:
            metrics.diverged.set(0 if anchoring.consistent else 1)
            if signed is not None:
                metrics.heads_signed.inc()

        ledger.observe = observe
        issuer = HeadIssuer(ledger, config.head_interval_s)
        runtime.companions.append(issuer)
        runtime.on_start.append(issuer.start)
        return cls(ledger, follower, _recheck(runtime, ledger, follower, snapshot))

    def anchor_of(self, position: tuple[str, int, int] | None, digest: str) -> Anchor:
        """The anchor of the record at `position` (topic, partition, offset) read with SHA-256 `digest`
        (hex). Contradicted also when the tree's leaf there is another record's: the trees restored
        from a snapshot hold the records as they were folded, which a rewrite of the log since then
        does not change (a full rebuild would see it as a contradiction of a signed head)."""
        if position is None:
            return Anchor("", None, "absent")
        topic, partition, offset = position
        name = log_id(topic, partition)
        forest = self.ledger.forest
        leaf = forest.locate(name, offset)
        if leaf is None:
            return Anchor(name, None, "absent")
        if not forest.holds(leaf, topic, partition, offset, bytes.fromhex(digest)):
            return Anchor(name, leaf, "contradicted")
        return Anchor(name, leaf, self.ledger.anchoring().status(name, leaf))


def _recheck(
    runtime: Runtime, ledger: Ledger, follower: RecordFollower, snapshot: ForestSnapshot
) -> ForestRecheck | None:
    """The re-check of trees restored from `snapshot`, started with the followers (unless turned off)."""
    config = runtime.config
    if config.transparency_recheck_chunk <= 0:
        return None
    metrics = transparency_metrics(config.service)
    chunk, pause_s = config.transparency_recheck_chunk, config.transparency_recheck_pause_s
    passes = RecheckPasses(config.snapshot_dir, config.service) if config.snapshot_dir else None
    recheck = ForestRecheck(
        ledger, follower, lambda: snapshot.restored, metrics, chunk=chunk, pause_s=pause_s, passes=passes
    )
    runtime.companions.append(recheck)
    runtime.on_start.append(recheck.start)
    runtime.reports["transparency_recheck"] = recheck.report
    return recheck


class ForestSnapshot:
    """The transparency log's trees in the snapshot of their record follower: per tree, its leaves'
    offsets and each level of its hashes are records of the snapshot file (blobs, never parsed), so
    a restart copies them back instead of hashing every record of the log again. Signed heads are
    not in it: they stay in the head archive, and are checked against the restored trees."""

    FORMAT = 1

    def __init__(self, forest: Forest) -> None:
        self.forest = forest
        self.restored: dict[str, int] | None = None
        """The size of each tree as restored; None until (unless) the trees are restored."""

    def snapshot(self) -> Build:
        sizes = self.forest.sizes()  # under the fold's lock; the hashes are copied after it

        def build(records: list[bytes]) -> dict[str, Any]:
            trees = []
            for tree in self.forest.export(sizes):
                trees.append([tree.log_id, len(records), len(tree.levels)])
                records += [tree.offsets, *tree.levels]
            return {"format": self.FORMAT, "trees": trees}

        return build

    def restore(self, state: dict[str, Any], records: Records) -> None:
        if state.get("format") != self.FORMAT:
            raise ValueError(f"forest snapshot format {state.get('format')!r}, expected {self.FORMAT}")
        trees = [
            TreeState(name, records[first], [records[first + 1 + level] for level in range(levels)])
            for name, first, levels in state["trees"]
        ]
        self.forest.restore(trees)
        self.restored = self.forest.sizes()
