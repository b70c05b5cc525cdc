"""The newest write paths done twice at the same moment, on PostgreSQL: two threads, each with its
own database connection (as gunicorn's threads), released together by a barrier. Each case must end
with one winner and a clean refusal (or, where two records are legitimate, two whole ones) — never
a server error, a deadlock, or two winners of what exists once.

PostgreSQL only (row locks, unique checks that wait for the other transaction); `.ci/run` runs them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from amis.accounts.models import User
from amis.audit import services as audit_services
from amis.audit.models import AuditFinding, AuditPlan, AuditStrategy, ControlReport
from amis.audit.tests import helpers as audit_helpers
from amis.core.audit import verify_chain
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.models import AuditEntry
from amis.evaluation import services as evaluation_services
from amis.evaluation.models import EvaluationPlan
from amis.evaluation.tests import helpers as evaluation_helpers
from amis.programme.models import Programme
from amis.public import services as public_services
from amis.public.models import PublicationExclusion, PublicationRequest
from amis.public.tests import helpers as public_helpers
from amis.sampling import services as sampling_services
from amis.sampling.models import AuditPopulation, Sample, SampledItem
from amis.sampling.tests import builders as sampling_builders

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks; .ci/run runs it"
    ),
]


def at_once(*jobs: Callable[[], Any]) -> tuple[Counter[str], list[str]]:
    """Run the jobs on as many threads, released together; count the outcomes (`done`, `stale`,
    `refused`) and collect every other exception (what a user would see as a 500)."""
    barrier = threading.Barrier(len(jobs))
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    lock = threading.Lock()

    def one(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
            outcome = "done"
        except StaleObjectError:
            outcome = "stale"
        except ApplicationError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 - this is what the test is looking for
            with lock:
                failures.append(f"{type(error).__name__}: {error}")
            return
        finally:
            connections.close_all()
        with lock:
            outcomes[outcome] += 1

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        list(pool.map(one, jobs))
    return outcomes, failures


def one_winner(outcomes: Counter[str], failures: list[str], jobs: int = 2) -> None:
    assert failures == []
    assert outcomes["done"] == 1 and outcomes["stale"] + outcomes["refused"] == jobs - 1, outcomes
    report = verify_chain()
    assert report.ok, report.problem


def changes(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# -- the audit authority ----------------------------------------------------------------------------


@pytest.fixture
def audit_year() -> AuditPlan:
    audit_helpers.base()
    return audit_helpers.completed_year()


def test_one_control_report_a_year_when_two_auditors_draft_it_at_once(audit_year: AuditPlan) -> None:
    auditor, second = audit_helpers.user(audit_helpers.AUDITOR), audit_helpers.user(audit_helpers.AUDITOR2)
    programme = audit_helpers.programme()
    outcomes, failures = at_once(
        *(
            lambda who=who: audit_services.report_create(actor=who, programme=programme, year=2024)
            for who in (auditor, second)
        )
    )
    one_winner(outcomes, failures)
    assert ControlReport.objects.filter(programme=programme, year=2024).count() == 1


def test_the_control_report_is_approved_once_when_two_auditors_approve_at_once(audit_year: AuditPlan) -> None:
    auditor = audit_helpers.user(audit_helpers.AUDITOR)
    report = audit_services.report_create(actor=auditor, programme=audit_helpers.programme(), year=2024)
    report = audit_services.report_update(
        actor=auditor, report=report, opinion="unqualified", opinion_basis="Audits.", expected_lock_version=1
    )
    approvers = [audit_helpers.user(audit_helpers.AUDITOR2), _third_auditor()]
    before = changes("approve")
    outcomes, failures = at_once(
        *(
            lambda who=who: audit_services.report_approve(
                actor=who, report=report, expected_lock_version=report.lock_version
            )
            for who in approvers
        )
    )
    one_winner(outcomes, failures)
    assert changes("approve") == before + 1
    assert ControlReport.objects.get(pk=report.pk).status == "approved"


def _third_auditor() -> User:
    from allauth.mfa.totp.internal.auth import TOTP

    from amis.accounts import services as account_services
    from amis.organisations.models import Organisation

    third = account_services.user_create(email="auditor3@audit.example", password="a-long-test-password-3")
    account_services.role_assign(
        user=third, role="auditor", organisation=Organisation.objects.get(kind="audit_authority")
    )
    TOTP.activate(third, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return third


def test_two_strategies_or_plans_of_one_programme_at_once_make_one() -> None:
    audit_helpers.base()
    auditor, second = audit_helpers.user(audit_helpers.AUDITOR), audit_helpers.user(audit_helpers.AUDITOR2)
    programme = audit_helpers.programme()
    outcomes, failures = at_once(
        *(
            lambda who=who: audit_services.strategy_create(actor=who, programme=programme, text="Risk.")
            for who in (auditor, second)
        )
    )
    one_winner(outcomes, failures)
    strategy = AuditStrategy.objects.get(programme=programme)  # not the shared object's cache
    outcomes, failures = at_once(
        *(
            lambda who=who: audit_services.plan_create(actor=who, strategy=strategy, year=2024)
            for who in (auditor, second)
        )
    )
    one_winner(outcomes, failures)
    assert AuditPlan.objects.filter(strategy=strategy, year=2024).count() == 1


def test_findings_added_and_closed_at_once_are_numbered_once_and_closed_once(audit_year: AuditPlan) -> None:
    auditor = audit_helpers.user(audit_helpers.AUDITOR)
    system_audit = audit_year.bodies.get(kind="managing").system_audit

    def add(n: int) -> Callable[[], Any]:
        return lambda: audit_services.finding_add(
            actor=auditor,
            system_audit=system_audit,
            key_requirement="KR4",
            text=f"Finding {n}",
            recommendation="Fix it.",
            priority="medium",
            deadline=dt.date(2030, 1, 1),
        )

    outcomes, failures = at_once(*(add(n) for n in range(4)))
    assert failures == [] and outcomes == Counter({"done": 4})
    numbers = sorted(AuditFinding.objects.filter(audit=system_audit).values_list("number", flat=True))
    assert numbers == sorted(set(numbers)) and len(numbers) == 4
    finding = AuditFinding.objects.filter(audit=system_audit).first()
    assert finding is not None
    outcomes, failures = at_once(
        *(
            lambda: audit_services.finding_close(
                actor=auditor,
                finding=finding,
                closure_note="Done.",
                expected_lock_version=finding.lock_version,
            )
            for _ in range(2)
        )
    )
    one_winner(outcomes, failures)


# -- evaluation -------------------------------------------------------------------------------------


def test_one_evaluation_plan_a_programme_when_two_officers_create_it_at_once() -> None:
    evaluation_helpers.base()
    officer, manager = (
        evaluation_helpers.user(evaluation_helpers.RA_OFFICER),
        evaluation_helpers.user(evaluation_helpers.RA_MANAGER),
    )
    programme = Programme.objects.get(cci="2014BE65AMNP001")
    outcomes, failures = at_once(
        *(
            lambda who=who: evaluation_services.plan_create(actor=who, programme=programme, title="Plan")
            for who in (officer, manager)
        )
    )
    one_winner(outcomes, failures)
    assert EvaluationPlan.objects.filter(programme=programme).count() == 1


def test_an_evaluation_moves_once_when_two_officers_move_it_at_once() -> None:
    evaluation_helpers.base()
    evaluation = evaluation_helpers.interim()
    officer = evaluation_helpers.user(evaluation_helpers.RA_OFFICER)
    outcomes, failures = at_once(
        *(
            lambda: evaluation_services.evaluation_status_change(
                actor=officer,
                evaluation=evaluation,
                expected_lock_version=evaluation.lock_version,
                status="in_progress",
                on=dt.date(2017, 1, 9),
            )
            for _ in range(2)
        )
    )
    one_winner(outcomes, failures)


# -- publication ------------------------------------------------------------------------------------


def test_one_publication_request_runs_when_two_are_asked_at_once() -> None:
    public_helpers.base()
    officer, manager = (
        public_helpers.user(public_helpers.RA_OFFICER),
        public_helpers.user(public_helpers.RA_MANAGER),
    )
    programme = Programme.objects.get(cci=public_helpers.CCI)
    outcomes, failures = at_once(
        *(
            lambda who=who: public_services.request_publication(actor=who, programme=programme)
            for who in (officer, manager)
        )
    )
    one_winner(outcomes, failures)
    assert PublicationRequest.objects.filter(programme=programme).count() == 1


def test_an_exclusion_is_proposed_once_and_approved_once_at_once() -> None:
    public_helpers.base()
    project = public_helpers.operation("PUB-RACE-1")
    officer, manager = (
        public_helpers.user(public_helpers.RA_OFFICER),
        public_helpers.user(public_helpers.RA_MANAGER),
    )
    outcomes, failures = at_once(
        *(
            lambda who=who: public_services.exclusion_propose(
                actor=who, project=project, reason="security", text="A witness is protected."
            )
            for who in (officer, manager)
        )
    )
    one_winner(outcomes, failures)
    exclusion = PublicationExclusion.objects.get(project=project)
    approver = manager if exclusion.proposed_by_id == officer.pk else officer
    outcomes, failures = at_once(
        *(
            lambda: public_services.exclusion_approve(
                actor=approver, exclusion=exclusion, expected_lock_version=1
            )
            for _ in range(2)
        )
    )
    one_winner(outcomes, failures)
    assert PublicationExclusion.objects.get(pk=exclusion.pk).status == "approved"


# -- sampling (services only: the app is not changed here) ------------------------------------------


def test_sampling_at_once_never_fails_and_records_an_item_once() -> None:
    programme = sampling_builders.declared({f"S-{i}": ["1000.00", "2500.00"] for i in range(12)})
    auditor = User.objects.get(email=sampling_builders.AUDITOR)
    outcomes, failures = at_once(
        *(
            lambda: sampling_services.population_build(
                actor=auditor, programme=programme, year=sampling_builders.YEAR, unit_kind="operation"
            )
            for _ in range(2)
        )
    )
    assert failures == [] and outcomes["done"] >= 1
    population = AuditPopulation.objects.filter(programme=programme).first()
    assert population is not None
    outcomes, failures = at_once(
        *(
            lambda: sampling_services.sample_draw(
                actor=auditor,
                population=population,
                method="mus_standard",
                sigma=Decimal("0.05"),
                anticipated_error=Decimal("0"),
                category=2,
                seed=7,
            )
            for _ in range(2)
        )
    )
    assert failures == [] and outcomes["done"] >= 1
    sample = Sample.objects.filter(population=population).first()
    assert sample is not None
    item = SampledItem.objects.filter(sample=sample).first()
    assert item is not None
    outcomes, failures = at_once(
        *(
            lambda value=value: sampling_services.item_record(
                actor=auditor,
                item=item,
                expected_lock_version=item.lock_version,
                audited_value=value,
                irregular=None,
                error_kind="random",
            )
            for value in (Decimal("0"), item.book_value)
        )
    )
    one_winner(outcomes, failures)
