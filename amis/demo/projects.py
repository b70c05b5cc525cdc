"""Projects after selection: a Flemish call of the 2021-2027 programme decided a year ago, whose
projects stand at different stages of their grant.

- "Taal en werk in Mechelen" (Caritas), the selected Flemish project: agreement prepared by the DA
  officer, issued by the RA officer (four eyes), signed by both sides with the signed scan; its
  eligibility period started eleven months ago. An amendment (staff costs instead of equipment)
  approved and signed two months ago. Interim report 1 submitted, with ~200 expenditure lines read
  from a CSV file in the columns of the expenditure template; interim report 2 due next month.
- "Samen sterk op de werkvloer" (Red Cross): agreement issued, awaiting both signatures.
- "Buddy's voor nieuwkomers" (Caritas): selected, no agreement prepared yet.
- "Werkervaring in de zorg" (Red Cross): agreement signed eight months ago; its first interim report
  is overdue (for the officers' overdue list and the reminders).
- four six-month projects that have already ended (`amis.demo.finished`), taken to the last stages
  of a grant by `amis.demo.money` with the interim report's verification and payments.

The earlier 2014-2020 demo call FL-AMIF-INT-00 keeps its selected project without an agreement: its
dates lie after 30 June 2024, the end of the 2014-2020 eligibility window (Regulation (EU)
No 514/2014 Art. 17(3)), so no agreement can be issued for it — a project at another stage.

Projects that started in the past need a history: the call opened, the applications were submitted,
the committee met and the agreements were issued and signed on past dates, each through its service
with the service's `now=` or date parameter, so the same checks run as on the pages. Dates are
relative to today, so the demo looks the same whenever it is loaded.

Expenditure lines of report 1 are written to a CSV file in the template's columns (`TEMPLATE_COLUMNS`),
then read back, checked line by line with `reporting.rules.check_line` against the report's
`reporting.selectors.line_context` (nothing saved unless every line passes), and stored as one
completed `ExpenditureImport` with its lines; the report is then submitted (round 1, its snapshot).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation

from amis.accounts.models import User
from amis.applications import services as applications
from amis.applications.models import Application
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.core import audit
from amis.core.money import ZERO, cents
from amis.demo import finished
from amis.demo.calls import TWO_CRITERIA
from amis.demo.expenditure import add_months, expenditure_rows, template_csv
from amis.demo.programme import BELGIAN_2021_CCI
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from amis.projects import services as projects
from amis.projects.models import AgreementVersion, GrantTerms, Project
from amis.projects.rules import ELIGIBILITY_WINDOW, PERIOD_2021, CalendarEntry, reporting_calendar
from amis.reporting import services as reports
from amis.reporting.imports import run as import_run
from amis.reporting.imports import services as import_services
from amis.reporting.models import (
    ExpenditureImport,
    IndicatorAchievement,
    Report,
)
from amis.selection import services as selection

CODE = "FL-AMIF21-INT-00"
DA = "da.flanders@amis.example"
RA_OFFICER = "ra.officer@amis.example"
CARITAS = "beneficiary@caritas.example"
REDCROSS = "beneficiary@redcross.example"

INTERIM_MONTHS = 6  # the call's grant terms: an interim report every six months,
DUE_DAYS = 28  # due four weeks after its period (so a period ending this month is due next month)
PREFINANCING_SHARE = Decimal("0.2000")  # paid on signature; the first interim claim is above it

FLAGSHIP_TITLE = "Taal en werk in Mechelen"
ISSUED_TITLE = "Samen sterk op de werkvloer"
SELECTED_TITLE = "Buddy's voor nieuwkomers"
OVERDUE_TITLE = "Werkervaring in de zorg"


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _budget(start: dt.date, end: dt.date, per_category: dict[str, str]) -> list[dict[str, object]]:
    """The direct costs spread over the calendar years of the period, by months in each year."""
    months: dict[int, int] = {}
    day = start
    while day <= end:
        months[day.year] = months.get(day.year, 0) + 1
        day = add_months(day, 1)
    total_months = sum(months.values())
    lines: list[dict[str, object]] = []
    for category, amount in per_category.items():
        left = Decimal(amount)
        years = sorted(months)
        for year in years:
            share = left if year == years[-1] else cents(Decimal(amount) * months[year] / total_months)
            left -= share
            lines.append(
                {
                    "category": category,
                    "year": year,
                    "description": _DESCRIPTIONS[category],
                    "amount": str(share),
                }
            )
    return lines


_DESCRIPTIONS = {
    "staff": "Trajectbegeleiders en taalcoaches",
    "travel": "Verplaatsingen naar werkgevers en deelnemers",
    "equipment": "Laptops en projectiemateriaal voor de taallessen",
    "other": "Lokalen, cursusmateriaal, vertaling en tolken",
}


def _application(
    call: Call,
    *,
    email: str,
    short: str,
    title: str,
    summary: str,
    start: dt.date,
    end: dt.date,
    per_category: dict[str, str],
    participants: str,
    during: dt.datetime,
    indicator: str = "O.2.1",
) -> Application:
    """An application drafted and submitted while the call was open (`now=` in the past), with a 7 %
    flat rate for indirect costs and 75 % EU co-financing."""
    user = _user(email)
    app = applications.application_create(
        actor=user,
        call=call,
        organisation=Organisation.objects.get(short_name=short),
        title=title,
        now=during,
    )
    budget = _budget(start, end, per_category)
    direct = sum((Decimal(str(b["amount"])) for b in budget), ZERO)
    total = direct + cents(direct * Decimal("0.07"))
    eu = cents(total * Decimal("0.75"))
    app = applications.application_update(
        actor=user,
        application=app,
        expected_lock_version=app.lock_version,
        data={
            "summary": summary,
            "target_groups": ["third-country nationals", "women"],
            "expected_participants": int(Decimal(participants)),
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "indirect_rate": "0.07",
            "activities": [
                {"name": "Intake en taalscreening", "start": start.isoformat(), "end": end.isoformat()},
                {"name": "Nederlands op de werkvloer", "start": start.isoformat(), "end": end.isoformat()},
                {"name": "Jobcoaching bij werkgevers", "start": start.isoformat(), "end": end.isoformat()},
            ],
            "planned_indicators": {indicator: participants},
            "budget": budget,
            "funding": {"eu": str(eu), "national_public": str(total - eu)},
            "funders": {"national_public": "Agentschap Integratie en Inburgering"},
        },
    )
    return applications.application_submit(
        actor=user, application=app, expected_lock_version=app.lock_version, now=during
    )


def _scan_pdf(version: AgreementVersion, signed_on: dt.date, signatory: str) -> bytes:
    """The agreement as signed by both sides, scanned: a one-page PDF (WeasyPrint)."""
    from weasyprint import HTML  # slow to import: only when the demo is loaded

    terms = version.terms
    html = (
        f"<h1>Subsidieovereenkomst {version.agreement.reference}, versie {version.number}</h1>"
        f"<p>{escape(terms['title'])} — {escape(terms['beneficiary']['name'])}</p>"
        f"<p>Maximale subsidie: EUR {Decimal(terms['max_grant']):,.2f}; subsidiabiliteitsperiode "
        f"{terms['eligible_start']} – {terms['eligible_end']}.</p>"
        f"<p>Ondertekend te Brussel en te Mechelen op {signed_on.isoformat()}.</p>"
        f"<p>Voor de verantwoordelijke autoriteit: Marc Dubois. Voor de begunstigde: {escape(signatory)}.</p>"
    )
    return bytes(HTML(string=html).write_pdf())


def _sign_both(version: AgreementVersion, signed_on: dt.date, beneficiary_email: str, signatory: str) -> None:
    version = projects.version_sign(
        actor=_user(RA_OFFICER),
        version=version,
        expected_lock_version=version.lock_version,
        side="authority",
        signatory="Marc Dubois",
        signed_on=signed_on,
    )
    projects.version_sign(
        actor=_user(beneficiary_email),
        version=version,
        expected_lock_version=version.lock_version,
        side="beneficiary",
        signatory=signatory,
        signed_on=signed_on,
        scan=(
            f"{version.agreement.reference}-v{version.number}-ondertekend.pdf",
            _scan_pdf(version, signed_on, signatory),
        ),
    )


@dataclass(frozen=True)
class Plan:
    """The demo's history, relative to `today`: the call opened sixteen months ago; the Mechelen
    project's eligibility period started on the first of the month eleven months ago and lasts two
    years (interim report 1 covers its first six months and was submitted; report 2's period ends
    this month, so it is due next month); the amendment was signed two months ago."""

    today: dt.date
    start: dt.date
    end: dt.date
    call_end: dt.date
    opens: dt.date
    closes: dt.date
    committee: dt.date
    v1_issued: dt.date
    v1_signed: dt.date
    v2_issued: dt.date
    v2_signed: dt.date
    issued_on: dt.date
    issued_start: dt.date
    issued_end: dt.date
    selected_start: dt.date
    selected_end: dt.date
    overdue_start: dt.date
    overdue_end: dt.date
    overdue_signed: dt.date

    @classmethod
    def for_today(cls, today: dt.date) -> Plan:
        start = add_months(today.replace(day=1), -11)
        later = add_months(today.replace(day=1), 1)
        v1_signed = start - dt.timedelta(days=12)
        v2_signed = today - dt.timedelta(days=60)
        last = ELIGIBILITY_WINDOW[PERIOD_2021][1]  # nothing beyond 31 December 2029 (2021/1060 Art. 63(2))

        def until(day: dt.date) -> dt.date:
            return min(day, last)

        return cls(
            today=today,
            start=start,
            end=until(add_months(start, 24) - dt.timedelta(days=1)),
            call_end=until(add_months(start, 36) - dt.timedelta(days=1)),
            opens=add_months(start, -5),
            closes=add_months(start, -3) + dt.timedelta(days=14),
            committee=add_months(start, -2) + dt.timedelta(days=9),
            v1_issued=v1_signed - dt.timedelta(days=7),
            v1_signed=v1_signed,
            v2_issued=v2_signed - dt.timedelta(days=4),
            v2_signed=v2_signed,
            issued_on=today - dt.timedelta(days=6),
            issued_start=later,
            issued_end=until(add_months(later, 24) - dt.timedelta(days=1)),
            selected_start=add_months(later, 1),
            selected_end=until(add_months(later, 19) - dt.timedelta(days=1)),
            overdue_start=add_months(today.replace(day=1), -8),
            overdue_end=until(add_months(today.replace(day=1), 10) - dt.timedelta(days=1)),
            overdue_signed=add_months(today.replace(day=1), -8) - dt.timedelta(days=5),
        )

    def calendar(self) -> list[CalendarEntry]:
        """The Mechelen project's reports under the call's grant terms."""
        return reporting_calendar(self.start, self.end, INTERIM_MONTHS, DUE_DAYS)

    def overdue_calendar(self) -> list[CalendarEntry]:
        """The care project's reports under the call's grant terms."""
        return reporting_calendar(self.overdue_start, self.overdue_end, INTERIM_MONTHS, DUE_DAYS)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def import_lines(
    *, report: Report, actor: User, name: str, data: bytes, language: str = "nl"
) -> ExpenditureImport:
    """The beneficiary imports the file as on the import page: `import_start` stores it with its
    checksum and queues the import; the demo runs the worker's job at once (the queued task then finds
    it done and leaves it alone). A file with any refused row saves no line; the import says why."""
    imp = import_services.import_start(
        actor=actor,
        report=report,
        upload=SimpleUploadedFile(name, data, content_type="text/csv"),
        number_format="point",
        language=language,
    )
    with translation.override(language):
        done = import_run.import_run(imp.pk, "point", language)
    assert done is not None
    return done


def submit_report(*, report: Report, actor: User, at: dt.datetime) -> Report:
    """The beneficiary submits the report through the reporting service (checked again, bound to the
    version in force at its period's end, frozen as round 1; the receipt is made by the worker)."""
    reports.report_submit(actor=actor, report=report, expected_lock_version=report.lock_version, now=at)
    return Report.objects.get(pk=report.pk)


# --- the loader --------------------------------------------------------------------------------------


@transaction.atomic
def load_projects(log: Callable[[str], None] = print) -> None:
    """The decided 2021-2027 call and its projects (see the module's docstring). Loaded once."""
    if Call.objects.filter(code=CODE).exists():
        return
    plan = Plan.for_today(timezone.localdate())
    start, end = plan.start, plan.end
    da = _user(DA)
    call, warnings = call_services.call_create(
        actor=da,
        programme=Programme.objects.get(cci=BELGIAN_2021_CCI),
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        data={
            "code": CODE,
            "title": {
                "nl": "Integratie in Vlaanderen 2021-2027: taal en werk op de werkvloer",
                "en": "Integration in Flanders 2021-2027: language and work in the workplace",
            },
            "description": {
                "nl": "Trajecten die Nederlands leren combineren met begeleiding naar en op de werkvloer "
                "voor derdelanders (AMIF 2021-2027, specifieke doelstelling 2, reguliere acties).",
                "en": "Trajectories combining Dutch with guidance to and at work for third-country "
                "nationals (AMIF 2021-2027, specific objective 2, regular actions).",
            },
            "languages": ["nl", "en"],
            "specific_objective": "SO2",
            "type_of_action": "regular",
            "budget": "1500000.00",
            "max_eu_rate": "0.75",
            "min_grant": "50000.00",
            "max_grant": "400000.00",
            "eligible_kinds": ["ngo", "local_public_body", "state_authority", "red_cross"],
            "eligible_start": start.isoformat(),
            "eligible_end": plan.call_end.isoformat(),
            "target_groups": ["third-country nationals", "women"],
            "indicators": ["O.2.1"],
            "eligibility_criteria": [
                {"code": "E1", "text": "The applicant is established in Flanders or Brussels."}
            ],
            "award_criteria": TWO_CRITERIA,
            "pass_mark": "60.00",
            "opens_at": _at(plan.opens, 9),
            "closes_at": _at(plan.closes, 12),
        },
    )
    for warning in warnings:
        log(f"Warning: {warning}")
    # the call's grant terms: an interim report every six months, due four weeks after its period
    terms = GrantTerms.objects.create(
        call=call,
        interim_report_months=INTERIM_MONTHS,
        report_due_days=DUE_DAYS,
        prefinancing_share=PREFINANCING_SHARE,
        special_conditions="De begunstigde vermeldt de steun van de Europese Unie op al het cursusmateriaal.",
    )
    audit.record(
        actor=da,
        action="create",
        obj=terms,
        after={
            "call": CODE,
            "interim_report_months": INTERIM_MONTHS,
            "report_due_days": DUE_DAYS,
            "prefinancing_share": str(PREFINANCING_SHARE),
        },
    )
    call = call_services.call_transition(
        actor=da, call=call, status="published", expected_lock_version=call.lock_version, no_documents=True
    )
    during = _at(plan.opens + dt.timedelta(days=20), 11)
    flagship = _application(
        call,
        email=CARITAS,
        short="Caritas",
        title=FLAGSHIP_TITLE,
        summary="Taal en werk in Mechelen: Nederlands op de werkvloer en jobcoaching voor nieuwkomers.",
        start=start,
        end=end,
        per_category={
            "staff": "216000.00",
            "travel": "9000.00",
            "equipment": "15000.00",
            "other": "60000.00",
        },
        participants="120",
        during=during,
    )
    issued = _application(
        call,
        email=REDCROSS,
        short="Rode Kruis",
        title=ISSUED_TITLE,
        summary="Samen sterk op de werkvloer: peter- en meterschap voor erkende vluchtelingen.",
        start=plan.issued_start,
        end=plan.issued_end,
        per_category={"staff": "180000.00", "travel": "6000.00", "other": "24000.00"},
        participants="80",
        during=during + dt.timedelta(days=3),
    )
    waiting = _application(
        call,
        email=CARITAS,
        short="Caritas",
        title=SELECTED_TITLE,
        summary="Buddy's voor nieuwkomers: vrijwillige buddy's begeleiden nieuwkomers naar een eerste job.",
        start=plan.selected_start,
        end=plan.selected_end,
        per_category={"staff": "160000.00", "travel": "5000.00", "other": "25000.00"},
        participants="60",
        during=during + dt.timedelta(days=5),
    )
    late = _application(
        call,
        email=REDCROSS,
        short="Rode Kruis",
        title=OVERDUE_TITLE,
        summary="Werkervaring in de zorg: stages in woonzorgcentra met Nederlands voor zorgberoepen.",
        start=plan.overdue_start,
        end=plan.overdue_end,
        per_category={"staff": "150000.00", "travel": "5000.00", "other": "35000.00"},
        participants="40",
        during=during + dt.timedelta(days=7),
    )
    # four short projects that have already ended (amis.demo.finished, amis.demo.money)
    done_start, done_end = finished.period(plan.today)
    ended = [
        _application(
            call,
            email=spec.email,
            short=spec.short,
            title=spec.title,
            summary=spec.summary,
            start=done_start,
            end=done_end,
            per_category=spec.per_category,
            participants=spec.participants,
            during=during + dt.timedelta(days=8 + n),
        )
        for n, spec in enumerate(finished.FINISHED)
    ]
    apps = [flagship, issued, waiting, late, *ended]
    call = Call.objects.get(pk=call.pk)
    call = call_services.call_transition(
        actor=da, call=call, status="closed", expected_lock_version=call.lock_version
    )
    for app in apps:
        selection.check_eligibility(actor=da, application=app, answers={"E1": {"met": True}})
    why = {"A1": "Zie het beoordelingsrooster.", "A2": "Zie het beoordelingsrooster."}
    for app, scores in zip(
        apps,
        (
            {"A1": "46", "A2": "42"},
            {"A1": "41", "A2": "38"},
            {"A1": "38", "A2": "36"},
            {"A1": "37", "A2": "35"},
            *(spec.scores for spec in finished.FINISHED),
        ),
        strict=True,
    ):
        for email in ("assessor@amis.example", "assessor2@amis.example"):
            selection.assess(
                actor=_user(email),
                application=app,
                no_conflict_of_interest=True,
                scores=scores,
                justifications=why,
            )
    selection.rank_and_propose(actor=da, call=call)
    meeting = selection.meeting_plan(
        actor=da, call=Call.objects.get(pk=call.pk), date=plan.committee, agenda=f"Selectie {CODE}"
    )
    mc = _user("mc.member@amis.example")
    for app in apps:
        selection.record_decision(actor=mc, meeting=meeting, application=app, decision="approve", note="")
    selection.close_meeting(
        actor=mc, meeting=meeting, minutes="Het comité keurt de voorgestelde projecten goed."
    )

    project = Project.objects.get(application=flagship)
    _flagship(project, plan)
    # the Red Cross: agreement prepared and issued last week, awaiting both signatures
    red_cross = Project.objects.get(application=issued)
    version = projects.agreement_prepare(actor=da, project=red_cross, now=_at(plan.issued_on, 9))
    projects.version_issue(
        actor=_user(RA_OFFICER),
        version=version,
        expected_lock_version=version.lock_version,
        now=_at(plan.issued_on, 11),
    )
    # the Red Cross's care project: signed eight months ago, its first interim report overdue
    overdue = Project.objects.get(application=late)
    version = projects.agreement_prepare(
        actor=da, project=overdue, now=_at(plan.overdue_signed - dt.timedelta(days=8), 10)
    )
    version = projects.version_issue(
        actor=_user(RA_OFFICER),
        version=version,
        expected_lock_version=version.lock_version,
        now=_at(plan.overdue_signed - dt.timedelta(days=6), 10),
    )
    _sign_both(version, plan.overdue_signed, REDCROSS, "Tom Wouters")
    log(
        f"Decided call {CODE} on {BELGIAN_2021_CCI}: project {project.reference} with its agreement signed, "
        f"an amendment signed, interim report 1 submitted ({project.reports.get(number=1).lines.count()} "
        f"expenditure lines) and report 2 due next month; {red_cross.reference} awaiting signatures; "
        f"{Project.objects.get(application=waiting).reference} selected, no agreement yet; "
        f"{overdue.reference} with its first interim report overdue."
    )


def _flagship(project: Project, plan: Plan) -> None:
    da = _user(DA)
    officer = _user(RA_OFFICER)
    caritas = _user(CARITAS)
    version = projects.agreement_prepare(
        actor=da, project=project, now=_at(plan.v1_issued - dt.timedelta(days=3), 10)
    )
    version = projects.version_issue(
        actor=officer,
        version=version,
        expected_lock_version=version.lock_version,
        now=_at(plan.v1_issued, 14),
    )
    _sign_both(version, plan.v1_signed, CARITAS, "Fatima El Amrani")

    # interim report 1: six months of work and expenditure, submitted before its due date
    report = Report.objects.get(project=project, number=1)
    report.progress = (
        "In de eerste zes maanden startten 52 deelnemers hun traject; 31 volgen Nederlands op de "
        "werkvloer bij negen werkgevers in de regio Mechelen, 12 vonden een eerste job."
    )
    report.activities = [
        {"activity": "Intake en taalscreening", "progress": "58 intakes, 52 deelnemers gestart."},
        {"activity": "Nederlands op de werkvloer", "progress": "31 deelnemers bij 9 werkgevers."},
        {"activity": "Jobcoaching bij werkgevers", "progress": "12 deelnemers aan het werk."},
    ]
    report.save()
    IndicatorAchievement.objects.create(report=report, code="O.2.1", value=Decimal("52"))
    submitted = _at(report.due_date - dt.timedelta(days=5), 15)
    rows = expenditure_rows(report.period_start, report.period_end)
    name = f"uitgaven-rapport-1-{project.reference}.csv"
    imported = import_lines(report=report, actor=caritas, name=name, data=template_csv(rows))
    if imported.status != ExpenditureImport.Status.DONE:
        raise RuntimeError(f"The demo's expenditure file was refused: {imported.errors[:3]}")
    submit_report(report=Report.objects.get(pk=report.pk), actor=caritas, at=submitted)

    # the amendment: more staff for workplace coaching, less equipment; approved and signed
    amendment = projects.amendment_prepare(
        actor=da,
        project=project,
        reason=(
            "Werkgevers vragen meer taalcoaching op de werkvloer: EUR 6.000 van de uitrusting gaat naar "
            "personeelskosten voor een extra taalcoach (0,2 VTE)."
        ),
        requested_by_beneficiary=False,
        now=_at(plan.v2_issued - dt.timedelta(days=5), 10),
    )
    budget = [dict(b) for b in amendment.terms["budget"]]
    # the year with the most equipment budget left to give (the project's second year)
    year = max((b for b in budget if b["category"] == "equipment"), key=lambda b: Decimal(str(b["amount"])))[
        "year"
    ]
    for line in budget:
        if line["year"] == year and line["category"] in ("equipment", "staff"):
            delta = Decimal("-6000.00") if line["category"] == "equipment" else Decimal("6000.00")
            line["amount"] = str(Decimal(str(line["amount"])) + delta)
    amendment = projects.version_update_terms(
        actor=da, version=amendment, expected_lock_version=amendment.lock_version, changes={"budget": budget}
    )
    amendment = projects.version_issue(
        actor=officer,
        version=amendment,
        expected_lock_version=amendment.lock_version,
        now=_at(plan.v2_issued, 10),
    )
    _sign_both(amendment, plan.v2_signed, CARITAS, "Fatima El Amrani")
