"""The financial picture's paid and recovered columns on the database: the pre-financing apart until
claims are verified, then shared over the categories; the project page shows every column per
category and the total row in the reader's language; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from amis.core.money import ZERO
from amis.payments import picture, services
from amis.payments.models import Payment, Recovery
from amis.payments.tests.test_services import ACCOUNTING, RA_MANAGER, RA_OFFICER, _verified
from amis.projects import rules
from amis.projects.selectors import financial_picture
from amis.projects.tests.builders import user
from amis.verification.tests.test_services import _submitted_report

pytestmark = pytest.mark.django_db


def _pay(payment: Payment) -> Payment:
    """Approved by the authorising officer, exported in a batch and recorded as paid."""
    payment = services.payment_approve(
        actor=user(RA_MANAGER), payment=payment, expected_lock_version=payment.lock_version
    )
    accountant = user(ACCOUNTING)
    batch = services.batch_create(actor=accountant, payments=[payment], execution_date=dt.date.today())
    services.batch_export(actor=accountant, batch=batch, expected_lock_version=batch.lock_version)
    payment.refresh_from_db()
    return services.payment_record_paid(
        actor=accountant, payment=payment, expected_lock_version=payment.lock_version, paid_on=dt.date.today()
    )


def _reconciles(found: rules.FinancialPicture) -> None:
    for column in rules.COLUMNS:
        assert found.totals[column] == sum((getattr(r, column) for r in found.rows), ZERO)


def test_prefinancing_is_apart_until_verified_then_shared_over_the_categories(
    belgian: object, django_assert_max_num_queries: object
) -> None:
    report = _submitted_report(20)
    project = report.project
    pre = services.payment_propose(actor=user(RA_OFFICER), project=project, kind="prefinancing")
    _pay(pre)
    found = financial_picture(project)
    _reconciles(found)
    uncleared = next(r for r in found.rows if r.category == rules.UNCLEARED)
    assert uncleared.paid == pre.amount == found.totals["paid"]
    assert all(r.paid == 0 for r in found.rows if r.category != rules.UNCLEARED)

    done = _verified(report)
    found = financial_picture(project)
    _reconciles(found)
    assert found.totals["paid"] == pre.amount
    by_category = {r.category: r for r in found.rows}
    # what the verified claim earned is paid per category, the rest of the pre-financing apart
    assert by_category[rules.UNCLEARED].paid == pre.amount - done.eu_share
    earned = {c: Decimal(a) for c, a in done.verified_by_category.items()}
    expected = rules.largest_remainder(done.eu_share, earned)
    for category, amount in expected.items():
        assert by_category[category].paid == amount
        assert by_category[category].verified == earned[category]
        assert by_category[category].remaining == by_category[category].budget - earned[category]

    # a recovery received comes back out of the uncleared pre-financing first
    Recovery.objects.create(
        project=project,
        debtor=project.organisation,
        amount_due=Decimal("100.00"),
        received=Decimal("60.00"),
        offset=Decimal("40.00"),
        due_date=dt.date.today(),
        reason="Test",
        created_by=user(RA_OFFICER),
    )
    found = financial_picture(project)
    _reconciles(found)
    assert found.totals["recovered"] == Decimal("100.00")
    assert next(r for r in found.rows if r.category == rules.UNCLEARED).recovered == Decimal("100.00")

    # a fixed number of queries, whatever the number of payments, verifications and categories
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        financial_picture(project)
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        picture.picture_columns(project)


def test_only_payments_recorded_as_paid_count_net_of_cancellations(belgian: object) -> None:
    report = _submitted_report(5)
    project = report.project
    _verified(report)
    pre = services.payment_propose(actor=user(RA_OFFICER), project=project, kind="prefinancing")
    assert picture.paid_total(project) == ZERO  # proposed is not paid
    pre = _pay(pre)
    assert picture.paid_total(project) == pre.amount
    # a cancellation is a new paid entry of the opposite amount (the model's own rule)
    Payment.objects.create(
        project=project,
        kind=Payment.Kind.CANCELLATION,
        amount=-pre.amount,
        status=Payment.Status.PAID,
        creditor_name=pre.creditor_name,
        iban=pre.iban,
        remittance="cancellation",
        proposed_by=user(RA_OFFICER),
        cancels=pre,
        paid_on=dt.date.today(),
    )
    assert picture.paid_total(project) == ZERO
    found = financial_picture(project)
    assert found.totals["paid"] == ZERO and all(r.paid == 0 for r in found.rows)


def test_the_project_page_shows_every_column_per_category_and_the_total(belgian: object) -> None:
    report = _submitted_report(20)
    project = report.project
    _pay(services.payment_propose(actor=user(RA_OFFICER), project=project, kind="prefinancing"))
    _verified(report)
    found = financial_picture(project)
    client = Client()
    client.force_login(user(RA_OFFICER))
    client.cookies["django_language"] = "nl"
    page = client.get(f"/projects/{project.reference}/").content.decode()
    for heading in ("Budget", "Aangegeven", "Geverifieerd", "Gecorrigeerd", "Betaald (EU)", "Resterend"):
        assert heading in page
    assert "Voorfinanciering nog niet verrekend" in page
    total_paid = f"{found.totals['paid']:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert total_paid in page  # Dutch grouping: 96.300,00
    client.cookies["django_language"] = "en"
    page = client.get(f"/projects/{project.reference}/").content.decode()
    assert f"{found.totals['paid']:,.2f}" in page and "Pre-financing not yet cleared" in page
