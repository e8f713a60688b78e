"""A forest exported at the sizes taken under the fold's lock and restored is the same forest: the
same heads, leaves, offsets and proofs, and it grows as the original does."""

from __future__ import annotations

import hashlib

import pytest

from shared.transparency.forest import Forest, TreeState

TOPIC = "cadreflow.nominations"


def grow(forest: Forest, partition: int, offsets: range) -> None:
    for offset in offsets:
        forest.add(TOPIC, partition, offset, hashlib.sha256(b"%d/%d" % (partition, offset)).digest())


@pytest.fixture
def forest() -> Forest:
    forest = Forest()
    grow(forest, 0, range(3, 120, 3))  # offsets with gaps, as a topic's share of the SQLite log has
    grow(forest, 1, range(0, 70))
    forest.ensure(TOPIC, 2)  # a partition with no record yet
    return forest


def restored(states: list[TreeState]) -> Forest:
    forest = Forest()
    forest.restore(states)
    return forest


def assert_same(one: Forest, other: Forest) -> None:
    """The same heads, and the same leaf, offset and proofs for every leaf of every tree."""
    assert one.tree_heads() == other.tree_heads()
    for name in one.log_ids():
        a, b = one.tree(name), other.tree(name)
        assert a is not None and b is not None
        for index in range(a.size):
            offset = one.offset_at(name, index)
            assert other.offset_at(name, index) == offset and other.locate(name, offset) == index
            assert b.leaf_hash(index) == a.leaf_hash(index) and b.inclusion_proof(index) == a.inclusion_proof(index)
        assert [b.consistency_proof(m) for m in range(a.size + 1)] == [
            a.consistency_proof(m) for m in range(a.size + 1)
        ]


class TestExportAndRestore:
    def test_gives_the_same_forest(self, forest) -> None:
        copy = restored(forest.export(forest.sizes()))
        assert copy.log_ids() == forest.log_ids() == [f"{TOPIC}/0", f"{TOPIC}/1", f"{TOPIC}/2"]
        assert_same(forest, copy)

    def test_the_restored_forest_grows_as_the_original(self, forest) -> None:
        copy = restored(forest.export(forest.sizes()))
        for each in (forest, copy):
            grow(each, 0, range(120, 200, 7))
            grow(each, 2, range(5))
            grow(each, 3, range(2))  # a partition the snapshot did not know
        assert_same(forest, copy)
        assert copy.add(TOPIC, 1, 69, b"\0" * 32) == 69  # a record already in is not added again

    def test_exports_the_sizes_taken_before_the_forest_grew_on(self, forest) -> None:
        sizes, heads = forest.sizes(), forest.tree_heads()
        grow(forest, 1, range(70, 90))
        copy = restored(forest.export(sizes))
        assert copy.tree_heads() == heads and all(copy.matches(head) for head in heads)

    @pytest.mark.parametrize(
        "spoil",
        [
            lambda tree: tree._replace(offsets=tree.offsets[:-8]),  # an offset missing
            lambda tree: tree._replace(offsets=tree.offsets[:-1]),  # a torn offset
            lambda tree: tree._replace(levels=tree.levels[:-1]),  # a level missing
            lambda tree: tree._replace(log_id="nominations"),  # not a log id
        ],
        ids=["offset missing", "torn offset", "level missing", "bad log id"],
    )
    def test_refuses_a_tree_that_is_not_whole_and_keeps_what_it_had(self, forest, spoil) -> None:
        states = forest.export(forest.sizes())
        states[1] = spoil(states[1])
        target = Forest()
        grow(target, 0, range(4))
        before = target.tree_heads()
        with pytest.raises(ValueError):
            target.restore(states)
        assert target.tree_heads() == before
