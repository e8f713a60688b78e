"""Start (or find) the real Kafka broker the tests talk to, via deploy/kafka/start.sh."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START = ROOT / "deploy" / "kafka" / "start.sh"
STOP = ROOT / "deploy" / "kafka" / "stop.sh"


def bootstrap_servers() -> str:
    """Where the test broker listens (KAFKA_BOOTSTRAP_SERVERS, default 127.0.0.1:9092)."""
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")


def is_listening(bootstrap: str) -> bool:
    host, port = bootstrap.split(",")[0].rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def ensure_broker() -> bool:
    """Make sure a broker answers; start one if none does. Returns True if we started it."""
    bootstrap = bootstrap_servers()
    if is_listening(bootstrap):
        return False
    port = bootstrap.split(",")[0].rsplit(":", 1)[1]
    env = {**os.environ, "KAFKA_PORT": port}
    subprocess.run([str(START)], check=True, env=env)
    return True


def stop_broker() -> None:
    subprocess.run([str(STOP)], check=True)


def start_broker() -> None:
    port = bootstrap_servers().split(",")[0].rsplit(":", 1)[1]
    subprocess.run([str(START)], check=True, env={**os.environ, "KAFKA_PORT": port})
