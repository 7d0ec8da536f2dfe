from __future__ import annotations

import pytest
from django.test import Client

from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories


@pytest.fixture(autouse=True)
def _testserver_allowed(settings: object) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]  # type: ignore[attr-defined]


@pytest.fixture
def officer(db: None) -> User:
    return factories.user(Role.OFFICER_1)


@pytest.fixture
def technician(db: None) -> User:
    return factories.user(Role.TECHNICIAN)


@pytest.fixture
def supervisor(db: None) -> User:
    return factories.user(Role.SUPERVISOR)


@pytest.fixture
def client_for() -> object:
    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login
