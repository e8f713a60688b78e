"""The dashboard and the alerts only use metric names the services really export."""

from __future__ import annotations

import json
import re

import pytest

from tests.ops.conftest import DASHBOARD, GRAFANA_DIR, PROMETHEUS_DIR, SCRAPE_SERIES
from tests.ops.promql import metric_names, rule_exprs


def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def panels() -> list[dict]:
    out = []
    for panel in dashboard()["panels"]:
        out.extend(panel.get("panels", []) if panel["type"] == "row" else [panel])
    return out


def used_names(exprs: list[str]) -> set[str]:
    return set().union(*(metric_names(e) for e in exprs)) if exprs else set()


def test_the_dashboard_is_valid_json_on_the_provisioned_datasource() -> None:
    board = dashboard()
    assert board["uid"] == "cadreflow" and board["title"]
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    provisioned = (GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml").read_text()
    uid = re.search(r"^\s*uid:\s*(\S+)", provisioned, re.MULTILINE).group(1)
    for panel in panels():
        assert panel["title"], panel["id"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["expr"].strip(), panel["title"]
            assert target["datasource"] == {"type": "prometheus", "uid": uid}, panel["title"]
    cells = set()
    for panel in board["panels"]:
        pos = panel["gridPos"]
        assert pos["x"] >= 0 and pos["x"] + pos["w"] <= 24, panel["title"]
        mine = {(pos["x"] + dx, pos["y"] + dy) for dx in range(pos["w"]) for dy in range(pos["h"])}
        assert not cells & mine, f"panel {panel['title']!r} overlaps another"
        cells |= mine
    dashboards = (GRAFANA_DIR / "provisioning" / "dashboards" / "cadreflow.yml").read_text()
    assert "path: /var/lib/grafana/dashboards" in dashboards


def test_the_dashboard_shows_the_workflow_supervision_the_log_and_http_of_every_service() -> None:
    shown = used_names([t["expr"] for p in panels() for t in p["targets"]])
    wanted = {
        "cadreflow_nominations",
        "cadreflow_submissions_total",
        "cadreflow_decisions_total",
        "cadreflow_stage_dwell_seconds_bucket",
        "cadreflow_overdue_steps_total",
        "notification_deliveries_total",
        "cadreflow_cases",
        "cadreflow_cases_received_total",
        "cadreflow_case_close_seconds_bucket",
        "cadreflow_rectification_evaluations_total",
        "cadreflow_rectifications_overdue_open",
    }
    for service in ("nomination", "review", "notification", "supervision"):
        wanted |= {
            f"{service}_consumer_lag_messages",
            f"{service}_rebuild_duration_seconds",
            f"{service}_http_requests_total",
            f"{service}_http_request_duration_seconds_bucket",
        }
    assert wanted <= shown, f"no panel shows: {sorted(wanted - shown)}"
    exprs = " ".join(t["expr"] for p in panels() for t in p["targets"])
    assert "histogram_quantile(0.99" in exprs and "cadreflow_stage_dwell_seconds_bucket" in exprs


def test_every_metric_in_the_dashboard_is_exported_by_a_service(exported_metric_names) -> None:
    exported = set().union(*exported_metric_names.values()) | SCRAPE_SERIES
    missing = {}
    for panel in panels():
        names = used_names([t["expr"] for t in panel["targets"]]) - exported
        if names:
            missing[panel["title"]] = sorted(names)
    assert not missing, f"panels use metrics no service exports: {missing}"


def test_every_metric_in_the_alerts_is_exported_by_a_service(exported_metric_names) -> None:
    exported = set().union(*exported_metric_names.values()) | SCRAPE_SERIES
    exprs = rule_exprs((PROMETHEUS_DIR / "alerts.yml").read_text())
    assert len(exprs) == 8
    missing = sorted(used_names(exprs) - exported)
    assert not missing, f"alerts use metrics no service exports: {missing}"


def test_each_service_exports_its_own_technical_metrics(exported_metric_names) -> None:
    for service, names in exported_metric_names.items():
        for metric in (
            "http_requests_total",
            "http_request_duration_seconds_bucket",
            "events_consumed_total",
            "events_appended_total",
            "append_errors_total",
            "consumer_lag_messages",
            "rebuild_duration_seconds",
            "ready",
        ):
            assert f"{service}_{metric}" in names, f"{service} does not export {service}_{metric}"


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        (
            'sum by (job) (rate(a_total{status=~"5.."}[5m])) / sum by (job) (rate(a_total[$__rate_interval]))',
            {"a_total"},
        ),
        ("histogram_quantile(0.99, sum by (le, job) (rate(h_bucket[5m])))", {"h_bucket"}),
        ('up{job=~"nomination|review"} == 0', {"up"}),
        ("deriv(lag[5m]) > 0 and lag > 0 or on (job) group_left (topic) other offset 5m", {"lag", "other"}),
        ("max without (pid) (x) > bool 1e3 * 2.5", {"x"}),
        ('label_replace(m:recorded, "dst", "$1", "src", "(.*)")', {"m:recorded"}),
        ("sum(increase(d_total[$__range]))", {"d_total"}),
    ],
)
def test_metric_names_are_told_apart_from_functions_labels_and_durations(expr, names) -> None:
    assert metric_names(expr) == names


def test_a_call_of_an_unknown_function_is_an_error() -> None:
    with pytest.raises(ValueError, match="rates"):
        metric_names("rates(x[5m])")
