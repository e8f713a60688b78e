"""docker-compose.yml is valid for `docker compose` and wires Kafka, the services, Prometheus and Grafana."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.ops.conftest import ROOT

SERVICES = {"nomination": 8001, "review": 8002, "notification": 8003}


def compose(docker_compose: list[str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [*docker_compose, "-f", str(ROOT / "docker-compose.yml"), *args],
        cwd=ROOT,
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
    assert spec["environment"]["JWT_SECRET"]
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
