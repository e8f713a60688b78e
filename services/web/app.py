"""The web front's app factory (gunicorn: `services.web.app:create_app()`), on port 8000.

Server-rendered pages for every role over the services' public APIs. It keeps no state of its
own: the server-side session holds only the sign-in.
"""

from __future__ import annotations

import os
from datetime import timedelta

from cachelib.file import FileSystemCache
from flask import Flask
from flask_session import Session
from flask_wtf.csrf import CSRFProtect
from requests.adapters import BaseAdapter
from werkzeug.middleware.proxy_fix import ProxyFix

from services.web import errors, i18n, pages, signin
from services.web.backend import Backend
from services.web.config import WebConfig

SESSION_FILES_KEPT = 20_000  # beyond this cachelib prunes: expired sessions first


def create_app(config: WebConfig | None = None, adapter: BaseAdapter | None = None) -> Flask:
    """Wire the web front; `adapter` replaces the HTTP transport to the services (tests)."""
    config = (config or WebConfig.from_env()).check()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_TYPE="cachelib",
        SESSION_CACHELIB=_session_store(config.session_dir),
        SESSION_PERMANENT=True,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.session_hours),
        SESSION_REFRESH_EACH_REQUEST=False,
        SESSION_COOKIE_NAME="cadreflow_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=config.secure_cookies,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        BABEL_DEFAULT_TIMEZONE=config.timezone,
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    app.extensions["web_config"] = config
    app.extensions["backend"] = Backend(config.service_urls, config.api_timeout_s, adapter)
    Session(app)
    CSRFProtect(app)
    i18n.init_app(app)
    signin.init_oidc(app, config)
    app.register_blueprint(signin.bp)
    pages.register(app)
    errors.register(app)
    if config.proxy_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_hops)
    return app


def _session_store(directory: str) -> FileSystemCache:
    os.makedirs(directory, mode=0o700, exist_ok=True)
    return FileSystemCache(directory, threshold=SESSION_FILES_KEPT, mode=0o600)
