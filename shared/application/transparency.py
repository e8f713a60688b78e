"""The transparency log in a service process: the trees over every record of the fact topics,
kept by a record follower, the heads signed with the key from the config, and the anchor of
each event (vouched for by a signed head, contradicted by one, or not signed yet).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.application.runtime import Runtime
from shared.eventlog.port import Record
from shared.eventlog.topics import AUDITED_TOPICS
from shared.metrics import transparency_metrics
from shared.readside.record_follower import RecordFollower
from shared.transparency.anchor import Anchoring
from shared.transparency.archive import HeadArchive
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

    @classmethod
    def wire(cls, runtime: Runtime, key_file: str) -> Transparency:
        """Follow every record of the fact topics into the ledger; heads signed with `key_file`'s key.
        Nothing runs until `runtime.start()` (the issuer starts with the followers)."""
        config = runtime.config
        signer = HeadSigner(load_or_create_private_key(key_file))
        ledger = Ledger(HeadArchive(config.heads_dir), signer, ready=lambda: follower.ready)

        def add(record: Record, digest: bytes) -> None:
            ledger.add(record.topic, record.partition, record.offset, digest)

        follower = runtime.follow_records(AUDITED_TOPICS, add, name="transparency")
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
        return cls(ledger, follower)

    def anchor_of(self, position: tuple[str, int, int] | None) -> Anchor:
        """The anchor of the record at `position` (topic, partition, offset)."""
        if position is None:
            return Anchor("", None, "absent")
        topic, partition, offset = position
        name = log_id(topic, partition)
        leaf = self.ledger.forest.locate(name, offset)
        if leaf is None:
            return Anchor(name, None, "absent")
        return Anchor(name, leaf, self.ledger.anchoring().status(name, leaf))
