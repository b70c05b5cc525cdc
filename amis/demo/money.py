"""Verification, on-the-spot checks and payments in the demo (issue 15): the decided 2021-2027 call's
projects taken through the real services, each step by the person whose role it is, so the audit trail
and the segregation of duties are those of real work.

- The flagship "Taal en werk in Mechelen": interim report 1 was returned by the verifier for the
  payslips of one coach and submitted again two weeks ago (round 2: the 80-day payment clock of
  CPR Art. 74(1)(b) counts from it). Verified by the verifier (Julie Lambert, who never prepared the
  agreement): most lines eligible, bulk per category; one taxi ride without a trip sheet ineligible
  (a reason from the list plus text); one lunch reduced to the unit ceiling; the checklist answered.
  Its pre-financing was proposed by the payment officer (Marc Dubois), approved by the authorising
  officer (Anne Peeters) and paid in a first SEPA batch by the accounting unit (Luc Maes); its interim
  payment went the same way in a second batch, exported and recorded as paid. An operational
  on-the-spot check is planned in three weeks.
- Four short projects that ended at the end of the month before last (`amis.demo.finished`), each
  with its pre-financing paid in the first batch and its final report submitted four weeks after
  its period:
  - "Wegwijs in de buurt": verified, its balance proposed and awaiting approval;
  - "Eerste stappen naar werk": not verified yet (the verifier's queue);
  - "Taalbad voor jonge nieuwkomers": verified with one ineligible line, selected by this year's
    risk-based selection (recorded seed) and visited today: a finding with a recommendation, the
    beneficiary's reply, a financial correction on the line the finding names; a finding of its final
    report's verification (undeclared revenue) with a recovery ordered from it, offset against its
    balance, paid in a third batch (`recovery_after_finding`);
  - "Samen aan tafel": verified, its balance paid in the second batch, closed (`closed_project`).

Services without a date parameter (payment approval, batches) stamp the moment the demo is built,
and this year's verifications are completed today too (`amis.demo.history` dates the past years'
with `now=`), so the authority's work is dated today; the bank's date of every payment and the day
of the visit are today as well, so nothing is paid before it was approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from html import escape

from django.db import transaction
from django.utils import timezone

from amis.accounts.models import User
from amis.core.money import cents
from amis.demo import finished
from amis.demo.expenditure import SUPPLIERS, add_months, template_csv
from amis.demo.projects import (
    CARITAS,
    CODE,
    DA,
    FLAGSHIP_TITLE,
    RA_OFFICER,
    Plan,
    _at,
    _sign_both,
    import_lines,
)
from amis.payments import closure, recoveries
from amis.payments import services as payments
from amis.payments.models import Payment, PaymentBatch
from amis.projects import services as projects
from amis.projects.models import Project
from amis.reporting import services as reports
from amis.reporting.models import ExpenditureImport, ExpenditureLine, Report
from amis.verification import irregularities, spot_checks
from amis.verification import services as verification
from amis.verification.models import CheckSelection, Finding, LineDecision, OnTheSpotCheck, Verification
from amis.verification.selectors import checklist_for

VERIFIER = "verifier@amis.example"
AUTHORISING = "ra.manager@amis.example"
ACCOUNTING = "accounting@amis.example"

SELECTION_SEED = 20210415  # the random part of the year's on-the-spot selection
SELECTION_WEIGHTS = {
    "size": "1",
    "beneficiary_type": "1",
    "history": "1",
    "earlier_findings": "2",
    "ineligible_share": "3",
    "procurement": "1",
}


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _project(title: str) -> Project:
    return Project.objects.get(application__call__code=CODE, application__title=title)


def _fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


# --- the beneficiaries' side -------------------------------------------------------------------------


def _finished_project(spec: finished.Finished, plan: Plan, seed: int) -> Project:
    """Agreement prepared, issued and signed before the project started; its final report filled in
    (progress, activities, the indicator), its lines imported from the template and the report
    submitted four weeks after its period."""
    project = _project(spec.title)
    start, end = finished.period(plan.today)
    version = projects.agreement_prepare(
        actor=_user(DA), project=project, now=_at(start - dt.timedelta(days=24), 10)
    )
    version = projects.version_issue(
        actor=_user(RA_OFFICER),
        version=version,
        expected_lock_version=version.lock_version,
        now=_at(start - dt.timedelta(days=21), 11),
    )
    _sign_both(version, start - dt.timedelta(days=14), spec.email, spec.signatory)
    beneficiary = _user(spec.email)
    report = Report.objects.get(project=project, kind=Report.Kind.FINAL)
    report = reports.report_update(
        actor=beneficiary,
        report=report,
        expected_lock_version=report.lock_version,
        data={
            "progress": f"Afgerond: {spec.participants} deelnemers volgden het volledige traject.",
            "activities": [
                {"activity": "Intake en taalscreening", "progress": "Alle deelnemers gescreend."},
                {"activity": "Nederlands op de werkvloer", "progress": "Wekelijkse lessen, zes maanden."},
                {"activity": "Jobcoaching bij werkgevers", "progress": "Bezoeken bij twaalf werkgevers."},
            ],
            "indicators": {"O.2.1": {"value": spec.participants}},
        },
    )
    rows = finished.final_rows(start, end, seed)
    name = f"uitgaven-eindrapport-{project.reference}.csv"
    imported = import_lines(report=report, actor=beneficiary, name=name, data=template_csv(rows))
    if imported.status != ExpenditureImport.Status.DONE:
        raise RuntimeError(f"The demo's expenditure file was refused: {imported.errors[:3]}")
    reports.report_submit(
        actor=beneficiary,
        report=_fresh(report),
        expected_lock_version=_fresh(report).lock_version,
        now=_at(report.due_date - dt.timedelta(days=5), 14),
    )
    return project


def _timesheet(report: Report) -> bytes:
    """The coach's monthly time sheets over the report's period, as a one-page PDF (WeasyPrint)."""
    from weasyprint import HTML  # slow to import: only when the demo is loaded

    rows = "".join(
        f"<tr><td>{add_months(report.period_start, n):%m/%Y}</td><td>121,6</td><td>152</td></tr>"
        for n in range(6)
    )
    html = (
        "<h1>Tijdsregistratie Ahmad Rahimi, jobcoach (80 %)</h1>"
        f"<p>{report.project.reference}, rapport {report.number}: {report.period_start.isoformat()} – "
        f"{report.period_end.isoformat()}</p>"
        f"<table><tr><th>Maand</th><th>Uren project</th><th>Uren totaal</th></tr>{rows}</table>"
    )
    return bytes(HTML(string=html).write_pdf())


def _return_and_resubmit(report: Report, plan: Plan) -> Report:
    """The verifier returns interim report 1 for the payslips of one coach three weeks after it came
    in; the beneficiary adds them and submits it again two weeks ago (round 2)."""
    first = report.submitted_at
    assert first is not None
    reports.report_return(
        actor=_user(VERIFIER),
        report=report,
        expected_lock_version=report.lock_version,
        comments=(
            "Voeg de loonfiches en de tijdsregistratie van jobcoach Ahmad Rahimi (80 %) toe: zonder "
            "tijdsregistratie kunnen we zijn loonkosten niet aan het project toewijzen."
        ),
        now=first + dt.timedelta(days=21),
    )
    caritas = _user(CARITAS)
    reports.document_upload(
        actor=caritas,
        report=_fresh(report),
        name="tijdsregistratie-ahmad-rahimi.pdf",
        data=_timesheet(report),
    )
    current = _fresh(report)
    reports.report_submit(
        actor=caritas,
        report=current,
        expected_lock_version=current.lock_version,
        now=_at(plan.today - dt.timedelta(days=14), 11),
    )
    return _fresh(report)


# --- verification --------------------------------------------------------------------------------------


def _answer_checklist(verifier: User, started: Verification, exceptions: dict[str, str]) -> Verification:
    answers = {
        item.code: {"answer": "no", "comment": exceptions[item.code]}
        if item.code in exceptions
        else {"answer": "yes", "comment": ""}
        for item in checklist_for(started.report)
    }
    return verification.checklist_answer(
        actor=verifier, verification=started, expected_lock_version=started.lock_version, answers=answers
    )


def _verify(
    report: Report,
    *,
    ineligible: tuple[ExpenditureLine, str, str] | None = None,
    reduced: tuple[ExpenditureLine, Decimal, str, str] | None = None,
    exceptions: dict[str, str] | None = None,
) -> Verification:
    """The verifier's desk check: the named lines decided one by one, every other line eligible in
    bulk per cost category, the checklist answered, the verification completed."""
    verifier = _user(VERIFIER)
    started = verification.verification_start(actor=verifier, report=report)
    if ineligible is not None:
        line, reason, text = ineligible
        verification.lines_decide(
            actor=verifier,
            verification=started,
            filters={"ids": [line.pk]},
            decision=LineDecision.Decision.INELIGIBLE,
            reason=reason,
            reason_text=text,
        )
    if reduced is not None:
        line, kept, reason, text = reduced
        verification.lines_decide(
            actor=verifier,
            verification=started,
            filters={"ids": [line.pk]},
            decision=LineDecision.Decision.REDUCED,
            eligible=kept,
            reason=reason,
            reason_text=text,
        )
    categories = (
        ExpenditureLine.objects.filter(report=report)
        .exclude(decisions__verification=started)
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )
    for category in list(categories):
        verification.lines_decide(
            actor=verifier,
            verification=started,
            filters={"category": category, "undecided": True},
            decision=LineDecision.Decision.ELIGIBLE,
        )
    started = Verification.objects.get(pk=started.pk)
    answered = _answer_checklist(verifier, started, exceptions or {})
    return verification.verification_complete(
        actor=verifier, verification=answered, expected_lock_version=answered.lock_version
    )


def _line(report: Report, supplier: str, description: str = "") -> ExpenditureLine:
    lines = ExpenditureLine.objects.filter(report=report, supplier_name=SUPPLIERS[supplier][0])
    if description:
        lines = lines.filter(description__startswith=description)
    found = lines.order_by("position").first()
    if found is None:
        raise RuntimeError(f"The demo's report {report} has no line of {supplier} {description!r}.")
    return found


# --- payments ------------------------------------------------------------------------------------------


def _approved(project: Project, kind: str, report: Report | None = None) -> Payment:
    """Proposed by the payment officer with AMIS's working, approved by the authorising officer."""
    proposed = payments.payment_propose(actor=_user(RA_OFFICER), project=project, kind=kind, report=report)
    return payments.payment_approve(
        actor=_user(AUTHORISING), payment=proposed, expected_lock_version=proposed.lock_version
    )


def _paid_batch(approved: list[Payment], today: dt.date) -> PaymentBatch:
    """The accounting unit batches the approved payments, exports the SEPA file and, once the bank
    has executed it, records each payment as paid with the bank's date."""
    accounting = _user(ACCOUNTING)
    batch = payments.batch_create(actor=accounting, payments=approved, execution_date=today)
    batch = payments.batch_export(actor=accounting, batch=batch, expected_lock_version=batch.lock_version)
    for payment in Payment.objects.filter(batch=batch).order_by("pk"):
        payments.payment_record_paid(
            actor=accounting, payment=payment, expected_lock_version=payment.lock_version, paid_on=today
        )
    return batch


# --- on-the-spot checks --------------------------------------------------------------------------------


def _selection(plan: Plan) -> CheckSelection:
    """This year's selection: the two riskiest projects and one drawn at random, seed recorded."""
    return spot_checks.selection_run(
        actor=_user(VERIFIER),
        programme=Project.objects.get(application__title=FLAGSHIP_TITLE).application.call.programme,
        year=plan.today.year,
        weights=SELECTION_WEIGHTS,
        risk_count=2,
        random_count=1,
        seed=SELECTION_SEED,
    )


def _attendance_pdf(project: Project, room: ExpenditureLine) -> bytes:
    """The attendance lists the team copied during the visit, as a one-page PDF (WeasyPrint)."""
    from weasyprint import HTML  # slow to import: only when the demo is loaded

    html = (
        f"<h1>Aanwezigheidslijsten {escape(project.reference)}</h1>"
        f"<p>Gekopieerd tijdens de controle ter plaatse. Op {room.invoice_date:%d/%m/%Y} (zaalhuur "
        f"factuur {escape(room.invoice_number)}): geen lijst, geen les.</p>"
    )
    return bytes(HTML(string=html).write_pdf())


def _visit(project: Project, selection: CheckSelection, plan: Plan) -> OnTheSpotCheck:
    """A financial check of the ended project, visited today: one room was hired for a day without
    lessons (the attendance lists show none); the finding, its recommendation, the attendance lists
    kept with their checksum, the beneficiary's reply, and the line taken back as a financial
    correction."""
    verifier = _user(VERIFIER)
    check = spot_checks.check_plan(
        actor=verifier,
        project=project,
        kind=OnTheSpotCheck.Kind.FINANCIAL,
        planned_on=plan.today,
        selection=selection,
    )
    report = Report.objects.get(project=project, kind=Report.Kind.FINAL)
    room = _line(report, "room", "Zaalhuur extra lesdag")
    check = spot_checks.check_record_visit(
        actor=verifier,
        check=check,
        expected_lock_version=check.lock_version,
        visited_on=plan.today,
        team=["Julie Lambert", "Marc Dubois"],
        checklist={
            "Facturen en betalingsbewijzen": "checked",
            "Aanwezigheidslijsten": "checked",
            "Loonfiches en tijdsregistratie": "checked",
            "Vermelding van de EU-steun op het cursusmateriaal": "checked",
        },
        summary=(
            "Boekhouding, facturen en betalingsbewijzen ingezien bij Caritas in Brussel; "
            "aanwezigheidslijsten vergeleken met de zaalhuur."
        ),
        findings=[
            {
                "text": (
                    f"Zaalhuur factuur {room.invoice_number} ({room.invoice_date:%d/%m/%Y}): op die dag "
                    "was er geen les; de aanwezigheidslijsten tonen geen deelnemers."
                ),
                "severity": "minor",
                "amount_at_stake": str(room.amount_declared),
                "recommendation": (
                    "Zaalhuur enkel aanrekenen voor lesdagen met een aanwezigheidslijst; de zaalhuur "
                    "maandelijks afstemmen op de lesplanning."
                ),
            }
        ],
    )
    spot_checks.check_add_document(
        actor=verifier,
        check=check,
        name=f"aanwezigheidslijsten-{project.reference}.pdf",
        data=_attendance_pdf(project, room),
    )
    check = spot_checks.check_reply(
        actor=_user(CARITAS),
        check=check,
        expected_lock_version=check.lock_version,
        reply=(
            "De les van die dag werd op het laatste moment afgelast; de zaal was niet meer kosteloos "
            "te annuleren. We aanvaarden de correctie en stemmen de zaalhuur voortaan maandelijks af."
        ),
    )
    finding = check.findings.get()
    spot_checks.correction_record(
        actor=verifier,
        finding=finding,
        amount=room.amount_declared,
        reason="Zaalhuur voor een dag zonder les (bevinding van de controle ter plaatse).",
        line_id=room.pk,
    )
    return check


# --- the two stages that wait for their services --------------------------------------------------------


def recovery_after_finding(project: Project, report: Report, plan: Plan) -> Payment:
    """ "A recovery offset against its balance": on "Taalbad voor jonge nieuwkomers"
    (`finished.RECOVERY`) the verifier of the final report finds that the participants paid a fee
    for the closing excursion that the project never declared as revenue; revenue lowers what the
    EU pays, and it is not an expenditure line to correct, so the payment officer orders a recovery
    of its EU share from that finding. The balance then proposed offsets it (payments.rules.payable),
    the authorising officer approves it and the accounting unit pays the rest in a batch."""
    done = Verification.objects.get(report=report, status=Verification.Status.COMPLETED)
    fees = Decimal("640.00")  # 32 participants x EUR 20
    finding = irregularities.verification_finding_record(
        actor=_user(VERIFIER),
        verification=done,
        text="De deelnemers betaalden EUR 20 voor de slotuitstap (32 x 20 = EUR 640): ontvangsten die "
        "het eindverslag niet aangeeft.",
        severity=Finding.Severity.MINOR,
        amount_at_stake=fees,
        recommendation="Ontvangsten van deelnemers voortaan in het financieel verslag opnemen.",
    )
    version = project.agreement.versions.filter(status="signed").order_by("-number").first()
    assert version is not None
    recoveries.recovery_order(
        actor=_user(RA_OFFICER),
        project=project,
        amount=cents(fees * version.eu_rate),
        due_date=timezone.localdate() + dt.timedelta(days=60),  # the service's today: never in the past
        reason="EU-aandeel van niet-aangegeven ontvangsten (deelnemersbijdragen slotuitstap).",
        finding=finding,
    )
    balance = _approved(project, Payment.Kind.BALANCE, report)
    _paid_batch([balance], plan.today)
    balance.refresh_from_db()
    return balance


def closed_project(project: Project) -> None:
    """ "One closed": "Samen aan tafel" (`finished.CLOSURE`), final report verified, balance paid,
    nothing pending or open, is closed by the authorising officer; its figures are frozen."""
    closure.project_close(actor=_user(AUTHORISING), project=project)


# --- the loader ----------------------------------------------------------------------------------------


@transaction.atomic
def load_money(log: Callable[[str], None] = print, today: dt.date | None = None) -> None:
    """Verifications, on-the-spot checks and payments of the decided 2021-2027 call (see the module's
    docstring). Loaded once, after `amis.demo.projects.load_projects`."""
    if Verification.objects.filter(report__project__application__call__code=CODE).exists():
        return
    plan = Plan.for_today(today or timezone.localdate())
    flagship = _project(FLAGSHIP_TITLE)
    ended = {spec.key: _finished_project(spec, plan, seed=31 + n) for n, spec in enumerate(finished.FINISHED)}
    report = _return_and_resubmit(Report.objects.get(project=flagship, number=1), plan)

    # pre-financing on signature, paid in the first batch
    first = _paid_batch(
        [_approved(p, Payment.Kind.PREFINANCING) for p in (flagship, *ended.values())], plan.today
    )

    # desk verifications
    taxi = _line(report, "taxi")
    lunch = _line(report, "catering")
    _verify(
        report,
        ineligible=(
            taxi,
            LineDecision.Reason.NO_DOCUMENT,
            "Geen rittenblad: de taxirit is aan geen deelnemer of activiteit te koppelen.",
        ),
        reduced=(
            lunch,
            cents(Decimal(lunch.amount_declared) * Decimal("0.6")),
            LineDecision.Reason.ABOVE_CEILING,
            "Broodjeslunch boven het plafond van EUR 12 per deelnemer en lesdag.",
        ),
        exceptions={"documents": f"Eén taxirit zonder rittenblad (lijn {taxi.position}), niet subsidiabel."},
    )
    finals = {key: Report.objects.get(project=p, kind=Report.Kind.FINAL) for key, p in ended.items()}
    _verify(
        finals["balance_proposed"],
        reduced=(
            (line := _line(finals["balance_proposed"], "catering")),
            cents(Decimal(line.amount_declared) * Decimal("0.8")),
            LineDecision.Reason.ABOVE_CEILING,
            "Broodjeslunch boven het plafond van EUR 12 per deelnemer en lesdag.",
        ),
    )
    _verify(
        finals["recovery"],
        ineligible=(
            _line(finals["recovery"], "translation"),
            LineDecision.Reason.OTHER,
            "Vertaling van uitnodigingen voor een activiteit buiten het project (de buurtfeesten).",
        ),
    )
    _verify(finals["closure"])

    # the flagship's interim payment and one ended project's balance, paid in the second batch
    second = _paid_batch(
        [
            _approved(flagship, Payment.Kind.INTERIM, report),
            _approved(ended["closure"], Payment.Kind.BALANCE, finals["closure"]),
        ],
        plan.today,
    )
    # a balance proposed, awaiting the authorising officer
    balance = payments.payment_propose(
        actor=_user(RA_OFFICER),
        project=ended["balance_proposed"],
        kind=Payment.Kind.BALANCE,
        report=finals["balance_proposed"],
    )

    closed_project(ended["closure"])

    # this year's on-the-spot selection, a visit on the ended project it picked, a check planned
    selection = _selection(plan)
    chosen = ended["recovery"]
    if chosen.reference not in (*selection.risk_based, *selection.random_part):
        raise RuntimeError(f"The demo's selection did not pick {chosen.reference}: {selection.method}")
    _visit(chosen, selection, plan)
    offset = recovery_after_finding(chosen, finals["recovery"], plan)
    if flagship.reference in (*selection.risk_based, *selection.random_part):
        spot_checks.check_plan(
            actor=_user(VERIFIER),
            project=flagship,
            kind=OnTheSpotCheck.Kind.OPERATIONAL,
            planned_on=plan.today + dt.timedelta(days=21),
            selection=selection,
        )
    log(
        f"Payments: batch {first.reference} (pre-financing of {first.transactions} projects) and batch "
        f"{second.reference} ({flagship.reference} interim payment, {ended['closure'].reference} balance) "
        f"exported and paid; balance of {ended['balance_proposed'].reference} (EUR {balance.amount:.2f}) "
        f"awaiting approval; final report of {ended['awaiting_verification'].reference} to verify; "
        f"{chosen.reference} visited on the spot with a finding and a correction, a recovery offset "
        f"against its balance (EUR {offset.offset:.2f}); {ended['closure'].reference} paid in full, "
        "closed."
    )
