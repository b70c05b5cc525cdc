"""Properties of the money trail on the database (hypothesis, few examples; each example in a
transaction rolled back): random sequences of reports with lines, desk decisions (eligible,
ineligible, reduced), completions, corrections, payment proposals, approvals and records, through the
real services, on one signed project (EUR 321,000 eligible, 75 %, maximum grant EUR 240,750).

- declared = verified by decision + ineligible + reduced for every report, and = its lines;
- nothing is ever paid above the maximum grant; a payment of an interim report or of the balance
  brings what is paid to exactly the EU share verified less corrected (capped at the grant), never
  above it; only the pre-financing is paid ahead of verified expenditure, and only its share;
- after the balance, what was paid less what is due back is exactly that EU share;
- the financial picture's categories add up to its totals to the cent in every column, its paid
  and recovered totals are the payments recorded as paid and the recoveries received or offset.

Cancellations have no service yet (a cancelled payment is a new entry: `payments.services` does not
make one), so they are not in the sequences; `test_picture` covers a cancellation entry's effect.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from amis.core.money import ZERO, cents
from amis.payments import picture, services
from amis.payments.models import Payment, Recovery
from amis.payments.tests.test_services import ACCOUNTING, RA_MANAGER, RA_OFFICER
from amis.projects import rules as project_rules
from amis.projects.models import Project
from amis.projects.selectors import financial_picture, version_in_force
from amis.projects.tests.builders import selected_project, signed_agreement, user
from amis.reporting.models import ExpenditureLine, Report
from amis.reporting.rules import supplier_key
from amis.verification import services as verification
from amis.verification import spot_checks
from amis.verification.checklist import DEFAULT_ITEMS
from amis.verification.models import FinancialCorrection, Finding, LineDecision, Verification
from amis.verification.tests.test_services import VERIFIER

pytestmark = pytest.mark.django_db
CATEGORIES = ("staff", "travel", "other")
STAGES = ("none", "proposed", "approved", "paid")

line_plan = st.tuples(
    st.sampled_from(CATEGORIES),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("150000.00"), places=2),
    st.sampled_from(("eligible", "eligible", "ineligible", "reduced")),
    st.integers(min_value=0, max_value=99),  # the percentage kept of a reduced line
)
report_plan = st.fixed_dictionaries(
    {
        "lines": st.lists(line_plan, min_size=1, max_size=4),
        "correction": st.none()
        | st.tuples(
            st.sampled_from(CATEGORIES),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("60000"), places=2),
        ),
        "pay": st.sampled_from(STAGES),
    }
)


def _submit(report: Report, lines: list[tuple[str, Decimal, str, int]], version: Any) -> None:
    """The lines and the report submitted (the submission service is the reporting stage's; here
    only its outcome matters, as in verification's tests)."""
    day = version.eligible_start + dt.timedelta(days=10)
    ExpenditureLine.objects.bulk_create(
        ExpenditureLine(
            report=report,
            position=i + 1,
            category=category,
            supplier_name=f"Supplier {i}",
            supplier_key=supplier_key("", f"Supplier {i}"),
            invoice_number=f"R{report.number}-{i}",
            invoice_date=day,
            amount_declared=amount,
        )
        for i, (category, amount, _d, _k) in enumerate(lines)
    )
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.SUBMITTED, round=1, agreement_version=version
    )


def _verify(report: Report, lines: list[tuple[str, Decimal, str, int]]) -> Verification:
    verifier = user(VERIFIER)
    v = verification.verification_start(actor=verifier, report=report)
    ids = list(
        ExpenditureLine.objects.filter(report=report).order_by("position").values_list("pk", flat=True)
    )
    for pk, (_c, amount, decision, kept) in zip(ids, lines, strict=True):
        extra: dict[str, Any] = {}
        if decision != "eligible":
            extra["reason"] = LineDecision.Reason.NO_DOCUMENT
        if decision == "reduced":
            extra["eligible"] = cents(amount * kept / 100)
            if extra["eligible"] >= amount:
                extra["eligible"] = amount - Decimal("0.01")
        verification.lines_decide(
            actor=verifier, verification=v, filters={"ids": [pk]}, decision=decision, **extra
        )
    v.refresh_from_db()
    v = verification.checklist_answer(
        actor=verifier,
        verification=v,
        expected_lock_version=v.lock_version,
        answers={code: {"answer": "yes"} for code, _t in DEFAULT_ITEMS},
    )
    return verification.verification_complete(
        actor=verifier, verification=v, expected_lock_version=v.lock_version
    )


def _advance(payment: Payment, stage: str) -> None:
    """Take a proposed payment to `stage`: approved by the authorising officer, then batched,
    exported and recorded as paid by the accounting unit (a zero payment goes no further than approved)."""
    if stage == "proposed":
        return
    payment = services.payment_approve(
        actor=user(RA_MANAGER), payment=payment, expected_lock_version=payment.lock_version
    )
    if stage == "approved" or payment.amount <= 0:
        return
    accountant = user(ACCOUNTING)
    batch = services.batch_create(actor=accountant, payments=[payment], execution_date=dt.date.today())
    services.batch_export(actor=accountant, batch=batch, expected_lock_version=batch.lock_version)
    payment.refresh_from_db()
    services.payment_record_paid(
        actor=accountant, payment=payment, expected_lock_version=payment.lock_version, paid_on=dt.date.today()
    )


def _ceiling(project: Project, max_grant: Decimal) -> Decimal:
    return min(services.eu_verified_total(project), max_grant)


def _check_picture(project: Project) -> None:
    found = financial_picture(project)
    for column in project_rules.COLUMNS:
        assert found.totals[column] == sum((getattr(r, column) for r in found.rows), ZERO), column
    assert found.totals["paid"] == picture.paid_total(project)
    assert found.totals["recovered"] == picture.recovered_total(project)
    assert found.totals["corrected"] == sum(
        (c.amount for c in FinancialCorrection.objects.filter(project=project)), ZERO
    )
    assert found.totals["verified"] == sum(
        (v.verified for v in Verification.objects.filter(report__project=project, status="completed")), ZERO
    )
    for row in found.rows:
        assert row.remaining == row.budget - row.verified + row.corrected


def test_nothing_is_paid_above_the_grant_nor_the_verified_and_everything_reconciles(belgian: object) -> None:
    project = selected_project(code="FL-MONEY")
    version = signed_agreement(project)
    max_grant = version.max_grant
    prefinancing_amount = cents(max_grant * version.prefinancing_share)
    reports = list(Report.objects.filter(project=project).order_by("number"))
    interims = [r for r in reports if r.kind == Report.Kind.INTERIM][:2]
    final = next(r for r in reports if r.kind == Report.Kind.FINAL)
    officer = user(RA_OFFICER)

    # an example runs a dozen services (about a second): no shrinking, which would take minutes;
    # a failure prints its whole example
    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(
        prefinancing=st.sampled_from(STAGES),
        plans=st.lists(report_plan, min_size=1, max_size=len(interims) + 1),
        with_final=st.booleans(),
    )
    def check(prefinancing: str, plans: list[dict[str, Any]], with_final: bool) -> None:
        with transaction.atomic():
            current = Project.objects.get(pk=project.pk)
            if prefinancing != "none":  # on signature, before any claim
                pre = services.payment_propose(actor=officer, project=current, kind="prefinancing")
                assert pre.amount == prefinancing_amount
                assert services.paid_so_far(current) == prefinancing_amount <= max_grant
                _advance(pre, prefinancing)
            targets = interims[: len(plans)]
            if with_final or len(plans) > len(interims):
                targets = interims[: len(plans) - 1] + [final]
            for report, plan in zip(targets, plans, strict=False):
                _submit(report, plan["lines"], version_in_force(current))
                done = _verify(Report.objects.get(pk=report.pk), plan["lines"])
                # declared = verified by decision + ineligible + reduced, and = the lines declared
                assert done.declared == done.eligible_by_decision + done.ineligible + done.reduced
                assert done.declared == sum((line[1] for line in plan["lines"]), ZERO)
                kept = sum((d.eligible for d in LineDecision.objects.filter(verification=done)), ZERO)
                assert done.eligible_by_decision == kept
                assert services.eu_verified_total(current) <= max_grant
                if plan["correction"] is not None:
                    category, amount = plan["correction"]
                    finding = Finding.objects.create(
                        project=current, verification=done, text="Invoice not paid.", created_by=officer
                    )
                    spot_checks.correction_record(
                        actor=officer, finding=finding, amount=amount, reason="Not paid.", category=category
                    )
                if plan["pay"] != "none":
                    kind = "balance" if report.kind == Report.Kind.FINAL else "interim"
                    before = services.paid_so_far(current)
                    ceiling = _ceiling(current, max_grant)
                    payment = services.payment_propose(
                        actor=officer, project=current, kind=kind, report=report
                    )
                    after = services.paid_so_far(current)
                    assert after <= max_grant
                    if payment.amount + payment.offset > 0:
                        # paid up to exactly what is verified less corrected, within the grant
                        assert before < ceiling and after == ceiling
                    else:
                        assert after == before  # nothing paid ahead of the verified expenditure
                    if kind == "balance":
                        due = sum(
                            (
                                r.amount_due
                                for r in Recovery.objects.filter(
                                    project=current, origin__startswith="balance"
                                )
                            ),
                            ZERO,
                        )
                        assert after - due == ceiling
                    _advance(payment, plan["pay"])
                # only the pre-financing is ever paid ahead of what is verified
                assert services.paid_so_far(current) <= max(
                    _ceiling(current, max_grant) + _corrected_eu(current), prefinancing_amount
                )
                _check_picture(current)
            _check_picture(current)
            transaction.set_rollback(True)

    check()


def _corrected_eu(project: Project) -> Decimal:
    """Corrections made after a payment lower what may be paid; what was already paid stays paid
    until the next payment offsets it or the balance orders it back (checked above)."""
    return sum((c.eu_amount for c in FinancialCorrection.objects.filter(project=project)), ZERO)
