"""A published Flemish integration call (managed by the ESF agency of Flanders, seed 003) with
applications in draft and submitted. Dates are set relative to today so the call is open in the demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from amis.accounts.models import User
from amis.applications import services
from amis.applications.models import Application
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from amis.selection import services as selection

CODE = "FL-AMIF-INT-01"


def _budget(year: int, staff: str, travel: str, other: str) -> list[dict[str, object]]:
    return [
        {"category": "staff", "year": year, "description": "Job coaches (2 FTE)", "amount": staff},
        {"category": "travel", "year": year, "description": "Visits to employers", "amount": travel},
        {
            "category": "other",
            "year": year,
            "description": "Dutch-language workplace modules",
            "amount": other,
        },
    ]


def _submitted(
    call: Call,
    email: str,
    short: str,
    title: str,
    *,
    during: dt.datetime,
    year: int,
    activity: str,
    staff: str,
    planned: str,
) -> Application:
    """A one-year, EUR 100,000 application (75 % EU), drafted and submitted while the call is open."""
    user = User.objects.get(email=email)
    app = services.application_create(
        actor=user,
        call=call,
        organisation=Organisation.objects.get(short_name=short),
        title=title,
        now=during,
    )
    app = services.application_update(
        actor=user,
        application=app,
        expected_lock_version=app.lock_version,
        data={
            "summary": f"{title}.",
            "start_date": f"{year}-01-01",
            "end_date": f"{year}-12-31",
            "activities": [{"name": activity, "start": f"{year}-01-01", "end": f"{year}-12-31"}],
            "planned_indicators": {"C2": planned},
            "budget": [{"category": "staff", "year": year, "description": staff, "amount": "100000.00"}],
            "funding": {"eu": "75000.00", "national_public": "20000.00", "own": "5000.00"},
        },
    )
    return services.application_submit(
        actor=user, application=app, expected_lock_version=app.lock_version, now=during
    )


def _flemish_call(
    code: str,
    *,
    title_nl: str,
    title_en: str,
    description: dict[str, str],
    budget: str,
    target_groups: list[str],
    eligibility: list[dict[str, str]],
    award: list[dict[str, object]],
    opens: dt.datetime,
    closes: dt.datetime,
    indicators: tuple[str, ...] = ("C2",),
) -> tuple[Call, list[str]]:
    """A published call of the ESF agency of Flanders for action 13 (SO2 NO2), as its officer makes
    them: what differs between the demo calls is passed in, the rest is the agency's usual terms."""
    year = timezone.localtime().year + 1
    officer = User.objects.get(email="da.flanders@amis.example")
    call, warnings = call_services.call_create(
        actor=officer,
        programme=Programme.objects.get(cci="2014BE65AMNP001"),
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        data={
            "code": code,
            "title": {"nl": title_nl, "en": title_en},
            "description": description,
            "languages": ["nl", "en"],
            "specific_objective": "SO2",
            "national_objectives": ["NO2"],
            "actions": [13],
            "budget": budget,
            "max_eu_rate": "0.75",
            "min_grant": "50000.00",
            "max_grant": "300000.00" if code == CODE else "200000.00",
            "eligible_kinds": ["ngo", "local_public_body", "state_authority", "red_cross"],
            "eligible_start": f"{year}-01-01",
            "eligible_end": f"{year}-12-31",
            "target_groups": target_groups,
            "indicators": list(indicators),
            "eligibility_criteria": eligibility,
            "award_criteria": award,
            "pass_mark": "60.00",
            "opens_at": opens,
            "closes_at": closes,
        },
    )
    if code == CODE:  # the open call carries the agency's guide for applicants
        call_services.document_add(
            actor=officer,
            call=call,
            title="Gids voor aanvragers",
            language="nl",
            name="gids-voor-aanvragers.pdf",
            data=_guide_pdf(call),
        )
    call = call_services.call_transition(
        actor=officer,
        call=call,
        status="published",
        expected_lock_version=call.lock_version,
        no_documents=code != CODE,  # the other demo calls say, explicitly, that they have none
    )
    return call, warnings


TWO_CRITERIA: list[dict[str, object]] = [
    {"code": "A1", "text": "Relevance", "weight": 50, "min_score": 25},
    {"code": "A2", "text": "Quality", "weight": 50, "min_score": 25},
]


@transaction.atomic
def load_calls(log: Callable[[str], None] = print) -> None:
    if Call.objects.filter(code=CODE).exists():
        return
    now = timezone.localtime()
    year = now.year + 1
    call, warnings = _flemish_call(
        CODE,
        title_nl="Integratie in Vlaanderen: toegang tot werk voor derdelanders",
        title_en="Integration in Flanders: access to work for third-country nationals",
        description={
            "nl": "Innovatieve projecten die de werkzaamheidskloof tussen niet-EU-nieuwkomers en "
            "Belgen verkleinen (actie 13), in samenwerking met het Agentschap Integratie en "
            "Inburgering, dat de cofinanciering voorziet.",
            "en": "Innovative projects that close the employment gap between non-EU newcomers and "
            "Belgians (action 13), with the Flemish integration agency providing the co-funding.",
        },
        budget="1500000.00",
        target_groups=["third-country nationals", "women", "youngsters"],
        indicators=("C2", "C3"),
        eligibility=[
            {"code": "E1", "text": "The applicant is established in Flanders or Brussels."},
            {"code": "E2", "text": "The target group are third-country nationals."},
        ],
        award=[
            {"code": "A1", "text": "Relevance to action 13", "weight": 40, "min_score": 20},
            {"code": "A2", "text": "Quality of the method", "weight": 35, "min_score": 17},
            {"code": "A3", "text": "Value for money", "weight": 25, "min_score": 12},
        ],
        opens=(now - dt.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0),
        closes=(now + dt.timedelta(days=30)).replace(hour=12, minute=0, second=0, microsecond=0),
    )
    for warning in warnings:
        log(f"Warning: {warning}")

    caritas = User.objects.get(email="beneficiary@caritas.example")
    redcross = User.objects.get(email="beneficiary@redcross.example")
    for user, short, title, submit in (
        (redcross, "Rode Kruis", "Werkplekleren voor erkende vluchtelingen", True),
        (caritas, "Caritas", "Taal en werk: trajecten voor nieuwkomers", False),
    ):
        org = Organisation.objects.get(short_name=short)
        app = services.application_create(actor=user, call=call, organisation=org, title=title)
        app = services.application_update(
            actor=user,
            application=app,
            expected_lock_version=app.lock_version,
            data={
                "summary": f"{title}: individual coaching towards a first job, with workplace Dutch.",
                "description": "Twelve-month trajectories combining job coaching and Dutch at the workplace.",
                "actions": [13],
                "target_groups": ["third-country nationals", "women"],
                "expected_participants": 120,
                "vulnerable_participants": 30,
                "unaccompanied_minors": 0,
                "start_date": f"{year}-01-01",
                "end_date": f"{year}-12-31",
                "indirect_rate": "0.07",
                "activities": [
                    {"name": "Intake and coaching", "start": f"{year}-01-01", "end": f"{year}-12-31"}
                ],
                "planned_indicators": {"C2": "120.00", "C3": "2.00"},
                "budget": _budget(year, "120000.00", "4000.00", "16000.00"),
                "funding": {"eu": "112350.00", "national_public": "29960.00", "own": "7490.00"},
                "funders": {"national_public": "Agentschap Integratie en Inburgering"},
            },
        )
        if submit:
            services.application_submit(actor=user, application=app, expected_lock_version=app.lock_version)
    log(f"Published call {CODE} with a submitted and a draft application.")


def _guide_pdf(call: Call) -> bytes:
    """A short guide for applicants, rendered like the receipts (WeasyPrint), so the demo call has a
    real document to download."""
    from weasyprint import HTML  # slow to import: only when the demo is loaded

    criteria = "".join(
        f"<li>{c['code']}: {c['text']} ({c['weight']} punten)</li>" for c in call.award_criteria
    )
    html = (
        f"<h1>{call.title['nl']}</h1><p>Oproep {call.code}, beheerd door het ESF-Agentschap Vlaanderen.</p>"
        f"<p>Budget: EUR {call.budget:,.2f}; EU-cofinanciering tot {call.max_eu_rate * 100:.0f} %.</p>"
        f"<h2>Gunningscriteria</h2><ul>{criteria}</ul>"
        "<p>Dien uw aanvraag in via AMIS voor de sluitingsdatum; het systeem weigert elke indiening "
        "na de deadline, tot op de seconde.</p>"
    )
    return bytes(HTML(string=html).write_pdf())


DRAFT_CODE = "BE-AMIF-RET-01"


@transaction.atomic
def load_draft_call(log: Callable[[str], None] = print) -> None:
    """A call the responsible authority is still preparing (return, SO3), in Dutch and French."""
    if Call.objects.filter(code=DRAFT_CODE).exists():
        return
    officer = User.objects.get(email="ra.officer@amis.example")
    year = timezone.localtime().year + 1
    opens = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=30)
    call_services.call_create(
        actor=officer,
        programme=Programme.objects.get(cci="2014BE65AMNP001"),
        organisation=Organisation.objects.get(short_name="FPS HA EFU"),
        data={
            "code": DRAFT_CODE,
            "title": {
                "nl": "Vrijwillige terugkeer en re-integratie",
                "fr": "Retour volontaire et réintégration",
            },
            "description": {
                "nl": "Begeleiding bij vrijwillige terugkeer en re-integratie in het land van herkomst.",
                "fr": "Accompagnement au retour volontaire et à la réintégration dans le pays d'origine.",
            },
            "languages": ["nl", "fr"],
            "specific_objective": "SO3",
            "national_objectives": ["NO2"],
            "budget": "800000.00",
            "max_eu_rate": "0.75",
            "min_grant": "100000.00",
            "max_grant": "400000.00",
            "eligible_kinds": ["ngo", "international_organisation", "red_cross"],
            "eligible_start": f"{year}-01-01",
            "eligible_end": f"{year + 1}-12-31",
            "target_groups": ["returnees", "vulnerable persons"],
            "eligibility_criteria": [{"code": "E1", "text": "Experience with return counselling."}],
            "award_criteria": [
                {"code": "A1", "text": "Quality of the return counselling", "weight": 60, "min_score": 30},
                {
                    "code": "A2",
                    "text": "Re-integration partners in countries of origin",
                    "weight": 40,
                    "min_score": 20,
                },
            ],
            "pass_mark": "60.00",
            "opens_at": opens,
            "closes_at": opens + dt.timedelta(days=60),
        },
    )
    log(f"Draft call {DRAFT_CODE} (responsible authority) in preparation.")


PAST_CODE = "FL-AMIF-INT-00"


@transaction.atomic
def load_decided_call(log: Callable[[str], None] = print) -> None:
    """An earlier Flemish call taken all the way: a selected project and a rejected application."""

    if Call.objects.filter(code=PAST_CODE).exists():
        return
    da = User.objects.get(email="da.flanders@amis.example")
    now = timezone.localtime()
    opens = (now - dt.timedelta(days=120)).replace(hour=9, minute=0, second=0, microsecond=0)
    closes = (now - dt.timedelta(days=60)).replace(hour=12, minute=0, second=0, microsecond=0)
    year = now.year + 1
    call, _warnings = _flemish_call(
        PAST_CODE,
        title_nl="Integratie in Vlaanderen: jongeren en onderwijs",
        title_en="Integration in Flanders: young people and education",
        description={"en": "Projects that prevent unqualified outflow from education (action 13)."},
        budget="200000.00",
        target_groups=["youngsters"],
        eligibility=[{"code": "E1", "text": "The applicant is established in Flanders or Brussels."}],
        award=TWO_CRITERIA,
        opens=opens,
        closes=closes,
    )
    during = opens + dt.timedelta(days=10)
    apps = {}
    for email, short, title in (
        ("beneficiary@caritas.example", "Caritas", "Schoolbrug: mentoring for newcomer pupils"),
        ("beneficiary@redcross.example", "Rode Kruis", "Jongeren aan het woord"),
    ):
        apps[short] = _submitted(
            call,
            email,
            short,
            title,
            during=during,
            year=year,
            activity="Mentoring",
            staff="Mentors",
            planned="60.00",
        )
    call = call_services.call_transition(
        actor=da, call=call, status="closed", expected_lock_version=call.lock_version
    )
    for short in apps:
        apps[short] = selection.check_eligibility(
            actor=da, application=apps[short], answers={"E1": {"met": True}}
        )
    scores = {
        "Caritas": ({"A1": "45", "A2": "40"}, {"A1": "42", "A2": "41"}),
        "Rode Kruis": ({"A1": "30", "A2": "28"}, {"A1": "31", "A2": "27"}),
    }
    why = {"A1": "See the assessment grid.", "A2": "See the assessment grid."}
    for short, (first, second) in scores.items():
        for email, given in (("assessor@amis.example", first), ("assessor2@amis.example", second)):
            selection.assess(
                actor=User.objects.get(email=email),
                application=apps[short],
                no_conflict_of_interest=True,
                scores=given,
                justifications=why,
            )
    selection.rank_and_propose(actor=da, call=call)
    meeting = selection.meeting_plan(
        actor=da,
        call=Call.objects.get(pk=call.pk),
        date=(now - dt.timedelta(days=20)).date(),
        agenda=f"Selection of {PAST_CODE}",
    )
    mc = User.objects.get(email="mc.member@amis.example")
    for short in apps:
        selection.record_decision(
            actor=mc,
            meeting=meeting,
            application=apps[short],
            decision="approve" if short == "Caritas" else "reject",
            note="" if short == "Caritas" else "Below the pass mark of 60.",
        )
    selection.close_meeting(
        actor=mc, meeting=meeting, minutes="The committee validated the proposed selection."
    )
    log(f"Decided call {PAST_CODE}: one project selected, one application rejected.")


IN_ASSESSMENT_CODE = "FL-AMIF-INT-02"


@transaction.atomic
def load_call_in_assessment(log: Callable[[str], None] = print) -> None:
    """A closed call resting mid-way: one application not eligible, one awaiting its assessors, one
    whose two assessors diverge and which waits for consolidation."""

    if Call.objects.filter(code=IN_ASSESSMENT_CODE).exists():
        return
    da = User.objects.get(email="da.flanders@amis.example")
    now = timezone.localtime()
    opens = (now - dt.timedelta(days=45)).replace(hour=9, minute=0, second=0, microsecond=0)
    closes = (now - dt.timedelta(days=5)).replace(hour=12, minute=0, second=0, microsecond=0)
    year = now.year + 1
    call, _warnings = _flemish_call(
        IN_ASSESSMENT_CODE,
        title_nl="Integratie in Vlaanderen: vrouwen en werk",
        title_en="Integration in Flanders: women and work",
        description={
            "en": "Projects that raise the employment rate of third-country national women (action 13)."
        },
        budget="400000.00",
        target_groups=["women"],
        eligibility=[{"code": "E1", "text": "The target group are third-country national women."}],
        award=TWO_CRITERIA,
        opens=opens,
        closes=closes,
    )
    during = opens + dt.timedelta(days=5)
    submitted = []
    for email, short, title in (
        ("beneficiary@caritas.example", "Caritas", "Vrouwen aan het werk"),
        ("beneficiary@redcross.example", "Rode Kruis", "Zelfstandig ondernemen voor vrouwen"),
        ("beneficiary@caritas.example", "Caritas", "Kinderopvang en werk"),
    ):
        submitted.append(
            _submitted(
                call,
                email,
                short,
                title,
                during=during,
                year=year,
                activity="Coaching",
                staff="Coaches",
                planned="40.00",
            )
        )
    call = call_services.call_transition(
        actor=da, call=call, status="closed", expected_lock_version=call.lock_version
    )
    not_eligible, waiting, divergent = submitted
    selection.check_eligibility(
        actor=da,
        application=not_eligible,
        answers={"E1": {"met": False, "reason": "The project targets men and women alike."}},
    )
    selection.check_eligibility(actor=da, application=waiting, answers={"E1": {"met": True}})
    selection.check_eligibility(actor=da, application=divergent, answers={"E1": {"met": True}})
    why = {"A1": "See the assessment grid.", "A2": "See the assessment grid."}
    for email, scores in (
        ("assessor@amis.example", {"A1": "45", "A2": "42"}),
        ("assessor2@amis.example", {"A1": "28", "A2": "26"}),
    ):
        selection.assess(
            actor=User.objects.get(email=email),
            application=divergent,
            no_conflict_of_interest=True,
            scores=scores,
            justifications=why,
        )
    log(
        f"Closed call {IN_ASSESSMENT_CODE}: applications not eligible, awaiting assessment and "
        "awaiting consolidation."
    )


CODE_2021 = "FL-AMIF21-INT-01"


@transaction.atomic
def load_2021_call(log: Callable[[str], None] = print) -> None:
    """A published call on the Belgian 2021-2027 programme: the ESF agency of Flanders, delegated
    SO2 (legal migration and integration) of that programme too, draws on the SO's regular actions
    (one allocation line of the financing table), with a submitted application of the Red Cross."""
    if Call.objects.filter(code=CODE_2021).exists():
        return
    from amis.accounts import services as accounts
    from amis.accounts.models import RoleAssignment
    from amis.accounts.roles import Role
    from amis.demo.programme import BELGIAN_2021_CCI

    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    officer = User.objects.get(email="da.flanders@amis.example")
    esf = Organisation.objects.get(short_name="ESF Flanders")
    if not RoleAssignment.objects.filter(
        user=officer, role=Role.DA_OFFICER, programme=programme, revoked_at__isnull=True
    ).exists():
        accounts.role_assign(
            user=officer,
            role=Role.DA_OFFICER,
            organisation=esf,
            programme=programme,
            specific_objective="SO2",
            action_scope="FL",
            actor_label="amis demo",
        )
    now = timezone.localtime()
    year = now.year + 1
    call, warnings = call_services.call_create(
        actor=officer,
        programme=programme,
        organisation=esf,
        data={
            "code": CODE_2021,
            "title": {
                "nl": "Integratie in Vlaanderen 2021-2027: taal en werk",
                "en": "Integration in Flanders 2021-2027: language and work",
            },
            "description": {
                "nl": "Trajecten die taalverwerving en toeleiding naar werk combineren voor "
                "derdelanders (AMIF 2021-2027, specifieke doelstelling 2, reguliere acties).",
                "en": "Trajectories combining language learning and guidance to work for third-country "
                "nationals (AMIF 2021-2027, specific objective 2, regular actions).",
            },
            "languages": ["nl", "en"],
            "specific_objective": "SO2",
            "type_of_action": "regular",
            "budget": "2000000.00",
            "max_eu_rate": "0.75",
            "min_grant": "50000.00",
            "max_grant": "400000.00",
            "eligible_kinds": ["ngo", "local_public_body", "state_authority", "red_cross"],
            "eligible_start": f"{year}-01-01",
            "eligible_end": f"{year + 1}-12-31",
            "target_groups": ["third-country nationals", "women"],
            "indicators": ["O.2.1"],
            "eligibility_criteria": [
                {"code": "E1", "text": "The applicant is established in Flanders or Brussels."}
            ],
            "award_criteria": TWO_CRITERIA,
            "pass_mark": "60.00",
            "opens_at": (now - dt.timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0),
            "closes_at": (now + dt.timedelta(days=45)).replace(hour=12, minute=0, second=0, microsecond=0),
        },
    )
    for warning in warnings:
        log(f"Warning: {warning}")
    call = call_services.call_transition(
        actor=officer,
        call=call,
        status="published",
        expected_lock_version=call.lock_version,
        no_documents=True,
    )
    user = User.objects.get(email="beneficiary@redcross.example")
    title = "Taal op de werkvloer: trajecten 2021-2027"
    app = services.application_create(
        actor=user, call=call, organisation=Organisation.objects.get(short_name="Rode Kruis"), title=title
    )
    app = services.application_update(
        actor=user,
        application=app,
        expected_lock_version=app.lock_version,
        data={
            "summary": f"{title}: Dutch at the workplace and job coaching for newcomers.",
            "target_groups": ["third-country nationals"],
            "expected_participants": 80,
            "start_date": f"{year}-01-01",
            "end_date": f"{year}-12-31",
            "activities": [{"name": "Workplace Dutch", "start": f"{year}-01-01", "end": f"{year}-12-31"}],
            "planned_indicators": {"O.2.1": "80.00"},
            "budget": _budget(year, "90000.00", "2000.00", "8000.00"),
            "funding": {"eu": "75000.00", "national_public": "25000.00"},
        },
    )
    services.application_submit(actor=user, application=app, expected_lock_version=app.lock_version)
    log(
        f"Published call {CODE_2021} on {BELGIAN_2021_CCI} (SO2, regular actions) "
        "with a submitted application."
    )
