"""The API's documentation page: generated from the schema, every operation on it, in the reader's language."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from masarat.api.documentation import METHODS, documentation

pytestmark = pytest.mark.django_db


def _schema(client: Client) -> dict:
    return yaml.safe_load(client.get(reverse("api-schema"), HTTP_ACCEPT_LANGUAGE="en").content)


def test_every_operation_and_data_type_of_the_schema_is_on_the_page(client):
    schema = _schema(client)
    page = client.get(reverse("api-docs"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    operations = [(method, path, spec) for path, item in schema["paths"].items()
                  for method, spec in item.items() if method in METHODS]
    assert len(operations) >= 25
    for method, path, spec in operations:
        assert f'id="{spec["operationId"]}"' in html, (method, path)
        assert f'<code dir="ltr">{escape(path)}</code>' in html
        if spec.get("summary"):
            assert escape(spec["summary"]) in html
    for name in schema["components"]["schemas"]:
        assert f'id="type-{name}"' in html


def test_the_page_speaks_the_readers_language(client):
    english = client.get(reverse("api-docs"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(reverse("api-docs"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    arabic = client.get(reverse("api-docs"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "Refer a person to the mechanism" in english
    assert "Refer a person to the mechanism" not in french and "Types of data" not in french
    assert 'dir="rtl"' in arabic and "Types of data" not in arabic


def test_fields_types_and_required_flags_come_from_the_schema():
    schema = {
        "paths": {"/api/v1/things/{id}/": {"get": {
            "operationId": "things_retrieve", "summary": "A thing",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}, "404": {"description": "Not found"}},
        }}},
        "components": {"schemas": {"Thing": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "description": "Its name"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "kind": {"allOf": [{"$ref": "#/components/schemas/KindEnum"}], "nullable": True},
        }}, "KindEnum": {"enum": ["a", "b", ""], "type": "string"}}},
    }
    groups, types = documentation(schema)
    [group] = groups
    [operation] = group.operations
    assert (group.name, operation.method, operation.anchor) == ("things", "GET", "things_retrieve")
    assert [(p.name, p.type, p.required) for p in operation.parameters] == [("id (path)", "integer", True)]
    assert operation.responses == (("200", "", "Thing"), ("404", "Not found", ""))
    thing = next(t for t in types if t.name == "Thing")
    assert [(f.name, f.type, f.required) for f in thing.fields] == [
        ("name", "string", True), ("tags", "array of string", False), ("kind", "KindEnum, null", False)]
    assert next(t for t in types if t.name == "KindEnum").values == ("a", "b")
