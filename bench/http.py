"""HTTP figures: gunicorn services (deploy/serve.sh) on 127.0.0.1 under wrk, bounded in time."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from shared.config import DEVELOPMENT_JWT_SECRET
from tools.mint_token import mint

ROOT = Path(__file__).resolve().parents[1]
SUBMIT_LUA = """
local tokens = {%s}
local i = 0
local body = '%s'
request = function()
  i = i + 1
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[(i %% #tokens) + 1]}
  return wrk.format("POST", nil, headers, body)
end
"""
CADRES = 2000  # submissions rotate over many cadres: the per-cadre rate limit stays on, as deployed
BODY = (
    '{"channel": "unit", "target_position": {"title": "Deputy director", "organization": "Bureau of Commerce"},'
    ' "statement": "Ten years of rural revitalisation work; strong at project delivery and team building.",'
    ' "achievements": [{"title": "Led the county e-commerce hub", "description": "Sales up 40% in two years"}],'
    ' "commitment": "First-class performance in the province within three years."}'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """One app under gunicorn (2 workers) in its own process group."""

    def __init__(self, target: str, env: dict[str, str], workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PORT": str(self.port), "WEB_CONCURRENCY": "2", **env}
        env["PROMETHEUS_MULTIPROC_DIR"] = str(workdir / f"prom-{self.port}")
        Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
        command = (
            ["deploy/serve.sh", target]
            if "." not in target
            else [str(ROOT / ".venv/bin/python"), "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", target]
        )
        self.log = open(workdir / f"served-{self.port}.log", "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(  # noqa: S603 - our own launch script
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, path: str = "/readyz", timeout_s: float = 300) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout_s:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log.name}")
            try:
                if requests.get(self.url + path, timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"not ready after {timeout_s} s")

    def worker_cpu(self) -> dict[int, float]:
        """CPU seconds (user + system) each gunicorn worker has used so far, by pid."""
        tick, used = os.sysconf("SC_CLK_TCK"), {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # ppid: a worker of this server's master
                used[int(pid)] = (int(fields[11]) + int(fields[12])) / tick
        return used

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def cadre_token(cadre: str = "bench-cadre") -> str:
    return mint(cadre, "cadre", "unit-bench", "Bench Cadre", 2, DEVELOPMENT_JWT_SECRET)


def wrk(url: str, script: Path, seconds: int, connections: int = 16, threads: int = 2) -> dict[str, float]:
    """Run wrk against 127.0.0.1 for `seconds`; requests/s, errors and latency percentiles (ms)."""
    assert url.startswith("http://127.0.0.1:")
    out = subprocess.run(  # noqa: S603
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],  # noqa: S607 - wrk from the PATH
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, float]:
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        result[f"p{pct}_ms"] = float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non_2xx"] = int(errors.group(1)) if errors else 0
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    return result


def submit_script(workdir: Path, cadres: int = CADRES) -> Path:
    path = workdir / "submit.lua"
    tokens = ", ".join(f'"{cadre_token(f"bench-cadre-{i}")}"' for i in range(cadres))
    path.write_text(SUBMIT_LUA % (tokens, BODY))
    return path
