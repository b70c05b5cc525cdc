"""Flags stay true when the AMIF side changes (issue 16 §3): checking the call again closes a flag
whose overlap is gone, reopens a cleared one whose overlap grew, keeps a clearance that still holds;
the period compared is the grant agreement's once a project exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from amis.applications.models import Application
from amis.core.models import AuditEntry
from amis.integrity import recheck, services
from amis.integrity.models import DoubleFundingFlag
from amis.integrity.tests.test_lists import _confirm, _officer, _read, _row, world  # noqa: F401
from amis.projects import services as project_services

pytestmark = pytest.mark.django_db


def _flags() -> dict[str, DoubleFundingFlag]:
    return {f.other.identifier: f for f in DoubleFundingFlag.objects.select_related("other")}


def test_checking_again_closes_reopens_and_keeps(world: dict[str, Any]) -> None:  # noqa: F811
    app, call = world["app"], world["call"]
    start, end = app.start_date, app.end_date
    _confirm(
        _read(
            [
                _row("ESF-1", start, start + dt.timedelta(days=29)),  # 30 days of overlap
                _row("ESF-2", end - dt.timedelta(days=9), end + dt.timedelta(days=300)),  # the last 10 days
                _row("ESF-3", start, end),  # the whole period
            ]
        )
    )
    assert services.check_call(actor=_officer(), call=call) == {
        "new": 3,
        "closed": 0,
        "reopened": 0,
        "updated": 0,
    }
    for flag in DoubleFundingFlag.objects.order_by("pk"):
        services.clear_flag(actor=_officer(), flag=flag, reason="Different costs, different trainers.")
    # the AMIF project now starts two months later and runs two years longer (corrected on appeal)
    Application.objects.filter(pk=app.pk).update(
        start_date=start + dt.timedelta(days=60), end_date=end + dt.timedelta(days=730)
    )
    counts = services.check_call(actor=_officer(), call=call)
    flags = _flags()
    # ESF-1 ran in the first month only: the overlap is gone, the flag closes by itself
    assert flags["ESF-1"].closed_at is not None
    assert "no longer overlap" in flags["ESF-1"].closed_reason
    # ESF-2 ran on after the old end: its overlap grew, the cleared flag reopens and says why
    assert flags["ESF-2"].cleared_at is None and flags["ESF-2"].closed_at is None
    assert "Reopened: the overlap grew from 10 to" in flags["ESF-2"].reason
    # ESF-3's overlap shrank: the clearance still holds, the figure follows
    assert flags["ESF-3"].closed_at is None and flags["ESF-3"].cleared_at is not None
    assert flags["ESF-3"].overlap_days == (end - start).days + 1 - 60
    assert counts == {"new": 0, "closed": 1, "reopened": 1, "updated": 1}
    audited = AuditEntry.objects.filter(object_type="integrity.DoubleFundingFlag")
    assert audited.filter(object_id=str(flags["ESF-2"].pk), after__reopened=True).exists()
    closing = audited.filter(object_id=str(flags["ESF-1"].pk)).exclude(after__closed="").latest("pk")
    assert closing.after is not None and "no longer overlap" in closing.after["closed"]
    # nothing changed since: checking again changes nothing
    assert services.check_call(actor=_officer(), call=call) == {
        "new": 0,
        "closed": 0,
        "reopened": 0,
        "updated": 0,
    }


def test_the_agreement_period_is_compared_once_a_project_exists(
    world: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, call = world["app"], world["call"]
    start, end = app.start_date, app.end_date
    assert project_services.agreement_periods in recheck._SOURCES  # registered by projects at start
    _confirm(_read([_row("ESF-1", end + dt.timedelta(days=1), end + dt.timedelta(days=200))]))
    assert services.check_call(actor=_officer(), call=call)["new"] == 0  # after the application's end
    # the signed agreement (here: a source standing in for it) extends the project by 100 days
    monkeypatch.setattr(
        recheck,
        "_SOURCES",
        [lambda ids: {app.pk: (start, end + dt.timedelta(days=100))} if app.pk in ids else {}],
    )
    assert services.check_call(actor=_officer(), call=call)["new"] == 1
    assert _flags()["ESF-1"].overlap_days == 100
    # the amendment that extends it further: the flags of that application are checked again
    services.clear_flag(
        actor=_officer(), flag=_flags()["ESF-1"], reason="The ESF project starts after ours ends."
    )
    monkeypatch.setattr(
        recheck,
        "_SOURCES",
        [lambda ids: {app.pk: (start, end + dt.timedelta(days=150))} if app.pk in ids else {}],
    )
    assert recheck.recheck_application(actor=_officer(), application_id=app.pk)["reopened"] == 1
    assert "grew from 100 to 150 days" in _flags()["ESF-1"].reason


def test_an_organisation_of_another_member_state_is_matched_by_its_vat_number(
    world: dict[str, Any],  # noqa: F811
) -> None:
    from amis.organisations.models import Organisation

    app, call = world["app"], world["call"]
    Organisation.objects.filter(pk=app.organisation_id).update(
        enterprise_number="", vat_number="FR40303265045"
    )
    header_row = f"ESF-9;Accueil;{app.start_date:%d/%m/%Y};{app.end_date:%d/%m/%Y};FR 40 303 265 045"
    _confirm(_read([header_row]))
    assert services.check_call(actor=_officer(), call=call)["new"] == 1
    flag = DoubleFundingFlag.objects.get()
    assert (flag.basis, flag.other.enterprise_number) == ("enterprise_number", "FR40303265045")
