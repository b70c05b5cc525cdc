"""From a signed agreement to money at the bank: pre-financing, an interim payment after the
verified report, four eyes, the verifier never approving, the SEPA file valid against its XSD with
a control sum equal to the batch total."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from xml.etree import ElementTree as etree

import pytest
from django.core.exceptions import PermissionDenied

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.accounts.roles import Role
from amis.accounts.services import SegregationOfDutiesError
from amis.core.errors import ApplicationError
from amis.organisations.models import Organisation
from amis.payments import services
from amis.payments.models import Payment, PaymentBatch
from amis.projects.tests.builders import user
from amis.verification import services as verification
from amis.verification.checklist import DEFAULT_ITEMS
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db
RA_MANAGER = "ra.manager@amis.example"
RA_OFFICER = "ra.officer@amis.example"
ACCOUNTING = "accounting@amis.example"


def _verified(report):  # type: ignore[no-untyped-def]
    verifier = user(VERIFIER)
    v = verification.verification_start(actor=verifier, report=report)
    verification.lines_decide(
        actor=verifier, verification=v, filters={"undecided": True}, decision="eligible"
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


def test_prefinancing_then_interim_payment_to_the_sepa_file(belgian: object) -> None:
    report = _submitted_report(20)
    project = report.project
    done = _verified(report)
    officer, manager = user(RA_OFFICER), user(RA_MANAGER)
    pre = services.payment_propose(actor=officer, project=project, kind="prefinancing")
    assert pre.amount == Decimal("96300.00")  # 40 % of 240,750
    with pytest.raises(ApplicationError):
        services.payment_propose(actor=officer, project=project, kind="prefinancing")
    with pytest.raises(PermissionDenied):  # an officer proposes, the authorising officer approves
        services.payment_approve(actor=officer, payment=pre, expected_lock_version=pre.lock_version)
    accounts.role_assign(
        user=officer,
        role=Role.RA_MANAGER,
        organisation=Organisation.objects.get(short_name="FPS HA EFU"),
        actor_label="test",
    )
    officer = User.objects.get(pk=officer.pk)
    with pytest.raises(SegregationOfDutiesError):  # and never the one who proposed
        services.payment_approve(actor=officer, payment=pre, expected_lock_version=pre.lock_version)
    pre = services.payment_approve(actor=manager, payment=pre, expected_lock_version=pre.lock_version)
    interim = services.payment_propose(actor=officer, project=project, kind="interim", report=report)
    # the EU share verified is below the pre-financing: nothing more to pay yet, the working says so
    assert done.eu_share < pre.amount and interim.amount == Decimal("0.00")
    assert ["nothing_to_pay", "0.00"] in interim.working
    accountant = user(ACCOUNTING)
    batch = services.batch_create(actor=accountant, payments=[pre], execution_date=dt.date.today())
    batch = services.batch_export(actor=accountant, batch=batch, expected_lock_version=batch.lock_version)
    assert batch.status == PaymentBatch.Status.EXPORTED and batch.control_sum == pre.amount
    assert batch.xml is not None
    data = bytes(batch.xml)
    xml = etree.fromstring(data)
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
    assert Decimal(xml.findtext(".//p:GrpHdr/p:CtrlSum", default="", namespaces=ns)) == batch.control_sum
    assert xml.findtext(".//p:CdtrAcct/p:Id/p:IBAN", namespaces=ns) == project.organisation.iban
    import sepaxml
    import xmlschema

    schema = xmlschema.XMLSchema(
        os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.001.001.03.xsd")
    )
    assert schema.is_valid(data.decode())
    with pytest.raises(ApplicationError):  # immutable once exported
        services.batch_export(actor=accountant, batch=batch, expected_lock_version=batch.lock_version)
    pre.refresh_from_db()
    paid = services.payment_record_paid(
        actor=accountant, payment=pre, expected_lock_version=pre.lock_version, paid_on=dt.date.today()
    )
    assert paid.status == Payment.Status.PAID


def test_the_verifier_never_approves_the_payment_of_the_report(belgian: object) -> None:
    report = _submitted_report(5)
    _verified(report)
    verifier = user(VERIFIER)
    accounts.role_assign(
        user=verifier,
        role=Role.RA_MANAGER,
        organisation=Organisation.objects.get(short_name="FPS HA EFU"),
        actor_label="test",
    )
    verifier = User.objects.get(pk=verifier.pk)
    interim = services.payment_propose(
        actor=user(RA_OFFICER), project=report.project, kind="interim", report=report
    )
    with pytest.raises(SegregationOfDutiesError):
        services.payment_approve(actor=verifier, payment=interim, expected_lock_version=interim.lock_version)
