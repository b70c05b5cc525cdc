"""The REST API as another system calls it: with a personal token, listing what it may see."""

from __future__ import annotations

from bench.scenarios.base import Fixture, Scenario, ok


def _calls(f: Fixture) -> int:
    return ok(f.officer.get("/api/v1/calls", headers=f.token_header), "API call list")


def _applications(f: Fixture) -> int:
    return ok(f.officer.get("/api/v1/applications", headers=f.token_header), "API application list")


SCENARIOS = [
    Scenario("api_calls", "GET /api/v1/calls with a read token (RA officer)", _calls),
    Scenario("api_applications", "GET /api/v1/applications with a read token (RA officer)", _applications),
]
