"""A requests transport that hands each call to an in-process WSGI app instead of the network:
the web front's pages are tested against fakes of the services or the real service apps, with
nothing but the HTTP boundary between them. The calls come from 127.0.0.1, as from a web front
on the same machine (a trusted proxy of the supervision service's default TRUSTED_PROXIES)."""

from __future__ import annotations

from urllib.parse import urlsplit

from requests import PreparedRequest, Response
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import Client


class WsgiAdapter(BaseAdapter):
    """Routes `http://<host:port>/...` to the WSGI app registered for that host:port."""

    def __init__(self, apps: dict[str, object]) -> None:
        super().__init__()
        self.clients = {netloc: Client(app) for netloc, app in apps.items()}

    def send(self, request: PreparedRequest, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        client = self.clients.get(url.netloc)
        if client is None:
            from requests import ConnectionError

            raise ConnectionError(f"nothing listens on {url.netloc}", request=request)
        answer = client.open(
            url.path,
            method=request.method,
            query_string=url.query,
            headers=dict(request.headers),
            data=request.body,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        response = Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.get_data()
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass
