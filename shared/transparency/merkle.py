"""The Merkle tree of RFC 9162 section 2.1, appended to one leaf at a time.

MTH({}) = SHA-256(), MTH({d}) = SHA-256(0x00 || d), and for n > 1 with k the largest power of
two below n, MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])).

The tree keeps the hash of every complete (perfect, aligned) subtree, one packed array per
level: about 2n hashes in all, so that a root, an inclusion proof or a consistency proof for
any past size costs O(log n) lookups and hashes. An append hashes one leaf and at most
log2(n) parents, the frontier of the right edge being implicit in the level arrays.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH of the empty tree: the hash of the empty string."""


def hash_leaf(data: bytes) -> bytes:
    """The leaf hash: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """An interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """An append-only Merkle tree over leaf hashes that can prove any of its past sizes."""

    def __init__(self) -> None:
        self._levels: list[bytearray] = [bytearray()]

    @classmethod
    def from_levels(cls, levels: Sequence[bytes]) -> MerkleTree:
        """The tree whose hashes `levels` gave (as `levels()` returns them), without hashing anything;
        ValueError if they do not have the shape of a tree's levels."""
        size = len(levels[0]) // HASH_SIZE if levels else 0
        shaped = len(levels) == _level_count(size)
        if not shaped or any(len(hashes) != (size >> k) * HASH_SIZE for k, hashes in enumerate(levels)):
            raise ValueError(f"{len(levels)} levels of hashes are not those of a tree of {size} leaves")
        tree = cls()
        tree._levels = [bytearray(hashes) for hashes in levels]
        return tree

    @property
    def size(self) -> int:
        return len(self._levels[0]) // HASH_SIZE

    def append_data(self, data: bytes) -> int:
        """Append a leaf given its data; return its index."""
        return self.append(hash_leaf(data))

    def append(self, leaf_hash: bytes) -> int:
        """Append a leaf given its hash; return its index."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError("a leaf hash has 32 bytes")
        index = self.size
        node, position, level = leaf_hash, index, 0
        while True:
            self._levels[level] += node
            if not position & 1:
                return index
            node = hash_children(self._hash_at(level, position - 1), node)
            position, level = position >> 1, level + 1
            if level == len(self._levels):
                self._levels.append(bytearray())

    def levels(self, size: int | None = None) -> list[bytes]:
        """The hashes of the tree of the first `size` leaves, level by level from the leaves (level k
        holds the size >> k complete subtrees of 2**k leaves): all `from_levels` needs. Safe beside
        the appending thread, as every read is bounded by `size`."""
        size = self.size if size is None else size
        self._check_size(size)
        levels = self._levels[: _level_count(size)]
        return [bytes(hashes[: (size >> k) * HASH_SIZE]) for k, hashes in enumerate(levels)]

    def leaf_hash(self, index: int) -> bytes:
        self._check_index(index, self.size)
        return self._hash_at(0, index)

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (default: all of them)."""
        size = self.size if size is None else size
        self._check_size(size)
        return self._subtree(0, size) if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]) of RFC 9162 section 2.1.3.1."""
        size = self.size if size is None else size
        self._check_size(size)
        self._check_index(index, size)
        return self._path(index, 0, size)

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """PROOF(first, D[second]) of RFC 9162 section 2.1.4.1 (empty when first is 0 or second)."""
        second = self.size if second is None else second
        self._check_size(second)
        if not 0 <= first <= second:
            raise ValueError(f"no consistency proof from size {first} to size {second}")
        if first in (0, second):
            return []
        return self._subproof(first, 0, second, complete=True)

    def _path(self, index: int, start: int, end: int) -> list[bytes]:
        if end - start == 1:
            return []
        middle = start + split_point(end - start)
        if index < middle:
            return [*self._path(index, start, middle), self._subtree(middle, end)]
        return [*self._path(index, middle, end), self._subtree(start, middle)]

    def _subproof(self, first: int, start: int, end: int, complete: bool) -> list[bytes]:
        """SUBPROOF(first - start, D[start:end], complete); `first` is an absolute leaf count."""
        if first == end:
            return [] if complete else [self._subtree(start, end)]
        middle = start + split_point(end - start)
        if first <= middle:
            return [*self._subproof(first, start, middle, complete), self._subtree(middle, end)]
        return [*self._subproof(first, middle, end, False), self._subtree(start, middle)]

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a subtree of the RFC's split (its left parts are perfect and aligned)."""
        width = end - start
        if width & (width - 1) == 0:
            level = width.bit_length() - 1
            return self._hash_at(level, start >> level)
        middle = start + split_point(width)
        return hash_children(self._subtree(start, middle), self._subtree(middle, end))

    def _hash_at(self, level: int, position: int) -> bytes:
        offset = position * HASH_SIZE
        return bytes(self._levels[level][offset : offset + HASH_SIZE])

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ValueError(f"the tree has {self.size} leaves, not {size}")

    @staticmethod
    def _check_index(index: int, size: int) -> None:
        if not 0 <= index < size:
            raise ValueError(f"no leaf {index} in a tree of {size}")


class MerkleFrontier:
    """The right edge of a tree: the roots of its perfect subtrees, largest first. Enough to append
    leaves and give MTH of all of them in O(log n) memory, for a tree rebuilt only to be compared
    with another (no proofs, no past sizes)."""

    def __init__(self) -> None:
        self.size = 0
        self._peaks: list[bytes] = []

    def append(self, leaf_hash: bytes) -> None:
        """Append a leaf given its hash: it merges with each peak of its size, as `MerkleTree` does."""
        node, position = leaf_hash, self.size
        while position & 1:
            node = hash_children(self._peaks.pop(), node)
            position >>= 1
        self._peaks.append(node)
        self.size += 1

    def root(self) -> bytes:
        """MTH of the leaves so far: the peaks folded from the right (the RFC's split is the largest)."""
        if not self._peaks:
            return EMPTY_ROOT
        root = self._peaks[-1]
        for peak in reversed(self._peaks[:-1]):
            root = hash_children(peak, root)
        return root


def _level_count(size: int) -> int:
    """The levels of a tree of `size` leaves: the leaves' and one per doubling (at least the leaves')."""
    return max(1, size.bit_length())
