"""Versioned publications: built, validated, frozen with row count and checksums, or refused with the
reasons (audited, shown to the officers); what changed since the previous one; the schedule through
the task queue; publishing on demand; every file downloadable; the DCAT-AP description."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from amis.core.models import AuditEntry
from amis.programme.models import Programme
from amis.public import kohesio, publications, services, tasks
from amis.public.models import Publication, PublicationDetails, PublicationFile, PublicationRequest
from amis.public.tests.helpers import CARITAS, CCI, RA_MANAGER, RA_OFFICER, base, operation, user

pytestmark = pytest.mark.django_db
SECRETS = (b"Janssens", b"Geheime", b"PUB-005")


@pytest.fixture
def world() -> None:
    base()
    operation("PUB-001", "Antwerpse Opvang vzw")
    operation("PUB-002", "Gentse Opvang vzw", municipality="Gent")
    operation("PUB-004", "Jan Janssens", natural_person=True)
    secret = operation("PUB-005", "Geheime Opvang vzw", municipality="Gent")
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=secret, reason="security", text="x"
    )
    services.exclusion_approve(actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1)


def _sheet(content: bytes) -> Any:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet is not None
    return sheet


def _files(publication: Publication) -> dict[str, bytes]:
    return {f.format: bytes(f.content) for f in publication.files.all()}


def test_a_publication_is_frozen_with_every_format(world: None) -> None:
    publication = publications.publish(actor=user(RA_OFFICER))
    assert publication.status == "published" and publication.refusal_reasons == []
    assert publication.row_count == 3 and publication.triggered_by == user(RA_OFFICER)
    files = _files(publication)
    assert sorted(files) == sorted(["csv", "xlsx", "json", "xml", "kohesio.csv"])
    assert publication.checksum == hashlib.sha256(files["json"]).hexdigest()
    for item in publication.files.all():
        assert item.sha256 == hashlib.sha256(bytes(item.content)).hexdigest() and item.size == len(
            item.content
        )
    document = json.loads(files["json"])
    assert document["publication"] == publication.pk and len(document["operations"]) == 3
    assert kohesio.validate_csv(files["kohesio.csv"].decode()) == []
    assert len(list(_sheet(files["xlsx"]).iter_rows())) == 4
    for content in files.values():
        if not content.startswith(b"PK"):  # the XLSX is compressed; its rows are read above
            assert not any(secret in content for secret in SECRETS)
    assert publication.changes == {"added": ["PUB-001", "PUB-002", "PUB-004"], "removed": [], "changed": []}
    entry = AuditEntry.objects.filter(action="list_published", object_id=str(publication.pk)).get()
    assert entry.after is not None and entry.after["rows"] == 3


def test_what_changed_since_the_previous_publication(world: None) -> None:
    first = publications.publish(actor=user(RA_OFFICER))
    operation("PUB-006", "Nieuwe Opvang vzw")
    PublicationDetails.objects.filter(project__reference="PUB-002").update(municipality="Gent-Centrum")
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=_project("PUB-001"), reason="security", text="x"
    )
    assert exclusion.in_force
    second = publications.publish(actor=user(RA_MANAGER))
    assert second.previous == first
    assert second.changes == {"added": ["PUB-006"], "removed": ["PUB-001"], "changed": ["PUB-002"]}
    # the page shows what changed, but never the code of the operation withheld since
    page = Client().get("/public/publications/").content.decode()
    assert "1 added, 0 removed, 1 changed" in page and "PUB-006" in page and "PUB-002" in page
    assert "PUB-001" not in page
    # the first publication's files are frozen: they list PUB-001, so they are no longer served
    assert "has since been withheld" in page
    assert Client().get(f"/public/publications/{first.pk}/operations.json").status_code == 404
    assert Client().get(f"/public/publications/{second.pk}/operations.json").status_code == 200
    assert json.loads(_files(first)["json"])["operations"][0]["operation_code"] == "PUB-001"  # kept as it was
    dcat = json.loads(Client().get("/public/dcat.jsonld").content)
    assert all(
        f"/publications/{first.pk}/" not in d["dcat:downloadURL"]["@id"] for d in dcat["dcat:distribution"]
    )
    # lifting the exclusion serves the first publication again
    services.exclusion_withdraw(
        actor=user(RA_MANAGER),
        exclusion=exclusion,
        expected_lock_version=exclusion.lock_version,
        reason="over",
    )
    assert Client().get(f"/public/publications/{first.pk}/operations.json").status_code == 200


def _project(reference: str) -> Any:
    from amis.projects.models import Project

    return Project.objects.get(reference=reference)


def test_a_list_that_breaks_the_rules_is_refused_with_the_reasons(world: None) -> None:
    PublicationDetails.objects.filter(project__reference="PUB-002").update(
        postcode="", municipality="", nuts_code=""
    )
    publication = publications.publish(actor=user(RA_OFFICER))
    assert publication.status == "refused" and not publication.files.exists()
    assert any("location" in reason and "line 3" in reason for reason in publication.refusal_reasons)
    entry = AuditEntry.objects.get(action="list_refused", object_id=str(publication.pk))
    assert entry.after is not None and entry.after["reasons"] == publication.refusal_reasons
    officer = Client()
    officer.force_login(user(RA_OFFICER))
    assert "line 3" in officer.get("/public/publications/").content.decode()
    anonymous = Client().get("/public/publications/").content.decode()
    assert "line 3" not in anonymous and "Refused" not in anonymous


def test_a_withheld_operation_or_a_named_person_refuses_the_list(world: None, monkeypatch: Any) -> None:
    from amis.public import selectors

    real = selectors.public_operations_stream
    leaked = dict.fromkeys(["PUB-004", "PUB-005"])

    def leaking(filters: Any = None) -> Any:
        yield from real(filters)
        for row in selectors._rows(
            selectors._values(selectors.Project.objects.filter(reference__in=list(leaked)))
        ):
            yield (
                row
                if row.code == "PUB-005"
                else row.__class__(**{**row.__dict__, "beneficiary": "Jan Janssens"})
            )

    monkeypatch.setattr(selectors, "public_operations_stream", leaking)
    publication = publications.publish(actor=None)
    assert publication.status == "refused"
    reasons = " ".join(publication.refusal_reasons)
    assert "PUB-005 is withheld" in reasons and "PUB-004 names a natural person" in reasons


def test_the_schedule_publishes_what_is_due(world: None, run_worker: Any) -> None:
    programme = Programme.objects.get(cci=CCI)
    due = publications.due(timezone.now())
    assert programme in due and {p.period.code for p in due} == {"2014-2020", "2021-2027"}
    call_command("publications", stdout=io.StringIO())
    run_worker()
    done = Publication.objects.get(programme=programme)
    assert done.status == "published" and done.triggered_by is None and done.row_count == 3
    assert Publication.objects.filter(status="published").count() == len(due)
    assert {e.actor_label for e in AuditEntry.objects.filter(action="list_published")} == {"schedule"}
    assert publications.due(timezone.now()) == []
    call_command("publications", stdout=io.StringIO())
    run_worker()
    assert Publication.objects.count() == len(due)  # not due again the same day
    interval = publications.interval(programme.period.code)
    assert programme in publications.due(done.published_at + interval)
    assert programme not in publications.due(done.published_at + interval - dt.timedelta(days=1))


def test_a_publication_of_all_programmes_covers_each(world: None) -> None:
    publications.publish(actor=user(RA_MANAGER))
    assert publications.due(timezone.now()) == []


def test_the_intervals_by_period(settings: Any) -> None:
    assert publications.interval("2021-2027") <= dt.timedelta(days=120)  # at least every four months
    assert publications.interval("2014-2020") <= dt.timedelta(days=365)
    settings.AMIS_PUBLICATION_INTERVAL_DAYS = {"2021-2027": 30}
    assert publications.interval("2021-2027") == dt.timedelta(days=30)


def test_publishing_on_demand_is_for_the_responsible_authority(
    world: None, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    beneficiary = Client()
    beneficiary.force_login(user(CARITAS))
    assert beneficiary.post("/public/publications/").status_code == 403
    assert Client().post("/public/publications/").status_code in (302, 403)
    assert not Publication.objects.exists() and not PublicationRequest.objects.exists()
    officer = Client()
    officer.force_login(user(RA_OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post("/public/publications/", {"programme": CCI})
    assert response.status_code == 302
    # the request only queues: no publication, no file yet
    request = PublicationRequest.objects.get()
    assert request.status == "queued" and request.scope == CCI and request.requested_by == user(RA_OFFICER)
    assert not Publication.objects.exists() and not PublicationFile.objects.exists()
    assert AuditEntry.objects.filter(action="list_requested", object_id=str(request.pk)).exists()
    page = officer.get("/public/publications/").content.decode()
    assert f"Request {request.pk}" in page and 'hx-trigger="every 3s"' in page
    anonymous = Client().get("/public/publications/").content.decode()
    assert f"Request {request.pk}" not in anonymous and "queued" not in anonymous
    # a second request for the same list while the first is queued is refused, and audited
    again = officer.post("/public/publications/", {"programme": CCI})
    assert again.status_code == 400 and "already queued or being built" in again.content.decode()
    assert PublicationRequest.objects.count() == 1
    assert AuditEntry.objects.filter(action="change_refused", object_id=str(request.pk)).exists()
    run_worker()  # the real worker on the real queue
    request.refresh_from_db()
    publication = Publication.objects.get()
    assert request.status == "done" and request.publication == publication
    assert request.rows_done == request.rows_total == 3 and request.started_at and request.finished_at
    assert publication.status == "published" and publication.triggered_by == user(RA_OFFICER)
    assert (
        publication.programme is not None and publication.programme.cci == CCI and publication.row_count == 3
    )
    # the progress part, polled by the page, asks for a reload once nothing runs
    part = officer.get("/public/publications/?progress=1", HTTP_HX_REQUEST="true")
    assert part["HX-Refresh"] == "true" and 'hx-trigger="every 3s"' not in part.content.decode()
    assert Client().get(f"/public/publications/{publication.pk}/operations.json").status_code == 200
    assert officer.post("/public/publications/", {"programme": "nope"}).status_code == 400


def test_the_build_writes_its_progress_outside_its_transaction(world: None, monkeypatch: Any) -> None:
    officer = user(RA_OFFICER)
    request = services.request_publication(actor=officer)
    seen: list[tuple[int, int | None, str]] = []
    monkeypatch.setattr(publications, "PROGRESS_EVERY", 1)
    real = publications._progress

    def watching(pk: int) -> Any:
        write = real(pk)

        def progress(done: int, total: int) -> None:
            write(done, total)
            row = PublicationRequest.objects.get(pk=pk)
            seen.append((row.rows_done, row.rows_total, row.status))

        return progress

    monkeypatch.setattr(publications, "_progress", watching)
    done = tasks.publish_requested_list.call(request.pk)
    assert done["status"] == "done"
    assert seen[0] == (0, 3, "building") and (1, 3, "building") in seen and seen[-1] == (3, 3, "building")
    request.refresh_from_db()
    assert request.status == "done" and request.percent == 100
    # run again (a second delivery of the task): left alone
    assert tasks.publish_requested_list.call(request.pk)["status"] == "done"
    assert Publication.objects.count() == 1


def test_a_failing_build_is_recorded_refused_with_the_error(world: None, monkeypatch: Any) -> None:
    request = services.request_publication(actor=user(RA_OFFICER))

    def broken(filters: Any = None) -> Any:
        raise RuntimeError("the disk is full")
        yield  # pragma: no cover

    monkeypatch.setattr(publications.selectors, "public_operations_stream", broken)
    done = tasks.publish_requested_list.call(request.pk)
    request.refresh_from_db()
    assert done["status"] == "failed" and request.status == "failed"
    publication = request.publication
    assert publication is not None and publication.status == "refused" and not publication.files.exists()
    assert publication.refusal_reasons == ["The list could not be built: the disk is full"]
    assert AuditEntry.objects.filter(action="list_refused", object_id=str(publication.pk)).exists()
    officer = Client()
    officer.force_login(user(RA_OFFICER))
    assert "the disk is full" in officer.get("/public/publications/").content.decode()
    assert "the disk is full" not in Client().get("/public/publications/").content.decode()
    # nothing runs any more: it may be asked for again
    assert services.request_publication(actor=user(RA_OFFICER)).status == "queued"


def test_a_stalled_request_is_shown_failed_and_may_be_asked_again(world: None, settings: Any) -> None:
    settings.AMIS_PUBLICATION_BUILD_TIMEOUT_MINUTES = 10
    stuck = services.request_publication(actor=user(RA_OFFICER))
    PublicationRequest.objects.filter(pk=stuck.pk).update(
        status="building", touched_at=timezone.now() - dt.timedelta(minutes=11)
    )
    stuck.refresh_from_db()
    assert publications.stalled(stuck)
    officer = Client()
    officer.force_login(user(RA_OFFICER))
    page = officer.get("/public/publications/").content.decode()
    assert "did not finish in time" in page and 'hx-trigger="every 3s"' not in page
    again = services.request_publication(actor=user(RA_MANAGER))
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "10 minutes" in stuck.error and again.status == "queued"
    assert AuditEntry.objects.filter(action="list_given_up", object_id=str(stuck.pk)).exists()
    # another scope is not held up by a running request
    programme = Programme.objects.get(cci=CCI)
    assert services.request_publication(actor=user(RA_OFFICER), programme=programme).scope == CCI


def test_each_publication_stays_downloadable(world: None) -> None:
    publication = publications.publish(actor=user(RA_OFFICER))
    page = Client().get("/public/publications/")
    assert page.status_code == 200
    text = page.content.decode()
    assert publication.checksum in text and "CC BY 4.0" in text
    for name in (
        "operations.csv",
        "operations.xlsx",
        "operations.json",
        "operations.xml",
        "operations-kohesio.csv",
    ):
        assert f"/public/publications/{publication.pk}/{name}" in text
        response = Client().get(f"/public/publications/{publication.pk}/{name}")
        assert response.status_code == 200, name
        stored = PublicationFile.objects.get(publication=publication, sha256=response["X-Content-SHA256"])
        assert bytes(stored.content) == response.content
    assert Client().get(f"/public/publications/{publication.pk}/secrets.txt").status_code == 404
    refused = Publication.objects.create(published_at=timezone.now(), status="refused")
    assert Client().get(f"/public/publications/{refused.pk}/operations.json").status_code == 404


def test_dcat_describes_the_dataset_and_each_distribution(world: None) -> None:
    before = json.loads(Client().get("/public/dcat.jsonld").content)
    assert len(before["dcat:distribution"]) == 5 and "dct:modified" not in before
    publication = publications.publish(actor=user(RA_OFFICER))
    response = Client().get("/public/dcat.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    dataset = json.loads(response.content)
    assert dataset["@type"] == "dcat:Dataset"
    assert {t["@language"] for t in dataset["dct:title"]} == {"en", "nl", "fr", "de"}
    assert {t["@language"] for t in dataset["dct:description"]} == {"en", "nl", "fr", "de"}
    assert dataset["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["dct:publisher"]["foaf:name"]
    urls = {d["dct:title"]: d for d in dataset["dcat:distribution"]}
    assert set(urls) == {
        "operations.csv",
        "operations.xlsx",
        "operations.json",
        "operations.xml",
        "operations-kohesio.csv",
    }
    json_distribution = urls["operations.json"]
    assert json_distribution["dcat:downloadURL"]["@id"].endswith(
        f"/public/publications/{publication.pk}/operations.json"
    )
    assert json_distribution["dcat:mediaType"]["@id"].endswith("application/json")
    assert json_distribution["spdx:checksum"]["spdx:checksumValue"] == publication.checksum
    assert dataset["dct:modified"]["@value"] == publication.published_at.isoformat()
