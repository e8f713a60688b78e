"""Run the services as real gunicorn processes (deploy/serve.sh) for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "deploy" / "serve.sh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServiceProcess:
    """One service under gunicorn (2 workers by default) on a free loopback port."""

    service: str
    env: dict[str, str]
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServiceProcess:
        env = {
            **os.environ,
            "SNAPSHOT_DIR": str(self.workdir / "snapshots" / self.service),  # not the checkout's var/
            "KEY_DIR": str(self.workdir / "keys"),  # one key store for the stack's processes (as on one host)
            "TRANSPARENCY_KEY_FILE": str(self.workdir / "signing" / "transparency-head.pem"),
            "HEADS_DIR": str(self.workdir / "heads"),
            **self.env,
            "PORT": str(self.port),
            "PROMETHEUS_MULTIPROC_DIR": str(self.workdir / f"prom-{self.service}-{self.port}"),
        }
        log = open(self.workdir / f"{self.service}-{self.port}.log", "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(
            [str(SERVE), self.service], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def wait_ready(self, timeout_s: float = 90) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process and self.process.poll() is None, f"{self.service} exited; see {self.workdir}"
            try:
                if requests.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.service} not ready after {timeout_s}s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Signal the whole process group (master and workers) and wait."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def kill(self) -> None:
        """kill -9 the master and every worker at once."""
        self.stop(signal.SIGKILL)


def start_stack(env: dict[str, str], workdir: Path, services=("nomination", "review", "notification")) -> dict:
    procs = {name: ServiceProcess(name, env, workdir).start() for name in services}
    for proc in procs.values():
        proc.wait_ready()
    return procs
