"""The API tests' client: a browser's session that enforces CSRF and sends the token as the web app does."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class CsrfClient(Client):
    """`Client(enforce_csrf_checks=True)` that, like the web pages' htmx, sends the CSRF cookie's token
    in `X-CSRFToken` on unsafe methods; `csrf=False` on a call leaves the header out."""

    def __init__(self, **defaults: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **defaults)
        self.csrf_token = get_token(RequestFactory().get("/"))
        self.cookies[settings.CSRF_COOKIE_NAME] = self.csrf_token

    def generic(self, method: str, path: str, *args: Any, csrf: bool = True, **extra: Any) -> Any:
        if csrf and method.upper() in UNSAFE_METHODS:
            extra.setdefault("HTTP_X_CSRFTOKEN", self.csrf_token)
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def client_for() -> Any:
    """Overrides the shared fixture: API writes in these tests go through the CSRF check."""

    def login(user: Any) -> CsrfClient:
        client = CsrfClient()
        client.force_login(user)
        return client

    return login
