"""The erasure of a person end to end, as the issue asks: views redacted, chain and audit still valid.

On a SQLite log of its own, with the transparency log: a cadre's nomination is decided, a head is
signed, an admin erases the cadre, another head is signed. The views show the trail with the texts
redacted; `/verify` says the chain is whole and anchored; the second head is consistent with the
first and includes the erasure; `bin/cadreflow-audit`, given only the log, the public key and the
heads, finds every chain and every head valid; and no personal text is anywhere in the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from services.nomination.app import create_app as create_nomination
from services.review.app import create_app as create_review
from shared.config import Config
from shared.contracts.topics import PEOPLE
from shared.transparency.heads import SignedHead
from shared.transparency.proofs import verify_consistency
from tests.support.apps import settle, wait_ready
from tests.support.people import nomination_body, person_factory

AUDIT = Path(__file__).resolve().parents[3] / "bin" / "cadreflow-audit"
STATEMENT = "Twelve years in Xichuan; the e-commerce hub was mine."
COMMENT = "Not yet: the assessment found gaps."


def test_an_erased_person_keeps_the_trail_and_the_log_still_audits(tmp_path) -> None:
    db, heads = tmp_path / "events.db", tmp_path / "heads"
    common = {"event_backend": "sqlite", "event_db": str(db), "key_dir": str(tmp_path / "keys"), "snapshot_dir": None}
    signing = {"transparency_key_file": str(tmp_path / "signing" / "head.pem"), "heads_dir": str(heads)}
    apps = [create_nomination(Config("nomination", **common, **signing)), create_review(Config("review", **common))]
    for app in apps:
        wait_ready(app)
    nomination, review = (app.test_client() for app in apps)
    cadre, admin = person_factory("cadre"), person_factory("admin", "city")

    def head() -> SignedHead:
        settle(apps)
        return SignedHead.from_json(nomination.get("/api/v1/transparency/heads/latest").json)

    created = nomination.post("/api/v1/nominations", json=nomination_body(statement=STATEMENT), headers=cadre.headers)
    nid = created.json["nomination_id"]
    for stage, decision, role in [("unit", "approve", "unit_reviewer"), ("org_department", "reject", "org_reviewer")]:
        settle(apps)
        body = {"stage": stage, "decision": decision, "comment": COMMENT}
        reviewer = person_factory(role, cadre.unit)
        assert review.post(f"/api/v1/reviews/{nid}/decisions", json=body, headers=reviewer.headers).status_code == 200
    before = head()

    erased = review.post(f"/api/v1/people/{cadre.id}/erasure", headers=admin.headers)
    assert erased.status_code == 200, erased.json
    after = head()

    view = nomination.get(f"/api/v1/nominations/{nid}", headers=cadre.headers).json
    assert (view["status"], view["statement"], view["cadre"]["name"], view["redacted"]) == (
        "rejected",
        None,
        None,
        True,
    )
    assert [(s["decision"], s["comment"]) for s in view["history"]] == [("approve", None), ("reject", None)]
    verdict = nomination.get(f"/api/v1/nominations/{nid}/verify", headers=cadre.headers).json
    assert (verdict["valid"], verdict["anchored"], verdict["vouched"], verdict["problems"]) == (True, True, 3, [])
    for old in before.trees:
        new = after.tree(old.log_id)
        query = {"log_id": old.log_id, "first": old.tree_size, "second": new.tree_size}
        proof = nomination.get("/api/v1/transparency/consistency", query_string=query).json["proof"]
        verify_consistency(
            old.tree_size, new.tree_size, old.root_hash, new.root_hash, [bytes.fromhex(h) for h in proof]
        )
    people = after.tree(f"{PEOPLE}/0")
    assert people is not None and people.tree_size == 1  # the erasure itself is in the signed log
    for app in apps:
        app.extensions["runtime"].stop()  # the nomination service signs a last head on stop

    audited = subprocess.run(
        [str(AUDIT), "--sqlite", str(db), "--public-key", str(heads / "public-key.pem"), "--heads", str(heads)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"CADREFLOW_PYTHON": sys.executable, "PATH": "/usr/bin:/bin"},
    )
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "OK: every chain links from genesis and every head matches the log" in audited.stdout
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("events.db*"))
    assert nid.encode() in stored and STATEMENT.encode() not in stored and COMMENT.encode() not in stored
    assert cadre.name.encode() not in stored
