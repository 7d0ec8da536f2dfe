"""Shared fixtures. Django is imported inside the fixtures, so the pure rule tests run without it."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from typing import Any

import pytest
from hypothesis import settings

# Hypothesis's per-example deadline measures the machine, not the code: on CI's two shared cores a pure rule
# example can take 400 ms. Correctness is what the property tests check; speed is measured in bench/.
settings.register_profile("opencse", deadline=None)
settings.load_profile("opencse")


def pytest_configure(config: pytest.Config) -> None:
    """`OPENCSE_TEST_CLOCK=2032-02-29T15:30:00-06:00` runs the suite with the wall clock moved there (and
    ticking), in every xdist worker: a test that passes only on the day it was written fails here.
    CI runs it on a leap day years ahead and just after a month end (`make test-clock`)."""
    moved_to = os.environ.get("OPENCSE_TEST_CLOCK")
    if moved_to:
        import time_machine

        traveller = time_machine.travel(datetime.fromisoformat(moved_to), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    moved_to = os.environ.get("OPENCSE_TEST_CLOCK")
    return (
        f"wall clock moved to {moved_to} (OPENCSE_TEST_CLOCK); now reads {datetime.now().astimezone()}"
        if moved_to
        else None
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A browser test fails, never skips, on a machine without Chromium: a green run has driven a browser.
    `make test` installs it first (tools/system-deps); this names the command for any other way of running."""
    if item.get_closest_marker("browser") and shutil.which("chromium") is None:
        pytest.fail("Chromium is not installed: run `apt-get install chromium` (or `make test`, which installs it)")


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
