"""docker-compose.yml is valid for `docker compose` and wires Kafka, the services, Prometheus and Grafana."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import subprocess

import pytest

from shared.config import DEVELOPMENT_JWT_SECRET
from tests.ops.conftest import ROOT

SERVICES = {"nomination": 8001, "review": 8002, "notification": 8003, "supervision": 8004}


# Settings the file reads from the environment: left out, so its own defaults are what is checked
# (the test session itself runs in development mode).
SETTINGS = {"JWT_SECRET", "JWT_JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE", "CADREFLOW_DEV_MODE", "PUBLISH_HOST"}


def compose(docker_compose: list[str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [*docker_compose, "-f", str(ROOT / "docker-compose.yml"), *args],
        cwd=ROOT,
        env={key: value for key, value in os.environ.items() if key not in SETTINGS},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"docker compose {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def stack(docker_compose) -> dict:
    return json.loads(compose(docker_compose, "config", "--format", "json").stdout)


def test_docker_compose_config_is_valid(docker_compose) -> None:
    result = compose(docker_compose, "config", "-q")
    assert result.stdout == ""


def test_kafka_is_a_healthchecked_single_node_kraft_broker_on_a_named_volume(stack) -> None:
    kafka = stack["services"]["kafka"]
    env = kafka["environment"]
    assert kafka["image"] == "apache/kafka:4.1.1"
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert "kafka-broker-api-versions.sh" in " ".join(kafka["healthcheck"]["test"])
    [volume] = kafka["volumes"]
    assert volume["type"] == "volume" and volume["source"] in stack["volumes"]
    assert kafka["restart"] == "unless-stopped"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_the_one_image_on_kafka_and_waits_for_a_healthy_broker(stack, service) -> None:
    spec = stack["services"][service]
    port = SERVICES[service]
    assert spec["build"]["dockerfile"] == "Dockerfile"
    assert spec["image"] == "cadreflow:latest"
    assert spec["command"] == [service]
    assert spec["environment"]["EVENT_BACKEND"] == "kafka"
    assert spec["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert spec["environment"]["BIND_HOST"] == "0.0.0.0"
    assert spec["environment"]["JWT_SECRET"] == ""  # required from the environment: no default secret
    assert spec["environment"]["CADREFLOW_DEV_MODE"] == "0"
    assert spec["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert f"http://127.0.0.1:{port}/readyz" in spec["healthcheck"]["test"]
    assert [p["target"] for p in spec["ports"]] == [port]
    assert spec["restart"] == "unless-stopped"


def test_prometheus_and_grafana_mount_the_repository_config(stack) -> None:
    prometheus, grafana = stack["services"]["prometheus"], stack["services"]["grafana"]
    assert prometheus["image"].startswith("prom/prometheus:")
    assert grafana["image"].startswith("grafana/grafana:")
    mounts = {(v["source"], v["target"]) for v in prometheus["volumes"] + grafana["volumes"]}
    assert (str(ROOT / "deploy/prometheus"), "/etc/prometheus") in mounts
    assert (str(ROOT / "deploy/grafana/provisioning"), "/etc/grafana/provisioning") in mounts
    assert (str(ROOT / "deploy/grafana/dashboards"), "/var/lib/grafana/dashboards") in mounts


def test_the_image_runs_serve_sh_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert "pip install --no-compile -r requirements.txt" in dockerfile
    assert "requirements-dev" not in re.sub(r"#.*", "", dockerfile)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["deploy/serve.sh"]' in dockerfile
    assert 'CMD ["nomination"]' in dockerfile
    assert re.search(r"PYTHON_BIN=python\b", dockerfile)
    for source in ("shared/", "services/", "tools/", "deploy/"):
        assert re.search(rf"^COPY {source} ", dockerfile, re.MULTILINE), source
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", "var", ".git", "deploy/kafka/lib", ".pytest_cache"} <= ignored


def test_the_supervision_keys_live_on_a_volume_of_their_own(stack) -> None:
    spec = stack["services"]["supervision"]
    [volume] = spec["volumes"]
    assert volume["type"] == "volume" and volume["source"] in stack["volumes"]
    assert volume["target"] == spec["environment"]["KEY_DIR"]


def test_the_web_front_waits_for_the_services_and_calls_them_by_name(stack) -> None:
    web = stack["services"]["web"]
    assert web["image"] == "cadreflow:latest" and web["command"] == ["web"]
    assert {name: dep["condition"] for name, dep in web["depends_on"].items()} == dict.fromkeys(
        SERVICES, "service_healthy"
    )
    for name, port in SERVICES.items():
        assert web["environment"][f"WEB_{name.upper()}_URL"] == f"http://{name}:{port}"
    assert "http://127.0.0.1:8000/readyz" in web["healthcheck"]["test"]
    assert [p["target"] for p in web["ports"]] == [8000]


def test_the_supervision_service_believes_x_forwarded_for_from_the_web_front_alone(stack) -> None:
    """Public reports are rate-limited per visitor: the web front passes the visitor's address,
    and only its fixed address on the stack's network is a trusted proxy."""
    web_address = stack["services"]["web"]["networks"]["default"]["ipv4_address"]
    [subnet] = [c["subnet"] for c in stack["networks"]["default"]["ipam"]["config"]]
    assert ipaddress.ip_address(web_address) in ipaddress.ip_network(subnet)
    assert stack["services"]["supervision"]["environment"]["TRUSTED_PROXIES"] == web_address
    assert stack["services"]["web"]["environment"]["WEB_PROXY_HOPS"] == "0"


def test_no_service_gets_the_development_secret_or_development_mode_by_default(stack) -> None:
    for name, spec in stack["services"].items():
        env = spec.get("environment") or {}
        assert DEVELOPMENT_JWT_SECRET not in env.values(), name
        assert env.get("CADREFLOW_DEV_MODE", "0") == "0", name


def test_ports_are_published_on_loopback_by_default(stack) -> None:
    published = {name: spec["ports"] for name, spec in stack["services"].items() if spec.get("ports")}
    assert set(published) >= {*SERVICES, "web", "prometheus", "grafana"}
    for name, ports in published.items():
        assert {port.get("host_ip") for port in ports} == {"127.0.0.1"}, name
