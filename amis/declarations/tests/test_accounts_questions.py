"""Four questions on the accounts, each answered with figures worked out by hand:

(a) 2014-2020: "expenditure incurred and paid by the responsible authority" is what the authority
    paid the beneficiary, not what was verified (`rules.paid_parts`, `selectors.paid_parts`);
(b) a recovery withdraws its EU amount and the eligible expenditure behind it from the accounts;
(c) a recovery ordered after a financial correction of the same expenditure (the same finding) is
    not subtracted a second time;
(d) a delegated authority's accounts show no programme-wide pre-financing nor Commission payment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from amis.declarations import rules, selectors, services
from amis.declarations.models import CommissionReceipt, PaymentApplication
from amis.declarations.tests.helpers import (
    ACCOUNTING,
    DA,
    RA_MANAGER,
    RA_OFFICER,
    YEAR,
    two_verified,
    verified_report,
)
from amis.demo.programme import BELGIAN_2021_CCI
from amis.payments.models import Payment, Recovery, RecoveryReceipt
from amis.programme.models import Programme
from amis.projects.tests.builders import user
from amis.verification.models import FinancialCorrection, Finding, Verification

D = Decimal
pytestmark = pytest.mark.django_db


# -- the plain rules --------------------------------------------------------------------------------


def test_paid_parts_declare_what_the_authority_paid() -> None:
    # three claims of EU 600, 300 and 500; the authority paid 1,000 (pre-financing 400 + interim 600)
    assert rules.paid_parts([(D("600"), False), (D("300"), False), (D("500"), False)], D("1000"), D("0")) == [
        D("600"),
        D("300"),
        None,  # 100 left does not cover 500: it waits
    ]
    # 600 already declared: 400 left covers the 300 claim, not the next one; later claims wait too
    assert rules.paid_parts([(D("300"), False), (D("50"), False)], D("1000"), D("600")) == [D("300"), D("50")]
    assert rules.paid_parts([(D("500"), False), (D("50"), False)], D("1000"), D("600")) == [None, None]
    # the final report's balance is paid: what was paid is declared (1,000 - 600 = 400 of 500)
    assert rules.paid_parts([(D("500"), True)], D("1000"), D("600")) == [D("400")]
    # nothing paid beyond what is declared: even a settled claim waits
    assert rules.paid_parts([(D("500"), True)], D("600"), D("600")) == [None]


def test_expenditure_behind_an_eu_amount() -> None:
    # declared 5,010.00 eligible for EU 3,757.50 (75 %): EU 15.00 stands for 20.00 of expenditure
    declared = rules.Amounts(D("5010.00"), D("3757.50"), D("3757.50"))
    assert rules.expenditure_for(D("15.00"), declared) == D("20.00")
    assert rules.expenditure_for(D("0"), declared) == D("0.00")
    assert rules.expenditure_for(D("9999.00"), declared) == D("5010.00")  # never above what was declared


def test_a_recovery_makes_good_a_correction_first() -> None:
    # correction of EU 75.00 on the finding; receipts of 50.00 then 40.00: 90 - 75 = 15 is recovered
    assert rules.recovered_beyond_corrections([(D("50.00"), D("75.00")), (D("40.00"), D("75.00"))]) == [
        D("0"),
        D("15.00"),
    ]
    # no correction: each receipt counts in full
    assert rules.recovered_beyond_corrections([(D("30.00"), D("0")), (D("20.00"), D("0"))]) == [
        D("30.00"),
        D("20.00"),
    ]
    # the correction came after the first receipt (0 by then): the first counts, the second does not
    assert rules.recovered_beyond_corrections([(D("30.00"), D("0")), (D("20.00"), D("75.00"))]) == [
        D("30.00"),
        D("0"),
    ]


# -- in the database --------------------------------------------------------------------------------

SUBMITTED_ON = dt.date(2026, 6, 20)


def _programme() -> Programme:
    return Programme.objects.select_related("period").get(cci=BELGIAN_2021_CCI)


def _declared(programme: Programme) -> PaymentApplication:
    application = services.application_create(actor=user(RA_OFFICER), programme=programme, year=YEAR)
    return services.application_submit(
        actor=user(RA_MANAGER),
        application=application,
        expected_lock_version=application.lock_version,
        submitted_on=SUBMITTED_ON,
    )


def _paid(verification: Verification, kind: str, amount: str, on: dt.date) -> Payment:
    project = verification.report.project
    return Payment.objects.create(
        project=project,
        kind=kind,
        report=verification.report if kind != Payment.Kind.PREFINANCING else None,
        amount=D(amount),
        status=Payment.Status.PAID,
        paid_on=on,
        creditor_name="Caritas",
        iban="BE68539007547034",
        remittance=project.reference,
        proposed_by=user(RA_OFFICER),
    )


def test_the_authority_s_payments_decide_what_is_declared(belgian: object) -> None:
    """(a) The verified report: 5 lines of 1,000.00 to 1,004.00 = 5,010.00, plus the 7 % flat rate =
    5,360.70 verified; its EU share 75 % = 4,020.525, 4,020.53. Paid by 31 March 2026: pre-financing
    2,000.00 — not enough, the claim waits. Paid by 30 April: + interim 2,100.00 = 4,100.00 — the
    whole EU share is covered and declared."""
    verification = verified_report("FL-PAID-A")
    assert (verification.verified, verification.eu_share) == (D("5360.70"), D("4020.53"))
    _paid(verification, Payment.Kind.PREFINANCING, "2000.00", dt.date(2026, 3, 15))
    _paid(verification, Payment.Kind.INTERIM, "2100.00", dt.date(2026, 4, 10))
    assert selectors.paid_parts([verification], dt.date(2026, 3, 31)) == {}
    assert selectors.paid_parts([verification], dt.date(2026, 4, 30)) == {verification.pk: D("4020.53")}


def test_a_settled_final_report_declares_what_was_paid(belgian: object) -> None:
    """(a) A final report whose balance is paid: the authority paid 3,000.00 in all (pre-financing
    2,000.00, balance 1,000.00) for an EU share of 4,020.53; 3,000.00 is what it declares."""
    verification = verified_report("FL-PAID-B")
    verification.report.__class__.objects.filter(pk=verification.report_id).update(kind="final")
    verification = Verification.objects.select_related("report").get(pk=verification.pk)
    _paid(verification, Payment.Kind.PREFINANCING, "2000.00", dt.date(2026, 3, 15))
    assert selectors.paid_parts([verification], dt.date(2026, 4, 30)) == {}
    _paid(verification, Payment.Kind.BALANCE, "1000.00", dt.date(2026, 4, 10))
    assert selectors.paid_parts([verification], dt.date(2026, 4, 30)) == {verification.pk: D("3000.00")}


def test_recoveries_reduce_the_accounts_once(belgian: object) -> None:
    """(b) and (c). Each project declared 5,360.70 eligible (5,010.00 + 7 % flat rate), all of it
    public (the application's plan completes the EU's 75 % with national public money), EU 4,020.53;
    on the first one:
    - a correction of 100.00 (EU 75.00) from finding F on 24 June 2026;
    - a recovery ordered from F, received 50.00 on 25 June and 40.00 on 28 June: 90.00 - 75.00 =
      15.00 EU beyond the correction, standing for 15.00 x 5,360.70 / 4,020.53 = 19.99997, 20.00 of
      expenditure;
    - a recovery of undeclared revenue (no correction), 30.00 received on 29 June: 30.00 x
      5,360.70 / 4,020.53 = 39.99995, 40.00 of expenditure.
    Accounts of SO2: declared EU 2 x 4,020.53 = 8,041.06, eligible 10,721.40; corrected 75.00 (100.00);
    recovered 15.00 + 30.00 = 45.00 (20.00 + 40.00 = 60.00, all public); net EU 8,041.06 - 75.00 -
    45.00 = 7,921.06; net eligible 10,721.40 - 100.00 - 60.00 = 10,561.40. Without (c) the first
    recovery would take 90.00 more; without (b) the eligible column would not move."""
    first, _second = two_verified()
    programme = _programme()
    _declared(programme)
    officer, accountant = user(RA_OFFICER), user(ACCOUNTING)
    project = first.report.project
    finding = Finding.objects.create(
        project=project, text="Room hired on a day without lessons", created_by=officer
    )
    correction = FinancialCorrection.objects.create(
        project=project, finding=finding, category="staff", amount=D("100.00"), eu_amount=D("75.00"),
        reason="Room without lessons", created_by=officer,
    )  # fmt: skip
    FinancialCorrection.objects.filter(pk=correction.pk).update(
        created_at=dt.datetime(2026, 6, 24, 9, tzinfo=dt.UTC)
    )
    same = Recovery.objects.create(
        project=project, debtor=project.organisation, amount_due=D("90.00"), due_date=dt.date(2026, 7, 31),
        reason="Room without lessons", finding=finding, created_by=officer,
    )  # fmt: skip
    other = Recovery.objects.create(
        project=project, debtor=project.organisation, amount_due=D("30.00"), due_date=dt.date(2026, 7, 31),
        reason="Undeclared revenue", created_by=officer,
    )  # fmt: skip
    for recovery, amount, day in ((same, "50.00", 25), (same, "40.00", 28), (other, "30.00", 29)):
        RecoveryReceipt.objects.create(
            recovery=recovery, amount=D(amount), received_on=dt.date(2026, 6, day), recorded_by=accountant
        )
    view = selectors.accounts_view(user(RA_MANAGER), programme, YEAR)
    so2 = view.objectives[0]
    assert so2.declared.eu == D("8041.06") and so2.declared.eligible == D("10721.40")
    assert so2.corrected.eu == D("75.00") and so2.corrected.eligible == D("100.00")
    assert so2.recovered.eu == D("45.00") and so2.recovered.eligible == D("60.00")
    assert so2.recovered.public == D("60.00")
    assert so2.net.eu == D("7921.06") and so2.net.eligible == D("10561.40")
    recovered = sorted((m.amounts.eu, m.amounts.eligible) for m in view.differences if m.kind == "recovered")
    assert recovered == [(D("15.00"), D("20.00")), (D("30.00"), D("40.00"))]


def test_a_delegated_authority_sees_no_programme_wide_prefinancing(belgian: object) -> None:
    """(d) The Commission's pre-financing of 1,000,000.00 received in the year is the programme's:
    the responsible authority reads it, the delegated authority (SO2 of the 2021-2027 programme) reads
    its projects' figures and no pre-financing, on the page, in the JSON, the API and the XLSX."""
    two_verified()
    programme = _programme()
    _declared(programme)
    services.receipt_record(
        actor=user(ACCOUNTING), programme=programme, kind=CommissionReceipt.Kind.PREFINANCING,
        received_on=dt.date(2026, 2, 1), amount=D("1000000.00"), reference="pre-financing",
    )  # fmt: skip
    whole = selectors.accounts_view(user(RA_MANAGER), programme, YEAR)
    assert whole.prefinancing == D("1000000.00") and whole.received == D("1000000.00")
    part = selectors.accounts_view(user(DA), programme, YEAR)
    assert part.prefinancing is None and part.received is None
    assert part.total.declared.eu == whole.total.declared.eu == D("8041.06")  # both projects are in SO2
    document = selectors.accounts_document(part)
    assert document["prefinancing"] is None and document["received"] is None
    url = f"/declarations/{BELGIAN_2021_CCI}/accounts/{YEAR}/"
    ra, da = Client(), Client()
    ra.force_login(user(RA_MANAGER))
    da.force_login(user(DA))
    assert "1,000,000.00" in ra.get(url).content.decode()
    page = da.get(url)
    assert page.status_code == 200
    assert "Pre-financing received in the year" not in page.content.decode()
    assert "1,000,000.00" not in page.content.decode()
    api = f"/api/v1/declarations/{BELGIAN_2021_CCI}/accounts/{YEAR}"
    assert da.get(api).json()["prefinancing"] is None
    assert ra.get(api).json()["prefinancing"] == "1000000.00"
    xlsx = da.get(url + "?format=xlsx")
    assert xlsx.status_code == 200 and b"Pre-financing received" not in _xlsx_text(xlsx.content)


def _xlsx_text(data: bytes) -> bytes:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    return " ".join(cells).encode()
