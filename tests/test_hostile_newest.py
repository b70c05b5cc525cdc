"""Hostile input on the newest write paths (audit authority, evaluation, publication, sampling): every
field of every body replaced in turn by a value an attacker or a broken client sends — huge, negative,
NaN or infinite numbers, 10,000-character strings, markup, wrong types, a missing `lock_version` —
and ids of other programmes or out of any integer range. Each answer must be a 400/403/404/409 that
saved nothing, or a success that stored what was sent and shows it escaped; never a 500.

Each request runs in a transaction rolled back after it, so every case starts from the same records.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.audit import services as audit_services
from amis.audit.models import AuditedBody, AuditeeReply, AuditFinding, RequirementAssessment
from amis.audit.tests import helpers as audit_helpers
from amis.core.errors import ApplicationError
from amis.core.models import AuditEntry
from amis.evaluation.models import Evaluation, EvaluationPlan, Recommendation
from amis.evaluation.tests import helpers as evaluation_helpers
from amis.public import services as public_services
from amis.public.models import PublicationExclusion
from amis.public.tests import helpers as public_helpers
from amis.sampling import services as sampling
from amis.sampling.models import Sample, SampledItem
from amis.sampling.tests import builders as sampling_builders

pytestmark = pytest.mark.django_db

HUGE = 10**30
HOSTILE: list[Any] = [
    HUGE,
    -HUGE,
    -1,
    1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    "x" * 10_000,
    "<script>alert(1)</script>",
    "nul\x00byte",
    [],
    {},
    None,
    True,
    "2024-02-30",
    "99999-01-01",
]
OK = {200, 201}
REFUSED = {400, 403, 404, 409}


class _Rollback(Exception):
    pass


def api(user: User) -> Client:
    _token, secret = accounts.token_create(user=user, name="hostile", scope="write")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _changes() -> int:
    """Audited changes (refusals are security events, not changes)."""
    return AuditEntry.objects.exclude(action__endswith="_refused").count()


def _send(
    client: Client, method: str, path: str, raw: bytes | str, state: Callable[[], Any]
) -> tuple[int, str]:
    """Send one request in a transaction that is rolled back; answer its status and, when it was
    refused, whether it saved anything."""
    before = (state(), _changes())
    try:
        with transaction.atomic():
            response = getattr(client, method)(path, raw, content_type="application/json")
            after = (state(), _changes())
            raise _Rollback(response, after)
    except _Rollback as rolled_back:
        response, after = rolled_back.args
    problem = ""
    if response.status_code in REFUSED and after != before:
        problem = "saved something"
    elif response.status_code not in OK | REFUSED:
        problem = f"answered {response.status_code}: {response.content[:200]!r}"
    return response.status_code, problem


def _hostile_bodies(valid: dict[str, Any]) -> list[tuple[str, bytes]]:
    """The valid body with each field replaced by each hostile value, each field left out in turn,
    and bodies that are not JSON objects at all."""
    cases: list[tuple[str, bytes]] = []
    for field in valid:
        for value in HOSTILE:
            cases.append((f"{field}={str(value)[:20]}", json.dumps({**valid, field: value}).encode()))
        cases.append((f"no {field}", json.dumps({k: v for k, v in valid.items() if k != field}).encode()))
    cases += [
        ("a list", b"[1, 2]"),
        ("a number", b"1e999999"),
        ("latin-1", json.dumps(valid).encode()[:-1] + b', "z": "caf\xe9"}'),
        ("truncated", json.dumps(valid).encode()[:-3]),
    ]
    return cases


def _fuzz(
    client: Client, method: str, path: str, valid: dict[str, Any], state: Callable[[], Any]
) -> list[str]:
    failures = []
    status, problem = _send(client, method, path, json.dumps(valid).encode(), state)
    assert status in OK, f"{method.upper()} {path} refused its valid body: {status}"
    for name, raw in _hostile_bodies(valid):
        _status, problem = _send(client, method, path, raw, state)
        if problem:
            failures.append(f"{method.upper()} {path} [{name}]: {problem}")
    return failures


# -- the audit authority ----------------------------------------------------------------------------


@pytest.fixture
def audited(belgian: Any) -> dict[str, Any]:
    audit_helpers.base()
    the_plan = audit_helpers.plan()
    ra, _da = audit_helpers.bodies(the_plan)
    system_audit = audit_services.audit_start(actor=audit_helpers.user(audit_helpers.AUDITOR), body=ra)
    finding = audit_services.finding_add(
        actor=audit_helpers.user(audit_helpers.AUDITOR),
        system_audit=system_audit,
        key_requirement="KR4",
        text="Late payments.",
        recommendation="Pay in time.",
        priority="high",
        deadline=dt.date(2030, 1, 1),
    )
    return {"plan": the_plan, "body": ra, "audit": system_audit, "finding": finding}


def _audit_state() -> Any:
    return (
        AuditedBody.objects.count(),
        RequirementAssessment.objects.count(),
        AuditeeReply.objects.count(),
        sorted(AuditFinding.objects.values_list("pk", "status", "lock_version")),
    )


def test_hostile_bodies_to_the_audit_authoritys_writes(audited: dict[str, Any]) -> None:
    auditor = api(audit_helpers.user(audit_helpers.AUDITOR))
    ra = api(audit_helpers.user(audit_helpers.RA_OFFICER))
    cci, year = audit_helpers.CCI_2021, 2024
    body, system_audit, finding = audited["body"], audited["audit"], audited["finding"]
    failures = _fuzz(
        auditor,
        "post",
        f"/api/v1/audit/plans/{cci}/{year}/bodies",
        {
            "kind": "delegated",
            "name": "Walloon delegated authority",
            "risk_factors": audit_helpers.LOW,
            "risk_justification": "Small.",
            "key_requirements": ["KR4"],
        },
        _audit_state,
    )
    for factor in audit_helpers.LOW:
        for value in (HUGE, -HUGE, -1, 0, 6, 2.5, "three", None):
            raw = json.dumps(
                {
                    "kind": "delegated",
                    "name": "Other",
                    "risk_factors": {**audit_helpers.LOW, factor: value},
                    "risk_justification": "Odd factor.",
                }
            ).encode()
            status, problem = _send(
                auditor, "post", f"/api/v1/audit/plans/{cci}/{year}/bodies", raw, _audit_state
            )
            if problem or status not in REFUSED:
                failures.append(f"risk factor {factor}={value}: {status} {problem}")
    failures += _fuzz(
        auditor,
        "post",
        f"/api/v1/audit/bodies/{body.pk}/assessments",
        {
            "lock_version": system_audit.lock_version,
            "code": "KR2",
            "category": 2,
            "justification": "20 files.",
        },
        _audit_state,
    )
    failures += _fuzz(
        ra,
        "post",
        f"/api/v1/audit/findings/{finding.pk}/reply",
        {"text": "Done.", "replied_on": "2024-06-01"},
        _audit_state,
    )
    failures += _fuzz(
        auditor,
        "post",
        f"/api/v1/audit/findings/{finding.pk}/close",
        {"lock_version": finding.lock_version, "closure_note": "Checked.", "closed_on": "2024-07-01"},
        _audit_state,
    )
    assert failures == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/audit/bodies/{huge}/assessments",
        "/api/v1/audit/findings/{huge}/reply",
        "/api/v1/audit/findings/-1/close",
        "/api/v1/audit/plans/{other}/2024/bodies",
        "/api/v1/audit/plans/2021BE65AMPR001/{huge}/bodies",
    ],
)
def test_ids_out_of_range_or_of_no_programme_answer_404(audited: dict[str, Any], path: str) -> None:
    auditor = api(audit_helpers.user(audit_helpers.AUDITOR))
    url = path.format(huge=HUGE, other="2014XX00ZZZZ999")
    before = _audit_state(), _changes()
    response = auditor.post(
        url, json.dumps({"lock_version": 1, "text": "x"}), content_type="application/json"
    )
    assert response.status_code in (400, 403, 404), response.content[:300]
    assert (_audit_state(), _changes()) == before


def test_markup_in_a_finding_reply_is_stored_as_sent_and_shown_escaped(audited: dict[str, Any]) -> None:
    finding = audited["finding"]
    ra = audit_helpers.user(audit_helpers.RA_OFFICER)
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = api(ra).post(
        f"/api/v1/audit/findings/{finding.pk}/reply",
        json.dumps({"text": script}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert AuditeeReply.objects.get(finding=finding).text == script
    page = Client()
    page.force_login(ra)
    html = page.get(f"/audit-authority/findings/{finding.pk}/").content.decode()
    assert script not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


# -- evaluation -------------------------------------------------------------------------------------


def _evaluation_state() -> Any:
    return (
        sorted(EvaluationPlan.objects.values_list("pk", "status", "lock_version", "title")),
        sorted(Evaluation.objects.values_list("pk", "status", "lock_version")),
        sorted(Recommendation.objects.values_list("pk", "status", "lock_version")),
    )


def test_hostile_bodies_to_the_evaluation_writes(belgian: Any) -> None:
    evaluation_helpers.base()
    officer = api(evaluation_helpers.user(evaluation_helpers.RA_OFFICER))
    the_plan = evaluation_helpers.plan()
    evaluation = evaluation_helpers.interim(the_plan)
    cci = the_plan.programme.cci
    failures = _fuzz(
        officer,
        "post",
        "/api/v1/evaluations/plans",
        {"programme": "2021BE65AMPR001", "title": "Plan 2021", "description": "All SOs."},
        _evaluation_state,
    )
    failures += _fuzz(
        officer,
        "patch",
        f"/api/v1/evaluations/plans/{cci}",
        {"lock_version": the_plan.lock_version, "title": "Plan", "description": "d"},
        _evaluation_state,
    )
    failures += _fuzz(
        officer,
        "post",
        f"/api/v1/evaluations/plans/{cci}/evaluations",
        {
            "kind": "impact",
            "title": "Impact",
            "evaluator_type": "external",
            "evaluator": "A firm",
            "planned_start": "2018-01-01",
            "planned_end": "2018-12-31",
            "specific_objectives": ["SO1"],
        },
        _evaluation_state,
    )
    failures += _fuzz(
        officer,
        "post",
        f"/api/v1/evaluations/{evaluation.pk}/status",
        {"lock_version": evaluation.lock_version, "status": "in_progress", "on": "2017-01-09"},
        _evaluation_state,
    )
    failures += _fuzz(
        officer,
        "post",
        f"/api/v1/evaluations/{evaluation.pk}/questions",
        {"text": "Did it work?", "criterion": "effectiveness"},
        _evaluation_state,
    )
    assert failures == []


# -- sampling: through its pages and services (the app itself is changed elsewhere) ------------------

FORM_HOSTILE = [
    "1e400",
    "-1",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 40,
    "x" * 10_000,
    "<b>1</b>",
    "1,2,3",
    "",
]


def _sampled(prefix: str) -> tuple[User, Any, Any]:
    """A population of 8 operations with a sample drawn: the auditor, the population, one item."""
    programme = sampling_builders.declared({f"{prefix}-{i}": ["1000.00", "2500.00"] for i in range(8)})
    auditor = User.objects.get(email=sampling_builders.AUDITOR)
    population = sampling.population_build(
        actor=auditor, programme=programme, year=sampling_builders.YEAR, unit_kind="operation"
    )
    sample = sampling.sample_draw(
        actor=auditor,
        population=population,
        method="mus_standard",
        sigma=Decimal("0.05"),
        anticipated_error=Decimal("0"),
        category=2,
        seed=3,
    )
    item = SampledItem.objects.filter(sample=sample).first()
    assert item is not None
    return auditor, population, item


def _fuzz_page(page: Client, url: str, valid: dict[str, str], state: Callable[[], Any]) -> list[str]:
    """Post a page's form once valid (it must go through: 302), then with each field replaced by each
    hostile value; each post in a transaction rolled back after it."""
    with transaction.atomic():
        assert page.post(url, valid).status_code == 302, url  # the valid form goes through
        transaction.set_rollback(True)
    failures = []
    for field in valid:
        for value in FORM_HOSTILE:
            before = state(), _changes()
            try:
                with transaction.atomic():
                    response = page.post(url, {**valid, field: value})
                    after = state(), _changes()
                    raise _Rollback(response, after)
            except _Rollback as rolled_back:
                response, after = rolled_back.args
            if response.status_code not in REFUSED | {302} or (
                response.status_code in REFUSED and after != before
            ):
                failures.append(f"{url} {field}={value[:12]}: {response.status_code}")
    return failures


def test_hostile_sampling_forms_answer_400_and_save_nothing() -> None:
    auditor, population, item = _sampled("H")
    page = Client()
    page.force_login(auditor)
    valid_draw = {
        "method": "mus_standard",
        "category": "2",
        "sigma": "0.05",
        "anticipated_error": "0",
        "seed": "5",
    }
    valid_item = {
        "lock_version": str(item.lock_version),
        "audited_value": "0",
        "irregular": "",
        "error_kind": "random",
    }
    failures: list[str] = []

    def state() -> Any:
        return Sample.objects.count(), sorted(
            SampledItem.objects.values_list("pk", "lock_version", "irregular")
        )

    for url, valid in (
        (f"/sampling/populations/{population.pk}/samples/", valid_draw),
        (f"/sampling/items/{item.pk}/", valid_item),
    ):
        failures += _fuzz_page(page, url, valid, state)
    assert failures == []


@pytest.mark.parametrize(
    "values",
    [
        {"sigma": Decimal("NaN")},
        {"sigma": Decimal("Infinity")},
        {"anticipated_error": Decimal("NaN")},
        {"anticipated_error": Decimal("-Infinity")},
        {"sigma": Decimal("1E+30")},
        {"anticipated_error": Decimal("1E+30")},
    ],
)
def test_the_sampling_draw_service_refuses_numbers_that_are_not_numbers(values: dict[str, Decimal]) -> None:
    """The service is the last line: a caller other than the page (a command, a later API) must not
    get a 500 or a stored NaN either."""
    auditor, population, _item = _sampled("N")
    drawn = Sample.objects.count()
    params = {"method": "mus_standard", "sigma": Decimal("0.05"), "anticipated_error": Decimal("0"), **values}
    with pytest.raises(ApplicationError):
        sampling.sample_draw(actor=auditor, population=population, category=2, seed=1, **params)
    assert Sample.objects.count() == drawn


@pytest.mark.parametrize("audited_value", [Decimal("NaN"), Decimal("Infinity"), Decimal("1E+30")])
def test_the_item_record_service_refuses_numbers_that_are_not_amounts(audited_value: Decimal) -> None:
    auditor, _population, item = _sampled("I")
    with pytest.raises(ApplicationError):
        sampling.item_record(
            actor=auditor,
            item=item,
            expected_lock_version=item.lock_version,
            audited_value=audited_value,
            irregular=None,
            error_kind="random",
        )
    assert not SampledItem.objects.get(pk=item.pk).audited


# -- publication: the officers' exclusion pages ----------------------------------------------------


def test_hostile_exclusion_forms_answer_400_and_save_nothing() -> None:
    public_helpers.base()
    project = public_helpers.operation("PUB-HOSTILE-1")
    withheld = public_helpers.operation("PUB-HOSTILE-2")
    officer, manager = (
        public_helpers.user(public_helpers.RA_OFFICER),
        public_helpers.user(public_helpers.RA_MANAGER),
    )
    public_services.exclusion_propose(actor=officer, project=withheld, reason="security", text="A witness.")
    page = Client()
    page.force_login(manager)

    def state() -> Any:
        return sorted(PublicationExclusion.objects.values_list("pk", "status", "lock_version", "text"))

    failures = _fuzz_page(
        page,
        "/public/exclusions/",
        {"project": project.reference, "reason": "security", "text": "Protected."},
        state,
    )
    failures += _fuzz_page(
        page, f"/public/exclusions/{withheld.reference}/approve/", {"lock_version": "1"}, state
    )
    failures += _fuzz_page(
        page,
        f"/public/exclusions/{withheld.reference}/withdraw/",
        {"lock_version": "1", "reason": "Over."},
        state,
    )
    assert failures == []
    # an operation of no programme, or a code of 10,000 characters: 404, nothing saved
    before = state()
    assert page.post(f"/public/exclusions/{'X' * 10_000}/approve/", {"lock_version": "1"}).status_code == 404
    assert state() == before
