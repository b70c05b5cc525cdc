"""A bounded fuzz of the whole REST API from its own OpenAPI document (schemathesis).

Every operation gets generated requests, valid by the schema and deliberately invalid, as a
write-capable responsible-authority officer and as a beneficiary, each with their API token. The run
fails on any server error (5xx) and on any answer the schema does not describe, so the document
says what each operation really answers (400 — also for a parameter or body of the wrong
type, never 422 —, 403, 404, 409). It is seeded and bounded
(examples per operation), so CI runs the same requests every time in well under a minute.

Requests go through Django's WSGI handler in-process, inside the test's transaction; each one is
rolled back after it, so one operation's writes never feed the next one's.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.demo.calls import load_call_in_assessment, load_calls, load_draft_call
from amis.demo.people import load_people
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
EXAMPLES = 8  # per operation, per generation mode, per person
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


class _Rollback(Exception):
    pass


@pytest.fixture
def tokens(belgian: Any) -> dict[str, str]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    load_call_in_assessment(log=lambda m: None)
    load_draft_call(log=lambda m: None)
    found = {}
    for who, email in (
        ("officer", "ra.officer@amis.example"),
        ("beneficiary", "beneficiary@caritas.example"),
    ):
        _token, secret = accounts.token_create(user=User.objects.get(email=email), name="fuzz", scope="write")
        found[who] = secret
    return found


@pytest.fixture
def schema() -> Any:
    """The API's own document, served by the application; the test's connection is kept across
    requests (as Django's test client does), so the requests see the test's data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_api_operation_answers_a_server_error_or_off_its_schema(
    schema: Any, tokens: dict[str, str]
) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40  # the whole API, not a corner of it
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for who, secret in tokens.items():
                failures += _fuzz(operation, mode, {"Authorization": f"Bearer {secret}"}, who)
    assert failures == []


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str], who: str) -> list[str]:
    found: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        try:
            with transaction.atomic():
                response = case.call(headers=headers)
                raise _Rollback(response)
        except _Rollback as rolled_back:
            response = rolled_back.args[0]
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as error:  # noqa: BLE001 - collected, reported all at once
            summary = str(error).strip().splitlines()[0][:200]
            found.append(f"{who} {mode.value} {operation.method.upper()} {operation.path}: {summary}")

    try:
        run()
    except Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE  # an operation with nothing to get wrong (no parameters)
    return sorted(set(found))


def test_a_parameter_or_body_of_the_wrong_type_answers_400_never_422(
    client: Any, tokens: dict[str, str]
) -> None:
    """The house rule: bad input gets a clear 400 and saves nothing — ninja's own 422 is not used,
    and the document promises none (docs/decisions/0010-bad-input-answers-400.md)."""
    document = client.get("/api/v1/openapi.json").json()
    answers = {
        code for methods in document["paths"].values() for op in methods.values() for code in op["responses"]
    }
    assert "422" not in answers and "400" in answers
    refused = client.get("/api/v1/public/operations?starts_from=not-a-date&page_size=-1")
    body = refused.json()
    assert refused.status_code == 400 and body["code"] == "bad_request"
    assert {tuple(problem["loc"]) for problem in body["detail"]} == {
        ("query", "starts_from"),
        ("query", "page_size"),
    }
    assert "query.starts_from" in body["message"] and "query.page_size" in body["message"]
    count = Organisation.objects.count()
    wrong_body = client.post(
        "/api/v1/organisations",
        '{"name": ["not", "a", "string"]}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {tokens['officer']}"},
    )
    assert wrong_body.status_code == 400 and wrong_body.json()["detail"][0]["loc"][0] == "body"
    assert Organisation.objects.count() == count
