"""Fixtures of the ops checks: where the files are, the tools, and what the services export."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.apps import settle, wait_ready
from tests.support.clues import clue_body
from tests.support.people import nomination_body, person_factory

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
GRAFANA_DIR = ROOT / "deploy" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "cadreflow.json"

# Samples a family of each type exposes besides its own name (prometheus_client text format).
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "gaugehistogram": ("_bucket", "_gsum", "_gcount"),
    "summary": ("_sum", "_count", "_created"),
    "info": ("_info",),
}
# Series Prometheus itself adds to every scrape; no service exports them.
SCRAPE_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_series_added"}


@pytest.fixture(scope="session")
def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail(
            "promtool is not installed: run `make promtool` (it installs the Debian package `prometheus`), "
            "then run these tests again",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def docker_compose() -> list[str]:
    docker = shutil.which("docker")
    if docker is None:
        pytest.fail("the docker client is not installed: install docker (the client is enough)", pytrace=False)
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.fail(
            "`docker compose` is not available: run `make compose` (it installs the compose v2 CLI plugin), "
            f"then run these tests again ({probe.stderr.strip() or probe.stdout.strip()})",
            pytrace=False,
        )
    return [docker, "compose"]


@pytest.fixture(scope="session")
def exported_metric_names(tmp_path_factory) -> dict[str, set[str]]:
    """Every metric name each service exposes on /metrics after one nomination went to approval and
    one clue through the closed loop.

    The four apps are built in this process on one temporary SQLite log; a family counts with all the
    sample names of its type (a labelled counter no request has touched yet still declares its name).
    """
    from services.nomination.app import create_app as create_nomination
    from services.notification.app import create_app as create_notification
    from services.review.app import create_app as create_review
    from services.supervision.app import create_app as create_supervision
    from shared.config import Config

    workdir = tmp_path_factory.mktemp("ops-log")
    db = str(workdir / "events.db")
    transparency = {"transparency_key_file": str(workdir / "signing" / "head.pem"), "heads_dir": str(workdir / "heads")}

    def config(service: str) -> Config:
        keeps_log = transparency if service == "nomination" else {}
        return Config(
            service=service,
            event_backend="sqlite",
            event_db=db,
            overdue_scan_interval_s=0,
            key_dir=str(workdir / "keys"),
            receipt_hash_cost=2**10,
            **keeps_log,
        )

    apps = {
        "nomination": create_nomination(config("nomination")),
        "review": create_review(config("review")),
        "notification": create_notification(config("notification")),
        "supervision": create_supervision(config("supervision")),
    }
    try:
        for app in apps.values():
            wait_ready(app)
        clients = {name: app.test_client() for name, app in apps.items()}
        _drive_one_nomination(clients, list(apps.values()))
        _drive_one_clue(clients["supervision"], list(apps.values()))
        return {name: _names_in(client.get("/metrics")) for name, client in clients.items()}
    finally:
        for app in apps.values():
            app.extensions["runtime"].stop()


def _drive_one_nomination(clients: dict, apps: list) -> None:
    cadre = person_factory("cadre")
    deciders = (
        (person_factory("unit_reviewer", cadre.unit), "unit"),
        (person_factory("org_reviewer"), "org_department"),
        (person_factory("secretary"), "secretary"),
    )
    created = clients["nomination"].post("/api/v1/nominations", json=nomination_body(), headers=cadre.headers)
    assert created.status_code == 201, created.get_json()
    nid = created.get_json()["nomination_id"]
    settle(apps)
    for who, stage in deciders:
        decided = clients["review"].post(
            f"/api/v1/reviews/{nid}/decisions", json={"stage": stage, "decision": "approve"}, headers=who.headers
        )
        assert decided.status_code == 200, decided.get_json()
        settle(apps)
    assert clients["nomination"].get(f"/api/v1/nominations/{nid}", headers=cadre.headers).status_code == 200
    assert clients["notification"].get("/api/v1/notifications", headers=cadre.headers).status_code == 200


def _drive_one_clue(client, apps: list) -> None:
    officer, unit_reviewer = (
        person_factory("supervision_officer", "ops-unit"),
        person_factory("unit_reviewer", "ops-unit"),
    )
    created = client.post("/api/v1/clues", json=clue_body(unit="ops-unit"))
    assert created.status_code == 201, created.get_json()
    case_id = created.get_json()["case_id"]
    settle(apps)
    steps = (
        (officer, {"action": "accept"}),
        (officer, {"action": "finding", "result": "substantiated", "outcome": "warn", "summary": "Seen."}),
        (officer, {"action": "order", "unit": "ops-unit", "due_days": 3, "requirement": "Answer calls."}),
        (unit_reviewer, {"action": "report", "what_was_done": "A rota."}),
        (officer, {"action": "evaluate", "effective": True}),
    )
    for who, body in steps:
        answer = client.post(f"/api/v1/cases/{case_id}/actions", json=body, headers=who.headers)
        assert answer.status_code == 200, answer.get_json()
        settle(apps)


def _names_in(response) -> set[str]:
    assert response.status_code == 200, response.status_code
    names: set[str] = set()
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        names.add(family.name)
        names.update(family.name + suffix for suffix in SUFFIXES.get(family.type, ()))
        names.update(sample.name for sample in family.samples)
    return names
