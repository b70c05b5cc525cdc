"""The public face (issue 18) at 20,000 operations, as an anonymous visitor and a harvester see it:
the list of operations with filters (one page of 50 and its count), the whole list as CSV streamed
to the last byte, and an `updated_since` harvest of the 1,000 operations changed since the previous
harvest (bench/gen/publication.py stamps one in twenty forty days after the rest). Also the same list
asked again with its ETag: the 304 a popular page costs."""

from __future__ import annotations

from django.test import Client

from bench.gen.publication import HARVESTED
from bench.scenarios.base import Fixture, Scenario, ScenarioFailed, ok

LIST = "/public/operations/?period=2014-2020&specific_objective=SO2&municipality=Gent&q=vzw"
_visitor = Client(REMOTE_ADDR="198.51.100.20")  # anonymous; keeps its CSRF cookie like a browser
_projects: list[int] = []


def _generated() -> int:
    """How many projects were generated (asked once, outside the timed runs' counts after the first)."""
    if not _projects:
        from amis.projects.models import Project

        _projects.append(Project.objects.count())
    return _projects[0]


def _list(_f: Fixture) -> int:
    return ok(_visitor.get(LIST), "public operations page with filters")


def _csv(_f: Fixture) -> int:
    response = _visitor.get("/public/operations.csv")
    if response.status_code != 200:
        raise ScenarioFailed(f"The CSV answered {response.status_code}, not 200.")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)  # type: ignore[attr-defined]
    if lines < 0.9 * _generated():
        raise ScenarioFailed(f"The CSV has {lines} lines: generate the publication data first.")
    return lines


def _harvest(_f: Fixture) -> int:
    response = _visitor.get(
        "/api/v1/public/operations", {"updated_since": HARVESTED.isoformat(), "page_size": "1000"}
    )
    ok(response, "updated_since harvest")
    body = response.json()
    expected = _generated() // 20  # one in twenty changed (bench/gen/publication.py)
    if not 0.9 * expected <= body["count"] <= expected + 1 or body["pages"] != 1:
        raise ScenarioFailed(f"The harvest found {body['count']} operations, not about {expected:,}.")
    return len(body["results"])


_tags: dict[str, str] = {}


def _not_modified(_f: Fixture) -> int:
    """Only the conditional request is timed: the page that gave the ETag is asked in the untimed
    warm-up run (or the first run, once)."""
    if LIST not in _tags:
        _tags[LIST] = _visitor.get(LIST)["ETag"]
    response = _visitor.get(LIST, HTTP_IF_NONE_MATCH=_tags[LIST])
    if response.status_code != 304:
        raise ScenarioFailed(f"The list asked again with its ETag answered {response.status_code}.")
    return 0


SCENARIOS = [
    Scenario("public_operations_page", "Public list of operations, filtered (anonymous)", _list),
    Scenario("public_operations_csv", "The 20,000 operations as CSV, streamed to the end (anonymous)", _csv),
    Scenario(
        "public_api_harvest", "Open-data API: updated_since harvest of 1,000 changed operations", _harvest
    ),
    Scenario("public_operations_304", "The filtered list asked again with its ETag: 304", _not_modified),
]
