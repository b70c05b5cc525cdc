"""The pages officers open all day: each must feel instant whatever the size of the programme."""

from __future__ import annotations

from bench.scenarios.base import Fixture, Scenario, ok


def _call_list(f: Fixture) -> int:
    return ok(f.officer.get("/calls/"), "call list")


def _call_detail(f: Fixture) -> int:
    return ok(f.officer.get(f"/calls/{f.big_call}/"), "big call detail")


def _application_list(f: Fixture) -> int:
    return ok(f.reader.get("/applications/"), "application list")


def _application_detail(f: Fixture) -> int:
    return ok(f.officer.get(f"/applications/{f.application}/"), "application detail")


def _financing_plan(f: Fixture) -> int:
    return ok(f.officer.get(f.programme_financing), "financing plan")


SCENARIOS = [
    Scenario("call_list", "Call list with application counts per status (ESF officer)", _call_list),
    Scenario(
        "call_detail_big", "Detail page of the big call, 5,000 applications (ESF officer)", _call_detail
    ),
    Scenario("application_list", "Application list of an authority reader (auditor)", _application_list),
    Scenario("application_detail", "Application detail with its budget (ESF officer)", _application_detail),
    Scenario("financing_plan", "Programme financing plan page of the adopted version", _financing_plan),
]
