"""Walk every page and endpoint for every role: allowed -> an answer; refused -> 403/404/login, no leak.

The expectation comes from the same MATRIX the service layer uses (`permissions.check`), and the
list of routes must cover every URL pattern of the project, so a new page without an entry fails here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from amis.accounts import services
from amis.accounts.models import User
from amis.accounts.permissions import ANONYMOUS, BY_ACTION, check, matrix_markdown
from amis.accounts.roles import Role
from amis.accounts.routes import ROUTES, Route
from amis.applications import services as application_services
from amis.applications.models import Application
from amis.calls import services as call_documents
from amis.calls.models import Call
from amis.demo.programme import load_belgian_programme
from amis.organisations.models import ContactPerson, Organisation
from amis.programme.models import Programme
from amis.projects import services as agreement_services
from amis.projects.models import Project
from amis.selection.models import CommitteeMeeting

pytestmark = pytest.mark.django_db
NOT_COVERED_NAMESPACES = {"admin", "account", "mfa"}  # Django admin and allauth's own pages
SKIPPED_PREFIXES = ("admin/", "accounts/", "i18n/", "api/v1/docs", "api/v1/openapi.json")
SKIPPED_EXACT = {"api/v1/"}  # ninja's API root, which only lists nothing


class _Rollback(Exception):
    pass


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    load_belgian_programme(log=lambda m: None)
    orgs = {
        "ra": Organisation.objects.create(kind="responsible_authority", name="RA org", status="approved"),
        "aa": Organisation.objects.create(kind="audit_authority", name="AA org", status="approved"),
        "da": Organisation.objects.create(kind="delegated_authority", name="DA org", status="approved"),
        "acc": Organisation.objects.create(kind="accounting_unit", name="Accounting org", status="approved"),
        "mc": Organisation.objects.create(kind="monitoring_committee", name="MC org", status="approved"),
        "own": Organisation.objects.create(kind="ngo", name="Own NGO Zeta", status="approved"),
        "other": Organisation.objects.create(kind="ngo", name="Other NGO Omega", status="approved"),
        "pending": Organisation.objects.create(kind="ngo", name="Pending NGO Kappa", status="pending"),
    }
    home = {
        Role.RA_MANAGER: "ra",
        Role.RA_OFFICER: "ra",
        Role.DA_OFFICER: "da",
        Role.ASSESSOR: "da",
        Role.VERIFIER: "ra",
        Role.ACCOUNTING_OFFICER: "acc",
        Role.AUDITOR: "aa",
        Role.MC_MEMBER: "mc",
        Role.BENEFICIARY: "own",
    }
    users: dict[str, User] = {}
    for role in Role:
        user = services.user_create(email=f"{role.value}@matrix.example", password="a-long-test-password-1")
        services.role_assign(user=user, role=role, organisation=orgs[home[role]])
        if role != Role.BENEFICIARY:
            TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        users[role.value] = user
    # the same role, delegated another part of the programme (the matrix call is SO2's)
    outside = services.user_create(email="da-so1@matrix.example", password="a-long-test-password-1")
    services.role_assign(
        user=outside, role=Role.DA_OFFICER, organisation=orgs["da"], specific_objective="SO1"
    )
    TOTP.activate(outside, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    users["da_officer_outside"] = outside
    target = services.user_create(email="target@matrix.example", password="a-long-test-password-1")
    assignment = services.role_assign(user=target, role="verifier", organisation=orgs["ra"])
    contact = ContactPerson.objects.create(organisation=orgs["own"], name="C", email="c@own.example")
    token, _secret = services.token_create(user=target, name="t")
    call = _open_call(orgs["da"])
    own_app = Application.objects.create(
        call=call, organisation=orgs["own"], reference="M-001", title="Own app"
    )
    meeting = CommitteeMeeting.objects.create(call=call, date=timezone.now().date(), agenda="Matrix meeting")
    document = call_documents.document_add(
        actor=users["da_officer"], call=call, title="Guide", language="", name="guide.pdf", data=b"%PDF-1.4 x"
    )
    other_app = Application.objects.create(
        call=call, organisation=orgs["other"], reference="M-002", title="Other app"
    )
    attachment = application_services.attachment_add(
        actor=users["beneficiary"], application=own_app, name="plan.pdf", data=b"%PDF-1.4 plan"
    )
    projects = {org: _project(app, orgs[org]) for org, app in (("own", own_app), ("other", other_app))}
    agreement_services.agreement_prepare(actor=users["da_officer"], project=projects["own"])
    values = {
        "cci": "2014BE65AMNP001",
        "indicator": "C1",
        "own_org": orgs["own"].pk,
        "other_org": orgs["other"].pk,
        "pending_org": orgs["pending"].pk,
        "person": target.pk,
        "assignment": assignment.pk,
        "contact": contact.pk,
        "token": token.pk,
        "call": call.code,
        "own_application": own_app.reference,
        "other_application": other_app.reference,
        "meeting": meeting.pk,
        "call_document": document.pk,
        "own_attachment": attachment.sha256,
        "own_project": projects["own"].reference,
        "other_project": projects["other"].reference,
        **_reports(call, orgs, users["beneficiary"]),
        **_payments(users["ra_officer"]),
        **_checks(users["verifier"]),
        **_evaluations(users["ra_officer"]),
        **_declarations(users["ra_officer"]),
        **_annual_reports(users["ra_officer"]),
        **_sampling(users["auditor"]),
        **_public(call, orgs["own"], users["da_officer"]),
        **_audit(users["auditor"], orgs["da"]),
        "other_fund_list": _other_fund_list(users["da_officer"]),
    }
    return {"orgs": orgs, "users": users, "values": values}


def _other_fund_list(officer: User) -> int:
    """An ESF list read and waiting for confirmation (the lists are programme-wide)."""
    from amis.integrity.models import OtherFundList

    return OtherFundList.objects.create(fund="ESF", name="esf.csv", status="read", uploaded_by=officer).pk


def _reports(call: Call, orgs: dict[str, Organisation], beneficiary: User) -> dict[str, Any]:
    """A project of each NGO (on applications of their own) with a report: the own one with a line,
    a supporting document and a submitted round."""
    from amis.core import uploads
    from amis.projects.models import Project
    from amis.reporting.models import ExpenditureLine, Report, ReportSubmission, SupportingDocument

    today = timezone.now().date()
    found: dict[str, Any] = {}
    for key, ref in (("own", "M-003"), ("other", "M-004")):
        app = Application.objects.create(
            call=call, organisation=orgs[key], reference=ref, title=f"{key} project"
        )
        project = Project.objects.create(
            application=app,
            reference=f"P-{ref}",
            organisation=orgs[key],
            eu_contribution="750.00",
            total_cost="1000.00",
            start_date=today,
            end_date=today,
        )
        found[f"{key}_report"] = Report.objects.create(
            project=project, number=1, kind="final", period_start=today, period_end=today, due_date=today
        ).pk
        found[f"{key}_report_project"] = project.reference
    report = Report.objects.get(pk=found["own_report"])
    document = SupportingDocument(project=report.project, uploaded_by=beneficiary)
    uploads.store(document, "invoice.pdf", b"%PDF-1.4 invoice")
    document.save()
    found["own_document"] = document.pk
    found["own_line"] = ExpenditureLine.objects.create(
        report=report,
        position=1,
        category="staff",
        amount_declared="10.00",
        supplier_name="S",
        invoice_number="1",
        invoice_date=today,
    ).pk
    ReportSubmission.objects.create(
        report=report,
        round=1,
        submitted_at=timezone.now(),
        submitted_by=beneficiary,
        declared="10.00",
        snapshot={"report": {}, "columns": [], "lines": [], "totals": {}, "declared": "10.00"},
    )
    from amis.reporting.models import ExpenditureImport

    found["own_import"] = ExpenditureImport.objects.create(  # a failed expenditure import of the own report
        report=report,
        name="lines.csv",
        sha256="0" * 64,
        file="expenditure-imports/lines.csv",
        created_by=beneficiary,
        status="failed",
        errors=[{"row": 3, "column": "invoice_date", "field": "invoice_date", "message": "Outside."}],
    ).pk
    return found


def _open_call(organisation: Organisation) -> Call:
    now = timezone.now()
    return Call.objects.create(
        code="M-CALL",
        programme=Programme.objects.get(cci="2014BE65AMNP001"),
        managing_organisation=organisation,
        title={"en": "Matrix call"},
        specific_objective="SO2",
        national_objectives=["NO2"],
        budget="1000.00",
        eligible_start=now.date(),
        eligible_end=now.date(),
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        status="published",
    )


def _project(application: Application, organisation: Organisation) -> Project:
    """A selected application's project (made directly: the matrix needs one per organisation)."""
    today = timezone.now().date()
    return Project.objects.create(
        application=application,
        reference=f"P-{application.reference}",
        organisation=organisation,
        eu_contribution="750.00",
        total_cost="1000.00",
        start_date=today,
        end_date=today,
    )


def _object_for(route: Route, world: dict[str, Any]) -> Any:
    for key, org in (
        ("{own_org}", "own"),
        ("{other_org}", "other"),
        ("{pending_org}", "pending"),
        ("{own_application}", "own"),
        ("{other_application}", "other"),
        ("{own_project}", "own"),
        ("{other_project}", "other"),
        ("{own_report}", "own"),
        ("{other_report}", "other"),
        ("{own_report_project}", "own"),
        ("{other_report_project}", "other"),
    ):
        if key in route.path:
            return world["orgs"][org]
    return None


def _request(client: Client, route: Route, path: str) -> Any:
    method = getattr(client, route.method.lower())
    if route.method in ("POST", "PATCH") and path.startswith("/api/"):
        return method(path, data="{}", content_type="application/json")
    return method(path)


def _refused(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
def test_route_answers_as_the_matrix_says(route: Route, world: dict[str, Any]) -> None:
    path = route.path.format(**world["values"])
    obj = _object_for(route, world)
    leak = world["orgs"][route.shows.replace("_org", "")].name if route.shows else None
    for who in [ANONYMOUS, *[r.value for r in Role]]:
        client = Client()
        user = world["users"].get(who)
        if user is not None:
            client.force_login(user)
        expected = check(user if user is not None else _Anonymous(), route.action, obj).allowed
        try:
            with transaction.atomic():
                response = _request(client, route, path)
                raise _Rollback
        except _Rollback:
            pass
        assert response.status_code < 500, (who, response.status_code)
        if expected:
            assert not _refused(response) or response.status_code == 404 and route.action == "token.manage", (
                who,
                response.status_code,
                response.get("Location"),
            )
        else:
            assert _refused(response), (who, response.status_code)
            if leak and route.method == "GET":
                assert leak not in response.content.decode(errors="replace"), who


class _Anonymous:
    is_authenticated = False


# Actions a delegated authority officer holds only within the part of the programme delegated to them,
# and the placeholders that put a route inside one call.
SCOPED_ACTIONS = {"call.manage", "application.check", "selection.manage", "integrity.view"}
CALL_PLACEHOLDERS = ("{call}", "{own_application}", "{other_application}", "{call_document}")
SCOPED_ROUTES = [
    r for r in ROUTES if r.action in SCOPED_ACTIONS and any(p in r.path for p in CALL_PLACEHOLDERS)
]


@pytest.mark.parametrize("route", SCOPED_ROUTES, ids=[f"{r.method} {r.path}" for r in SCOPED_ROUTES])
def test_a_delegated_officer_acts_only_within_their_part(route: Route, world: dict[str, Any]) -> None:
    """Same role, two delegations: the officer of the call's part is let in, the officer of another
    part is refused (403, recorded), on every page and endpoint that touches a call's data."""
    path = route.path.format(**world["values"])
    answers = {}
    for who in ("da_officer", "da_officer_outside"):
        client = Client()
        client.force_login(world["users"][who])
        try:
            with transaction.atomic():
                answers[who] = _request(client, route, path)
                raise _Rollback
        except _Rollback:
            pass
    assert not _refused(answers["da_officer"]), answers["da_officer"].status_code
    assert answers["da_officer_outside"].status_code == 403, answers["da_officer_outside"].status_code


def _leaf_routes(resolver: URLResolver, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found |= _leaf_routes(pattern, text)
        elif isinstance(pattern, URLPattern):
            found.add(text)
    return found


def test_every_url_pattern_is_in_the_route_table(world: dict[str, Any]) -> None:
    covered = set()
    for route in ROUTES:
        match = resolve(route.path.format(**world["values"]).split("?")[0])
        covered.add(match.route)
    patterns = {
        p
        for p in _leaf_routes(get_resolver())
        if p and not p.startswith(SKIPPED_PREFIXES) and p not in SKIPPED_EXACT
    }
    assert patterns - covered == set()


def test_every_action_in_the_routes_is_in_the_matrix() -> None:
    assert {r.action for r in ROUTES} <= set(BY_ACTION)


def test_docs_permissions_md_is_generated_from_the_matrix() -> None:
    from django.conf import settings

    document = (settings.BASE_DIR / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert document == matrix_markdown(), "run: amis permissions doc -o docs/permissions.md"


def _payments(officer: User) -> dict[str, Any]:
    """An approved payment of the own report's project in an exported batch and an open recovery
    order of that project (issue 15's pages)."""
    from amis.payments.models import Payment, PaymentBatch
    from amis.projects.models import Project

    batch = PaymentBatch.objects.create(
        reference="AMIS-MATRIX-1",
        execution_date=timezone.now().date(),
        created_by=officer,
        status="exported",
        xml=b"<Document/>",
        xml_sha256="0" * 64,
    )
    payment = Payment.objects.create(
        project=Project.objects.get(reference="P-M-003"),
        kind="prefinancing",
        amount="300.00",
        status="approved",
        creditor_name="Own NGO",
        iban="BE68539007547034",
        remittance="P-M-003 pre-financing",
        proposed_by=officer,
        approved_by=officer,
        batch=batch,
    )
    from amis.payments.models import Recovery

    recovery = Recovery.objects.create(
        project=payment.project,
        debtor=payment.project.organisation,
        amount_due="100.00",
        due_date=timezone.now().date(),
        reason="Matrix recovery",
        created_by=officer,
    )
    return {"payment": payment.pk, "batch": batch.pk, "recovery": recovery.pk}


def _checks(verifier: User) -> dict[str, Any]:
    """A kept selection, a visited on-the-spot check of the own report's project and its open finding."""
    from amis.projects.models import Project
    from amis.verification.models import CheckSelection, Finding, Irregularity, OnTheSpotCheck

    selection = CheckSelection.objects.create(
        programme=Programme.objects.get(cci="2014BE65AMNP001"),
        year=2027,
        weights={"size": "1"},
        risk_count=1,
        random_count=0,
        seed=1,
        candidates=[],
        method="matrix",
        created_by=verifier,
    )
    project = Project.objects.get(reference="P-M-003")
    today = timezone.now().date()
    check = OnTheSpotCheck.objects.create(
        project=project,
        kind="financial",
        planned_on=today,
        status="visited",
        visited_on=today,
        team=["Matrix"],
        created_by=verifier,
    )
    finding = Finding.objects.create(
        project=project, spot_check=check, text="Matrix finding", created_by=verifier
    )
    irregularity = Irregularity.objects.create(
        project=project,
        finding=finding,
        type="documents",
        amount="10.00",
        detected_on=today,
        description="Matrix irregularity",
        created_by=verifier,
    )
    return {
        "selection": selection.pk,
        "check": check.pk,
        "finding": finding.pk,
        "irregularity": irregularity.pk,
    }


def _evaluations(officer: User) -> dict[str, Any]:
    """The 2014-2020 programme's evaluation plan with a delivered evaluation, its report and an open
    recommendation (issue 17, section 4)."""
    from amis.core import uploads
    from amis.evaluation.models import Evaluation, EvaluationPlan, EvaluationReport, Recommendation

    plan = EvaluationPlan.objects.create(
        programme=Programme.objects.get(cci="2014BE65AMNP001"), title="Matrix plan", created_by=officer
    )
    evaluation = Evaluation.objects.create(
        plan=plan,
        kind="interim",
        title="Matrix evaluation",
        evaluator_type="internal",
        evaluator="Matrix unit",
        planned_start=dt.date(2017, 1, 1),
        planned_end=dt.date(2017, 11, 30),
        status="delivered",
        created_by=officer,
    )
    report = EvaluationReport(evaluation=evaluation, uploaded_by=officer)
    uploads.store(report, "report.pdf", b"%PDF-1.4 matrix report")
    report.save()
    recommendation = Recommendation.objects.create(
        evaluation=evaluation, number=1, text="Matrix recommendation", addressed_to="RA", created_by=officer
    )
    published = Evaluation.objects.create(
        plan=plan,
        kind="thematic",
        title="Matrix published evaluation",
        evaluator_type="external",
        evaluator="Matrix firm",
        planned_start=dt.date(2016, 1, 1),
        planned_end=dt.date(2016, 11, 30),
        status="published",
        published_on=dt.date(2017, 1, 15),
        created_by=officer,
    )
    public_report = EvaluationReport(evaluation=published, uploaded_by=officer)
    uploads.store(public_report, "public-report.pdf", b"%PDF-1.4 matrix public report")
    public_report.save()
    return {
        "evaluation": evaluation.pk,
        "evaluation_report": report.pk,
        "recommendation": recommendation.pk,
        "published_evaluation_report": public_report.pk,
    }


def _declarations(officer: User) -> dict[str, Any]:
    """A completed verification of the own report, a draft payment application of the 2014-2020
    programme holding it as an item, and the drafted accounts of financial year 2019."""
    from amis.declarations.models import AnnualAccounts, PaymentApplication, PaymentApplicationItem
    from amis.reporting.models import Report
    from amis.verification.models import Verification

    report = Report.objects.get(project__reference="P-M-003")
    verification = Verification.objects.create(
        report=report,
        round=1,
        status="completed",
        verifier=officer,
        completed_at=timezone.now(),
        verified="10.00",
        eu_share="7.50",
    )
    programme = Programme.objects.get(cci="2014BE65AMNP001")
    application = PaymentApplication.objects.create(
        programme=programme, year=2019, sequence=1, prepared_by=officer
    )
    item = PaymentApplicationItem.objects.create(
        application=application,
        verification=verification,
        project=report.project,
        call=report.project.application.call,
        specific_objective=report.project.application.call.specific_objective,
        eligible="10.00",
        public="7.50",
        eu="7.50",
    )
    AnnualAccounts.objects.create(programme=programme, year=2019, prepared_by=officer)
    return {"payment_application": application.pk, "declared_item": item.pk, "accounts_year": 2019}


def _public(call: Call, organisation: Organisation, proposer: User) -> dict[str, Any]:
    """A published operation (signed agreement) and another withheld by an exclusion proposed by a
    delegated authority officer, whom no role of the walk is (issue 18)."""
    from amis.projects.models import AgreementVersion, GrantAgreement
    from amis.public.models import PublicationExclusion

    found: dict[str, Any] = {}
    for key, ref in (("public_operation", "M-PUB-1"), ("withheld_operation", "M-PUB-2")):
        app = Application.objects.create(call=call, organisation=organisation, reference=ref, title=ref)
        project = _project(app, organisation)
        agreement = GrantAgreement.objects.create(project=project, reference=f"GA-{ref}")
        AgreementVersion.objects.create(
            agreement=agreement,
            number=1,
            status="signed",
            max_grant="750.00",
            eu_rate="0.7500",
            total_cost="1000.00",
            eligible_start=project.start_date,
            eligible_end=project.end_date,
            in_force_from=project.start_date,
            prepared_by=proposer,
        )
        found[key] = project.reference
    PublicationExclusion.objects.create(
        project=Project.objects.get(reference=found["withheld_operation"]),
        reason="security",
        text="matrix",
        proposed_by=proposer,
    )
    found["publication"] = _publication()
    return found


def _publication() -> int:
    """A published list of operations with its JSON file (issue 18)."""
    from django.utils import timezone

    from amis.public.models import Publication, PublicationFile

    publication = Publication.objects.create(published_at=timezone.now(), status="published", row_count=0)
    PublicationFile.objects.create(
        publication=publication, format="json", content=b"{}", size=2, sha256="0" * 64
    )
    return publication.pk


def _sampling(auditor: User) -> dict[str, Any]:
    """A population of the 2014-2020 programme's year 2019 with one unit, a MUS sample holding it and
    a document of its item (issue 19, amis/sampling)."""
    from django.core.files.base import ContentFile

    from amis.sampling.models import (
        AuditPopulation,
        ItemDocument,
        PopulationUnit,
        Sample,
        SampledItem,
        SamplingPlan,
        Subsample,
        SubsampledLine,
    )

    population = AuditPopulation.objects.create(
        programme=Programme.objects.get(cci="2014BE65AMNP001"),
        year=2019,
        unit_kind="operation",
        book_value="100.00",
        units=1,
        lines=1,
        built_by=auditor,
    )
    unit = PopulationUnit.objects.create(
        population=population, key="P-M-003", label="P-M-003", value="100.00"
    )
    sample = Sample.objects.create(
        population=population,
        method="mus_standard",
        confidence=70,
        sigma="0.05",
        anticipated_error="0.00",
        tolerable_error="2.00",
        seed=1,
        size=1,
        sampled_size=0,
        sampled_value="0.00",
        drawn_by=auditor,
    )
    item = SampledItem.objects.create(
        sample=sample, unit=unit, position=1, stratum="high", book_value="100.00"
    )
    document = ItemDocument(
        item=item,
        name="audit.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=auditor,
    )
    document.file.save("audit.pdf", ContentFile(b"%PDF-1.4 "), save=True)
    plan = SamplingPlan.objects.create(
        programme=population.programme,
        year=2019,
        unit_kind="operation",
        cutoff_date="2019-01-31",
        confidence=70,
        sigma_r1="0.05",
        sigma_r2="0.05",
        bv2_forecast="100.00",
        anticipated_error="0.00",
        tolerable_error="4.00",
        size=30,
        size1=15,
        size2=15,
        planned_by=auditor,
    )
    subsample = Subsample.objects.create(
        item=item, seed=1, lines=1, size=1, lines_value="100.00", drawn_by=auditor
    )
    line = SubsampledLine.objects.create(
        subsample=subsample, position=1, key="V0000001·L00001", book_value="100.00"
    )
    return {
        "audit_population": population.pk,
        "audit_sample": sample.pk,
        "sampled_item": item.pk,
        "item_document": document.pk,
        "sampling_plan": plan.pk,
        "subsample": subsample.pk,
        "subsampled_line": line.pk,
    }


def _annual_reports(officer: User) -> dict[str, Any]:
    """A draft annual implementation report of the 2014-2020 programme for 2019 (issue 17, section 2)."""
    from amis.annual_reports import services as annual_services

    report = annual_services.report_create(
        actor=officer, programme=Programme.objects.get(cci="2014BE65AMNP001"), year=2019
    )
    approved = annual_services.report_create(
        actor=officer, programme=Programme.objects.get(cci="2014BE65AMNP001"), year=2018
    )
    type(approved).objects.filter(pk=approved.pk).update(status="approved")  # what the public may read
    return {"annual_year": report.year, "approved_annual_year": approved.year}


def _audit(auditor: User, delegated: Organisation) -> dict[str, Any]:
    """The audit authority's records of the 2014-2020 programme (issue 19): the 2019 plan with a body
    whose system audit is in progress and has an open finding, and a draft annual control report. The
    body is the delegated authority's, so its officer reads it (a delegated authority officer reads only
    their own body's audit: amis/audit/tests/test_scope.py)."""
    from amis.audit.models import (
        AuditedBody,
        AuditFinding,
        AuditPlan,
        AuditStrategy,
        ControlReport,
        SystemAudit,
    )

    programme = Programme.objects.get(cci="2014BE65AMNP001")
    strategy = AuditStrategy.objects.create(programme=programme, created_by=auditor)
    plan = AuditPlan.objects.create(strategy=strategy, year=2019, created_by=auditor)
    body = AuditedBody.objects.create(
        plan=plan,
        kind="delegated",
        name="Matrix DA",
        organisation=delegated,
        risk_factors={},
        risk_score=10,
        risk_level="low",
        risk_justification="matrix",
        key_requirements=["KR4"],
    )
    audit = SystemAudit.objects.create(body=body, started_on=dt.date(2019, 3, 1), created_by=auditor)
    finding = AuditFinding.objects.create(
        audit=audit,
        number=1,
        key_requirement="KR4",
        text="Matrix finding",
        recommendation="r",
        priority="low",
        deadline=dt.date(2019, 9, 1),
        created_by=auditor,
    )
    ControlReport.objects.create(
        programme=programme, year=2019, basis="matrix", prepared_by=auditor, updated_by=auditor
    )
    return {"audit_year": 2019, "audit_body": body.pk, "audit_finding": finding.pk, "control_year": 2019}


def test_auditors_write_only_audit_records() -> None:
    """Independence of the audit authority (issue 19): every action that writes, outside its records
    (`audit.*`, `sampling.*`),
    excludes the auditor (no programme, project or payment data changed by the audit authority); the
    only open-to-all writes it keeps are one's own personal records (PERSONAL_ACTIONS)."""
    from amis.accounts.permissions import AUDIT_RECORD_PREFIXES, MATRIX, PERSONAL_ACTIONS, READ_ACTIONS

    writes = [p for p in MATRIX if p.action not in READ_ACTIONS]
    outside = [
        p.action
        for p in writes
        if not p.action.startswith(AUDIT_RECORD_PREFIXES)
        and (Role.AUDITOR in p.roles or Role.AUDITOR in p.own_organisation or p.public)
    ]
    assert outside == []
    open_to_all = sorted(p.action for p in writes if p.any_user)
    assert set(open_to_all) <= PERSONAL_ACTIONS, open_to_all


def test_only_auditors_write_audit_records() -> None:
    """Every write of an audit record (`audit.*`, `sampling.*`) is the audit authority's alone: no
    other role changes or deletes an audit record (the auditee's reply is its own record,
    `audit_reply.submit`, which auditors lack)."""
    from amis.accounts.permissions import AUDIT_RECORD_PREFIXES, MATRIX, READ_ACTIONS

    audit_writes = [
        p for p in MATRIX if p.action.startswith(AUDIT_RECORD_PREFIXES) and p.action not in READ_ACTIONS
    ]
    assert {p.action for p in audit_writes} >= {
        "audit.plan",
        "audit.conduct",
        "audit.report",
        "audit.approve",
        "sampling.manage",
    }
    for p in audit_writes:
        assert p.roles == frozenset({Role.AUDITOR}), p.action
        assert not (p.public or p.any_user or p.own_organisation), p.action
    assert Role.AUDITOR not in BY_ACTION["audit_reply.submit"].roles


def test_every_action_is_read_or_write_on_purpose() -> None:
    """The read list names only actions of the matrix, and what it calls a read never includes a
    word of writing (so a new write cannot slip in as a read)."""
    from amis.accounts.permissions import MATRIX, READ_ACTIONS

    actions = {p.action for p in MATRIX}
    assert READ_ACTIONS <= actions
    for action in READ_ACTIONS:
        verb = action.split(".", 1)[1]
        assert verb in {"view", "list", "export", "view_drafts", "mine", "view_records"}, action


def test_auditors_read_the_whole_programme() -> None:
    """Audit authority users read everything the programme has: every read action (pages of
    authorities, projects, documents, the audit trail, money) except the public ones they share."""
    from amis.accounts.permissions import MATRIX, READ_ACTIONS

    missing = [
        p.action
        for p in MATRIX
        if p.action in READ_ACTIONS and not (p.public or p.any_user or Role.AUDITOR in p.roles)
    ]
    assert missing == []
