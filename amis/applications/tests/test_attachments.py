"""Attachments: type by content, size, checksum, only on drafts, only by the applicant."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amis.accounts.models import User
from amis.applications import services
from amis.applications.models import Application, Attachment
from amis.core import uploads
from amis.core.errors import ApplicationError
from amis.demo.calls import load_calls
from amis.demo.people import load_people

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(belgian: Any, settings: Any, tmp_path: Any) -> Application:
    settings.MEDIA_ROOT = tmp_path
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    return Application.objects.get(status="draft")


def test_a_pdf_is_stored_with_its_checksum_and_kept_in_the_snapshot(draft: Application) -> None:
    from amis.applications import services

    user = User.objects.get(email="beneficiary@caritas.example")
    attachment = services.attachment_add(
        actor=user, application=draft, name="../../budget note.pdf", data=PDF
    )
    assert attachment.name == "budget note.pdf" and attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert uploads.verify(attachment)
    draft.refresh_from_db()
    done = services.application_submit(
        actor=user, application=draft, expected_lock_version=draft.lock_version
    )
    assert done.snapshot is not None
    assert done.snapshot["attachments"] == [
        {"name": "budget note.pdf", "size": len(PDF), "sha256": attachment.sha256}
    ]
    with pytest.raises(ApplicationError, match="draft"):
        services.attachment_add(actor=user, application=done, name="late.pdf", data=PDF)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("virus.exe", b"MZ...", "accepts"),
        ("fake.pdf", b"MZ not a pdf", "not really a .pdf"),
        ("empty.pdf", b"", "empty"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "limit is 10 MB"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    draft: Application, name: str, data: bytes, message: str
) -> None:
    user = User.objects.get(email="beneficiary@caritas.example")
    with pytest.raises(ApplicationError, match=message):
        services.attachment_add(actor=user, application=draft, name=name, data=data)
    assert not Attachment.objects.exists()


def test_upload_through_the_api_by_the_applicant_only(draft: Application) -> None:
    caritas, redcross = Client(), Client()
    caritas.force_login(User.objects.get(email="beneficiary@caritas.example"))
    redcross.force_login(User.objects.get(email="beneficiary@redcross.example"))
    url = f"/api/v1/applications/{draft.reference}/attachments"
    response = caritas.post(url, {"file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf")})
    assert response.status_code == 201 and response.json()["name"] == "plan.pdf"
    assert redcross.post(url, {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 403
    assert [a["name"] for a in caritas.get(url).json()] == ["plan.pdf"]


def test_upload_from_the_edit_page(draft: Application) -> None:
    client = Client()
    client.force_login(User.objects.get(email="beneficiary@caritas.example"))
    url = f"/applications/{draft.reference}/attachments/"
    ok = client.post(url, {"file": SimpleUploadedFile("plan.pdf", PDF)}, follow=True)
    assert "The document was added." in ok.content.decode() and "plan.pdf" in ok.content.decode()
    bad = client.post(url, {"file": SimpleUploadedFile("plan.exe", b"MZ")}, follow=True)
    assert "accepts" in bad.content.decode()
    assert list(Attachment.objects.values_list("name", flat=True)) == ["plan.pdf"]


def test_a_document_is_downloaded_by_its_checksum_and_never_once_altered(draft: Application) -> None:
    owner = User.objects.get(email="beneficiary@caritas.example")
    attachment = services.attachment_add(actor=owner, application=draft, name="plan.pdf", data=PDF)
    url = f"/applications/{draft.reference}/attachments/{attachment.sha256}/"
    client = Client()
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200 and response.getvalue() == PDF
    assert 'filename="plan.pdf"' in response["Content-Disposition"]
    other = Client()
    other.force_login(User.objects.get(email="beneficiary@redcross.example"))
    assert other.get(url).status_code == 403
    assert client.get(f"/applications/{draft.reference}/attachments/{'0' * 64}/").status_code == 404
    with open(attachment.file.path, "wb") as handle:  # somebody alters the stored file
        handle.write(PDF + b"% changed")
    altered = client.get(url)
    assert altered.status_code == 409 and b"no longer matches its checksum" in altered.content
