"""The transparency log as one service process keeps it: the trees of every audited partition,
grown record by record by a follower, the heads it signs, and how the log stands against the
heads signed before the process started (its anchor after a restart).

The process refuses to sign while the rebuilt log contradicts an earlier head: signing would
bless whatever changed the log. Heads are issued on demand (`issue`) and periodically by
`HeadIssuer`, only when a tree has grown, and once more when the process stops.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable, Iterable

from shared.transparency.anchor import Anchoring, Divergence, anchor
from shared.transparency.archive import HeadArchive
from shared.transparency.forest import Forest
from shared.transparency.heads import HeadSigner, InvalidHead, SignedHead
from shared.transparency.keyfile import public_key_pem

log = logging.getLogger(__name__)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class LogDiverged(Exception):
    """The log no longer matches a head signed earlier; nothing more will be signed."""

    def __init__(self, divergence: Divergence) -> None:
        super().__init__(divergence.describe())
        self.divergence = divergence


class NotCaughtUp(Exception):
    """The trees are still being rebuilt from the log."""


class Ledger:
    """Trees, signer and head archive of one process."""

    def __init__(
        self,
        archive: HeadArchive,
        signer: HeadSigner,
        ready: Callable[[], bool],
        clock: Callable[[], int] = now_ms,
    ) -> None:
        self.forest = Forest()
        self.archive = archive
        self.signer = signer
        self.public_key_pem = public_key_pem(signer.verifier.public_key)
        self.ready = ready
        self.clock = clock
        self.started_at = clock()
        self.latest: SignedHead | None = None
        self.rejected_heads = 0
        self.partitions: Callable[[], Iterable[tuple[str, int]]] = lambda: ()
        """Every partition of the followed topics, so that an empty one has its (empty) tree."""
        self.observe: Callable[[Anchoring, SignedHead | None], None] = lambda _anchoring, _signed: None
        """Told the anchoring once it is known, and each head signed (for the metrics)."""
        self._anchoring: Anchoring | None = None
        self._lock = threading.Lock()
        archive.publish_key(self.public_key_pem)

    def add(self, topic: str, partition: int, offset: int, value_digest: bytes) -> None:
        """Grow the tree of the record's partition (the follower's record hook)."""
        self.forest.add(topic, partition, offset, value_digest)

    def anchoring(self) -> Anchoring:
        """The log against the heads archived before this process started (checked once caught up)."""
        with self._lock:
            return self._anchored()

    def issue(self) -> SignedHead:
        """A head over the trees as they are now (the last one if nothing grew since)."""
        with self._lock:
            anchoring = self._anchored()
            first = anchoring.first()
            if first is not None:
                raise LogDiverged(first)
            trees = self.forest.tree_heads()
            if self.latest is not None and self.latest.trees == trees:
                return self.latest
            head = self.signer.sign(trees, max(self.clock(), (self.latest.timestamp + 1) if self.latest else 0))
            self.archive.write(head)
            self.latest = head
            for tree in trees:  # what this process signs, it vouches for
                anchoring.vouched[tree.log_id] = max(anchoring.vouched.get(tree.log_id, 0), tree.tree_size)
            self.observe(anchoring, head)
            return head

    def note_divergence(self, divergence: Divergence) -> None:
        """Take a divergence found since the start (the re-check of trees restored from a snapshot):
        from now on nothing is signed and no leaf from it on is vouched for, as after a start that
        rebuilt the trees from the log and found it there."""
        with self._lock:
            anchoring = self._anchored()
            if anchoring.add(divergence):
                log.error("transparency: the log differs from the trees restored at start: %s", divergence.describe())
                self.observe(anchoring, None)

    def _anchored(self) -> Anchoring:
        if self._anchoring is None:
            if not self.ready():
                raise NotCaughtUp("the transparency log is still being rebuilt")
            for topic, partition in self.partitions():
                self.forest.ensure(topic, partition)
            heads = [head for head in self.archive.heads() if head.timestamp <= self.started_at]
            verified = [head for head in heads if self._signed_by_us(head)]
            self._anchoring = anchor(self.forest, verified)
            self.latest = max(verified, key=lambda head: head.timestamp, default=None)
            first = self._anchoring.first()
            if first is not None:
                log.error("transparency: the log contradicts a signed head: %s", first.describe())
            self.observe(self._anchoring, None)
        return self._anchoring

    def _signed_by_us(self, head: SignedHead) -> bool:
        try:
            self.signer.verifier.verify(head)
            return True
        except InvalidHead as error:
            self.rejected_heads += 1
            log.warning("transparency: archived head of size %d ignored: %s", head.tree_size, error)
            return False


class HeadIssuer:
    """Signs a head every `interval_s` while the trees grow, and a last one on stop."""

    def __init__(self, ledger: Ledger, interval_s: float) -> None:
        self.ledger = ledger
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="head-issuer", daemon=True)

    def start(self) -> None:
        """Start signing; a last head is signed at the process's exit too (a gunicorn worker exits
        normally on SIGTERM), so the last events before a stop are covered by a head."""
        self._thread.start()
        atexit.register(self.stop)

    def stop(self) -> None:
        atexit.unregister(self.stop)
        self._stop.set()
        if self._thread.ident is not None:  # started
            self._thread.join(timeout=5)
        self._issue()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._issue()

    def _issue(self) -> None:
        try:
            self.ledger.issue()
        except NotCaughtUp:
            pass
        except LogDiverged as error:
            log.error("transparency: no head signed: %s", error)
        except OSError as error:  # the archive may be full or gone; try again next time
            log.warning("transparency: head not archived: %r", error)
