"""The life of another fund's list on the database: read, confirmed, replaced (the flags follow:
moved, reopened when the period changed, closed when the project is gone), deleted with a reason,
optimistic locking, and only officers who manage selection."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from amis.accounts.models import User
from amis.applications.models import Application
from amis.calls.models import Call
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.models import AuditEntry
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.integrity import lists, reading, services
from amis.integrity.models import DoubleFundingFlag, OtherFundList

pytestmark = pytest.mark.django_db
HEADER = "identifier;title;start;end;enterprise_number"


def _officer() -> User:
    return User.objects.get(email="da.flanders@amis.example")


def _read(rows: list[str], fund: str = "ESF") -> OtherFundList:
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    upload = lists.list_upload(actor=_officer(), fund=fund, name="esf.csv", data=data, queue=False)
    read = reading.list_read(upload.pk)
    assert read is not None
    return read


def _confirm(upload: OtherFundList) -> OtherFundList:
    return lists.list_confirm(actor=_officer(), upload=upload, expected_lock_version=upload.lock_version)


@pytest.fixture
def world(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    call = Call.objects.get(code=CODE)
    app = Application.objects.filter(call=call, organisation__enterprise_number="0623456711").first()
    assert app is not None and app.start_date and app.end_date
    return {"call": call, "app": app}


def _row(identifier: str, start: dt.date, end: dt.date, title: str = "Werkplekleren") -> str:
    return f"{identifier};{title};{start:%d/%m/%Y};{end:%d/%m/%Y};0623.456.711"


def test_a_replacing_list_moves_reopens_and_closes_the_flags(world: dict[str, Any]) -> None:
    app, call = world["app"], world["call"]
    start, end = app.start_date, app.end_date
    first = _confirm(_read([_row("ESF-1", start, end), _row("ESF-2", start, end), _row("ESF-3", start, end)]))
    assert services.refresh_double_funding_flags(actor=_officer(), call=call) == 3
    for flag in DoubleFundingFlag.objects.filter(other__identifier__in=["ESF-1", "ESF-2"]):
        services.clear_flag(actor=_officer(), flag=flag, reason="Different costs, different trainers.")

    later = end + dt.timedelta(days=400)
    newer = _read(
        [
            _row("ESF-1", start, end),  # unchanged: moves, stays cleared
            _row("ESF-2", start - dt.timedelta(days=30), end),  # period changed: reopens
            _row("ESF-4", later, later + dt.timedelta(days=10)),  # new, no overlap
        ]
    )  # ESF-3 is gone: its flag closes
    assert newer.status == "read" and first.status == "active"
    newer = _confirm(newer)
    first.refresh_from_db()
    assert (first.status, newer.status, newer.replaces_id) == ("replaced", "active", first.pk)
    flags = {f.other.identifier: f for f in DoubleFundingFlag.objects.select_related("other")}
    assert set(flags) == {"ESF-1", "ESF-2", "ESF-3"}
    assert flags["ESF-1"].other.source_list_id == newer.pk and flags["ESF-1"].cleared_at is not None
    assert flags["ESF-2"].cleared_at is None and "Reopened: period" in flags["ESF-2"].reason
    assert (
        flags["ESF-3"].closed_at is not None and "not in the newer ESF list" in flags["ESF-3"].closed_reason
    )
    assert services.refresh_double_funding_flags(actor=_officer(), call=call) == 0  # ESF-4 does not overlap
    confirmed = AuditEntry.objects.filter(object_type="integrity.OtherFundList", object_id=str(newer.pk))
    assert confirmed.filter(after__moved=2, after__reopened=1, after__closed=1).exists()


def test_deleting_the_list_needs_a_reason_and_closes_its_open_flags(world: dict[str, Any]) -> None:
    app = world["app"]
    upload = _confirm(_read([_row("ESF-1", app.start_date, app.end_date)]))
    services.refresh_double_funding_flags(actor=_officer(), call=world["call"])
    with pytest.raises(ApplicationError, match="at least 10 characters"):
        lists.list_delete(
            actor=_officer(), upload=upload, expected_lock_version=upload.lock_version, reason="."
        )
    with pytest.raises(StaleObjectError):
        lists.list_delete(
            actor=_officer(),
            upload=upload,
            expected_lock_version=upload.lock_version - 1,
            reason="Sent twice.",
        )
    deleted = lists.list_delete(
        actor=_officer(),
        upload=upload,
        expected_lock_version=upload.lock_version,
        reason="The fund sent a wrong year.",
    )
    assert deleted.status == "deleted" and deleted.end_reason == "The fund sent a wrong year."
    flag = DoubleFundingFlag.objects.get()
    assert flag.closed_at is not None and "wrong year" in flag.closed_reason
    with pytest.raises(ApplicationError, match="closed"):
        services.clear_flag(actor=_officer(), flag=flag, reason="Different costs, different trainers.")
    assert services.refresh_double_funding_flags(actor=_officer(), call=world["call"]) == 0


def test_a_read_list_is_not_used_until_confirmed_and_can_be_discarded(world: dict[str, Any]) -> None:
    app = world["app"]
    upload = _read([_row("ESF-1", app.start_date, app.end_date)])
    assert services.refresh_double_funding_flags(actor=_officer(), call=world["call"]) == 0
    discarded = lists.list_discard(actor=_officer(), upload=upload, expected_lock_version=upload.lock_version)
    assert discarded.status == "discarded" and not discarded.projects.exists()
    with pytest.raises(ApplicationError, match="read without errors"):
        lists.list_confirm(actor=_officer(), upload=discarded, expected_lock_version=discarded.lock_version)


def test_only_officers_who_manage_selection(world: dict[str, Any]) -> None:
    beneficiary = User.objects.get(email="beneficiary@caritas.example")
    with pytest.raises(PermissionDenied):
        lists.list_upload(actor=beneficiary, fund="ESF", name="esf.csv", data=b"x", queue=False)
    assert not OtherFundList.objects.exists()


def test_an_identifier_over_100_characters_is_refused_not_a_server_error(world: dict[str, Any]) -> None:
    upload = _read([f"{'E' * 101};Titel;01/01/2024;31/12/2024;"])
    assert upload.status == "refused" and upload.errors[0]["column"] == "identifier"


def test_a_selection_of_flags_is_cleared_with_one_reason(world: dict[str, Any]) -> None:
    app = world["app"]
    rows = [_row(f"ESF-{n}", app.start_date, app.end_date) for n in range(1, 5)]
    _confirm(_read(rows))
    services.refresh_double_funding_flags(actor=_officer(), call=world["call"])
    ids = list(DoubleFundingFlag.objects.order_by("pk").values_list("pk", flat=True))
    with pytest.raises(ApplicationError, match="at least 10 characters"):
        services.clear_flags(actor=_officer(), call=world["call"], flag_ids=ids[:3], reason="no")
    with pytest.raises(ApplicationError, match="Tick the flags"):
        services.clear_flags(actor=_officer(), call=world["call"], flag_ids=[], reason="Different trainers.")
    assert (
        services.clear_flags(
            actor=_officer(), call=world["call"], flag_ids=ids[:3], reason="ESF pays other costs."
        )
        == 3
    )
    with pytest.raises(ApplicationError, match="not open flags"):
        services.clear_flags(
            actor=_officer(), call=world["call"], flag_ids=ids, reason="ESF pays other costs."
        )
    assert DoubleFundingFlag.objects.filter(DoubleFundingFlag.OPEN).count() == 1
    assert (
        AuditEntry.objects.filter(
            object_type="integrity.DoubleFundingFlag", after__clearance="ESF pays other costs."
        ).count()
        == 3
    )


def test_a_list_of_300_rows_without_numbers_raises_flags_by_name(world: dict[str, Any]) -> None:
    """The public ESF list carries names only: the applicants are found by name, written another
    way, with a confidence; an officer rejects one match, and the next check remembers it."""
    call = world["call"]
    apps = list(
        Application.objects.filter(call=call, start_date__isnull=False)
        .exclude(status__in=["draft", "withdrawn"])
        .select_related("organisation")
    )
    targets = {a.organisation.name: a for a in apps}
    chosen = sorted(targets)[:2]
    start, end = call.eligible_start, call.eligible_end
    rows = ["identifier;title;beneficiary;start;end"]
    for n, name in enumerate(chosen):
        rows.append(f"ESF-T{n};Opleiding;VZW {name.upper()};{start:%d/%m/%Y};{end:%d/%m/%Y}")
    rows += [
        f"ESF-{n:04d};Project {n};Organisatie nummer {n} vzw;{start:%d/%m/%Y};{end:%d/%m/%Y}"
        for n in range(300 - len(chosen))
    ]
    data = ("\n".join(rows) + "\n").encode()
    upload = lists.list_upload(actor=_officer(), fund="ESF", name="esf-public.csv", data=data, queue=False)
    read = reading.list_read(upload.pk)
    assert read is not None and read.status == "read" and read.projects_count == 300
    assert read.matchable_count == 300  # every row has a beneficiary name
    _confirm(read)
    raised = services.refresh_double_funding_flags(actor=_officer(), call=call)
    flags = list(DoubleFundingFlag.objects.select_related("application__organisation", "other"))
    expected = [a for a in apps if a.organisation.name in chosen]
    assert raised == len(flags) == len(expected) >= 1 and all(f.basis == "name" for f in flags)
    assert {f.application.organisation.name for f in flags} == {a.organisation.name for a in expected}
    assert all(f.other.identifier.startswith("ESF-T") and f.confidence == 1 for f in flags)

    rejected = flags[0]
    services.name_match_decide(actor=_officer(), flag=rejected, same=False)
    rejected.refresh_from_db()
    assert rejected.closed_at is not None and "another organisation" in rejected.closed_reason
    rejected.delete()  # even raised afresh, a rejected pair stays quiet
    assert services.refresh_double_funding_flags(actor=_officer(), call=call) == 0
    _confirm(_read([_row("ESF-X", world["app"].start_date, world["app"].end_date)]))
    services.refresh_double_funding_flags(actor=_officer(), call=call)
    number_flag = DoubleFundingFlag.objects.get(basis="enterprise_number")
    with pytest.raises(ApplicationError, match="not on the name"):
        services.name_match_decide(actor=_officer(), flag=number_flag, same=True)
