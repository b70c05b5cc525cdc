"""The double-funding pages: a list uploaded, read by the worker, every warning shown before it is
confirmed; a call's applications flagged against it; a flag cleared with a real reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amis.accounts.models import User
from amis.calls.models import Call
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.integrity.models import DoubleFundingFlag, OtherFundList

pytestmark = pytest.mark.django_db
LISTS = "/double-funding/lists/"


def _officer() -> Client:
    officer = Client()
    officer.force_login(User.objects.get(email="da.flanders@amis.example"))
    return officer


def test_officer_imports_confirms_flags_and_clears(
    belgian: Any, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    call = Call.objects.get(code=CODE)
    year = call.eligible_start.year
    officer = _officer()
    csv = (
        f"identifier;title;start;end;enterprise_number\nESF-9;Werkplekleren;01/01/{year};30/06/{year};"
        f"0623.456.711\nESF-10;Jobcoaching;01/01/{year};30/06/{year};\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = officer.post(
            LISTS, {"fund": "ESF", "number_format": "", "file": SimpleUploadedFile("esf.csv", csv)}
        )
    upload = OtherFundList.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"{LISTS}{upload.pk}/"
    waiting = officer.get(f"{LISTS}{upload.pk}/").content.decode()
    assert "Waiting" in waiting and 'hx-trigger="every 2s"' in waiting
    run_worker()
    page = officer.get(f"{LISTS}{upload.pk}/").content.decode()
    assert "Read: to confirm" in page
    assert "2 projects were read; 1 of them can be matched with AMIF applications (by enterprise" in page
    assert "Row 3, Ondernemingsnummer" not in page  # the header is 'enterprise_number'
    assert "Row 3, enterprise_number: No enterprise number (KBO/BCE)" in page
    url = f"/calls/{CODE}/double-funding/"
    assert "No list is in use yet" in officer.get(url).content.decode()
    officer.post(f"{LISTS}{upload.pk}/confirm/", {"lock_version": upload.lock_version})
    assert OtherFundList.objects.get().status == "active"

    checked = officer.post(url, {"action": "check"})
    assert "1 new flags; 0 closed" in checked.content.decode()
    flag = DoubleFundingFlag.objects.get()
    for reason in ("", "ok"):
        refused = officer.post(url, {"action": "clear", "flag": flag.pk, "reason": reason})
        assert refused.status_code == 400 and "at least 10 characters" in refused.content.decode()
    officer.post(
        url, {"action": "clear", "flag": flag.pk, "reason": "Different costs: ESF pays the trainers."}
    )
    flag.refresh_from_db()
    assert flag.cleared_at is not None and flag.clearance.startswith("Different costs")
    page = officer.get(url).content.decode()
    assert 'name="flags"' not in page  # no open flag left to tick
    bad = officer.post(url, {"action": "clear_selected", "flags": ["x"], "reason": "Other costs entirely."})
    assert bad.status_code == 400 and "Tick the flags" in bad.content.decode()
    beneficiary = Client()
    beneficiary.force_login(User.objects.get(email="beneficiary@caritas.example"))
    assert beneficiary.get(url).status_code == 403
    assert beneficiary.get(LISTS).status_code == 403
    assert beneficiary.get(f"{LISTS}{upload.pk}/problems.csv").status_code == 403


def test_a_refused_list_shows_the_first_fifty_errors_and_offers_them_all(
    belgian: Any, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    load_people(log=lambda m: None)
    officer = _officer()
    rows = "\n".join(f"ESF-{n};Titel;31/02/2024;31/12/2024" for n in range(120))
    data = f"identifier;title;start;end\n{rows}\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(LISTS, {"fund": "ESF", "file": SimpleUploadedFile("esf.csv", data)})
    run_worker()
    upload = OtherFundList.objects.get()
    assert upload.status == "refused" and len(upload.errors) == 120
    page = officer.get(f"{LISTS}{upload.pk}/").content.decode()
    assert "The list has 120 errors; nothing of it is used." in page and "and 70 more errors." in page
    assert page.count("is not an existing date") == 50
    download = officer.get(f"{LISTS}{upload.pk}/problems.csv").content.decode("utf-8-sig")
    assert download.count("is not an existing date") == 120
    refused = officer.post(f"{LISTS}{upload.pk}/confirm/", {"lock_version": upload.lock_version})
    assert refused.status_code == 400 and "read without errors" in refused.content.decode()
    assert not upload.projects.exists()


def test_bad_uploads_get_a_clear_400_and_save_nothing(belgian: Any) -> None:
    load_people(log=lambda m: None)
    officer = _officer()
    no_file = officer.post(LISTS, {"fund": "ESF"})
    assert no_file.status_code == 400 and "Choose the project list" in no_file.content.decode()
    bad_fund = officer.post(LISTS, {"fund": "XYZ", "file": SimpleUploadedFile("a.csv", b"id;title\n1;x\n")})
    assert bad_fund.status_code == 400 and "ESF, ESF+ or ISF" in bad_fund.content.decode()
    bad_format = officer.post(
        LISTS, {"fund": "ESF", "number_format": "roman", "file": SimpleUploadedFile("a.csv", b"id\n1\n")}
    )
    assert bad_format.status_code == 400
    assert officer.post(f"{LISTS}999/confirm/", {"lock_version": "1"}).status_code == 404
    assert not OtherFundList.objects.exists()


def test_a_list_being_read_shows_how_far_the_worker_is(belgian: Any) -> None:
    load_people(log=lambda m: None)
    officer = _officer()
    upload = OtherFundList.objects.create(
        fund="ESF",
        name="esf-2026.csv",
        sha256="0" * 64,
        status=OtherFundList.Status.READING,
        rows_total=200_000,
        rows_done=12_000,
        uploaded_by=User.objects.get(email="da.flanders@amis.example"),
    )
    page = officer.get(f"{LISTS}{upload.pk}/").content.decode()
    assert '<progress id="list-progress" max="100" value="6">' in page
    assert "12,000 of 200,000 rows read" in page and 'hx-trigger="every 2s"' in page
    OtherFundList.objects.filter(pk=upload.pk).update(rows_done=200_000, rows_total=199_999)
    page = officer.get(f"{LISTS}{upload.pk}/", headers={"accept-language": "nl"}).content.decode()
    assert 'value="99"' in page  # a counted total one too short never shows 100 % before the end
