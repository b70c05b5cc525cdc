"""The users of the load test (`python -m bench.load`): locust runs this file, headless.

Three kinds of user, in the proportions of a working day, all against one `amis serve`:

- officers (6 in 10) browse: the call list, a call, the application list, an application, the
  programme's financing plan, with the session of a real login (password and TOTP recorded);
- beneficiaries (3 in 10) edit their draft: open the edit page, read the draft through the API and
  save a change to it with its lock version (a 409 from a parallel save is retried, not an error);
- API clients (1 in 10) sync: list calls and applications with a personal read token.

Who logs in as whom, and which pages exist, come from the JSON file that `bench.load` prepared
(AMIS_LOAD_PLAN). Requests are named by page, not by URL, so the report has one line per page.
"""

from __future__ import annotations

import json
import os
import random
from typing import Any

from locust import HttpUser, between, constant, task

PLAN: dict[str, Any] = json.loads(open(os.environ["AMIS_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
# `--saturate`: nobody pauses between requests, to measure what the server can do at most.
SATURATE = os.environ.get("AMIS_LOAD_SATURATE") == "1"


def pause(low: float, high: float) -> Any:
    return constant(0) if SATURATE else between(low, high)


class Officer(HttpUser):
    weight = 6
    wait_time = pause(1, 3)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", random.choice(PLAN["officer_sessions"]))

    @task(3)
    def call_list(self) -> None:
        self.client.get("/calls/", name="page: call list")

    @task(2)
    def call_detail(self) -> None:
        self.client.get(f"/calls/{random.choice(PLAN['calls'])}/", name="page: call detail")

    @task(3)
    def application_list(self) -> None:
        self.client.get("/applications/", name="page: application list")

    @task(4)
    def application_detail(self) -> None:
        self.client.get(
            f"/applications/{random.choice(PLAN['applications'])}/", name="page: application detail"
        )

    @task(1)
    def financing_plan(self) -> None:
        self.client.get(PLAN["financing_plan"], name="page: financing plan")


class Beneficiary(HttpUser):
    weight = 3
    wait_time = pause(2, 5)

    def on_start(self) -> None:
        self.draft = PLAN["drafts"].pop() if PLAN["drafts"] else random.choice(PLAN["all_drafts"])
        self.client.cookies.set("sessionid", self.draft["session"])
        self.headers = {"Authorization": f"Bearer {self.draft['token']}"}
        self.edits = 0

    @task(2)
    def edit_page(self) -> None:
        self.client.get(f"/applications/{self.draft['reference']}/edit/", name="page: edit draft")

    @task(1)
    def save_draft(self) -> None:
        url = f"/api/v1/applications/{self.draft['reference']}"
        current = self.client.get(url, headers=self.headers, name="api: read draft")
        if current.status_code != 200:
            return
        self.edits += 1
        payload = {
            "lock_version": current.json()["lock_version"],
            "data": {"summary": f"Language courses and job coaching, revision {self.edits}."},
        }
        with self.client.patch(
            url, json=payload, headers=self.headers, name="api: save draft", catch_response=True
        ) as response:
            if response.status_code == 409:  # saved meanwhile by the same person in another tab
                response.success()


class ApiClient(HttpUser):
    weight = 1
    wait_time = pause(1, 2)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {PLAN['api_token']}"}

    @task(1)
    def calls(self) -> None:
        self.client.get("/api/v1/calls", headers=self.headers, name="api: calls")

    @task(2)
    def applications(self) -> None:
        offset = random.randrange(0, PLAN["application_count"], 50) if PLAN["application_count"] else 0
        self.client.get(
            f"/api/v1/applications?limit=50&offset={offset}", headers=self.headers, name="api: applications"
        )
