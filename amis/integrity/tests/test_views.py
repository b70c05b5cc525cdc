"""The double-funding page: import a list, flag, clear with a reason (officers only)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amis.accounts.models import User
from amis.calls.models import Call
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.integrity.models import DoubleFundingFlag

pytestmark = pytest.mark.django_db


def test_officer_imports_flags_and_clears(belgian: Any) -> None:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    call = Call.objects.get(code=CODE)
    year = call.eligible_start.year
    officer = Client()
    officer.force_login(User.objects.get(email="da.flanders@amis.example"))
    url = f"/calls/{CODE}/double-funding/"
    csv = (
        f"identifier;title;start;end;enterprise_number\nESF-9;Werkplekleren;01/01/{year};30/06/{year};"
        "0623.456.711\n"
    ).encode()
    page = officer.post(url, {"action": "import", "fund": "ESF", "file": SimpleUploadedFile("esf.csv", csv)})
    assert page.status_code == 200 and "1 projects imported." in page.content.decode()
    page = officer.post(url, {"action": "check"})
    assert "1 new flags." in page.content.decode()
    flag = DoubleFundingFlag.objects.get()
    refused = officer.post(url, {"action": "clear", "flag": flag.pk, "reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    officer.post(
        url, {"action": "clear", "flag": flag.pk, "reason": "Different costs: ESF pays the trainers."}
    )
    flag.refresh_from_db()
    assert flag.cleared_at is not None and flag.clearance.startswith("Different costs")
    beneficiary = Client()
    beneficiary.force_login(User.objects.get(email="beneficiary@caritas.example"))
    assert beneficiary.get(url).status_code == 403
