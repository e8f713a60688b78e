"""A retrying client that drives nominations through the workflow and remembers what was accepted."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

from tests.support.people import Person, nomination_body, person_factory

STAGES = ("unit", "org_department", "secretary")
ROLES = {"unit": "unit_reviewer", "org_department": "org_reviewer", "secretary": "secretary"}
RETRYABLE = {502, 503, 504}


@dataclass
class Accepted:
    """A 2xx answer: which nomination, which event type it confirmed, at which stream version."""

    nomination_id: str
    event_type: str
    version: int


@dataclass
class Workload:
    urls: dict[str, str]
    deadline_s: float = 240
    accepted: list[Accepted] = field(default_factory=list)
    sent: int = 0
    answers: dict[int, int] = field(default_factory=dict)
    cadres: dict[str, Person] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, method: str, url: str, **kwargs) -> requests.Response:
        """Send until an answer that is not a connection error or a 5xx 'unavailable' comes back."""
        until = time.monotonic() + self.deadline_s
        while True:
            with self.lock:
                self.sent += 1
            try:
                response = requests.request(method, url, timeout=30, **kwargs)
            except requests.RequestException:
                response = None
            if response is not None:
                with self.lock:
                    self.answers[response.status_code] = self.answers.get(response.status_code, 0) + 1
                if response.status_code not in RETRYABLE:
                    return response
            assert time.monotonic() < until, f"no answer from {url}"
            time.sleep(0.2)

    def run_one(self, index: int) -> str:
        """Submit one nomination and approve it at every stage; returns its id."""
        cadre = person_factory("cadre", unit=f"fault-unit-{index % 5}")
        headers = {**cadre.headers, "Idempotency-Key": uuid.uuid4().hex}
        created = self.call(
            "POST", f"{self.urls['nomination']}/api/v1/nominations", json=nomination_body(), headers=headers
        )
        assert created.status_code == 201, created.text
        nid = created.json()["nomination_id"]
        self._accept(nid, "NominationSubmitted", created.json()["version"])
        with self.lock:
            self.cadres[nid] = cadre
        for stage in STAGES:
            self._approve(nid, stage, person_factory(ROLES[stage], cadre.unit))
        return nid

    def _approve(self, nid: str, stage: str, reviewer: Person) -> None:
        url = f"{self.urls['review']}/api/v1/reviews/{nid}/decisions"
        until = time.monotonic() + self.deadline_s
        while True:
            answer = self.call("POST", url, json={"stage": stage, "decision": "approve"}, headers=reviewer.headers)
            if answer.status_code == 200:
                event = "NominationApproved" if stage == "secretary" else "StageApproved"
                self._accept(nid, event, answer.json()["version"])
                return
            view = self.call("GET", f"{self.urls['review']}/api/v1/reviews/{nid}", headers=reviewer.headers)
            if view.status_code == 200 and self._decided(view.json(), stage):
                return  # an earlier attempt was applied but its answer was lost in the crash
            assert answer.status_code in (404, 409), answer.text
            assert time.monotonic() < until, f"{nid} stuck at {stage}"
            time.sleep(0.05)

    @staticmethod
    def _decided(view: dict, stage: str) -> bool:
        return any(step["stage"] == stage and step["decision"] == "approve" for step in view["history"])

    def _accept(self, nid: str, event_type: str, version: int) -> None:
        with self.lock:
            self.accepted.append(Accepted(nid, event_type, version))
