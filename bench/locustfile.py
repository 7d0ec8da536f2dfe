"""The officers of the load benchmark (`bench/load_officers.py` runs this file; it is not run alone).

Each simulated officer signs in as a user of their own (`bench.officer01`...), in an office of the demo
caseload, and then works as an officer does: opens the worklist, searches for a person by name (with the
typos, nicknames and reversed names officers type), opens cases of their office, and adds notes. The sample
of case numbers and names per officer comes from the file named by OPENCSE_LOAD_SAMPLE, written by the
benchmark before the run.

Think time, between two actions of one officer: 3 to 10 seconds, uniformly (`THINK_SECONDS`). An officer
reads what they opened before the next click: a case page (parties, balance, open tasks, the timeline) takes
several seconds to read, a worklist or a list of people found a few, and a note is typed. Three seconds is
the quick glance, ten the careful read; we take no longer reads (a case page is often read for a minute),
so the load stays on the heavy side of what 50 officers do. The first runs used one to three seconds, which
had each simulated officer clicking about three times faster than one can read the page.

The worklist is opened at /worklist/, the "My work" link of every page's menu; "/" only redirects there
once, after sign-in.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

SAMPLE = json.loads(open(os.environ["OPENCSE_LOAD_SAMPLE"]).read())  # noqa: SIM115 - read once at start
PASSWORD = os.environ["OPENCSE_LOAD_PASSWORD"]
THINK_SECONDS = (3, 10)  # the shortest and longest read of a page between two actions (see above)
_next_officer = itertools.count()


class Officer(HttpUser):
    wait_time = between(*THINK_SECONDS)

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
        self.client.get("/worklist/", name="worklist")

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
