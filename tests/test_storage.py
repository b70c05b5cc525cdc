"""Uploaded files go through Django's default storage only (issue 13, §2): several web servers share
them by sharing that storage (a shared folder, or an S3-compatible object store). Here the storage is
swapped for one that has no folder at all: upload, checksum and download still work, and nothing is
written under MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amis.accounts.models import User
from amis.applications.models import Application
from amis.core import uploads
from amis.demo.calls import load_calls
from amis.demo.people import load_people
from amis.settings import _default_storage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def draft(belgian: Any, settings: Any, tmp_path: Path) -> Application:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = IN_MEMORY
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    return Application.objects.get(status="draft")


def test_upload_and_download_use_the_configured_storage_only(draft: Application, tmp_path: Path) -> None:
    assert type(storages["default"]).__name__ == "InMemoryStorage"
    client = Client()
    client.force_login(User.objects.get(email="beneficiary@caritas.example"))
    url = f"/api/v1/applications/{draft.reference}/attachments"
    response = client.post(url, {"file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf")})
    assert response.status_code == 201, response.content
    attachment = draft.attachments.get()
    assert default_storage.exists(attachment.file.name)
    assert uploads.verify(attachment)
    download = client.get(f"/applications/{draft.reference}/attachments/{attachment.sha256}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert not (tmp_path / "media").exists()  # no file system path was used


def test_a_changed_file_in_the_storage_is_not_served(draft: Application) -> None:
    user = User.objects.get(email="beneficiary@caritas.example")
    from amis.applications import services

    attachment = services.attachment_add(actor=user, application=draft, name="plan.pdf", data=PDF)
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, SimpleUploadedFile("x", PDF + b"tampered"))
    client = Client()
    client.force_login(user)
    response = client.get(f"/applications/{draft.reference}/attachments/{attachment.sha256}/")
    assert response.status_code == 409


def test_the_local_folder_is_the_default(settings: Any) -> None:
    assert settings.STORAGES["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert _default_storage("local") == settings.STORAGES["default"]


def test_s3_is_chosen_by_settings_and_keeps_files_private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMIS_S3_BUCKET", "amis-documents")
    monkeypatch.setenv("AMIS_S3_ENDPOINT_URL", "https://s3.example.org")
    monkeypatch.setenv("AMIS_S3_PREFIX", "prod")
    config = _default_storage("s3")
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "amis-documents"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["location"] == "prod"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_s3_without_a_bucket_or_an_unknown_storage_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AMIS_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="AMIS_S3_BUCKET"):
        _default_storage("s3")
    with pytest.raises(ImproperlyConfigured, match="'local' or 's3'"):
        _default_storage("ftp")
