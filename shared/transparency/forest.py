"""The trees of every partition of the log, with each leaf's offset, grown record by record."""

from __future__ import annotations

import bisect
import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from shared.transparency.heads import TreeHead
from shared.transparency.leaves import leaf_prefix, log_id, parse_log_id, record_part
from shared.transparency.merkle import EMPTY_ROOT, MerkleTree, hash_leaf


class TreeState(NamedTuple):
    """One tree as a snapshot holds it: its log id, its leaves' offsets (int64, little-endian, one
    after the other) and its hashes level by level (`MerkleTree.levels`)."""

    log_id: str
    offsets: bytes
    levels: Sequence[bytes]


class Forest:
    """One Merkle tree per log id, and the offsets of its leaves (to find an event's leaf).

    One thread appends (the follower), any may read: a tree only grows, and every read names
    the size it reads at, so a reader never sees half an append.
    """

    def __init__(self) -> None:
        self._trees: dict[str, MerkleTree] = {}
        self._offsets: dict[str, array] = {}
        self._partitions: dict[tuple[str, int], tuple[str, MerkleTree, array, bytes]] = {}

    def ensure(self, topic: str, partition: int) -> str:
        """Start the (empty) tree of a partition, so that heads name it before its first record."""
        name = log_id(topic, partition)
        if name not in self._trees:
            self._offsets[name] = array("q")
            self._trees[name] = MerkleTree()
        return name

    def add(self, topic: str, partition: int, offset: int, value_digest: bytes) -> int:
        """Append the leaf of one record (idempotent for an offset already in); its leaf index."""
        known = self._partitions.get((topic, partition))
        if known is None:
            name = self.ensure(topic, partition)
            known = self._partitions[topic, partition] = (
                name,
                self._trees[name],
                self._offsets[name],
                leaf_prefix(topic, partition),
            )
        name, tree, offsets, prefix = known
        if offsets and offset <= offsets[-1]:
            index = self.locate(name, offset)
            if index is None:
                raise ValueError(f"offset {offset} of {name} arrived after offset {offsets[-1]}")
            return index
        offsets.append(offset)
        return tree.append(hash_leaf(prefix + record_part(offset, value_digest)))

    def locate(self, name: str, offset: int) -> int | None:
        """The leaf index of the record at `offset` of log `name` (None if there is none)."""
        offsets = self._offsets.get(name)
        if offsets is None:
            return None
        index = bisect.bisect_left(offsets, offset)
        return index if index < len(offsets) and offsets[index] == offset else None

    def holds(self, index: int, topic: str, partition: int, offset: int, value_digest: bytes) -> bool:
        """Whether leaf `index` of the partition's tree is that of this record (its offset and the
        digest of its stored bytes), as `add` made it."""
        leaf = hash_leaf(leaf_prefix(topic, partition) + record_part(offset, value_digest))
        return self._trees[log_id(topic, partition)].leaf_hash(index) == leaf

    def offset_at(self, name: str, index: int) -> int:
        return self._offsets[name][index]

    def sizes(self) -> dict[str, int]:
        """The size of every tree now: cheap, to take under the fold's lock and `export` after it."""
        return {name: tree.size for name, tree in self._trees.items()}

    def export(self, sizes: Mapping[str, int]) -> list[TreeState]:
        """Every tree at the size `sizes` gives it (the appending thread may go on meanwhile)."""
        return [
            TreeState(name, _offset_bytes(self._offsets[name][:size]), self._trees[name].levels(size))
            for name, size in sorted(sizes.items())
        ]

    def restore(self, trees: Iterable[TreeState]) -> None:
        """Replace every tree with those exported; ValueError (and nothing changed) when one is not
        whole: its log id not one, its offsets not one per leaf, or its levels not a tree's."""
        restored_trees: dict[str, MerkleTree] = {}
        restored_offsets: dict[str, array] = {}
        for state in trees:
            parse_log_id(state.log_id)
            offsets = _offset_array(state.offsets)
            tree = MerkleTree.from_levels(state.levels)
            if len(offsets) != tree.size:
                raise ValueError(f"{state.log_id}: {len(offsets)} offsets for {tree.size} leaves")
            restored_trees[state.log_id], restored_offsets[state.log_id] = tree, offsets
        self._trees, self._offsets, self._partitions = restored_trees, restored_offsets, {}

    def tree(self, name: str) -> MerkleTree | None:
        return self._trees.get(name)

    def log_ids(self) -> list[str]:
        return sorted(self._trees)

    def tree_heads(self) -> tuple[TreeHead, ...]:
        """Every tree at its current size."""
        heads = []
        for name in self.log_ids():
            tree = self._trees[name]
            size = tree.size
            heads.append(TreeHead(name, size, tree.root(size)))
        return tuple(heads)

    def matches(self, head: TreeHead) -> bool:
        """True if this forest's tree of `head.log_id` had `head.root_hash` at `head.tree_size`."""
        tree = self._trees.get(head.log_id)
        if tree is None:
            return head.tree_size == 0 and head.root_hash == EMPTY_ROOT
        return head.tree_size <= tree.size and tree.root(head.tree_size) == head.root_hash


def _offset_bytes(offsets: array) -> bytes:
    if sys.byteorder == "big":
        offsets.byteswap()
    return offsets.tobytes()


def _offset_array(data: bytes) -> array:
    if len(data) % 8:
        raise ValueError("offsets are 8 bytes each")
    offsets = array("q", data)
    if sys.byteorder == "big":
        offsets.byteswap()
    return offsets
