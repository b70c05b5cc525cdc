"""Reading request bodies in the REST API, for every app's `api.py`."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from pydantic import ValidationError as PydanticValidationError

from amis.core.errors import ApplicationError
from amis.core.parsing import depth_exceeds

# No AMIS document nests deeper than a handful of levels (an application's partners are 3); deeper
# bodies only cost memory and stack in every reader after this one.
MAX_DEPTH = 20


def parse_json(raw: bytes) -> Any:
    """The JSON document in `raw`, or an ApplicationError saying what is wrong with it.

    JSON between systems is UTF-8 (RFC 8259 section 8.1); `json.loads` would also guess UTF-16 and
    UTF-32, so the bytes are decoded strictly first.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            f"The request body is not UTF-8 (byte {exc.start} is 0x{raw[exc.start]:02x}); send UTF-8 JSON.",
            code="bad_request",
        ) from exc
    try:
        document = json.loads(text or "{}")
    except RecursionError as exc:
        raise ApplicationError(
            f"The request body nests more than {MAX_DEPTH} levels deep.", code="bad_request"
        ) from exc
    except ValueError as exc:
        raise ApplicationError(f"The request body is not valid JSON: {exc}", code="bad_request") from exc
    if depth_exceeds(document, MAX_DEPTH):
        raise ApplicationError(
            f"The request body nests more than {MAX_DEPTH} levels deep.", code="bad_request"
        )
    return document


def body(request: HttpRequest, schema: type[Schema]) -> Any:
    """Read the JSON body only after the permission check, so a refused caller learns nothing from a 400."""
    document = parse_json(request.body)
    try:
        return schema.model_validate(document)
    except PydanticValidationError as exc:
        raise ApplicationError(f"The request body is not valid: {exc}", code="bad_request") from exc


def json_body_doc(schema: type[Schema]) -> dict[str, Any]:
    """`openapi_extra` for an endpoint that reads its body with `body()`."""
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }


def multipart_doc(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` for an endpoint that takes a file upload (multipart/form-data)."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "required": required, "properties": properties}
                }
            },
        }
    }


FILE = {"type": "string", "format": "binary"}
