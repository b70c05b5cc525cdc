"""What the demo's authority declared to the Commission and received from it (issue 17, section 3),
through the real services, each step by the person whose role it is:

- both Belgian programmes received their pre-financing from the Commission: 2014-2020 the initial
  4 % and the annual instalments of Reg. (EU) No 514/2014 Art. 35 (3 % in 2015, then 5 % a year
  for 2016-2022); 2021-2027 those of Reg. (EU) 2021/1147 Art. 14 (4 % for 2021 and 3 % for 2022,
  paid in 2022, the year of adoption, then 5 % a year) — recorded by the accounting unit (Luc Maes),
  each on the percentage of the programme's commitments, so the decommitment table has real
  figures (and, with no payment application yet in earlier years, a warning);
- every past year of both programmes (the projects of `amis.demo.history`): its payment
  application drafted by the payment officer with the verifications completed in the year
  (2014-2020: and paid by the responsible authority), submitted by the authorising officer on its
  date (2014-2020: 10 February, with the accounts; 2021-2027: 20 July, the year's final
  application), the Commission's payment of it two months later, the year's accounts drafted by
  the accounting unit and submitted by the authorising officer (on the day the demo is built: the
  accounts' services take no date); an item of accounting year 2025 held back from its accounts and
  reintroduced in 2026, whose accounts also withdraw a correction and a recovery;
- the 2021-2027 programme's first payment application of the current accounting year, drafted by
  the payment officer (Marc Dubois) with every verification the demo completed, submitted today by
  the authorising officer (Anne Peeters, four eyes); the project whose on-the-spot check found a
  problem is then held back from the year's accounts (the follow-up of the finding under way), so
  the reconciliation explains a difference;
- a second application, still a draft, into which the held-back item is reintroduced (traced to
  the one held back), for the reader to submit;
- the accounts of the current accounting year, drafted by the accounting unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from amis.accounts.models import User
from amis.core.money import cents
from amis.declarations import rules, selectors, services
from amis.declarations.models import CommissionReceipt, PaymentApplication
from amis.demo.programme import BELGIAN_2021_CCI
from amis.programme.models import Programme
from amis.programme.selectors import programme_commitments
from amis.verification.models import Finding

RA_OFFICER = "ra.officer@amis.example"
RA_MANAGER = "ra.manager@amis.example"
ACCOUNTING = "accounting@amis.example"
BELGIAN_2014_CCI = "2014BE65AMNP001"

# (year paid, share of the programme's commitments, kind) — 514/2014 Art. 35; 2021/1147 Art. 14
PREFINANCING = {
    "2014-2020": [(2015, Decimal("0.04")), (2015, Decimal("0.03"))]
    + [(year, Decimal("0.05")) for year in range(2016, 2023)],
    "2021-2027": [(2022, Decimal("0.04")), (2022, Decimal("0.03"))]
    + [(year, Decimal("0.05")) for year in range(2023, 2027)],
}


def prefinancing_days(period: str) -> list[tuple[dt.date, Decimal]]:
    """When each pre-financing of the period reaches the authority, and its share of the
    commitments."""
    return [
        (dt.date(year, 6, 15) + dt.timedelta(days=n % 2), share)
        for n, (year, share) in enumerate(PREFINANCING.get(period, []))
    ]


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _receipts(programme: Programme, today: dt.date) -> int:
    total = sum(programme_commitments(programme).values(), Decimal("0"))
    if total <= 0:
        return 0
    accountant = _user(ACCOUNTING)
    made = 0
    for day, share in prefinancing_days(programme.period.code):
        year = day.year
        if day > today:
            continue
        services.receipt_record(
            actor=accountant,
            programme=programme,
            kind=CommissionReceipt.Kind.PREFINANCING,
            received_on=day,
            amount=cents(total * share),
            reference=f"{programme.cci} pre-financing {year} ({share * 100:.0f} %)",
        )
        made += 1
    return made


# the item held back from the accounts of a past accounting year and reintroduced in the next one:
# the project whose title begins so, its report
HELD_BACK = ("Kwetsbare verzoekers 2022-", 6)


def submitted_on(period: str, year: int) -> dt.date:
    """When the year's application reached the Commission: 2014-2020 the request for payment of the
    annual balance with the accounts, by 15 February after the financial year (514/2014 Art. 44);
    2021-2027 the final application of the accounting year, by 31 July after it (CPR Art. 91)."""
    return dt.date(year + 1, 2, 10) if period == "2014-2020" else dt.date(year, 7, 20)


def closed_year(period: str, today: dt.date) -> int:
    """The last accounting (or financial) year closed on `today` whose final payment application has
    reached the Commission: the year the audit authority audits (`amis.demo.audit`, `.sampling`).
    Built on 1 December 2026: 2026 (1 July 2025 - 30 June 2026, declared on 20 July 2026)."""
    year = rules.year_of(period, today) - 1
    return year if submitted_on(period, year) <= today else year - 1


def _has_something(programme: Programme, period: str, year: int) -> bool:
    _start, end = rules.year_bounds(period, year)
    found = list(selectors.declarable(programme, end))
    if period == "2014-2020":
        return bool(selectors.paid_parts(found, end))
    return bool(found)


def _declare_history(programme: Programme, today: dt.date, log: Callable[[str], None]) -> int:
    """Every closed year before the current one: its payment application drafted by the payment
    officer with the verifications completed (2014-2020: and paid) in the year, submitted by the
    authorising officer on its date, the Commission's payment of it recorded by the accounting
    unit, the year's accounts drafted by the accounting unit and submitted by the authorising
    officer. 2021-2027: one item of accounting year 2025 held back from its accounts (an
    assessment under way) and reintroduced in the application of 2026."""
    period = programme.period.code
    officer, manager, accountant = _user(RA_OFFICER), _user(RA_MANAGER), _user(ACCOUNTING)
    current = rules.year_of(period, today)
    held = None
    made = 0
    for year in range(rules.FIRST_YEAR[period] + 1, min(current, rules.PERIODS[period].last_year + 1)):
        sent = submitted_on(period, year)
        if sent > today or not (_has_something(programme, period, year) or held is not None):
            continue
        application = services.application_create(actor=officer, programme=programme, year=year)
        if held is not None:
            services.item_reintroduce(
                actor=officer,
                application=application,
                held=held,
                expected_lock_version=application.lock_version,
            )
            held = None
        application.refresh_from_db()
        application = services.application_submit(
            actor=manager, application=application, expected_lock_version=application.lock_version,
            submitted_on=sent,
        )  # fmt: skip
        made += 1
        title, number = HELD_BACK
        item = application.items.filter(
            project__application__title__startswith=title,
            verification__report__number=number,
            reintroduces__isnull=True,
        ).first()
        if item is not None:
            held = services.item_hold_back(
                actor=officer,
                item=item,
                reason="Beoordeling van de loonkosten van een psycholoog loopt (assessment of a "
                "psychologist's payroll under way).",
                expected_lock_version=application.lock_version,
            )
        eu = application.items.filter(held_back=False).aggregate(s=Sum("eu"))["s"] or Decimal("0")
        kind = CommissionReceipt.Kind.BALANCE if period == "2014-2020" else CommissionReceipt.Kind.INTERIM
        # 2021-2027: the Commission pays 95 % of an interim application, the rest with the accounts
        share = Decimal("1") if period == "2014-2020" else Decimal("0.95")
        paid_on = sent + dt.timedelta(days=60)
        if paid_on <= today and eu > 0:
            services.receipt_record(
                actor=accountant, programme=programme, kind=kind, received_on=paid_on,
                amount=cents(eu * share), reference=f"{programme.cci} {year}/{application.sequence}",
            )  # fmt: skip
        accounts = services.accounts_prepare(actor=accountant, programme=programme, year=year)
        services.accounts_submit(
            actor=manager, accounts=accounts, expected_lock_version=accounts.lock_version
        )
    log(f"  {programme.cci}: {made} payment applications of past years submitted, their accounts too")
    return made


def load_declarations(log: Callable[[str], None] = print, today: dt.date | None = None) -> None:
    """Loaded once, after `amis.demo.money.load_money`."""
    if CommissionReceipt.objects.exists() or PaymentApplication.objects.exists():
        return
    today = today or timezone.localdate()
    with transaction.atomic():
        for cci in (BELGIAN_2014_CCI, BELGIAN_2021_CCI):
            programme = Programme.objects.select_related("period").filter(cci=cci).first()
            if programme is not None:
                log(f"  {cci}: {_receipts(programme, today)} pre-financing receipts from the Commission")
        for cci in (BELGIAN_2014_CCI, BELGIAN_2021_CCI):
            programme = Programme.objects.select_related("period").filter(cci=cci).first()
            if programme is not None:
                _declare_history(programme, today, log)
        programme = Programme.objects.select_related("period").get(cci=BELGIAN_2021_CCI)
        period = programme.period.code
        year = rules.year_of(period, today)
        officer, manager = _user(RA_OFFICER), _user(RA_MANAGER)
        application = services.application_create(actor=officer, programme=programme, year=year)
        if application.items.exists():
            application = services.application_submit(
                actor=manager,
                application=application,
                expected_lock_version=application.lock_version,
                submitted_on=today,
            )
            log(f"  {programme.cci}: payment application {year}/{application.sequence} submitted")
            flagged = set(
                Finding.objects.filter(spot_check__isnull=False).values_list("project_id", flat=True)
            )
            item = application.items.filter(project_id__in=flagged).order_by("pk").first()
            if item is not None:
                held = services.item_hold_back(
                    actor=officer,
                    item=item,
                    reason="Bevinding van de controle ter plaatse: opvolging loopt (finding of the "
                    "on-the-spot check: follow-up under way).",
                    expected_lock_version=application.lock_version,
                )
                later = services.application_create(actor=officer, programme=programme, year=year)
                services.item_reintroduce(
                    actor=officer, application=later, held=held, expected_lock_version=later.lock_version
                )
                log(f"  {programme.cci}: application {year}/{later.sequence} drafted (an item reintroduced)")
        services.accounts_prepare(actor=_user(ACCOUNTING), programme=programme, year=year)
        log(f"  {programme.cci}: accounts {year} drafted")
