"""The call's own documents in the REST API (public once the call is published)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import check, require, roles_text
from amis.calls import attachments, call_documents
from amis.calls.api import _call
from amis.calls.models import Call

router = Router(tags=["calls and applications"])


class CallDocumentOut(Schema):
    id: int
    title: str
    language: str
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


def _document_out(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "language": d.language,
        "name": d.name,
        "content_type": d.content_type,
        "size": d.size,
        "sha256": d.sha256,
        "url": reverse("calls:document", args=[d.call.code, d.pk]),
    }


@router.get(
    "/calls/{code}/documents",
    response=list[CallDocumentOut],
    summary="Documents of a call",
    description=roles_text("call.view") + " (a draft call's: call.manage)",
)
def list_call_documents(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    call = _call(request, code)
    if call.procedure != Call.Procedure.OPEN and not check(request.user, "call.manage").allowed:
        raise Http404(f"No call {code}.")
    return [_document_out(d) for d in call.documents.select_related("call").order_by("uploaded_at", "pk")]


UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "title"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string"},
                        "language": {"type": "string", "enum": ["", *call_documents.LANGUAGES]},
                    },
                }
            }
        },
    }
}


@router.post(
    "/calls/{code}/documents",
    response={201: CallDocumentOut},
    auth=AUTHENTICATED,
    summary="Add a document to a draft or open call (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG; 10 MB)",
    description=roles_text("call.manage"),
    openapi_extra=UPLOAD,
)
def add_call_document(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    require(request.user, "call.manage")
    call = _call(request, code)
    upload = request.FILES.get("file")
    name, data = attachments.read_upload(upload, "Send the document as the multipart field 'file'.")
    document = call_documents.document_add(
        actor=request.user,
        call=call,
        title=request.POST.get("title", ""),
        language=request.POST.get("language", ""),
        name=name,
        data=data,
    )
    return Status(201, _document_out(document))
