"""The write API of the audits of operations (/api/v1/sampling/...), called as a real client with a
personal write token: building a population, drawing a sample, recording results, projecting. The
numbers are those the pages give for the same seed and results; bad values answer 400 naming the
field and save nothing; a confidence level below the system audits' category is refused and kept in
the audit trail; other roles get 403 (recorded) before the body is read; unknown objects 404; a stale
lock_version 409."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.audit.tests import helpers as audit_helpers
from amis.core.audit import AuditEntry
from amis.sampling.models import AuditPopulation, Sample, SampledItem
from amis.sampling.tests.builders import AUDITOR, RA_OFFICER, YEAR, declared

pytestmark = pytest.mark.django_db

AMOUNTS = {
    "OP-A": ["400000.00", "100000.00"],  # 500 000: the high-value unit
    **{f"OP-{i:02}": ["10000.00"] for i in range(1, 41)},  # 40 × 10 000; BV = 900 000
}


def _client(email: str = AUDITOR, scope: str = "write") -> Client:
    _token, secret = accounts.token_create(user=User.objects.get(email=email), name="audit tool", scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client: Client, path: str, data: Any) -> Any:
    return client.post(path, data=data, content_type="application/json")


@pytest.fixture
def world() -> dict[str, Any]:
    programme = declared(AMOUNTS)
    audit_helpers.completed_year(year=YEAR)  # system audits: category 2 → at least 70 %
    return {"programme": programme, "api": _client()}


def _build(api: Client, programme: Any) -> dict[str, Any]:
    response = _post(
        api,
        "/api/v1/sampling/populations",
        {"programme": programme.cci, "year": YEAR, "unit_kind": "operation"},
    )
    assert response.status_code == 201, response.content
    return response.json()


def _draw(api: Client, population: int, **extra: Any) -> Any:
    params = {"method": "mus_standard", "sigma": "0.05", "anticipated_error": "0", "seed": 12345, **extra}
    return _post(api, f"/api/v1/sampling/populations/{population}/samples", params)


def test_population_sample_results_and_projection_as_the_pages_give(world, client):
    api, programme = world["api"], world["programme"]
    population = _build(api, programme)
    # 41 operations; OP-A 400 000 + 100 000 = 500 000; 40 × 10 000 = 400 000; BV = 900 000
    assert population["book_value"] == "900000.00"
    assert population["units"] == 41 and population["lines"] == 42
    assert population["unit_kind"] == "operation" and population["excluded"] == []
    assert AuditPopulation.objects.get(pk=population["id"]).book_value == D("900000.00")

    drawn = _draw(api, population["id"])
    assert drawn.status_code == 201, drawn.content
    sample = drawn.json()
    # category 2 from the system audits → 70 %; TE = 2 % × 900 000 = 18 000
    assert sample["category"] == 2 and sample["confidence"] == 70
    assert sample["tolerable_error"] == "18000.00"
    assert sample["seed"] == 12345 and sample["size"] == len(sample["items"])
    assert sample["items"][0]["unit"] == "OP-A" and sample["items"][0]["stratum"] == "high"

    # the same population drawn on the page with the same seed gives the same list
    client.force_login(User.objects.get(email=AUDITOR))
    page = client.post(
        f"/sampling/populations/{population['id']}/samples/",
        {
            "method": "mus_standard",
            "category": "2",
            "confidence": "70",
            "sigma": "0.05",
            "anticipated_error": "0",
            "seed": "12345",
        },
    )
    assert page.status_code == 302
    on_page = Sample.objects.exclude(pk=sample["id"]).get(population_id=population["id"])
    assert on_page.size == sample["size"] and on_page.sampled_value == D(sample["sampled_value"])
    page_keys = list(on_page.items.order_by("position").values_list("unit__key", flat=True))
    assert page_keys == [i["unit"] for i in sample["items"]]

    # one random error of 5 000 in OP-A (100 % stratum), one systemic 1 000 in the first sampled unit
    sampled_key = next(i["unit"] for i in sample["items"] if i["stratum"] == "sample")
    errors = {"OP-A": ("5000.00", "random"), sampled_key: ("1000.00", "systemic")}
    for item in sample["items"]:
        irregular, kind = errors.get(item["unit"], ("0", ""))
        answer = _post(
            api,
            f"/api/v1/sampling/items/{item['id']}",
            {
                "lock_version": item["lock_version"],
                "irregular": irregular,
                "error_kind": kind,
                "auditee_reply": "Agreed." if kind else "",
            },
        )
        assert answer.status_code == 200, answer.content
        assert answer.json()["audited"] is True and answer.json()["lock_version"] == item["lock_version"] + 1
    for item in on_page.items.select_related("unit").order_by("position"):
        irregular, kind = errors.get(item.unit.key, ("0", ""))
        done = client.post(
            f"/sampling/items/{item.pk}/",
            {"lock_version": item.lock_version, "irregular": irregular, "error_kind": kind},
        )
        assert done.status_code == 302, done.content.decode()[:400]

    fresh = api.get(f"/api/v1/sampling/samples/{sample['id']}").json()
    projected = _post(
        api,
        f"/api/v1/sampling/samples/{sample['id']}/projection",
        {"lock_version": fresh["lock_version"], "corrections": "2000"},
    )
    assert projected.status_code == 200, projected.content
    figures = projected.json()["projection"]["figures"]
    # TPE = 5 000 (100 % stratum) + 0 (no random error sampled) + 1 000 (systemic) = 6 000
    # TER = 6 000 / 900 000 = 0.006667; RTER = (6 000 − 2 000) / (900 000 − 2 000) = 0.004454
    assert D(figures["total"]) == D("6000") and figures["total_rate"] == "0.006667"
    assert figures["residual_rate"] == "0.004454"
    on_page.refresh_from_db()
    assert (
        client.post(
            f"/sampling/samples/{on_page.pk}/project/",
            {"lock_version": on_page.lock_version, "corrections": "2000"},
        ).status_code
        == 302
    )
    on_page.refresh_from_db()
    assert on_page.projection["figures"] == figures
    assert projected.json()["corrections"] == "2000.00"


def test_bad_values_answer_400_naming_the_field_and_save_nothing(world):
    api, programme = world["api"], world["programme"]
    refused = _post(
        api,
        "/api/v1/sampling/populations",
        {"programme": programme.cci, "year": 1999, "unit_kind": "operation"},
    )
    assert refused.status_code == 400 and "year" in refused.json()["extra"]["fields"]
    refused = _post(
        api,
        "/api/v1/sampling/populations",
        {"programme": programme.cci, "year": YEAR, "unit_kind": "building"},
    )
    assert refused.status_code == 400 and "sampling unit" in refused.json()["message"]
    assert _post(api, "/api/v1/sampling/populations", {"year": YEAR}).status_code == 400
    assert _post(api, "/api/v1/sampling/populations", "{not json").status_code == 400
    assert not AuditPopulation.objects.exists()

    population = _build(api, programme)
    answer = _draw(
        api,
        population["id"],
        sigma="abc",
        anticipated_error="1.234",
        confidence=55,
        category=7,
        seed=-1,
        method="guess",
    )
    assert answer.status_code == 400
    fields = answer.json()["extra"]["fields"]
    assert set(fields) == {"sigma", "anticipated_error", "confidence", "category", "seed", "method"}
    assert "too many decimals" in fields["anticipated_error"]
    assert _draw(api, population["id"], sigma=None).json()["extra"]["fields"]["sigma"]
    assert _draw(api, population["id"], sigma="-0.1").status_code == 400  # the service: not negative
    assert not Sample.objects.exists()

    sample = _draw(api, population["id"]).json()
    high = sample["items"][0]  # OP-A, 500 000
    for sent, field in (
        ({"irregular": "12.345", "error_kind": "random"}, "irregular"),
        ({"irregular": "10", "error_kind": "weird"}, "error_kind"),
        ({"irregular": "10", "error_kind": "random", "notes": "x" * 4001}, "notes"),
    ):
        answer = _post(api, f"/api/v1/sampling/items/{high['id']}", {"lock_version": 1, **sent})
        assert answer.status_code == 400 and field in answer.json()["extra"]["fields"], answer.content
    for sent, words in (
        ({"irregular": "10", "error_kind": "anomalous"}, "needs its justification"),
        ({"irregular": "500000.01", "error_kind": "random"}, "cannot exceed"),
        ({"irregular": "10"}, "random, systemic or anomalous"),
        ({}, "Give the audited value or the irregular amount"),
    ):
        answer = _post(api, f"/api/v1/sampling/items/{high['id']}", {"lock_version": 1, **sent})
        assert answer.status_code == 400 and words in answer.json()["message"], answer.content
    assert not SampledItem.objects.filter(audited=True).exists()

    answer = _post(api, f"/api/v1/sampling/samples/{sample['id']}/projection", {"lock_version": 1})
    assert answer.status_code == 400 and "not audited yet" in answer.json()["message"]
    answer = _post(
        api, f"/api/v1/sampling/samples/{sample['id']}/projection", {"lock_version": 1, "corrections": "x"}
    )
    assert answer.status_code == 400 and "corrections" in answer.json()["extra"]["fields"]
    assert Sample.objects.get(pk=sample["id"]).projection == {}


def test_a_confidence_below_the_category_is_refused_and_kept(world):
    api, programme = world["api"], world["programme"]
    population = _build(api, programme)
    answer = _draw(api, population["id"], confidence=60)
    assert answer.status_code == 400
    assert "at least 70 %: 60 % is too low" in answer.json()["message"]
    answer = _draw(api, population["id"], category=1)
    assert answer.status_code == 400 and "better category" in answer.json()["message"]
    refusals = AuditEntry.objects.filter(
        action="change_refused", object_type="sampling.AuditPopulation", object_id=str(population["id"])
    )
    assert refusals.count() == 2
    assert not Sample.objects.exists()
    # a higher level is the auditor's choice
    assert _draw(api, population["id"], confidence=90).json()["confidence"] == 90


def test_other_roles_are_refused_403_and_recorded_before_the_body_is_read(world):
    auditor_api, programme = world["api"], world["programme"]
    population = _build(auditor_api, programme)
    sample = _draw(auditor_api, population["id"]).json()
    item = sample["items"][0]
    officer = _client(RA_OFFICER)
    before = AuditEntry.objects.filter(action="permission_refused").count()
    for path, sent in (
        ("/api/v1/sampling/populations", {"programme": programme.cci, "year": YEAR, "unit_kind": "claim"}),
        (f"/api/v1/sampling/populations/{population['id']}/samples", "{broken"),
        (
            f"/api/v1/sampling/items/{item['id']}",
            {"lock_version": 1, "irregular": "1", "error_kind": "random"},
        ),
        (f"/api/v1/sampling/samples/{sample['id']}/projection", {"lock_version": 1}),
    ):
        answer = _post(officer, path, sent)
        assert answer.status_code == 403, (path, answer.status_code)
        assert "needs one of these roles" in answer.json()["message"]
    assert AuditEntry.objects.filter(action="permission_refused").count() == before + 4
    assert AuditPopulation.objects.count() == 1 and Sample.objects.count() == 1
    assert not SampledItem.objects.filter(audited=True).exists()
    # the auditor's read token cannot write; the officer cannot read either
    reader = _client(AUDITOR, scope="read")
    assert (
        _post(reader, f"/api/v1/sampling/samples/{sample['id']}/projection", {"lock_version": 1}).status_code
        == 401
    )
    assert officer.get(f"/api/v1/sampling/populations/{population['id']}").status_code == 403


def test_unknown_objects_answer_404(world):
    api = world["api"]
    assert (
        _post(
            api,
            "/api/v1/sampling/populations",
            {"programme": "2099XX00NONE", "year": YEAR, "unit_kind": "operation"},
        ).status_code
        == 404
    )
    assert _draw(api, 999999).status_code == 404
    assert _post(api, "/api/v1/sampling/items/999999", {"lock_version": 1}).status_code == 404
    assert _post(api, "/api/v1/sampling/samples/999999/projection", {"lock_version": 1}).status_code == 404
    assert api.get("/api/v1/sampling/populations/999999").status_code == 404
    assert api.get(f"/api/v1/sampling/results/2099XX00NONE/{YEAR}").status_code == 404


def test_a_stale_lock_version_answers_409_and_changes_nothing(world):
    api, programme = world["api"], world["programme"]
    population = _build(api, programme)
    sample = _draw(api, population["id"]).json()
    item = sample["items"][0]
    path = f"/api/v1/sampling/items/{item['id']}"
    first = _post(api, path, {"lock_version": 1, "irregular": "100", "error_kind": "random"})
    assert first.status_code == 200 and first.json()["irregular"] == "100.00"
    stale = _post(api, path, {"lock_version": 1, "irregular": "999", "error_kind": "random"})
    assert stale.status_code == 409
    assert SampledItem.objects.get(pk=item["id"]).irregular == D("100.00")
    for other in sample["items"][1:]:
        assert (
            _post(
                api, f"/api/v1/sampling/items/{other['id']}", {"lock_version": 1, "irregular": "0"}
            ).status_code
            == 200
        )
    projection = f"/api/v1/sampling/samples/{sample['id']}/projection"
    assert _post(api, projection, {"lock_version": 1}).status_code == 200
    assert _post(api, projection, {"lock_version": 1, "corrections": "50"}).status_code == 409
    assert Sample.objects.get(pk=sample["id"]).corrections == D("0")
    results = api.get(f"/api/v1/sampling/results/{programme.cci}/{YEAR}").json()["results"]
    assert results["total_error"] == "100.00" and results["samples_combined"] == 1


def test_the_openapi_document_describes_the_writes(world):
    document = Client().get("/api/v1/openapi.json").json()
    for path, method in (
        ("/api/v1/sampling/populations", "post"),
        ("/api/v1/sampling/populations/{population_id}/samples", "post"),
        ("/api/v1/sampling/items/{item_id}", "post"),
        ("/api/v1/sampling/samples/{sample_id}/projection", "post"),
    ):
        operation = document["paths"][path][method]
        assert "sampling.manage" in operation["description"]
        assert {"400", "403", "404", "409"} <= set(operation["responses"])
        assert "application/json" in operation["requestBody"]["content"]
