"""One frozen configuration object per process, read from the environment.

`<SERVICE>_<KEY>` (e.g. `REVIEW_PORT`) wins over the shared `<KEY>`. Only this module reads
`os.environ`. Tests build a Config directly or with `Config.from_env(..., overrides)`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from shared.domain.workflow.routes import DEFAULT_CONFIG, WorkflowConfig

DEFAULT_PORTS = {"nomination": 8001, "review": 8002, "notification": 8003}
DEVELOPMENT_JWT_SECRET = "cadreflow-development-secret-change-me"  # noqa: S105 - documented dev default


@dataclass(frozen=True)
class Config:
    """Everything a service process needs to wire itself."""

    service: str
    event_backend: str = "sqlite"
    event_db: str = "var/cadreflow.db"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    port: int = 8001
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_public_key: str | None = None
    max_body_bytes: int = 64 * 1024
    command_timeout_s: float = 15.0
    workflow: WorkflowConfig = DEFAULT_CONFIG
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "cadreflow@localhost"
    role_emails: Mapping[str, str] = field(default_factory=dict)
    overdue_scan_interval_s: float = 30.0
    start_follower: bool = True
    submission_rate_limit: str = "30/60"  # per cadre and worker: count/seconds, "0" = off
    decision_rate_limit: str = "120/60"  # per reviewer and worker
    snapshot_dir: str | None = None  # None: no snapshots (from_env defaults to var/snapshots/<service>)
    snapshot_interval_s: float = 300.0
    transparency_key_file: str | None = None  # the head-signing key (0600), never beside the log's storage
    heads_dir: str = "var/heads"  # signed heads for outsiders to keep (and the public key)
    head_interval_s: float = 30.0

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None, **overrides: Any) -> Config:
        """Read `<SERVICE>_KEY` or `KEY` for every setting; `overrides` win over both."""
        env = os.environ if env is None else env

        def get(key: str, default: str | None = None) -> str | None:
            return env.get(f"{service.upper()}_{key}", env.get(key, default))

        config = cls(
            service=service,
            event_backend=get("EVENT_BACKEND", "sqlite") or "sqlite",
            event_db=get("EVENT_DB", "var/cadreflow.db") or "var/cadreflow.db",
            kafka_bootstrap_servers=get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092") or "",
            port=int(get("PORT", str(DEFAULT_PORTS.get(service, 8000))) or 0),
            jwt_secret=get("JWT_SECRET", DEVELOPMENT_JWT_SECRET) or DEVELOPMENT_JWT_SECRET,
            jwt_public_key=_read_key(get("JWT_PUBLIC_KEY_FILE")),
            max_body_bytes=int(get("MAX_BODY_BYTES", str(64 * 1024)) or 0),
            workflow=_read_workflow(get("WORKFLOW_CONFIG")),
            smtp_host=get("SMTP_HOST") or None,
            smtp_port=int(get("SMTP_PORT", "25") or 25),
            smtp_sender=get("SMTP_SENDER", "cadreflow@localhost") or "cadreflow@localhost",
            role_emails=json.loads(get("ROLE_EMAILS", "{}") or "{}"),
            overdue_scan_interval_s=float(get("OVERDUE_SCAN_INTERVAL_S", "30") or 30),
            submission_rate_limit=get("SUBMISSION_RATE_LIMIT", "30/60") or "0",
            decision_rate_limit=get("DECISION_RATE_LIMIT", "120/60") or "0",
            snapshot_dir=get("SNAPSHOT_DIR", f"var/snapshots/{service}") or None,
            snapshot_interval_s=float(get("SNAPSHOT_INTERVAL_S", "300") or 300),
            transparency_key_file=get("TRANSPARENCY_KEY_FILE", "var/keys/transparency-head.pem") or None,
            heads_dir=get("HEADS_DIR", "var/heads") or "var/heads",
            head_interval_s=float(get("HEAD_INTERVAL_S", "30") or 30),
        )
        return replace(config, **overrides)


def _read_key(path: str | None) -> str | None:
    return Path(path).read_text() if path else None


def _read_workflow(path: str | None) -> WorkflowConfig:
    if not path:
        return DEFAULT_CONFIG
    return WorkflowConfig.from_mapping(json.loads(Path(path).read_text()))
