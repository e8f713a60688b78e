"""The web front's configuration: one frozen object, read from the environment once per process.

`WEB_<KEY>` wins over `<KEY>`. Only this module reads `os.environ`. The web front holds no state:
it needs the services' addresses, how people sign in, and where the server-side sessions live.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from shared.config import DEVELOPMENT_JWT_SECRET

DEVELOPMENT_SESSION_KEY = "cadreflow-web-development-session-key"  # noqa: S105 - refused outside dev mode
SERVICES = ("nomination", "review", "notification", "supervision")
DEFAULT_URLS = {
    "nomination": "http://127.0.0.1:8001",
    "review": "http://127.0.0.1:8002",
    "notification": "http://127.0.0.1:8003",
    "supervision": "http://127.0.0.1:8004",
}


class ConfigError(RuntimeError):
    """The configuration cannot run safely (e.g. production without a session key)."""


@dataclass(frozen=True)
class OidcConfig:
    """An OpenID Connect provider: discovery document, client credentials and the claims we read."""

    discovery_url: str
    client_id: str
    client_secret: str | None = None
    scope: str = "openid profile email"
    role_claim: str = "role"
    unit_claim: str = "unit"


@dataclass(frozen=True)
class WebConfig:
    """Everything the web front needs to wire itself."""

    dev_mode: bool = False
    secret_key: str = DEVELOPMENT_SESSION_KEY
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    service_urls: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_URLS))
    api_timeout_s: float = 20.0
    session_dir: str = "var/web-sessions"
    session_hours: float = 8.0
    secure_cookies: bool = True
    oidc: OidcConfig | None = None
    timezone: str = "Asia/Shanghai"
    default_locale: str = "zh"
    proxy_hops: int = 0
    """Reverse proxies in front of the web front, each appending to X-Forwarded-For: the visitor's
    address is read from there (it travels on to the supervision service's per-visitor rate
    limit). 0 when visitors reach the web front directly; set only if they cannot."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> WebConfig:
        """Read `WEB_<KEY>` or `<KEY>` for every setting; `overrides` win over both."""
        env = os.environ if env is None else env

        def get(key: str, default: str = "") -> str:
            return env.get(f"WEB_{key}", env.get(key, default))

        dev_mode = env.get("CADREFLOW_DEV_MODE", "") in ("1", "true", "yes")
        config = cls(
            dev_mode=dev_mode,
            secret_key=get("SECRET_KEY") or DEVELOPMENT_SESSION_KEY,
            jwt_secret=get("JWT_SECRET") or DEVELOPMENT_JWT_SECRET,
            service_urls={name: get(f"{name.upper()}_URL") or url for name, url in DEFAULT_URLS.items()},
            api_timeout_s=float(get("API_TIMEOUT_S", "20")),
            session_dir=get("SESSION_DIR", "var/web-sessions"),
            session_hours=float(get("SESSION_HOURS", "8")),
            secure_cookies=get("SECURE_COOKIES", "0" if dev_mode else "1") not in ("0", "false", "no"),
            oidc=_oidc(get),
            timezone=get("TIMEZONE", "Asia/Shanghai"),
            proxy_hops=int(get("PROXY_HOPS", "0") or 0),
        )
        return replace(config, **overrides)

    def check(self) -> WebConfig:
        """Refuse to run outside development mode with the public development keys."""
        if not self.dev_mode and self.secret_key == DEVELOPMENT_SESSION_KEY:
            raise ConfigError("set WEB_SECRET_KEY (or CADREFLOW_DEV_MODE=1 for a development run)")
        if not self.dev_mode and self.oidc is None:
            raise ConfigError("set OIDC_DISCOVERY_URL and OIDC_CLIENT_ID (or CADREFLOW_DEV_MODE=1)")
        return self


def _oidc(get) -> OidcConfig | None:
    if not get("OIDC_DISCOVERY_URL") or not get("OIDC_CLIENT_ID"):
        return None
    return OidcConfig(
        discovery_url=get("OIDC_DISCOVERY_URL"),
        client_id=get("OIDC_CLIENT_ID"),
        client_secret=get("OIDC_CLIENT_SECRET") or None,
        scope=get("OIDC_SCOPE", "openid profile email"),
        role_claim=get("OIDC_ROLE_CLAIM", "role"),
        unit_claim=get("OIDC_UNIT_CLAIM", "unit"),
    )
