"""The four services in-process on a temporary SQLite log, with a few nominations in it."""

from __future__ import annotations

import pytest

from services.nomination.app import create_app as create_nomination
from services.notification.app import create_app as create_notification
from services.review.app import create_app as create_review
from services.supervision.app import create_app as create_supervision
from shared.config import Config
from tests.support.apps import settle, wait_ready
from tests.support.people import nomination_body, person_factory

FACTORIES = {
    "nomination": create_nomination,
    "review": create_review,
    "notification": create_notification,
    "supervision": create_supervision,
}


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("security")
    db = str(workdir / "events.db")
    transparency = {"transparency_key_file": str(workdir / "signing" / "head.pem"), "heads_dir": str(workdir / "heads")}
    built = {
        name: make(
            Config(
                service=name,
                event_db=db,
                overdue_scan_interval_s=0,
                submission_rate_limit="0",
                decision_rate_limit="0",
                max_open_nominations=0,  # test_limits covers the limits
                clue_rate_limit="0",
                receipt_rate_limit="0",
                key_dir=str(workdir / "keys"),
                receipt_hash_cost=2**10,
                **(transparency if name == "nomination" else {}),
            )
        )
        for name, make in FACTORIES.items()
    }
    for app in built.values():
        wait_ready(app)
    yield built
    for app in built.values():
        app.extensions["runtime"].stop()


@pytest.fixture(scope="module")
def seeded(apps):
    """A cadre with one nomination in unit `sec-unit`, folded by every service."""
    cadre = person_factory("cadre", "sec-unit")
    created = (
        apps["nomination"].test_client().post("/api/v1/nominations", json=nomination_body(), headers=cadre.headers)
    )
    assert created.status_code == 201
    settle(apps.values())
    return cadre, created.json["nomination_id"]
