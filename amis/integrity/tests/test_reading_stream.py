"""The worker's read of a large list (issue 16 §4): streamed from a file object, progress written as
it goes and seen outside the read, all or nothing when anything fails midway."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest

from amis.accounts.models import User
from amis.demo.people import load_people
from amis.integrity import lists, reading
from amis.integrity.models import OtherFundList, OtherFundProject
from amis.integrity.rules import parse
from amis.integrity.rules.records import RowError

pytestmark = pytest.mark.django_db
HEADER = "identifier;title;beneficiary;start;end;enterprise_number"


def _officer() -> User:
    load_people(log=lambda m: None)
    return User.objects.get(email="da.flanders@amis.example")


def _file(rows: int) -> bytes:
    lines = [HEADER] + [
        f"ESF-{n};Taal en werk {n};Vzw Integratie;01/01/2024;31/12/2025;0623.456.711" for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_a_list_uploaded_as_a_file_object_is_hashed_and_stored_in_chunks(belgian: Any) -> None:
    data = _file(50)
    upload = lists.list_upload(
        actor=_officer(), fund="ESF", name="esf.csv", data=io.BytesIO(data), queue=False
    )
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    with upload.file.open("rb") as stored:
        assert stored.read() == data
    read = reading.list_read(upload.pk)
    assert read is not None and read.status == OtherFundList.Status.READ
    assert (read.projects_count, read.rows_done, read.rows_total) == (50, 50, 50)
    assert OtherFundProject.objects.filter(source_list=read).count() == 50


def test_progress_is_written_while_the_file_is_read(belgian: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    upload = lists.list_upload(actor=_officer(), fund="ESF", name="esf.csv", data=_file(25), queue=False)
    seen: list[tuple[int | None, int]] = []
    real = reading._progress

    def watched(pk: int, done: int, total: int | None) -> None:
        real(pk, done, total)
        row = OtherFundList.objects.values_list("rows_total", "rows_done").get(pk=pk)
        seen.append(row)

    monkeypatch.setattr(reading, "_progress", watched)
    monkeypatch.setattr(reading, "PROGRESS_EVERY", 10)
    read = reading.list_read(upload.pk)
    assert read is not None and read.status == OtherFundList.Status.READ
    # the total (lines counted before reading) first, then every 10 rows, then the end
    assert seen == [(25, 0), (25, 10), (25, 20), (25, 25)]


def test_a_read_that_fails_midway_stores_nothing_and_says_so(
    belgian: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = lists.list_upload(actor=_officer(), fund="ESF", name="esf.csv", data=_file(30), queue=False)
    calls = {"n": 0}
    real = reading._values

    def breaks(list_: OtherFundList, project: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 20:
            raise OSError("disk full")
        return real(list_, project)

    monkeypatch.setattr(reading, "_values", breaks)
    read = reading.list_read(upload.pk)
    assert read is not None and read.status == OtherFundList.Status.REFUSED
    assert read.errors == [
        {
            "row": 0,
            "column": "",
            "message": "AMIS could not finish reading this file; nothing was saved. Try again.",
        }
    ]
    assert not OtherFundProject.objects.filter(source_list=read).exists()


def test_read_list_hands_over_projects_one_at_a_time() -> None:
    got: list[str] = []
    warnings: list[RowError] = []
    progress: list[tuple[int, int | None]] = []
    found = parse.read_list(
        io.BytesIO(_file(5)),
        "esf.csv",
        "ESF",
        on_project=lambda p: got.append(p.identifier),
        on_warning=warnings.append,
        on_progress=lambda done, total: progress.append((done, total)),
        progress_every=2,
    )
    assert got == [f"ESF-{n}" for n in range(5)]
    assert (found.rows, found.projects, found.matchable, found.errors, warnings) == (5, 5, 5, [], [])
    assert progress == [(0, 5), (2, None), (4, None), (5, 5)]
