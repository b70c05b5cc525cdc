"""The Belgian programmes' past years (issue 17): without them the dashboard's table by year, the
decommitment risk, the past annual report and the accounts of a past year would have nothing to show.

Each programme gets a call of the responsible authority, launched early in the period, whose large
projects (reception and return: the programme's bulk) run over several years, each through the
real services and by the person whose role it is, on past dates:

- 2014-2020 (calls BE-AMIF-OPV-15 on SO1 and BE-AMIF-TER-15 on SO3, decided in autumn 2015):
  reception by the Red Cross 2016-2019, return counselling by Caritas 2016 - June 2023, care for
  vulnerable asylum seekers by Caritas 2016-2022; a report per calendar year, verified in the
  spring, its interim payment (or balance) paid a month later;
- 2021-2027 (call BE-AMIF21-OPV-22 on SO1, decided in December 2021): reception by the Red Cross
  and care for vulnerable applicants by Caritas, from 2022 to the end of the year the demo is built
  (at least 2026, at most 2029); a report every six months.

The agreement is prepared by the responsible authority's manager (Anne Peeters), issued and signed
for the authority by its officer (Marc Dubois), signed by the beneficiary; each report is filled in
and its expenditure imported from the template's columns by the beneficiary, submitted before its
due date, verified by the verifier (Julie Lambert) about six weeks later; the payment officer
proposes the pre-financing once the agreement is signed (paid as the project starts) and each
report's payment, the authorising officer approves it, the accounting unit pays it in a SEPA batch
with the bank's date. Services with a date
parameter (`now=`, `signed_on=`, `paid_on=`, `execution_date=`, the meeting's date) get the past
date; the moment of a proposal, an approval or an export stays the day the demo is built, as in the
rest of the demo. Nothing dated after `today` happens: a report not yet due waits.

What the authority declared in those years, and the accounts, are in `amis.demo.declarations`
(`declare_history`). 2014-2020's amounts are fixed: its deadlines (N+2) all passed before 2025 and
are covered. 2021-2027's are sized on the day the demo is built (`sized`), on the programme's annual
commitments: every N+3 deadline passed is covered with a margin, the next one shows a gap (the one
warning, once it is within six months: built on 1 December 2026, the 2023 commitment's, by 31
December 2026), within what the call's allocation line can grant (SO1, regular actions: EUR 48
million, enough for the deadlines up to 31 December 2027).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from amis.accounts.models import User
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.calls.services.call import allocation_line_eu
from amis.core import audit
from amis.core.money import ZERO, cents
from amis.declarations import rules as declaration_rules
from amis.demo import declarations as demo_declarations
from amis.demo.expenditure import add_months, enterprise_number, template_csv
from amis.demo.local import LOCALS, load_locals
from amis.demo.projects import _application, _at, _sign_both, import_lines
from amis.organisations.models import Organisation
from amis.payments import recoveries
from amis.payments import services as payments
from amis.payments.models import Payment
from amis.programme.models import Programme
from amis.programme.selectors import programme_commitments
from amis.projects import rules as project_rules
from amis.projects import services as projects
from amis.projects.models import GrantTerms, Project
from amis.reporting import rules as reporting_rules
from amis.reporting import services as reports
from amis.reporting.models import ExpenditureImport, ExpenditureLine, Report
from amis.selection import services as selection
from amis.verification import irregularities, spot_checks
from amis.verification import services as verification
from amis.verification.models import LineDecision, Verification
from amis.verification.selectors import checklist_for

RA_OFFICER = "ra.officer@amis.example"
RA_MANAGER = "ra.manager@amis.example"
VERIFIER = "verifier@amis.example"
ACCOUNTING = "accounting@amis.example"
MC = "mc.member@amis.example"
CARITAS = "beneficiary@caritas.example"
REDCROSS = "beneficiary@redcross.example"
BELGIAN_2014_CCI = "2014BE65AMNP001"
BELGIAN_2021_CCI = "2021BE65AMPR001"
BELGIAN_2021_PERIOD = "2021-2027"

# the EU pays 75 % of the total, the total is the direct costs plus the 7 % flat rate
EU_PER_DIRECT = Decimal("0.75") * Decimal("1.07")
PREFINANCING_SHARE = Decimal("0.0500")

# suppliers of the reception and return projects: (name, first eight digits of the number), no VAT
SUPPLIERS = {
    "payroll": ("Sociaal Secretariaat Securex vzw", 4123987),
    "centre": ("Facilitair Bedrijf Opvang nv", 4567321),
}


@dataclass(frozen=True)
class Past:
    """A project of the history: who, what, when, and the EU amount each report claims (in
    millions of euro, one per report of the calendar, the last one the final report)."""

    email: str
    short: str
    signatory: str
    title: str
    summary: str
    start: dt.date
    end: dt.date
    eu_millions: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    cci: str
    code: str
    title: dict[str, str]
    specific_objective: str
    national_objectives: tuple[str, ...]
    type_of_action: str
    indicator: str
    opens: dt.date
    committee: dt.date
    signed: dt.date
    report_months: int
    projects: tuple[Past, ...]
    min_grant: str = "1000000.00"
    kinds: tuple[str, ...] = ("ngo", "red_cross", "state_authority")


STORIES = (
    Story(
        BELGIAN_2014_CCI,
        "BE-AMIF-OPV-15",
        {
            "nl": "Opvang en begeleiding van verzoekers om internationale bescherming",
            "en": "Reception and guidance of applicants for international protection",
        },
        "SO1",
        ("NO1",),
        "",
        "C1",
        dt.date(2015, 6, 1),
        dt.date(2015, 10, 20),
        dt.date(2015, 12, 10),
        12,
        (
            Past(
                REDCROSS,
                "Rode Kruis",
                "Tom Wouters",
                "Bijkomende opvangcapaciteit 2016-2019",
                "Bijkomende opvangcapaciteit: vier collectieve opvangcentra van het Rode Kruis.",
                dt.date(2016, 1, 1),
                dt.date(2019, 12, 31),
                ("20", "36", "7", "4"),
            ),
            Past(
                CARITAS,
                "Caritas",
                "Fatima El Amrani",
                "Kwetsbare verzoekers: medische en psychosociale begeleiding",
                "Medische en psychosociale begeleiding van kwetsbare verzoekers in de opvang.",
                dt.date(2016, 1, 1),
                dt.date(2022, 12, 31),
                ("4", "6", "2", "2", "3", "2", "1"),
            ),
        ),
    ),
    Story(
        BELGIAN_2014_CCI,
        "BE-AMIF-TER-15",
        {
            "nl": "Vrijwillige terugkeer en re-integratie 2016-2023",
            "en": "Voluntary return and reintegration 2016-2023",
        },
        "SO3",
        ("NO2",),
        "",
        "C1",
        dt.date(2015, 6, 1),
        dt.date(2015, 10, 20),
        dt.date(2015, 12, 10),
        12,
        (
            Past(
                CARITAS,
                "Caritas",
                "Fatima El Amrani",
                "Terugkeerbegeleiding en re-integratie",
                "Terugkeerbegeleiding in de opvang en re-integratie in het land van herkomst.",
                dt.date(2016, 1, 1),
                dt.date(2023, 6, 30),
                ("7", "12", "3", "2", "3", "2", "2", "1.5"),
            ),
        ),
    ),
    Story(
        BELGIAN_2021_CCI,
        "BE-AMIF21-OPV-22",
        {
            "nl": "Opvang en begeleiding van verzoekers 2022-{end}",
            "en": "Reception and guidance of applicants 2022-{end}",
        },
        "SO1",
        (),
        "regular",
        "O.1.1",
        dt.date(2021, 9, 1),
        dt.date(2021, 12, 9),
        dt.date(2021, 12, 20),
        6,
        (
            Past(
                REDCROSS,
                "Rode Kruis",
                "Tom Wouters",
                "Opvangcentra Rode Kruis 2022-{end}",
                "Collectieve opvang met begeleiding naar werk en Nederlands voor verzoekers.",
                dt.date(2022, 1, 1),
                dt.date(2026, 12, 31),
                (),  # sized on the day the demo is built: `sized`
            ),
            Past(
                CARITAS,
                "Caritas",
                "Fatima El Amrani",
                "Kwetsbare verzoekers 2022-{end}",
                "Medische en psychosociale begeleiding van kwetsbare verzoekers.",
                dt.date(2022, 1, 1),
                dt.date(2026, 12, 31),
                (),
            ),
        ),
    ),
)
CODES = tuple(s.code for s in STORIES)


def local_story(today: dt.date) -> Story:
    """The 2021-2027 programme's call for local integration projects (SO2, regular actions): twenty-two
    one-year projects of fifteen public social welfare centres, cities and non-profit organisations
    (`amis.demo.local`), from 1 April to 31 March of the last closed accounting year
    (`declarations.closed_year`), declaring their expenditure every three months (the call's terms):
    four payment claims each, all verified within that accounting year (September to June) and
    declared in its application. Twenty-one small projects claim EUR 39,000 to 47,000 a quarter (a project
    costs a little over EUR 200,000: below, CPR Art. 53(2) wants simplified cost options); one, the
    Ghent centre's reception-to-work pathway, claims some EUR 300,000 a quarter. Eighty-eight claims beside
    the reception projects' few large ones: the population the audit authority samples
    (`amis.demo.sampling`), with its high values and the many small claims drawn by PPS."""
    year = demo_declarations.closed_year(BELGIAN_2021_PERIOD, today)
    pasts = []
    for n, (local, title) in enumerate((lo, t) for lo in LOCALS for t in lo.titles):
        quarters: tuple[int, ...]
        if n == 0:  # the large one
            quarters = (290, 310, 305, 295)
        else:  # in thousand euro, spread
            quarters = tuple(39 + (n * 7 + q * 11) % 9 for q in range(4))
        pasts.append(
            Past(
                local.email,
                local.short,
                local.person,
                f"{title} ({local.city}, {year - 1}-{year})",
                f"{title}: een jaar begeleiding van nieuwkomers in {local.city}.",
                dt.date(year - 1, 4, 1),
                dt.date(year, 3, 31),
                tuple(str(Decimal(q) / 1000) for q in quarters),
            )
        )
    return Story(
        BELGIAN_2021_CCI,
        f"BE-AMIF21-LOK-{(year - 2) % 100:02d}",
        {
            "nl": f"Lokale integratie {year - 1}-{year}: taal, werk en ontmoeting",
            "en": f"Local integration {year - 1}-{year}: language, work and meeting",
        },
        "SO2",
        (),
        "regular",
        "O.2.1",
        dt.date(year - 2, 9, 1),
        dt.date(year - 2, 12, 10),
        dt.date(year - 1, 2, 15),
        3,
        tuple(pasts),
        min_grant="20000.00",
        kinds=("ngo", "local_public_body"),
    )


# 2021-2027: what each passed decommitment deadline gets above what it needs, the weight of each
# project in a half-year's expenditure (the reception project the larger), the least a report claims
MARGIN = Decimal("0.05")
WEIGHTS = (Decimal("0.55"), Decimal("0.45"))
FLOOR = Decimal("1500000.00")
REPORT_DUE_DAYS = 45


def _dates(due: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """A report's submission (ten days before its due date), verification (six weeks later) and
    payment (three weeks after that), as `_run` dates them."""
    submitted = due - dt.timedelta(days=10)
    checked = submitted + dt.timedelta(days=42)
    return submitted, checked, checked + dt.timedelta(days=21)


def _declared_on(checked: dt.date, today: dt.date, late: bool = False) -> dt.date | None:
    """When the authority declares a report verified on `checked`: in the application of its
    accounting year, submitted on 20 July after it (`amis.demo.declarations`), or today's
    application if that date is still ahead; `late`: held back from it and reintroduced a year
    later (`declarations.HELD_BACK`), never if that is still ahead."""
    period = BELGIAN_2021_PERIOD
    sent = demo_declarations.submitted_on(period, declaration_rules.year_of(period, checked))
    if late:
        if sent >= today:
            return today
        sent = demo_declarations.submitted_on(period, sent.year + 1)
        return sent if sent <= today else None
    return min(sent, today)


def _prefinancing(total: Decimal, until: dt.date) -> Decimal:
    return sum(
        (cents(total * share) for day, share in demo_declarations.prefinancing_days(BELGIAN_2021_PERIOD)
         if day <= until),
        ZERO,
    )  # fmt: skip


def sized(
    story: Story,
    today: dt.date,
    commitments: dict[int, Decimal],
    elsewhere: Decimal,
    capacity: Decimal | None = None,
) -> Story:
    """The 2021-2027 story dated on `today`: the projects run until the end of the year (at least
    2026, at most 2029, the period's last year of eligibility), and each report's EU amount is sized
    on the programme's annual commitments (CPR Art. 105, N+3): the reports the authority declared by
    a deadline already passed, with the pre-financing received by then, cover the commitments
    cumulated up to its year plus `MARGIN`; the reports declared since (with today's application
    and what else is verified today, `elsewhere`) claim their usual amount but leave a gap at the
    next deadline, four fifths at most of what it still needs: the one warning (when it is within
    six months). A report not verified by today plans `FLOOR` (the call's budget stays within its
    allocation line: SO1, regular actions, `capacity`; what it cannot carry stays uncovered)."""
    end = dt.date(min(max(today.year, 2026), 2029), 12, 31)
    pasts = [replace(p, end=end, title=p.title.format(end=end.year), eu_millions=()) for p in story.projects]
    story = replace(
        story, title={k: v.format(end=end.year) for k, v in story.title.items()}, projects=tuple(pasts)
    )
    # every report: (project, number, weight, declared on)
    entries: list[tuple[int, int, Decimal, dt.date | None]] = []
    title, number = demo_declarations.HELD_BACK
    for n, past in enumerate(pasts):
        for entry in project_rules.reporting_calendar(
            past.start, past.end, story.report_months, REPORT_DUE_DAYS
        ):
            _submitted, checked, paid = _dates(entry.due_date)
            late = past.title.startswith(title) and entry.number == number
            on = _declared_on(checked, today, late) if paid <= today else None
            entries.append((n, entry.number, WEIGHTS[n % len(WEIGHTS)], on))
    total = sum(commitments.values(), ZERO)
    amounts: dict[tuple[int, int], Decimal] = {}
    usual = FLOOR

    def share(chosen: list[tuple[int, int, Decimal, dt.date | None]], amount: Decimal) -> None:
        """`amount` over the `chosen` reports, by their projects' weights."""
        weights = sum((w for _p, _n, w, _on in chosen), ZERO)
        for p, r, w, _on in chosen:
            amounts[(p, r)] = cents(amount * w / weights)

    def declared(until: dt.date) -> Decimal:
        return sum((amounts.get((p, r), ZERO) for p, r, _w, on in entries if on and on <= until), ZERO)

    def left(chosen: list[tuple[int, int, Decimal, dt.date | None]]) -> Decimal:
        """What the call can still grant to the `chosen` reports, the others to come planned."""
        if capacity is None:
            return Decimal("Infinity")
        rest = [e for e in entries if e[:2] not in amounts and e not in chosen]
        return capacity - 1000 - sum(amounts.values(), ZERO) - FLOOR * len(rest)

    cumulated = ZERO
    for year, commitment in sorted(declaration_rules.spread(BELGIAN_2021_PERIOD, commitments).items()):
        cumulated += commitment
        due = declaration_rules.deadline(BELGIAN_2021_PERIOD, year)
        if due is None:
            break
        open_ = [e for e in entries if e[3] is not None and e[3] <= min(due, today) and e[:2] not in amounts]
        if due < today:  # passed: covered, with the margin
            if not open_:
                continue
            need = cumulated * (1 + MARGIN) - _prefinancing(total, due) - declared(due)
            need = min(need, left(open_))
            usual = max(need / len(open_), FLOOR)
            share(open_, usual * len(open_))
        else:  # the next deadline: a gap
            room = cumulated - _prefinancing(total, today) - declared(today) - elsewhere
            if open_:
                least = Decimal("100000") * len(open_)
                share(open_, max(min(usual * len(open_), room * 4 / 5, left(open_)), least))
            break
    for p, r, w, on in entries:  # the reports to come: what the projects planned at the start
        if (p, r) not in amounts:
            amounts[(p, r)] = cents((usual if on else FLOOR) * w * len(WEIGHTS))
    return replace(
        story,
        projects=tuple(
            replace(past, eu_millions=tuple(
                str(amounts[(n, r)] / 1_000_000) for p, r, _w, _on in entries if p == n
            ))
            for n, past in enumerate(pasts)
        ),
    )  # fmt: skip


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _direct(eu_millions: str) -> Decimal:
    return cents(Decimal(eu_millions) * 1_000_000 / EU_PER_DIRECT)


def _periods(past: Past, months: int) -> list[tuple[dt.date, dt.date]]:
    """The periods of the project's reports: every `months` months, the last one up to its end."""
    out, start = [], past.start
    while start <= past.end:
        end = min(add_months(start, months) - dt.timedelta(days=1), past.end)
        out.append((start, end))
        start = end + dt.timedelta(days=1)
    return out


def _per_category(story: Story, past: Past) -> dict[str, str]:
    direct = sum((_direct(m) for m in past.eu_millions), ZERO)
    staff = cents(direct * Decimal("0.8"))
    return {"staff": str(staff + 1000), "other": str(direct - staff + 1000)}


def _rows(past: Past, start: dt.date, end: dt.date, eu_millions: str, tag: str) -> list[dict[str, str]]:
    """The report's lines in the template's columns: two payroll lines a month (80 % of the direct
    costs) and the centres' running costs each quarter (the rest), to the cent."""
    direct = _direct(eu_millions)
    months = []
    day = start
    while day <= end:
        months.append(day)
        day = add_months(day, 1)
    staff = cents(direct * Decimal("0.8"))
    rows: list[dict[str, str]] = []

    def add(
        key: str, category: str, number: str, invoice: dt.date, description: str, amount: Decimal
    ) -> None:
        name, base = SUPPLIERS[key]
        rows.append(
            {
                "category": category,
                "cost_type": reporting_rules.REAL,
                "supplier_name": name,
                "supplier_number": f"BE {enterprise_number(base)}",
                "invoice_number": number,
                "invoice_date": invoice.isoformat(),
                "payment_date": min(invoice + dt.timedelta(days=5), end).isoformat(),
                "description": description,
                "amount_excl_vat": str(amount),
                "amount_incl_vat": str(amount),
                "vat_recoverable": "nee",
                "amount_declared": str(amount),
                "units": "",
                "simplified_cost": "",
                "credit_note_for": "",
                "document_name": f"{number}.pdf",
            }
        )

    payroll = [cents(staff / (2 * len(months)))] * (2 * len(months))
    payroll[-1] = staff - sum(payroll[:-1], ZERO)
    for n, month in enumerate(months):
        last = min(add_months(month, 1) - dt.timedelta(days=1), end)
        for k, team in enumerate(("begeleiders", "ondersteunend personeel")):
            add("payroll", "staff", f"LB-{tag}-{month:%Y%m}-{k + 1}", last, f"Lonen {team} {month:%m/%Y}",
                payroll[2 * n + k])  # fmt: skip
    quarters = [m for i, m in enumerate(months) if i % 3 == 0]
    running = [cents((direct - staff) / len(quarters))] * len(quarters)
    running[-1] = direct - staff - sum(running[:-1], ZERO)
    for q, month in enumerate(quarters):
        add("centre", "other", f"FB-{tag}-{month:%Y%m}", month + dt.timedelta(days=14),
            f"Huur, onderhoud en energie opvang, kwartaal vanaf {month:%m/%Y}", running[q])  # fmt: skip
    return rows


def _millions(amount: Decimal) -> int:
    """Rounded up to the next million."""
    return -(-int(amount) // 1_000_000) * 1_000_000


def _budget(story: Story, grants: Decimal) -> int:
    budget = _millions(grants * Decimal("1.1"))
    if story.type_of_action:
        line = allocation_line_eu(
            Programme.objects.get(cci=story.cci), story.specific_objective, story.type_of_action
        )
        budget = max(min(budget, int(line or 0)), _millions(grants))
    return budget


def _call(story: Story) -> Call:
    officer = _user(RA_OFFICER)
    grants = [sum((Decimal(m) for m in p.eu_millions), ZERO) * 1_000_000 for p in story.projects]
    data: dict[str, object] = {
        "code": story.code,
        "title": story.title,
        "description": {"en": story.title["en"] + "."},
        "languages": ["nl", "en"],
        "specific_objective": story.specific_objective,
        # a tenth more than the grants, within what the allocation line (2021-2027) has free
        "budget": f"{_budget(story, sum(grants, ZERO))}.00",
        "max_eu_rate": "0.75",
        "min_grant": story.min_grant,
        "max_grant": f"{_millions(max(grants) * Decimal('1.05'))}.00",
        "eligible_kinds": list(story.kinds),
        "eligible_start": min(p.start for p in story.projects).isoformat(),
        "eligible_end": max(p.end for p in story.projects).isoformat(),
        "target_groups": ["third-country nationals", "women"],
        "indicators": [story.indicator],
        "eligibility_criteria": [{"code": "E1", "text": "Experience with reception in Belgium."}],
        "award_criteria": [
            {"code": "A1", "text": "Quality of the reception and guidance", "weight": 60, "min_score": 30},
            {"code": "A2", "text": "Capacity and cost", "weight": 40, "min_score": 20},
        ],
        "pass_mark": "60.00",
        "opens_at": _at(story.opens, 9),
        "closes_at": _at(story.opens + dt.timedelta(days=60), 12),
    }
    if story.national_objectives:
        data["national_objectives"] = list(story.national_objectives)
    if story.type_of_action:
        data["type_of_action"] = story.type_of_action
    call, _warnings = call_services.call_create(
        actor=officer,
        programme=Programme.objects.get(cci=story.cci),
        organisation=Organisation.objects.get(short_name="FPS HA EFU"),
        data=data,
    )
    terms = GrantTerms.objects.create(
        call=call, interim_report_months=story.report_months, report_due_days=45,
        prefinancing_share=PREFINANCING_SHARE,
    )  # fmt: skip
    audit.record(
        actor=officer,
        action="create",
        obj=terms,
        after={"call": story.code, "interim_report_months": story.report_months, "report_due_days": 45},
    )
    return call_services.call_transition(
        actor=officer,
        call=call,
        status="published",
        expected_lock_version=call.lock_version,
        no_documents=True,
    )


def _decide(story: Story, call: Call) -> list[Project]:
    """Applications submitted while the call was open, checked, assessed twice, ranked and approved
    by the Monitoring Committee; the projects follow."""
    during = _at(story.opens + dt.timedelta(days=30), 11)
    apps = []
    for n, past in enumerate(story.projects):
        apps.append(
            _application(
                call,
                email=past.email,
                short=past.short,
                title=past.title,
                summary=past.summary,
                start=past.start,
                end=past.end,
                per_category=_per_category(story, past),
                participants="1000",
                during=during + dt.timedelta(days=n),
                indicator=story.indicator,
            )
        )
    officer = _user(RA_OFFICER)
    call = call_services.call_transition(
        actor=officer, call=Call.objects.get(pk=call.pk), status="closed",
        expected_lock_version=Call.objects.get(pk=call.pk).lock_version,
    )  # fmt: skip
    for app in apps:
        selection.check_eligibility(actor=officer, application=app, answers={"E1": {"met": True}})
        for email in ("assessor@amis.example", "assessor2@amis.example"):
            selection.assess(
                actor=_user(email), application=app, no_conflict_of_interest=True,
                scores={"A1": "50", "A2": "32"},
                justifications={"A1": "Zie het beoordelingsrooster.", "A2": "Zie het beoordelingsrooster."},
            )  # fmt: skip
    selection.rank_and_propose(actor=officer, call=call)
    meeting = selection.meeting_plan(
        actor=officer,
        call=Call.objects.get(pk=call.pk),
        date=story.committee,
        agenda=f"Selectie {story.code}",
    )
    mc = _user(MC)
    for app in apps:
        selection.record_decision(actor=mc, meeting=meeting, application=app, decision="approve", note="")
    selection.close_meeting(actor=mc, meeting=meeting, minutes="Het comité keurt de projecten goed.")
    return [Project.objects.get(application=app) for app in apps]


def _paid(approved: list[Payment], day: dt.date) -> None:
    accounting = _user(ACCOUNTING)
    batch = payments.batch_create(actor=accounting, payments=approved, execution_date=day)
    batch = payments.batch_export(actor=accounting, batch=batch, expected_lock_version=batch.lock_version)
    for payment in Payment.objects.filter(batch=batch).order_by("pk"):
        payments.payment_record_paid(
            actor=accounting, payment=payment, expected_lock_version=payment.lock_version, paid_on=day
        )


def _approved(project: Project, kind: str, report: Report | None = None) -> Payment:
    proposed = payments.payment_propose(actor=_user(RA_OFFICER), project=project, kind=kind, report=report)
    return payments.payment_approve(
        actor=_user(RA_MANAGER), payment=proposed, expected_lock_version=proposed.lock_version
    )


def _fresh_statistics() -> None:
    """PostgreSQL plans from its statistics, which autovacuum refreshes only for committed rows: the
    history adds thousands of lines and decisions in one transaction (and the tests roll such
    transactions back again and again), so the planner would still think these tables empty and
    choose plans that take tens of seconds per verification. ANALYZE counts the transaction's own
    rows; it takes milliseconds on tables this size."""
    if connection.vendor == "postgresql":
        tables = (ExpenditureLine._meta.db_table, LineDecision._meta.db_table, Verification._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _verify(report: Report, when: dt.datetime) -> Verification:
    _fresh_statistics()
    verifier = _user(VERIFIER)
    started = verification.verification_start(actor=verifier, report=report)
    for category in ("other", "staff"):
        verification.lines_decide(
            actor=verifier, verification=started, filters={"category": category, "undecided": True},
            decision=LineDecision.Decision.ELIGIBLE,
        )  # fmt: skip
    started = Verification.objects.get(pk=started.pk)
    answered = verification.checklist_answer(
        actor=verifier, verification=started, expected_lock_version=started.lock_version,
        answers={item.code: {"answer": "yes", "comment": ""} for item in checklist_for(report)},
    )  # fmt: skip
    return verification.verification_complete(
        actor=verifier, verification=answered, expected_lock_version=answered.lock_version, now=when
    )


def _agreement(story: Story, past: Past, project: Project) -> None:
    """The project's agreement prepared, issued and signed by both sides on the story's dates."""
    manager = _user(RA_MANAGER)
    version = projects.agreement_prepare(
        actor=manager, project=project, now=_at(story.signed - dt.timedelta(days=10), 10)
    )
    version = projects.version_issue(
        actor=_user(RA_OFFICER), version=version, expected_lock_version=version.lock_version,
        now=_at(story.signed - dt.timedelta(days=7), 11),
    )  # fmt: skip
    _sign_both(version, story.signed, past.email, past.signatory)


def _report(story: Story, past: Past, project: Project, report: Report, start: dt.date, eu: str) -> Report:
    """The report filled in by the beneficiary, its expenditure imported, submitted ten days before its
    due date and verified six weeks later."""
    beneficiary = _user(past.email)
    submitted = report.due_date - dt.timedelta(days=10)
    checked = submitted + dt.timedelta(days=42)
    report = reports.report_update(
        actor=beneficiary,
        report=report,
        expected_lock_version=report.lock_version,
        data={
            "progress": f"{past.title}: de opvang en begeleiding liepen zoals gepland.",
            "activities": [
                {"activity": name, "progress": "Volgens planning."}
                for name in (
                    "Intake en taalscreening",
                    "Nederlands op de werkvloer",
                    "Jobcoaching bij werkgevers",
                )
            ],
            "indicators": {story.indicator: {"value": "250"}},
        },
    )
    rows = _rows(past, start, report.period_end, eu, f"{project.pk}{report.number:02d}")
    name = f"uitgaven-{project.reference}-{report.number}.csv"
    imported = import_lines(report=report, actor=beneficiary, name=name, data=template_csv(rows))
    if imported.status != ExpenditureImport.Status.DONE:
        raise RuntimeError(f"The demo's history file was refused: {imported.errors[:3]}")
    report = Report.objects.get(pk=report.pk)
    reports.report_submit(
        actor=beneficiary, report=report, expected_lock_version=report.lock_version,
        now=_at(submitted, 15),
    )  # fmt: skip
    report = Report.objects.get(pk=report.pk)
    _verify(report, _at(checked, 16))
    return report


def _start_of(calendar: list[Report], n: int) -> dt.date:
    report = calendar[n]
    if report.kind != Report.Kind.FINAL:
        return report.period_start
    return calendar[n - 1].period_end + dt.timedelta(days=1)


def _run(story: Story, past: Past, project: Project, today: dt.date) -> int:
    """The project's agreement, then each report due by `today`: filled in, imported, submitted,
    verified and paid on its dates. Returns the number of reports verified."""
    _agreement(story, past, project)
    # the pre-financing reaches the beneficiary in the first days of its project
    _paid([_approved(project, Payment.Kind.PREFINANCING)], past.start + dt.timedelta(days=4))
    verified = 0
    calendar = list(Report.objects.filter(project=project).order_by("number"))
    for n, (report, eu) in enumerate(zip(calendar, past.eu_millions, strict=True)):
        _submitted, checked, paid = _dates(report.due_date)
        if paid > today:
            break  # the history stops where today's demo begins
        report = _report(story, past, project, report, _start_of(calendar, n), eu)
        verified += 1
        if (story.cci, past.email, report.number) == INCIDENTS:
            _incidents(project, report, checked)
        kind = Payment.Kind.BALANCE if report.kind == Report.Kind.FINAL else Payment.Kind.INTERIM
        _paid([_approved(project, kind, report)], paid)
    return verified


def _run_together(story: Story, made: list[Project], today: dt.date) -> int:
    """`_run` for many projects with the same calendar: each payment run of the accounting unit (the
    pre-financings, then each round of reports) in one SEPA batch. Returns the reports verified."""
    pairs = list(zip(story.projects, made, strict=True))
    for past, project in pairs:
        _agreement(story, past, project)
    first = min(past.start for past in story.projects)
    _paid([_approved(p, Payment.Kind.PREFINANCING) for _past, p in pairs], first + dt.timedelta(days=4))
    calendars = {p.pk: list(Report.objects.filter(project=p).order_by("number")) for _past, p in pairs}
    verified = 0
    for n in range(max(len(c) for c in calendars.values())):
        approved, day = [], None
        for past, project in pairs:
            calendar = calendars[project.pk]
            if n >= len(calendar) or n >= len(past.eu_millions):
                continue
            _submitted, _checked, paid = _dates(calendar[n].due_date)
            if paid > today:
                continue
            report = _report(story, past, project, calendar[n], _start_of(calendar, n), past.eu_millions[n])
            verified += 1
            kind = Payment.Kind.BALANCE if report.kind == Report.Kind.FINAL else Payment.Kind.INTERIM
            approved.append(_approved(project, kind, report))
            day = max(day or paid, paid)
        if approved and day is not None:
            _paid(approved, day)
    return verified


# the 2021-2027 reception project's report 8 (July - December 2025, verified in March 2026)
INCIDENTS = (BELGIAN_2021_CCI, REDCROSS, 8)


def _incidents(project: Project, report: Report, checked: dt.date) -> None:
    """Accounting year 2026 of the reception project: a recovery ordered in January 2026 from a
    finding on report 7 (meals the residents paid for, never declared as revenue) and received in
    February; on report 8, verified in March, a finding on one month's running costs (a wing of a
    centre closed for works) and the financial correction of that line, before its payment."""
    verifier, officer, accounting = _user(VERIFIER), _user(RA_OFFICER), _user(ACCOUNTING)
    earlier = Verification.objects.get(
        report__project=project, report__number=report.number - 1, status=Verification.Status.COMPLETED
    )
    revenue = irregularities.verification_finding_record(
        actor=verifier,
        verification=earlier,
        text="Bewoners betaalden maaltijden in het centrum van Lommel (EUR 24,000.00): ontvangsten die "
        "het verslag niet aangeeft.",
        amount_at_stake=Decimal("24000.00"),
        recommendation="Ontvangsten van bewoners in het financieel verslag opnemen.",
    )
    version = project.agreement.versions.filter(status="signed").order_by("-number").first()
    assert version is not None
    recovery = recoveries.recovery_order(
        actor=officer,
        project=project,
        amount=cents(Decimal("24000.00") * version.eu_rate),
        due_date=dt.date(checked.year, 3, 15),
        reason="EU-aandeel van niet-aangegeven ontvangsten (maaltijden van bewoners).",
        finding=revenue,
        now=_at(dt.date(checked.year, 1, 15), 10),
    )
    recoveries.recovery_receive(
        actor=accounting,
        recovery=recovery,
        amount=recovery.amount_due,
        received_on=dt.date(checked.year, 2, 20),
        expected_lock_version=recovery.lock_version,
    )
    done = Verification.objects.get(report=report, status=Verification.Status.COMPLETED)
    line = ExpenditureLine.objects.filter(report=report, category="other").order_by("position").first()
    assert line is not None
    finding = irregularities.verification_finding_record(
        actor=verifier,
        verification=done,
        text=f"Kwartaalfactuur {line.invoice_number}: een vleugel van het centrum was drie maanden "
        "gesloten voor werken; de huur ervan is niet aan het project toe te rekenen.",
        amount_at_stake=cents(Decimal(line.amount_declared) / 10),
        recommendation="Gesloten vleugels niet aanrekenen.",
    )
    spot_checks.correction_record(
        actor=verifier,
        finding=finding,
        amount=cents(Decimal(line.amount_declared) / 10),
        reason="Huur van een gesloten vleugel (bevinding van de verificatie).",
        line_id=line.pk,
        now=_at(checked + dt.timedelta(days=2), 10),
    )


@transaction.atomic
def load_history(log: Callable[[str], None] = print, today: dt.date | None = None) -> None:
    """The calls, projects, reports, verifications and payments of the programmes' past years (see
    the module's docstring). Loaded once, after `amis.demo.money.load_money`."""
    if Call.objects.filter(code__in=CODES).exists():
        return
    today = today or timezone.localdate()
    for story in STORIES:
        programme = Programme.objects.filter(cci=story.cci).first()
        if programme is None:
            continue
        if story.cci == BELGIAN_2021_CCI:
            # the local integration projects of the audited year first: what they declare counts
            # with the rest below (`elsewhere`)
            load_locals()
            local = local_story(today)
            made = _decide(local, _call(local))
            counted = _run_together(local, made, today)
            log(f"History {local.code}: {len(made)} projects, {counted} reports verified and paid.")
            # what the main demo verified is declared in today's application too
            elsewhere = Verification.objects.filter(
                report__project__application__call__programme=programme,
                status=Verification.Status.COMPLETED,
            ).aggregate(s=Sum("eu_share"))["s"]
            line = allocation_line_eu(programme, story.specific_objective, story.type_of_action)
            story = sized(story, today, programme_commitments(programme), elsewhere or ZERO, line)
        call = _call(story)
        made = _decide(story, call)
        counted = sum(_run(story, past, p, today) for past, p in zip(story.projects, made, strict=True))
        lines = ExpenditureLine.objects.filter(report__project__in=made).count()
        log(
            f"History {story.code}: {len(made)} projects, {counted} reports verified and paid "
            f"({lines} lines)."
        )
