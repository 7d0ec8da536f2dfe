"""Shared fixtures. Django is imported inside the fixtures, so the pure rule tests run without it."""

from __future__ import annotations

from typing import Any

import pytest


def _user(role_name: str) -> Any:
    from opencse.security.roles import Role
    from tests import factories

    return factories.user(Role[role_name])


@pytest.fixture
def officer(db: None) -> Any:
    return _user("OFFICER_1")


@pytest.fixture
def technician(db: None) -> Any:
    return _user("TECHNICIAN")


@pytest.fixture
def supervisor(db: None) -> Any:
    return _user("SUPERVISOR")


@pytest.fixture
def client_for() -> Any:
    from django.test import Client

    def login(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login
