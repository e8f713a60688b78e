"""Audit the project's pinned dependencies for known vulnerabilities (`make audit-deps`).

The pinned closure is what `pip freeze` reports in the project's virtualenv (the pins of
requirements*.txt and what they pulled in); pip-audit checks each exact version against a
vulnerability service. Exit 1 when any has a known vulnerability. A dependency the service
could not answer for is "unaudited": listed, and fatal only with --require-all (an audit that
checked nothing must not pass as clean where the service is expected to answer).

python -m tools.audit_deps --pip-audit .venv-audit/bin/pip-audit [--service pypi|osv] [--osv-url URL]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

VULNERABLE, UNAUDITED = 1, 2


def frozen_pins(python: str) -> str:
    """`name==version` lines of the environment of `python` (pip and the like left out)."""
    out = subprocess.run(  # noqa: S603 - our own interpreter and pip
        [python, "-m", "pip", "freeze", "--exclude-editable"], check=True, capture_output=True, text=True
    ).stdout
    return "\n".join(line for line in out.splitlines() if "==" in line) + "\n"


def run_pip_audit(pip_audit: str, pins: str, service: str, osv_url: str | None, cache_dir: str | None) -> dict:
    with tempfile.TemporaryDirectory() as work:
        requirements, report = Path(work, "pins.txt"), Path(work, "report.json")
        requirements.write_text(pins)
        command = [pip_audit, "-r", str(requirements), "--no-deps", "--disable-pip", "--progress-spinner", "off"]
        command += ["--vulnerability-service", service, "--format", "json", "--output", str(report)]
        command += ["--osv-url", osv_url] if osv_url else []
        command += ["--cache-dir", cache_dir] if cache_dir else []
        done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 - the pinned tool
        if not report.exists():
            sys.exit(f"pip-audit failed (exit {done.returncode}): {done.stderr.strip()}")
        return json.loads(report.read_text())


def summarise(report: dict) -> tuple[list[str], list[str], int]:
    """(lines on vulnerable dependencies, names of unaudited ones, number audited)."""
    vulnerable, unaudited, audited = [], [], 0
    for dep in report["dependencies"]:
        if "skip_reason" in dep:
            unaudited.append(dep["name"])
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            vulnerable.append(f"{dep['name']}=={dep['version']}: {vuln['id']} (fixed in {fixed})")
    return vulnerable, unaudited, audited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=".venv/bin/python", help="the project's interpreter")
    parser.add_argument("--pip-audit", default=".venv-audit/bin/pip-audit")
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv"])
    parser.add_argument("--osv-url")
    parser.add_argument("--cache-dir")
    parser.add_argument("--require-all", action="store_true", help="fail when a dependency could not be audited")
    args = parser.parse_args(argv)
    report = run_pip_audit(args.pip_audit, frozen_pins(args.python), args.service, args.osv_url, args.cache_dir)
    return verdict(report, args.service, args.require_all)


def verdict(report: dict, service: str, require_all: bool) -> int:
    """Print the summary; the exit code: VULNERABLE, UNAUDITED (only if `require_all`) or 0."""
    vulnerable, unaudited, audited = summarise(report)
    print(f"audit-deps: {audited} audited, {len(vulnerable)} known vulnerabilities, {len(unaudited)} unaudited")
    for line in vulnerable:
        print(f"  VULNERABLE {line}")
    if unaudited:
        print(f"  WARNING: unaudited, the {service} service did not answer for: {' '.join(unaudited)}")
    if vulnerable:
        return VULNERABLE
    return UNAUDITED if unaudited and require_all else 0


if __name__ == "__main__":
    sys.exit(main())
