"""A name typed by a beneficiary never becomes a formula in the audit trail's exports (issue 10, §4.1).

A beneficiary renames its organisation to `=HYPERLINK(...)`; an auditor exports the trail and opens
it in a spreadsheet. The CSV carries the text behind an apostrophe, the XLSX as a text cell.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from amis.accounts.models import User
from amis.organisations import services
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def renamed(ngo: Organisation, beneficiary: User) -> Organisation:
    Organisation.objects.filter(pk=ngo.pk).update(status=Organisation.Status.PENDING)
    ngo.refresh_from_db()
    return services.organisation_update(
        organisation=ngo, actor=beneficiary, data={"name": FORMULA}, expected_lock_version=ngo.lock_version
    )


def test_the_csv_export_carries_the_name_as_text(renamed: Organisation, auditor: User, client) -> None:
    client.force_login(auditor)
    response = client.get("/audit/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    objects = [row["object"] for row in rows if row["object_type"] == "organisations.Organisation"]
    assert "'" + FORMULA in objects
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())


def test_the_xlsx_export_writes_the_name_as_a_text_cell(renamed: Organisation, auditor: User, client) -> None:
    client.force_login(auditor)
    response = client.get("/audit/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Audit trail"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert cells, "the name is kept exactly as typed"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
