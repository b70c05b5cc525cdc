"""The demo's declarations: pre-financing received on both programmes, an application of the
current accounting year submitted with one item held back, a draft reintroducing it, the year's
accounts drafted — loaded once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from amis.declarations import selectors
from amis.declarations.models import (
    AnnualAccounts,
    CommissionReceipt,
    PaymentApplication,
    PaymentApplicationItem,
)
from amis.demo.programme import BELGIAN_2021_CCI
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_declares_and_receives() -> None:
    out = io.StringIO()
    call_command("demo", "--prepare-only", stdout=out)
    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    assert CommissionReceipt.objects.filter(programme=programme).count() == 6
    assert CommissionReceipt.objects.filter(programme__cci="2014BE65AMNP001").count() == 9
    submitted = PaymentApplication.objects.get(programme=programme, sequence=1)
    assert submitted.status == "submitted" and submitted.submitted_by != submitted.prepared_by
    held = PaymentApplicationItem.objects.get(held_back=True)
    draft = PaymentApplication.objects.get(programme=programme, sequence=2)
    assert held.held_stage == "accounts" and draft.items.get().reintroduces == held
    assert draft.status == "draft"
    view = selectors.accounts_view(None, programme, submitted.year)
    assert [d.kind for d in view.differences] == ["held_back"] and view.total.held_back.eu == held.eu
    assert AnnualAccounts.objects.filter(programme=programme, status="draft").exists()
    risk = selectors.decommitment_risk(programme)
    assert risk and {r.level for r in risk} & {"warning", "decommitted"}
    before = CommissionReceipt.objects.count()
    call_command("demo", "--prepare-only", stdout=out)
    assert CommissionReceipt.objects.count() == before
