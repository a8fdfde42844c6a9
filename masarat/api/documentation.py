"""The API's documentation as a page: every operation and data type, read from the OpenAPI schema.

The page is built on the server from the same schema as ``/api/v1/schema/`` (so it can never
describe another API than the one served), in the reader's language, without any script: it
works under the strict Content Security Policy and with a screen reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")
REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: tuple[Field, ...]
    body: str
    responses: tuple[tuple[str, str, str], ...]  # (status, description, data type)


@dataclass
class Group:
    name: str
    operations: list[Operation] = field(default_factory=list)


@dataclass(frozen=True)
class DataType:
    name: str
    description: str
    fields: tuple[Field, ...]
    values: tuple[str, ...]


def _type_name(schema: dict[str, Any]) -> str:
    """A short, readable name of a schema's type: ``Case``, ``array of string``, ``string (date)``."""
    if "$ref" in schema:
        return str(schema["$ref"]).removeprefix(REF_PREFIX)
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            return " | ".join(_type_name(part) for part in schema[combined])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array of {_type_name(schema.get('items', {}))}"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind)


def _fields(schema: dict[str, Any]) -> tuple[Field, ...]:
    required = set(schema.get("required", ()))
    return tuple(
        Field(name=name, type=_type_name(prop) + (", null" if prop.get("nullable") else ""),
              required=name in required, description=str(prop.get("description", "")),
              values=tuple(str(value) for value in prop.get("enum", ()) if value not in ("", None)))
        for name, prop in schema.get("properties", {}).items()
    )


def _media_type(content: dict[str, Any]) -> str:
    for media in content.values():
        return _type_name(media.get("schema", {}))
    return ""


def _operation(path: str, method: str, spec: dict[str, Any]) -> Operation:
    parameters = tuple(
        Field(name=f"{parameter['name']} ({parameter['in']})", type=_type_name(parameter.get("schema", {})),
              required=bool(parameter.get("required")), description=str(parameter.get("description", "")),
              values=tuple(str(value) for value in parameter.get("schema", {}).get("enum", ())))
        for parameter in spec.get("parameters", ())
    )
    responses = tuple(
        (str(status), str(answer.get("description", "")), _media_type(answer.get("content", {})))
        for status, answer in sorted(spec.get("responses", {}).items())
    )
    return Operation(
        method=method.upper(), path=path, anchor=str(spec.get("operationId", f"{method}-{path}")),
        summary=str(spec.get("summary", "")), description=str(spec.get("description", "")),
        parameters=parameters, body=_media_type(spec.get("requestBody", {}).get("content", {})),
        responses=responses,
    )


def documentation(schema: dict[str, Any]) -> tuple[list[Group], list[DataType]]:
    """The schema as groups of operations (by the first segment of their path) and data types."""
    groups: dict[str, Group] = {}
    prefix = "/api/v1/"
    for path, item in schema.get("paths", {}).items():
        segment = path.removeprefix(prefix).split("/", 1)[0] or "api"
        for method in METHODS:
            if method in item:
                groups.setdefault(segment, Group(segment)).operations.append(_operation(path, method, item[method]))
    types = [
        DataType(name=name, description=str(spec.get("description", "")), fields=_fields(spec),
                 values=tuple(str(value) for value in spec.get("enum", ()) if value not in ("", None)))
        for name, spec in sorted(schema.get("components", {}).get("schemas", {}).items())
    ]
    return sorted(groups.values(), key=lambda group: group.name), types


@lru_cache(maxsize=8)
def _schema(language: str) -> dict[str, Any]:
    # Generated once per language and process: its texts are translated as it is generated.
    return SchemaGenerator().get_schema(request=None, public=True)


def api_documentation(request: HttpRequest) -> HttpResponse:
    """Public, like the schema it shows: it describes the API, never any data."""
    schema = _schema(get_language() or "fr")
    groups, types = documentation(schema)
    return render(request, "api/documentation.html", {
        "info": schema.get("info", {}), "groups": groups, "types": types,
        "operations": sum(len(group.operations) for group in groups),
    })
