"""The transparency log end to end on a SQLite log of each test's own: the proofs the API
serves verify with the published key, and issue 13's forgeries (each made by someone who can
write the log and re-computes the hash chain with the hash function alone, then restarts the
services) pass the chains but not the heads signed before: /verify and cadreflow-audit refuse them.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable

import orjson
import pytest

from services.nomination.app import create_app as create_nomination
from services.review.app import create_app as create_review
from shared.config import Config
from shared.transparency.heads import HeadVerifier, SignedHead
from shared.transparency.keyfile import load_public_key
from shared.transparency.leaves import leaf_input, parse_log_id
from shared.transparency.merkle import hash_leaf
from shared.transparency.proofs import verify_consistency, verify_inclusion
from tests.support.apps import settle, wait_ready
from tests.support.people import nomination_body, person_factory
from tools.audit.__main__ import main as audit

UNLIMITED = {
    "submission_rate_limit": "0",
    "decision_rate_limit": "0",
    "snapshot_dir": None,
    "overdue_scan_interval_s": 0,
}


class Stack:
    """A nomination service keeping the transparency log and a review service, on one SQLite file;
    keeping snapshots in `snapshots` unless None."""

    def __init__(self, tmp_path, snapshots=None) -> None:
        self.db = str(tmp_path / "events.db")
        self.heads = tmp_path / "heads"
        self.key = str(tmp_path / "keys" / "head.pem")
        self.keys = str(tmp_path / "person-keys")
        self.snapshots = snapshots
        self.apps: list = []

    def start(self, **nomination_settings) -> Stack:
        common = {"event_backend": "sqlite", "event_db": self.db, "key_dir": self.keys, **UNLIMITED}
        settings = {**common, **self.snapshot_dir("nomination"), **nomination_settings}
        nomination = Config("nomination", transparency_key_file=self.key, heads_dir=str(self.heads), **settings)
        review = Config("review", **{**common, **self.snapshot_dir("review")})
        self.apps = [create_nomination(nomination), create_review(review)]
        for app in self.apps:
            if app.config["CADREFLOW_CONFIG"].start_follower:
                wait_ready(app)
        self.nomination, self.review = (app.test_client() for app in self.apps)
        return self

    def snapshot_dir(self, service: str) -> dict:
        return {} if self.snapshots is None else {"snapshot_dir": str(self.snapshots / service)}

    def stop(self) -> None:
        for app in self.apps:
            app.extensions["runtime"].stop()  # the nomination service signs a last head on stop

    def walk_to_rejection(self) -> str:
        """Submit, approve at the unit, reject at the organisation department (final)."""
        cadre = person_factory("cadre")
        created = self.nomination.post("/api/v1/nominations", json=nomination_body(), headers=cadre.headers)
        nid = created.json["nomination_id"]
        self.head()
        for stage, decision, role in [
            ("unit", "approve", "unit_reviewer"),
            ("org_department", "reject", "org_reviewer"),
        ]:
            settle(self.apps)
            reviewer = person_factory(role, cadre.unit)
            body = {"stage": stage, "decision": decision, "comment": "Seen."}
            answer = self.review.post(f"/api/v1/reviews/{nid}/decisions", json=body, headers=reviewer.headers)
            assert answer.status_code == 200, answer.json
            self.head()
        self.cadre = cadre
        return nid

    def head(self) -> dict:
        settle(self.apps)
        answer = self.nomination.get("/api/v1/transparency/heads/latest")
        assert answer.status_code == 200, answer.json
        return answer.json

    def log_value(self, offset: int) -> bytes:
        with sqlite3.connect(self.db) as db:
            return db.execute("SELECT value FROM records WHERE offset = ?", (offset,)).fetchone()[0]

    def verify(self, nid: str, cadre=None) -> dict:
        headers = (cadre or self.cadre).headers
        return self.nomination.get(f"/api/v1/nominations/{nid}/verify", headers=headers).json

    def audit(self, capsys) -> tuple[int, str]:
        code = audit(
            ["--sqlite", self.db, "--public-key", str(self.heads / "public-key.pem"), "--heads", str(self.heads)]
        )
        return code, capsys.readouterr().out


def test_the_published_proofs_verify_with_the_published_key(tmp_path) -> None:
    stack = Stack(tmp_path).start()
    first = SignedHead.from_json(stack.head())
    nid = stack.walk_to_rejection()
    latest = SignedHead.from_json(stack.head())
    key = stack.nomination.get("/api/v1/transparency/key").json
    verifier = HeadVerifier(load_public_key(key["public_key_pem"].encode()))
    verifier.verify(first)
    verifier.verify(latest)
    assert (
        key["key_id"] == latest.key_id.hex()
        and stack.nomination.get(f"/api/v1/transparency/heads/{latest.tree_size}").json == latest.to_json()
    )

    assert_proofs_verify(stack, nid, first, latest)
    assert (
        stack.nomination.get(
            "/api/v1/transparency/inclusion", query_string={"log_id": "x/0", "offset": 1, "tree_size": 1}
        ).status_code
        == 404
    )
    stack.stop()


def assert_proofs_verify(stack: Stack, nid: str, first: SignedHead, latest: SignedHead) -> None:
    """Every event of `nid` is in the trees `latest` signed, and they extend those `first` signed."""
    events = stack.nomination.get(f"/api/v1/nominations/{nid}/events", headers=stack.cadre.headers).json["items"]
    for event in events:
        where = event["stored_at"]
        tree = latest.tree(where["log_id"])
        query = {**where, "tree_size": tree.tree_size}
        proof = stack.nomination.get("/api/v1/transparency/inclusion", query_string=query).json
        value = stack.log_value(where["offset"])  # what an outsider holding the log would hash
        leaf = hash_leaf(leaf_input(*parse_log_id(where["log_id"]), where["offset"], hashlib.sha256(value).digest()))
        verify_inclusion(
            proof["leaf_index"], tree.tree_size, leaf, [bytes.fromhex(h) for h in proof["proof"]], tree.root_hash
        )

    for old in first.trees:
        new = latest.tree(old.log_id)
        query = {"log_id": old.log_id, "first": old.tree_size, "second": new.tree_size}
        proof = stack.nomination.get("/api/v1/transparency/consistency", query_string=query).json
        hashes = [bytes.fromhex(h) for h in proof["proof"]]
        verify_consistency(old.tree_size, new.tree_size, old.root_hash, new.root_hash, hashes)


class TestRestartFromSnapshots:
    def test_restores_the_trees_folds_only_the_records_after_them_and_still_anchors(self, tmp_path) -> None:
        stack = Stack(tmp_path, snapshots=tmp_path / "snapshots").start()
        first_nid, first_cadre = stack.walk_to_rejection(), stack.cadre
        first = SignedHead.from_json(stack.head())
        forest = stack.apps[0].extensions["transparency"].ledger.forest
        saved = sum(forest.sizes().values())
        stack.apps[0].extensions["runtime"].save_snapshots()  # as the periodic keeper does
        kept = {path: path.read_bytes() for path in stack.snapshots.glob("nomination/*.snapshot")}
        nid = stack.walk_to_rejection()  # after the snapshot: the tail
        before = forest.tree_heads()
        stack.stop()
        for path, data in kept.items():  # the process died before it could save again
            path.write_bytes(data)

        stack.start(start_follower=False)
        transparency = stack.apps[0].extensions["transparency"]
        folded = count_records(transparency.follower)
        stack.apps[0].extensions["runtime"].start()
        wait_ready(stack.apps[0])
        assert transparency.follower.snapshots.restored
        assert transparency.ledger.forest.tree_heads() == before
        assert folded() == sum(head.tree_size for head in before) - saved > 0

        for each, cadre in ((first_nid, first_cadre), (nid, stack.cadre)):
            verdict = stack.verify(each, cadre)
            assert verdict["valid"] and verdict["anchored"] and verdict["vouched"] > 0, verdict
        latest = SignedHead.from_json(stack.head())  # signing goes on: the restored trees match the heads
        assert latest.trees == before
        assert_proofs_verify(stack, nid, first, latest)
        stack.stop()


def count_records(follower) -> Callable[[], int]:
    """Count the records `follower` hands its sink from now on; returns the count so far."""
    sink, seen = follower.sink, []

    def counted(record, digest) -> None:
        seen.append(record.offset)
        sink(record, digest)

    follower.sink = counted
    return lambda: len(seen)


# -- the forgeries: each rewrites the SQLite file directly, as someone with write access would ------
Rows = list[tuple[int, dict]]


def rows_of(db: sqlite3.Connection, nid: str) -> Rows:
    found = db.execute("SELECT offset, value FROM records WHERE key = ? ORDER BY offset", (nid,)).fetchall()
    return [(offset, orjson.loads(value)) for offset, value in found]


def rechain(db: sqlite3.Connection, rows: Rows) -> None:
    """Write the stream back with every prev_hash re-computed: the chain is whole again."""
    previous = ""
    for offset, body in rows:
        body["prev_hash"] = previous
        value = orjson.dumps(body)
        db.execute("UPDATE records SET value = ? WHERE offset = ?", (value, offset))
        previous = hashlib.sha256(value).hexdigest()


def edit_statement(db, nid: str) -> None:
    rows = rows_of(db, nid)
    rows[0][1]["payload"]["statement"] = "Forty years of spotless service."
    rechain(db, rows)


def delete_final_rejection(db, nid: str) -> None:
    offset, body = rows_of(db, nid)[-1]
    assert body["type"] == "NominationRejected"
    db.execute("DELETE FROM records WHERE offset = ?", (offset,))


def insert_approval(db, nid: str) -> None:
    """Before the rejection, an approval of the same version: the rejection becomes void."""
    rows = rows_of(db, nid)
    offset, rejection = rows[-1]
    approval = {**rejection, "type": "StageApproved", "event_id": "f" * 32}
    approval["payload"] = {**rejection["payload"], "next_stage": "secretary", "next_step": 3}
    approval["payload"]["next_due_at"] = rejection["time"]
    for later, _ in sorted(db.execute("SELECT offset, 0 FROM records WHERE offset >= ?", (offset,)), reverse=True):
        db.execute("UPDATE records SET offset = offset + 1 WHERE offset = ?", (later,))
    insert = "INSERT INTO records (offset, topic, key, stream_version, value) VALUES (?, ?, ?, NULL, ?)"
    db.execute(insert, (offset, "cadreflow.nominations", nid, orjson.dumps(approval)))
    rechain(db, [*rows[:-1], (offset, approval)])


def change_last_event(db, nid: str) -> None:
    """The final rejection turned into an approval: no successor's prev_hash names it."""
    offset, body = rows_of(db, nid)[-1]
    body["type"] = "NominationApproved"
    db.execute("UPDATE records SET value = ? WHERE offset = ?", (orjson.dumps(body), offset))


FORGERIES: dict[str, Callable] = {
    "edited text, re-chained": edit_statement,
    "deleted final rejection": delete_final_rejection,
    "inserted approval, re-chained": insert_approval,
    "changed last event": change_last_event,
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forgery_fails_against_an_earlier_signed_head(tmp_path, capsys, forge) -> None:
    stack = Stack(tmp_path).start()
    nid = stack.walk_to_rejection()
    assert stack.verify(nid)["valid"] is True and stack.audit(capsys)[0] == 0
    stack.stop()
    db = sqlite3.connect(stack.db, isolation_level=None)
    forge(db, nid)
    db.close()

    stack.start()  # a restart folds the forged log from the start
    verdict = stack.verify(nid)
    assert verdict["valid"] is False and verdict["anchored"] is True, verdict
    assert "contradicts a signed head" in str(verdict["problems"])
    refused = stack.nomination.get("/api/v1/transparency/heads/latest")
    assert refused.status_code == 503 and refused.json["error"]["code"] == "log_diverged"
    assert "nomination_transparency_diverged 1.0" in stack.nomination.get("/metrics").text  # alerts
    stack.stop()

    code, out = stack.audit(capsys)
    assert code == 1 and "FIRST DIVERGENCE: head" in out, out


def test_a_forgery_under_trees_restored_from_a_snapshot_is_contradicted(tmp_path, capsys) -> None:
    """The trees restored from a snapshot hold the records as they were folded: a record rewritten
    since (not the last of its partition, which the snapshot's anchor would catch), under a book
    folded anew from the forged log, differs from its leaf."""
    stack = Stack(tmp_path, snapshots=tmp_path / "snapshots").start()
    nid, cadre = stack.walk_to_rejection(), stack.cadre
    stack.walk_to_rejection()  # the last records of the log are another nomination's
    stack.stop()
    db = sqlite3.connect(stack.db, isolation_level=None)
    edit_statement(db, nid)
    db.close()
    (stack.snapshots / "nomination" / "nomination.nominations.snapshot").unlink()

    stack.start()
    assert stack.apps[0].extensions["transparency"].follower.snapshots.restored
    verdict = stack.verify(nid, cadre)
    assert verdict["valid"] is False and verdict["anchored"] is True, verdict
    assert "differs from the one" in str(verdict["problems"])
    stack.stop()
    assert stack.audit(capsys)[0] == 1  # an outsider rebuilding from the log sees it too
