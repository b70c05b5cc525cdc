"""Reading request bodies in the REST API, for every app's `api.py`."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from pydantic import ValidationError as PydanticValidationError

from amis.core.errors import ApplicationError


def body(request: HttpRequest, schema: type[Schema]) -> Any:
    """Read the JSON body only after the permission check, so a refused caller learns nothing from a 422."""
    try:
        return schema.model_validate(json.loads(request.body or b"{}"))
    except (ValueError, PydanticValidationError) as exc:
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
