"""What the demo's authority declared to the Commission and received from it (issue 17, section 3),
through the real services, each step by the person whose role it is:

- both Belgian programmes received their pre-financing from the Commission: 2014-2020 the initial
  4 % and the annual instalments of Reg. (EU) No 514/2014 Art. 35 (3 % in 2015, then 5 % a year
  for 2016-2022); 2021-2027 those of Reg. (EU) 2021/1147 Art. 14 (4 % for 2021 and 3 % for 2022,
  paid in 2022, the year of adoption, then 5 % a year) — recorded by the accounting unit (Luc Maes),
  each on the percentage of the programme's commitments, so the decommitment table has real
  figures (and, with no payment application yet in earlier years, a warning);
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
from django.utils import timezone

from amis.accounts.models import User
from amis.core.money import cents
from amis.declarations import rules, services
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


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _receipts(programme: Programme, today: dt.date) -> int:
    total = sum(programme_commitments(programme).values(), Decimal("0"))
    if total <= 0:
        return 0
    accountant = _user(ACCOUNTING)
    made = 0
    for n, (year, share) in enumerate(PREFINANCING.get(programme.period.code, [])):
        day = dt.date(year, 6, 15) + dt.timedelta(days=n % 2)
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
            flagged = set(Finding.objects.values_list("project_id", flat=True))
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
