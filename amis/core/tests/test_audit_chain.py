"""The audit trail is a hash chain: `amis audit verify` passes on an intact trail and finds an edited row."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from amis.core.audit import record, verify_chain
from amis.core.models import AuditEntry
from amis.programme.models import Fund

pytestmark = pytest.mark.django_db


def _write(n: int) -> None:
    fund = Fund.objects.get(code="AMIF")
    for i in range(n):
        with transaction.atomic():
            record(
                actor=None, actor_label="test", action="update", obj=fund, before={"i": i}, after={"i": i + 1}
            )


def test_verify_passes_on_the_demo(belgian: Any) -> None:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Audit trail intact" in out.getvalue()
    data = StringIO()
    call_command("audit", "verify", "--format", "json", stdout=data)
    assert json.loads(data.getvalue())["ok"] is True


def test_an_entry_edited_by_hand_breaks_the_chain_there() -> None:
    _write(5)
    target = AuditEntry.objects.order_by("sequence")[2]
    with connection.cursor() as cursor:  # what a person with database access might do
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET actor_label = %s WHERE id = %s",
            ["someone else", target.pk],
        )
    report = verify_chain()
    assert not report.ok and report.first_broken == target.sequence
    assert "changed after it was written" in report.problem
    with pytest.raises(CommandError, match=f"broken at entry #{target.sequence}"):
        call_command("audit", "verify", stdout=StringIO())


def test_a_deleted_entry_breaks_the_chain() -> None:
    _write(4)
    victim = AuditEntry.objects.order_by("sequence")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [victim.pk])
    report = verify_chain()
    assert report.first_broken == victim.sequence and "missing" in report.problem


def test_a_deleted_last_entry_is_noticed() -> None:
    _write(3)
    last = AuditEntry.objects.order_by("-sequence").first()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [last.pk])
    assert not verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_write_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(actor=None, action="update", obj=Fund.objects.get(code="AMIF"))


def test_a_rolled_back_change_leaves_no_entry() -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record(actor=None, action="update", obj=Fund.objects.get(code="AMIF"), after={"x": 1})
        _ = 1 / 0
    assert AuditEntry.objects.count() == before
    assert verify_chain().ok
