"""The OpenAPI schema documents the errors every operation can answer (see masarat/api/errors.py)."""

from __future__ import annotations

from typing import Any

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS = {
    "type": "object",
    "description": "Messages per field; `non_field_errors` for the whole request.",
    "additionalProperties": {"oneOf": [{"type": "array", "items": {}}, {"type": "object"}, {"type": "string"}]},
}
ERRORS = {
    "400": ("The request is invalid: the messages say why, per field.", FIELD_ERRORS),
    "401": ("No credentials, or an unknown or revoked token.", DETAIL),
    "403": ("An action refused on something the user can reach.", DETAIL),
    "404": ("Not found, or outside the user's scope (the two look the same).", DETAIL),
    "405": ("This method is not offered here.", DETAIL),
    "406": ("The requested format is not offered.", DETAIL),
    "409": ("Refused by the rules of the mechanism, or made on a stale version.", DETAIL),
    "415": ("The body's media type is not offered.", DETAIL),
}
WRITE_ONLY_ERRORS = {"409", "415"}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the error responses to every operation."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in ERRORS.items():
                if code in WRITE_ONLY_ERRORS and method == "get":
                    continue
                responses.setdefault(code, {"description": description,
                                            "content": {"application/json": {"schema": schema}}})
    return result
