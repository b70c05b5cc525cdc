"""Money written by many people at once, on PostgreSQL: eight officers propose the same project's
pre-financing and eight beneficiaries' sessions move budget at the same moment. One pre-financing
only, transfers never past the tolerance, no server error, and the audit chain still verifies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from amis.core.audit import verify_chain
from amis.payments import services as payments
from amis.payments.models import Payment
from amis.projects import services as projects
from amis.projects.models import BudgetTransfer, Project
from amis.projects.tests.builders import CARITAS, selected_project, signed_agreement, user
from tests.test_concurrency import _run

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks; .ci/run runs it"
    ),
]


def test_parallel_proposals_and_transfers_keep_the_money_right(belgian: object) -> None:
    project = selected_project()
    signed_agreement(project)

    def propose() -> str:
        payments.payment_propose(actor=user("ra.officer@amis.example"), project=project, kind="prefinancing")
        return "proposed"

    def transfer() -> str:
        current = Project.objects.get(pk=project.pk)
        projects.budget_transfer(
            actor=user(CARITAS),
            project=current,
            expected_lock_version=current.lock_version,
            from_category="staff",
            to_category="travel",
            amount=Decimal("1000.00"),
            reason="More visits to employers.",
        )
        return "moved"

    done, failures = _run([propose] * 8 + [transfer] * 8, threads=8)
    assert failures == []
    assert done["proposed"] == 1 and Payment.objects.filter(project=project).count() == 1
    moved = sum(
        BudgetTransfer.objects.filter(version__agreement__project=project).values_list("amount", flat=True),
        Decimal(0),
    )
    assert (
        moved == Decimal(done["moved"]) * Decimal("1000.00") <= Decimal("2000.00")
    )  # 10 % of travel's 20,000
    assert verify_chain().ok
