"""The services' public APIs, called over HTTP: the web front is a backend for the front end.

One `Backend` per app; each thread has its own `requests.Session` (connection reuse without
sharing a session between threads). Failures become two exceptions the pages handle:
`ServiceDown` (no answer, or 502/503/504) and `ApiError` (any other error answer, with the API's
`{"error": {code, message, details}}`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import requests
from requests.adapters import BaseAdapter

DOWN_STATUSES = (502, 503, 504)


class ServiceDown(Exception):
    """A service did not answer, or answered that it cannot serve now."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service
        self.reason = reason


class ApiError(Exception):
    """A service refused a call: its status, error code, message and field details."""

    def __init__(self, service: str, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        self.service = service
        self.status = status
        self.code = str(error.get("code") or status)
        self.message = str(error.get("message") or "")
        self.details = error.get("details") or {}
        self.retry_after = (headers or {}).get("Retry-After")
        super().__init__(f"{service} {status} {self.code}: {self.message}")


class Backend:
    """Calls the nomination, review, notification and supervision services."""

    def __init__(self, urls: Mapping[str, str], timeout_s: float, adapter: BaseAdapter | None = None) -> None:
        self.urls = dict(urls)
        self.timeout_s = timeout_s
        self.adapter = adapter
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # no proxies from the environment between us and the services
            if self.adapter is not None:
                session.mount("http://", self.adapter)
            self._local.session = session
        return session

    def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """The JSON answer of `method path` on `service`; ServiceDown or ApiError otherwise."""
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        try:
            response = self._session().request(
                method, self.urls[service] + path, json=json, params=params, headers=sent, timeout=self.timeout_s
            )
        except requests.RequestException as error:
            raise ServiceDown(service, type(error).__name__) from None
        if response.status_code in DOWN_STATUSES:
            raise ServiceDown(service, f"HTTP {response.status_code}")
        body = _json(response)
        if response.status_code >= 400:
            raise ApiError(service, response.status_code, body, response.headers)
        return body

    def get(self, service: str, path: str, **kwargs: Any) -> Any:
        return self.call(service, "GET", path, **kwargs)

    def post(self, service: str, path: str, **kwargs: Any) -> Any:
        return self.call(service, "POST", path, **kwargs)

    def put(self, service: str, path: str, **kwargs: Any) -> Any:
        return self.call(service, "PUT", path, **kwargs)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
