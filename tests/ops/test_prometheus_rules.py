"""promtool accepts deploy/prometheus, and its unit tests prove every alert fires (and stays quiet when healthy)."""

from __future__ import annotations

import re
import subprocess

from tests.ops.conftest import PROMETHEUS_DIR
from tests.ops.promql import alert_names, alert_test_cases


def run_promtool(promtool: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [promtool, *args], cwd=PROMETHEUS_DIR, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"promtool {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_promtool_accepts_the_prometheus_config(promtool) -> None:
    result = run_promtool(promtool, "check", "config", "prometheus.yml")
    assert "1 rule files found" in result.stdout + result.stderr


def test_promtool_accepts_the_alert_rules(promtool) -> None:
    result = run_promtool(promtool, "check", "rules", "alerts.yml")
    assert f"{len(alert_names((PROMETHEUS_DIR / 'alerts.yml').read_text()))} rules found" in result.stdout


def test_promtool_unit_tests_of_the_alerts_pass(promtool) -> None:
    result = run_promtool(promtool, "test", "rules", "alerts_test.yml")
    assert "SUCCESS" in result.stdout


def test_every_alert_is_proven_to_fire_and_a_healthy_system_fires_none() -> None:
    alerts = alert_names((PROMETHEUS_DIR / "alerts.yml").read_text())
    assert set(alerts) == {
        "CadreflowServiceDown",
        "CadreflowHighErrorRate",
        "CadreflowConsumerLagGrowing",
        "CadreflowDeadLetters",
        "CadreflowOverdueSteps",
        "CadreflowRectificationsOverdue",
        "CadreflowRectificationReopenRateHigh",
        "CadreflowLogContradictsSignedHead",
    }
    cases = alert_test_cases((PROMETHEUS_DIR / "alerts_test.yml").read_text())
    fired = {name for name, fires in cases if fires}
    quiet = {name for name, fires in cases if not fires}
    assert set(alerts) <= fired, f"no promtool case makes these fire: {sorted(set(alerts) - fired)}"
    assert set(alerts) <= quiet, f"no promtool case proves these stay quiet: {sorted(set(alerts) - quiet)}"
    assert {name for name, _ in cases} <= set(alerts), "alerts_test.yml names an alert alerts.yml lacks"


def test_prometheus_scrapes_the_four_services_and_loads_the_alerts() -> None:
    config = (PROMETHEUS_DIR / "prometheus.yml").read_text()
    for service, port in (("nomination", 8001), ("review", 8002), ("notification", 8003), ("supervision", 8004)):
        assert re.search(rf"job_name:\s*{service}\b", config), service
        assert f'"{service}:{port}"' in config, service
    assert re.search(r"rule_files:\s*\n\s*-\s*alerts\.yml", config)
