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

from shared.calendar import load_calendar
from shared.domain.supervision.config import DEFAULT_CONFIG as DEFAULT_SUPERVISION
from shared.domain.supervision.config import SupervisionConfig
from shared.domain.workflow.routes import DEFAULT_CONFIG, WorkflowConfig

DEFAULT_PORTS = {"nomination": 8001, "review": 8002, "notification": 8003, "supervision": 8004}
DEVELOPMENT_JWT_SECRET = "cadreflow-development-secret-change-me"  # noqa: S105 - documented dev default
DEV_MODE = "CADREFLOW_DEV_MODE"
"""`1` on a development machine (`make run`, the tests): only then the development secret is accepted."""


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
    notice_scan_interval_s: float = 30.0  # how often the notice timer looks for windows to close
    start_follower: bool = True
    submission_rate_limit: str = "30/60"  # per cadre and service: count/seconds, "0" = off
    decision_rate_limit: str = "120/60"  # per reviewer and service
    snapshot_dir: str | None = None  # None: no snapshots (from_env defaults to var/snapshots/<service>)
    snapshot_interval_s: float = 300.0
    # -- guard (issue 13): identity, limits ------------------------------------------------------
    # A Config built directly (the tests) takes development mode from the environment as well.
    dev_mode: bool = field(default_factory=lambda: _flag(os.environ.get(DEV_MODE)))
    jwks_url: str | None = None  # OpenID Connect: verify tokens against this JWKS (needs issuer, audience)
    jwt_issuer: str | None = None  # required `iss` when set
    jwt_audience: str | None = None  # required `aud` (one of) when set
    jwt_max_lifetime_s: int = 12 * 3600  # exp - iat at most this (iat required); 0 = no cap
    jwt_role_claim: str = "role"  # where the role is: a claim name or a dotted path; a list holding one role
    jwks_cache_s: float = 300.0  # keep a fetched key set this long
    jwks_refresh_cooldown_s: float = 30.0  # an unknown `kid` refetches the set at most this often
    rate_limit_storage: str | None = None  # a `limits` storage URI; None: sqlite://<event_db>.ratelimits
    max_open_nominations: int = 5  # per cadre, not yet approved / rejected / withdrawn; 0 = no cap
    supervision: SupervisionConfig = DEFAULT_SUPERVISION  # categories, city unit (SUPERVISION_CONFIG, CITY_UNIT)
    holiday_calendar_file: str | None = None  # overrides of the working-day calendar (shared.calendar)
    key_dir: str = "var/keys"  # FileKeyStore: per-case identity keys, the receipt pepper (0700 / 0600)
    clue_rate_limit: str = "10/60"  # clues per client (keyed hash of the address) and window
    receipt_rate_limit: str = "30/60"  # receipt lookups and reporter messages per client
    trusted_proxies: str = "127.0.0.1,::1"  # peers whose X-Forwarded-For is believed (rate limits only)
    receipt_hash_cost: int = 2**14  # scrypt N of the receipt digest (tests lower it; never below 2**10)
    transparency_key_file: str | None = None  # the head-signing key (0600), never beside the log's storage
    heads_dir: str = "var/heads"  # signed heads for outsiders to keep (and the public key)
    head_interval_s: float = 30.0
    transparency_recheck_chunk: int = 1000  # records the re-check of restored trees hashes at a time; 0 = none
    transparency_recheck_pause_s: float = 0.01  # its pause after each chunk, for the request threads

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
            workflow=_read_workflow(get("WORKFLOW_CONFIG"), get("HOLIDAY_CALENDAR_FILE")),
            smtp_host=get("SMTP_HOST") or None,
            smtp_port=int(get("SMTP_PORT", "25") or 25),
            smtp_sender=get("SMTP_SENDER", "cadreflow@localhost") or "cadreflow@localhost",
            role_emails=json.loads(get("ROLE_EMAILS", "{}") or "{}"),
            overdue_scan_interval_s=float(get("OVERDUE_SCAN_INTERVAL_S", "30") or 30),
            notice_scan_interval_s=float(get("NOTICE_SCAN_INTERVAL_S", "30") or 30),
            submission_rate_limit=get("SUBMISSION_RATE_LIMIT", "30/60") or "0",
            decision_rate_limit=get("DECISION_RATE_LIMIT", "120/60") or "0",
            snapshot_dir=get("SNAPSHOT_DIR", f"var/snapshots/{service}") or None,
            snapshot_interval_s=float(get("SNAPSHOT_INTERVAL_S", "300") or 300),
            dev_mode=_flag(env.get(DEV_MODE)),
            jwks_url=get("JWT_JWKS_URL") or None,
            jwt_issuer=get("JWT_ISSUER") or None,
            jwt_audience=get("JWT_AUDIENCE") or None,
            jwt_max_lifetime_s=int(get("JWT_MAX_LIFETIME_S", str(12 * 3600)) or 0),
            jwt_role_claim=get("JWT_ROLE_CLAIM", "role") or "role",
            jwks_cache_s=float(get("JWT_JWKS_CACHE_S", "300") or 300),
            jwks_refresh_cooldown_s=float(get("JWT_JWKS_REFRESH_COOLDOWN_S", "30") or 0),
            rate_limit_storage=get("RATE_LIMIT_STORAGE") or None,
            max_open_nominations=int(get("MAX_OPEN_NOMINATIONS", "5") or 0),
            supervision=_read_supervision(get("SUPERVISION_CONFIG"), get("CITY_UNIT")),
            holiday_calendar_file=get("HOLIDAY_CALENDAR_FILE") or None,
            key_dir=get("KEY_DIR", "var/keys") or "var/keys",
            clue_rate_limit=get("CLUE_RATE_LIMIT", "10/60") or "0",
            receipt_rate_limit=get("RECEIPT_RATE_LIMIT", "30/60") or "0",
            trusted_proxies=get("TRUSTED_PROXIES", "127.0.0.1,::1") or "",
            receipt_hash_cost=int(get("RECEIPT_HASH_COST", str(2**14)) or 2**14),
            transparency_key_file=get("TRANSPARENCY_KEY_FILE", "var/signing/transparency-head.pem") or None,
            heads_dir=get("HEADS_DIR", "var/heads") or "var/heads",
            head_interval_s=float(get("HEAD_INTERVAL_S", "30") or 30),
            transparency_recheck_chunk=int(get("TRANSPARENCY_RECHECK_CHUNK", "1000") or 0),
            transparency_recheck_pause_s=float(get("TRANSPARENCY_RECHECK_PAUSE_S", "0.01") or 0),
        )
        return replace(config, **overrides)

    def check(self) -> None:
        """Refuse settings no service may start with (ConfigError), e.g. the public development
        secret outside development mode."""
        if self.jwks_url:
            if not (self.jwt_issuer and self.jwt_audience):
                raise ConfigError("JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE: tokens are checked for both")
            return
        if self.jwt_public_key or self.dev_mode:
            return
        if self.jwt_secret == DEVELOPMENT_JWT_SECRET:
            raise ConfigError(
                "refusing to start with the public development JWT secret: set JWT_SECRET (32+ characters), "
                f"JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL, or {DEV_MODE}=1 on a development machine"
            )
        if len(self.jwt_secret.encode()) < 32:
            raise ConfigError("JWT_SECRET must be at least 32 bytes (HS256 needs a key as long as its hash)")


class ConfigError(ValueError):
    """A setting no service may run with; the message says what to set."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _read_key(path: str | None) -> str | None:
    return Path(path).read_text() if path else None


def _read_workflow(path: str | None, holiday_file: str | None) -> WorkflowConfig:
    """The routes, deadlines and notice period (`WORKFLOW_CONFIG`, JSON), counted in working days
    of the official calendar plus the override file `HOLIDAY_CALENDAR_FILE` (see shared.calendar)."""
    workflow = WorkflowConfig.from_mapping(json.loads(Path(path).read_text())) if path else DEFAULT_CONFIG
    return replace(workflow, calendar=load_calendar(holiday_file))


def _read_supervision(path: str | None, city_unit: str | None) -> SupervisionConfig:
    config = SupervisionConfig.from_mapping(json.loads(Path(path).read_text())) if path else DEFAULT_SUPERVISION
    return replace(config, city_unit=city_unit) if city_unit else config
