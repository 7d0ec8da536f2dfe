"""The officers of the load benchmark (`bench/load_officers.py` runs this file; it is not run alone).

Each simulated officer signs in as a user of their own (`bench.officer01`...), in an office of the demo
caseload, and then works as an officer does: opens the worklist, searches for a person by name (with the
typos, nicknames and reversed names officers type), opens cases of their office, and adds notes. Between two
actions an officer thinks for one to three seconds. The sample of case numbers and names per officer comes
from the file named by OPENCSE_LOAD_SAMPLE, written by the benchmark before the run.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

SAMPLE = json.loads(open(os.environ["OPENCSE_LOAD_SAMPLE"]).read())  # noqa: SIM115 - read once at start
PASSWORD = os.environ["OPENCSE_LOAD_PASSWORD"]
_next_officer = itertools.count()


class Officer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        officer = SAMPLE["officers"][next(_next_officer) % len(SAMPLE["officers"])]
        self.cases: list[str] = officer["cases"]
        self.names: list[str] = officer["names"]
        self.client.verify = False  # the run's own self-signed certificate
        # Django checks the Referer of an HTTPS form post (CSRF): a browser sends it.
        self.client.headers["Referer"] = f"{self.host}/"
        self.client.get("/signin/", name="sign in (form)")
        signed_in = self.client.post(
            "/signin/",
            data={"username": officer["username"], "password": PASSWORD, "csrfmiddlewaretoken": self._csrf()},
            name="sign in",
            allow_redirects=False,
        )
        if signed_in.status_code != 302:
            raise RuntimeError(f"{officer['username']} could not sign in: HTTP {signed_in.status_code}")

    def _csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken", ""))

    @task(2)
    def worklist(self) -> None:
        self.client.get("/", name="worklist")

    @task(3)
    def search(self) -> None:
        self.client.post(
            "/search/", data={"q": random.choice(self.names), "csrfmiddlewaretoken": self._csrf()}, name="search"
        )

    @task(4)
    def open_case(self) -> None:
        self.client.get(f"/cases/{random.choice(self.cases)}/", name="case page")

    @task(1)
    def add_note(self) -> None:
        number = random.choice(self.cases)
        self.client.post(
            f"/cases/{number}/notes/",
            data={
                "kind": "phone",
                "text": "Called the noncustodial parent; left a message.",
                "csrfmiddlewaretoken": self._csrf(),
            },
            headers={"HX-Request": "true"},
            name="add note",
        )
