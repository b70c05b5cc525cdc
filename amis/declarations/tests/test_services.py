"""From verified reports to the Commission: a payment application drafted with an item per completed
verification, an item held back and reintroduced in a later application (traced), four eyes on
submission, frozen figures; receipts; the accounts of the year with corrections and recoveries,
reconciled and frozen at submission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from amis.accounts.services import SegregationOfDutiesError
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.models import AuditEntry
from amis.declarations import selectors, services
from amis.declarations.models import AnnualAccounts, PaymentApplication, PaymentApplicationItem
from amis.declarations.tests.helpers import ACCOUNTING, RA_MANAGER, RA_OFFICER, YEAR, two_verified
from amis.demo.programme import BELGIAN_2021_CCI
from amis.payments.models import Recovery, RecoveryReceipt
from amis.programme.models import Programme
from amis.projects.tests.builders import demo_base, user
from amis.verification.models import FinancialCorrection, Finding

pytestmark = pytest.mark.django_db
SUBMITTED_ON = dt.date(2026, 6, 20)


def _programme() -> Programme:
    return Programme.objects.select_related("period").get(cci=BELGIAN_2021_CCI)


def _submit(application: PaymentApplication, who: str = RA_MANAGER) -> PaymentApplication:
    application.refresh_from_db()
    return services.application_submit(
        actor=user(who),
        application=application,
        expected_lock_version=application.lock_version,
        submitted_on=SUBMITTED_ON,
    )


def test_application_hold_back_reintroduce_and_accounts(belgian: object) -> None:
    first, second = two_verified()
    programme = _programme()
    officer, manager = user(RA_OFFICER), user(RA_MANAGER)
    application = services.application_create(actor=officer, programme=programme, year=YEAR)
    items = {i.verification_id: i for i in application.items.all()}
    assert set(items) == {first.pk, second.pk}
    assert items[first.pk].eu == first.eu_share and items[first.pk].eligible == first.verified
    assert items[first.pk].specific_objective == "SO2"
    # one draft at a time
    with pytest.raises(ApplicationError):
        services.application_create(actor=officer, programme=programme, year=YEAR)
    # hold back the second item: a reason is needed, and the lock version must be current
    with pytest.raises(ApplicationError):
        services.item_hold_back(actor=officer, item=items[second.pk], reason="  ", expected_lock_version=1)
    with pytest.raises(StaleObjectError):
        services.item_hold_back(
            actor=officer, item=items[second.pk], reason="OLAF enquiry", expected_lock_version=9
        )
    held = services.item_hold_back(
        actor=officer, item=items[second.pk], reason="OLAF enquiry", expected_lock_version=1
    )
    assert held.held_back and held.held_stage == "application" and held.held_by == officer
    rows, total = selectors.so_totals(list(application.items.all()))
    assert total.eu == first.eu_share and rows[0].items == 1
    # four eyes: the officer has no right to submit; a manager who prepared may not either
    with pytest.raises(PermissionDenied):
        _submit(application, RA_OFFICER)
    submitted = _submit(application)
    assert submitted.status == "submitted" and submitted.submitted_by == manager
    assert submitted.snapshot["total"]["eu"] == str(first.eu_share)
    with pytest.raises(ApplicationError):  # frozen
        _submit(submitted)
    # reintroduced in the next application, traced to the item held back, once
    later = services.application_create(actor=officer, programme=programme, year=YEAR)
    assert later.sequence == 2 and later.items.count() == 0
    again = services.item_reintroduce(
        actor=officer, application=later, held=held, expected_lock_version=later.lock_version
    )
    assert again.reintroduces == held and again.eu == second.eu_share
    later.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.item_reintroduce(
            actor=officer, application=later, held=held, expected_lock_version=later.lock_version
        )
    with pytest.raises(ApplicationError):  # only a held-back item
        services.item_reintroduce(
            actor=officer, application=later, held=items[first.pk], expected_lock_version=later.lock_version
        )
    _submit(later)
    # a correction and a recovery on the first project, in the year
    project = items[first.pk].project
    finding = Finding.objects.create(project=project, text="Overclaimed staff", created_by=officer)
    correction = FinancialCorrection.objects.create(
        project=project,
        finding=finding,
        category="staff",
        amount=Decimal("100.00"),
        eu_amount=Decimal("75.00"),
        reason="Staff cost above the rate",
        created_by=officer,
    )
    FinancialCorrection.objects.filter(pk=correction.pk).update(
        created_at=dt.datetime(2026, 6, 25, tzinfo=dt.UTC)
    )
    recovery = Recovery.objects.create(
        project=project,
        debtor=project.organisation,
        amount_due=Decimal("75.00"),
        due_date=dt.date(2026, 6, 1),
        reason="Overclaimed staff",
        created_by=officer,
    )
    RecoveryReceipt.objects.create(
        recovery=recovery,
        amount=Decimal("30.00"),
        received_on=dt.date(2026, 6, 28),
        recorded_by=user(ACCOUNTING),
    )
    view = selectors.accounts_view(manager, programme, YEAR)
    so2 = view.objectives[0]
    declared = first.eu_share + second.eu_share
    assert so2.declared.eu == declared
    assert so2.corrected.eu == Decimal("75.00") and so2.recovered.eu == Decimal("30.00")
    assert so2.net.eu == declared - Decimal("75.00") - Decimal("30.00")
    assert {d.kind for d in view.differences} == {"corrected", "recovered"}
    # the accounts drafted by the officer, submitted by the manager (never by who drafted them)
    record = services.accounts_prepare(actor=user(ACCOUNTING), programme=programme, year=YEAR)
    with pytest.raises(SegregationOfDutiesError):
        services.accounts_submit(
            actor=user(ACCOUNTING), accounts=record, expected_lock_version=record.lock_version
        )
    record = services.accounts_submit(
        actor=manager, accounts=record, expected_lock_version=record.lock_version
    )
    assert record.status == AnnualAccounts.Status.SUBMITTED
    assert record.snapshot["total"]["net"]["eu"] == str(so2.net.eu)
    # frozen: a later correction changes nothing in the submitted accounts
    FinancialCorrection.objects.filter(pk=correction.pk).update(
        amount=Decimal("200.00"), eu_amount=Decimal("150.00")
    )
    assert selectors.accounts_view(manager, programme, YEAR).total.net.eu == so2.net.eu
    # nothing more is held back from submitted accounts
    first_item = PaymentApplicationItem.objects.get(verification=first)
    with pytest.raises(ApplicationError):
        services.item_hold_back(
            actor=officer,
            item=first_item,
            reason="late doubt",
            expected_lock_version=first_item.application.lock_version,
        )
    assert (
        AuditEntry.objects.filter(object_type="declarations.PaymentApplication", action="submit").count() == 2
    )
    assert AuditEntry.objects.filter(
        object_type="declarations.PaymentApplicationItem", action="reintroduce"
    ).exists()


def test_held_back_from_the_accounts_after_submission(belgian: object) -> None:
    first, second = two_verified()
    programme = _programme()
    officer, manager = user(RA_OFFICER), user(RA_MANAGER)
    application = services.application_create(actor=officer, programme=programme, year=YEAR)
    application = _submit(application)
    snapshot = dict(application.snapshot)
    item = application.items.get(verification=second)
    held = services.item_hold_back(
        actor=officer, item=item, reason="Audit under way", expected_lock_version=application.lock_version
    )
    assert held.held_stage == "accounts"
    application.refresh_from_db()
    assert application.snapshot == snapshot  # the application as submitted stays as it was
    view = selectors.accounts_view(manager, programme, YEAR)
    assert view.total.declared.eu == first.eu_share + second.eu_share
    assert view.total.held_back.eu == second.eu_share
    assert view.total.net.eu == first.eu_share
    assert [d.kind for d in view.differences] == ["held_back"] and view.differences[
        0
    ].explanation == "Audit under way"
    # the dashboard's read: the EU amount declared per call, net of what was held back from the accounts
    assert selectors.declared_by_call(
        [first.report.project.application.call_id, second.report.project.application.call_id]
    ) == {first.report.project.application.call_id: first.eu_share}


def test_the_preparer_never_submits_and_bad_years_are_refused(belgian: object) -> None:
    two_verified()
    programme = _programme()
    manager = user(RA_MANAGER)
    application = services.application_create(actor=manager, programme=programme, year=YEAR)
    with pytest.raises(SegregationOfDutiesError):
        _submit(application, RA_MANAGER)
    assert AuditEntry.objects.filter(action="permission_refused").exists()
    application.refresh_from_db()
    assert application.status == "draft"
    with pytest.raises(ApplicationError):  # the application date cannot be in the future
        services.application_submit(
            actor=user(ACCOUNTING), application=application, expected_lock_version=application.lock_version,
            submitted_on=dt.date.today() + dt.timedelta(days=3),
        )  # fmt: skip
    for year in (2021, 2031, dt.date.today().year + 2):
        with pytest.raises(ApplicationError):
            services.accounts_prepare(actor=manager, programme=programme, year=year)
    with pytest.raises(PermissionDenied):
        services.application_create(actor=user("beneficiary@caritas.example"), programme=programme, year=YEAR)


def test_receipts(belgian: object) -> None:
    demo_base()
    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    with pytest.raises(ApplicationError):
        services.receipt_record(
            actor=user(ACCOUNTING),
            programme=programme,
            kind="prefinancing",
            received_on=dt.date(2026, 1, 5),
            amount=Decimal("-1"),
        )
    with pytest.raises(ApplicationError):
        services.receipt_record(
            actor=user(ACCOUNTING),
            programme=programme,
            kind="gift",
            received_on=dt.date(2026, 1, 5),
            amount=Decimal("1"),
        )
    receipt = services.receipt_record(
        actor=user(ACCOUNTING),
        programme=programme,
        kind="prefinancing",
        received_on=dt.date(2026, 1, 5),
        amount=Decimal("1000.50"),
    )
    assert selectors.receipts(programme) == [receipt]
    assert selectors.covered_by_date(programme) == {dt.date(2026, 1, 5): Decimal("1000.50")}
    view = selectors.accounts_view(user(RA_MANAGER), programme, YEAR)
    assert view.prefinancing == Decimal("1000.50")
    risk = selectors.decommitment_risk(programme, dt.date(2026, 12, 1))
    assert risk and risk[0].year == 2021 and risk[0].deadline == dt.date(2024, 12, 31)
