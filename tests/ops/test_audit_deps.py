"""`make audit-deps` fails on a known vulnerability: pip-audit against an OSV service on loopback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tools.audit_deps import UNAUDITED, VULNERABLE, main, verdict

ROOT = Path(__file__).resolve().parents[2]
PIP_AUDIT = ROOT / ".venv-audit" / "bin" / "pip-audit"
pytestmark = pytest.mark.skipif(not PIP_AUDIT.exists(), reason="pip-audit not installed (make audit-deps does it)")


def osv_service(vulnerable: dict[str, str]):
    """An OSV query endpoint that knows one advisory per named package, and 500 for `broken`."""

    class Osv(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            name = query["package"]["name"]
            if name == vulnerable.get("broken"):
                self.send_error(500)
                return
            vulns = [_advisory(vulnerable[name], name, query["version"])] if name in vulnerable else []
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Osv)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _advisory(advisory_id: str, name: str, version: str) -> dict:
    fixed = {"introduced": "0"}, {"fixed": version + ".post1"}
    return {
        "id": advisory_id,
        "summary": "a test advisory",
        "affected": [
            {"package": {"name": name, "ecosystem": "PyPI"}, "ranges": [{"type": "ECOSYSTEM", "events": fixed}]}
        ],
    }


def audit(tmp_path, vulnerable: dict[str, str], *extra: str) -> int:
    server = osv_service(vulnerable)
    try:
        url = f"http://127.0.0.1:{server.server_port}/v1/query"
        args = ["--pip-audit", str(PIP_AUDIT), "--service", "osv", "--osv-url", url, "--cache-dir", str(tmp_path)]
        return main([*args, *extra])
    finally:
        server.shutdown()


def test_fails_on_a_known_vulnerability(tmp_path, capsys) -> None:
    assert audit(tmp_path, {"flask": "PYSEC-0000-1"}) == VULNERABLE
    assert "VULNERABLE flask==" in capsys.readouterr().out


def test_fails_when_the_service_fails(tmp_path) -> None:
    with pytest.raises(SystemExit, match="pip-audit failed"):
        audit(tmp_path, {"broken": "flask"})


def test_an_unaudited_dependency_fails_only_when_every_one_must_be_audited() -> None:
    report = {"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}, {"name": "x", "skip_reason": "404"}]}
    assert verdict(report, "pypi", require_all=False) == 0
    assert verdict(report, "pypi", require_all=True) == UNAUDITED
