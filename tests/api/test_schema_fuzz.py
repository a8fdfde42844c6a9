"""Schemathesis generates requests from the OpenAPI schema: no input makes the API fail with a server
error, and every answer matches what the schema documents (status, media type, body).

`MASARAT_FUZZ_EXAMPLES` sets the number of generated requests per operation (25 by default; raise it
for a deeper run, for example 500 before a release).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from masarat.accounts.services import api_token_create

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("MASARAT_FUZZ_EXAMPLES", "25"))

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI application directly sends request_finished, which closes the database
    connection in the middle of the test's transaction on PostgreSQL; Django's test client avoids the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["bob", "alice"])
def credentials(request, alice_case):
    """A regional coordinator (decides) and a frontline responder (refers), each with a case in reach."""
    user = request.getfixturevalue(request.param)
    return {"Authorization": f"Bearer {api_token_create(user=user, name='schema fuzzing')}", "Host": "localhost"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_generated_request_breaks_the_api(case, credentials):
    case.call_and_validate(headers=credentials, checks=CHECKS)
