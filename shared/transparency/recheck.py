"""Trees restored from a snapshot, compared with the log read again from its start.

A start from a snapshot copies the trees back instead of hashing the log again, so it does not
see a record rewritten since it was folded (unless it is a partition's last: the snapshot's
anchor). `Recheck` is told every record of the restored partitions again, in offset order. It
builds each record's leaf as `Forest.add` does and compares it with the restored tree's leaf at
the same index: the first that differs is where the log changed. Each tree rebuilt from the log
must also give the root restored at the snapshot's size and the root the latest signed head
holds, as a start without the snapshot would check. What differs is a `Divergence`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import NamedTuple

from shared.transparency.anchor import Divergence
from shared.transparency.forest import Forest
from shared.transparency.heads import SignedHead
from shared.transparency.leaves import leaf_prefix, parse_log_id, record_part
from shared.transparency.merkle import MerkleFrontier, MerkleTree, hash_leaf


class Root(NamedTuple):
    """A root the rebuilt tree must give at `size`: restored from the snapshot, or signed by `head`."""

    size: int
    root: bytes
    head: SignedHead | None


class TreeRecheck:
    """One partition's tree rebuilt from the log, compared with the tree a forest holds."""

    def __init__(self, name: str, tree: MerkleTree, roots: list[Root], latest: SignedHead | None) -> None:
        self.name = name
        self.tree = tree
        self.roots = sorted((root for root in roots if root.size > 0), key=lambda root: root.size)
        self.end = self.roots[-1].size if self.roots else 0
        self.latest = latest
        self.divergence: Divergence | None = None
        self._prefix = leaf_prefix(*parse_log_id(name))
        self._rebuilt = MerkleFrontier()
        self._last_offset = -1

    @property
    def done(self) -> bool:
        return self.divergence is not None or self._rebuilt.size >= self.end

    def add(self, offset: int, value_digest: bytes) -> None:
        """The next record of the partition (one read again, at an offset already seen, is skipped)."""
        if self.done or offset <= self._last_offset:
            return
        self._last_offset = offset
        index = self._rebuilt.size
        leaf = hash_leaf(self._prefix + record_part(offset, value_digest))
        if leaf != self.tree.leaf_hash(index):
            self._diverge(index, index + 1, f"the record at offset {offset} is not the one folded before the snapshot")
            return
        self._rebuilt.append(leaf)
        self._check_roots()

    def missing(self) -> None:
        """The log ended before the tree did: its records from the rebuilt size on are missing."""
        if not self.done:
            size = self._rebuilt.size
            self._diverge(size, size, f"the log has {size} records where {self.end} were folded or signed")

    def _check_roots(self) -> None:
        size = self._rebuilt.size
        while self.roots and self.roots[0].size == size and self.divergence is None:
            expected = self.roots.pop(0)
            if self._rebuilt.root() != expected.root:
                reason = "the log's records do not give the root the head signed"
                if expected.head is None:
                    reason = "the restored tree's hashes are not those of the log's records (the snapshot's fault)"
                self._diverge(0, size, reason)

    def _diverge(self, first_leaf: int, end_leaf: int, reason: str) -> None:
        claimed = self.latest.tree(self.name) if self.latest is not None else None
        head = self.latest if claimed is not None and claimed.tree_size > first_leaf else None
        self.divergence = Divergence(self.name, head, first_leaf, end_leaf, reason)


class Recheck:
    """Every restored tree of a forest, rebuilt from the records it is told and compared."""

    def __init__(self, forest: Forest, restored: Mapping[str, int], latest: SignedHead | None) -> None:
        self._trees: dict[tuple[str, int], TreeRecheck] = {}
        for name, size in restored.items():
            tree = forest.tree(name)
            if tree is None:
                continue
            roots = [Root(size, tree.root(size), None)]
            claimed = latest.tree(name) if latest is not None else None
            if claimed is not None and claimed.tree_size <= tree.size:  # a bigger one diverged at start
                roots.append(Root(claimed.tree_size, claimed.root_hash, latest))
            self._trees[parse_log_id(name)] = TreeRecheck(name, tree, roots, latest)

    @property
    def done(self) -> bool:
        """Every tree reached the sizes to compare, or diverged."""
        return all(tree.done for tree in self._trees.values())

    def add(self, topic: str, partition: int, offset: int, value_digest: bytes) -> None:
        tree = self._trees.get((topic, partition))
        if tree is not None:
            tree.add(offset, value_digest)

    def finish(self) -> list[Divergence]:
        """At the end of the log: every divergence found, those of trees the log fell short of too."""
        for tree in self._trees.values():
            tree.missing()
        found = [tree.divergence for tree in self._trees.values() if tree.divergence is not None]
        return sorted(found, key=lambda divergence: divergence.log_id)


def checked_key(forest: Forest, restored: Mapping[str, int], latest: SignedHead | None) -> str:
    """What a re-check of `forest`'s restored trees checks, in one digest: each tree's name, size and
    root at that size (the root commits to every leaf, each leaf to its record's offset and digest),
    and the latest signed head. Two processes with the same key would read the same log to the same
    verdict."""
    digest = hashlib.sha256(latest.signed_bytes() + latest.signature if latest is not None else b"")
    for name, size in sorted(restored.items()):
        tree = forest.tree(name)
        if tree is not None:
            digest.update(b"%s\x00%d\x00%s" % (name.encode(), size, tree.root(size)))
    return digest.hexdigest()
