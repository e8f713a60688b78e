"""Anchoring a log to signed heads: which leaves a signed head vouches for, and where the log
stopped matching what was signed.

A head matches a partition's tree when the tree, rebuilt from the log, has the head's root at
the head's size. Per log, every leaf below the largest matching head is vouched for. The first
head that does not match (the smallest size) marks a divergence: some leaf between the largest
matching head below it and its size was changed, removed or inserted since it was signed. A
log that rebuilds to a tree contradicting a head must not be signed again: that would bless the
forgery (see `Anchoring.consistent`). Trees restored from a snapshot are compared with the log in
the background after the start (`recheck`), which adds what it finds as a divergence too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from shared.transparency.forest import Forest
from shared.transparency.heads import SignedHead, TreeHead

UNSIGNED = 2**63
"""Sorts after the time of every signed head."""


@dataclass(frozen=True)
class Divergence:
    """The log `log_id` no longer matches `head`: a leaf in [first_leaf, end_leaf) differs. No head
    when none signed over that leaf yet, and the log differs from the trees restored at start."""

    log_id: str
    head: SignedHead | None
    first_leaf: int
    end_leaf: int
    reason: str

    def describe(self) -> str:
        if self.end_leaf > self.first_leaf + 1:
            where = f"the first changed record is one of leaves {self.first_leaf}..{self.end_leaf - 1}"
        elif self.end_leaf == self.first_leaf + 1:
            where = f"the changed record is leaf {self.first_leaf}"
        else:
            where = f"records from leaf {self.first_leaf} on are missing"
        return f"{self.log_id}: {self.reason} ({self._against()}); {where}"

    def _against(self) -> str:
        if self.head is None:
            return "no head signed over it yet"
        claimed = self.head.tree(self.log_id)
        size = claimed.tree_size if claimed else 0
        signed = datetime.fromtimestamp(self.head.timestamp / 1000, UTC).isoformat(timespec="milliseconds")
        return f"the head signed at {signed} over {size} of its records"

    @property
    def signed_at(self) -> int:
        """When the head it contradicts was signed (ms); after every head when there is none."""
        return self.head.timestamp if self.head is not None else UNSIGNED


@dataclass
class Anchoring:
    """What a set of signed heads says of a forest, per log id."""

    vouched: dict[str, int] = field(default_factory=dict)
    divergences: dict[str, Divergence] = field(default_factory=dict)
    heads: int = 0

    @property
    def consistent(self) -> bool:
        return not self.divergences

    def first(self) -> Divergence | None:
        """The divergence against the earliest-signed head (then the lowest log id)."""
        found = sorted(self.divergences.values(), key=lambda d: (d.signed_at, d.log_id))
        return found[0] if found else None

    def add(self, divergence: Divergence) -> bool:
        """Take a divergence found after anchoring (the re-check of restored trees), unless its log
        already diverges at an earlier leaf; True if taken. No leaf from it on is vouched for."""
        known = self.divergences.get(divergence.log_id)
        if known is not None and known.first_leaf <= divergence.first_leaf:
            return False
        self.divergences[divergence.log_id] = divergence
        self.vouched[divergence.log_id] = min(self.vouched.get(divergence.log_id, 0), divergence.first_leaf)
        return True

    def status(self, name: str, leaf: int) -> str:
        """'contradicted', 'vouched' or 'unsigned' (after every head so far) for one leaf."""
        divergence = self.divergences.get(name)
        if divergence is not None and leaf >= divergence.first_leaf:
            return "contradicted"
        return "vouched" if leaf < self.vouched.get(name, 0) else "unsigned"


def anchor(forest: Forest, heads: Iterable[SignedHead]) -> Anchoring:
    """Check every (already signature-checked) head against the forest."""
    result = Anchoring()
    by_log: dict[str, list[tuple[TreeHead, SignedHead]]] = {}
    for head in heads:
        result.heads += 1
        for tree in head.trees:
            by_log.setdefault(tree.log_id, []).append((tree, head))
    for name, claims in by_log.items():
        claims.sort(key=lambda claim: (claim[0].tree_size, claim[1].timestamp))
        _anchor_log(forest, name, claims, result)
    return result


def _anchor_log(forest: Forest, name: str, claims: list[tuple[TreeHead, SignedHead]], result: Anchoring) -> None:
    matching = [tree.tree_size for tree, _ in claims if forest.matches(tree)]
    result.vouched[name] = max(matching, default=0)
    bad = next(((tree, head) for tree, head in claims if not forest.matches(tree)), None)
    if bad is None:
        return
    tree, head = bad
    first_leaf = max((size for size in matching if size < tree.tree_size), default=0)
    result.vouched[name] = first_leaf
    rebuilt = forest.tree(name)
    size = rebuilt.size if rebuilt else 0
    if rebuilt is None:
        reason = "the log has no such partition"
    elif tree.tree_size > size:
        reason = f"the log has {size} records where the head signed {tree.tree_size}"
    else:
        reason = "the records differ from those the head signed"
    result.divergences[name] = Divergence(name, head, first_leaf, min(tree.tree_size, size), reason)
