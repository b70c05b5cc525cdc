"""Uploaded documents, for every app that keeps them (call documents, application attachments and,
later, supporting documents of expenditure): only document and image types, checked by their
content (not only their name), at most 10 MB, stored with a SHA-256 checksum that is checked again
before a file is served."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext

from amis.core.errors import ApplicationError

MAX_SIZE = 10 * 1024 * 1024
ZIP = b"PK\x03\x04"
TYPES = {  # extension -> (content type, magic bytes at the start of the file)
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
}


def read_upload(upload: Any, missing: str) -> tuple[str, bytes]:
    """(name, bytes) of an uploaded file, refused before it is read into memory when too big."""
    if upload is None:
        raise ApplicationError(missing)
    if upload.size and upload.size > MAX_SIZE:
        raise ApplicationError(gettext("The document is larger than 10 MB."))
    return upload.name or "", upload.read()


def check(name: str, data: bytes) -> tuple[str, str]:
    """(clean file name, content type), or ApplicationError saying what is wrong with the file."""
    clean = PurePath(name.replace("\\", "/")).name.strip()[:255]
    extension = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    if extension not in TYPES:
        raise ApplicationError(f"'{clean}': AMIS accepts {', '.join(sorted(TYPES))} files only.")
    if not data:
        raise ApplicationError(f"'{clean}' is empty.")
    if len(data) > MAX_SIZE:
        raise ApplicationError(f"'{clean}' is {len(data) / 1024 / 1024:.1f} MB; the limit is 10 MB.")
    content_type, magic = TYPES[extension]
    if not data.startswith(magic):
        raise ApplicationError(f"'{clean}' is not really a .{extension} file.")
    return clean, content_type


def store(document: Any, name: str, data: bytes) -> str:
    """Check the file, fill the document's name, content type, size and checksum, and write the file
    (the model instance is saved by the caller, in its transaction). Returns the checksum."""
    clean, content_type = check(name, data)
    digest = hashlib.sha256(data).hexdigest()
    document.name, document.content_type, document.size, document.sha256 = (
        clean,
        content_type,
        len(data),
        digest,
    )
    document.file.save(f"{digest[:16]}-{clean}", ContentFile(data), save=False)
    return digest


def verify(document: Any) -> bool:
    """The stored file still has the checksum it was uploaded with."""
    with document.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == document.sha256
