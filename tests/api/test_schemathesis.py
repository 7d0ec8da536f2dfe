"""Property-based run over the OpenAPI spec: whatever schemathesis sends, the API never answers 5xx.

The operations' strategies are driven with hypothesis directly (schemathesis' pytest loader does not
run under pytest 9), through the WSGI application in-process, inside the test's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from opencse.security.roles import Role
from tests import factories

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def wsgi_schema(db: None) -> Iterator[Any]:
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections
    from django.test import override_settings

    # The WSGI application as gunicorn's opencse.wsgi builds it, without its refusal to serve a real
    # database (the test database) on the keys generated for the demo and the tests.
    application = get_wsgi_application()

    # As Django's test client does: keep the test transaction's connection open between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    unlimited = {"signin": 10**6, "search": 10**6, "api": 10**6}  # every generated request reaches its operation
    with override_settings(RATE_LIMITS_PER_MINUTE=unlimited):
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_api_never_answers_with_a_server_error(wsgi_schema: Any) -> None:
    from opencse.security.services import issue_api_token

    officer = factories.user(Role.OFFICER_1, username="schemathesis")
    factories.family(officer)
    headers = {"Authorization": f"Bearer {issue_api_token(user=officer, label='schemathesis')}"}
    failures: list[str] = []
    operations = [result.ok() for result in wsgi_schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def call(case: Any) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        call()

    assert failures == []
