"""The gunicorn settings every service runs with."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from types import ModuleType, SimpleNamespace

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def settings() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeRequest:
    method, path, closed = "POST", "/api/v1/nominations", False

    def force_close(self) -> None:
        self.closed = True


def answer(connections: int) -> FakeRequest:
    conf, req = settings(), FakeRequest()
    conf.pre_request(SimpleNamespace(nr_conns=connections, log=logging.getLogger("test")), req)
    return req


def test_a_worker_keeps_connections_alive_while_it_has_a_thread_for_each() -> None:
    assert not answer(settings().threads).closed


def test_a_worker_holding_more_connections_than_threads_closes_this_one_after_the_answer() -> None:
    assert answer(settings().threads + 1).closed
