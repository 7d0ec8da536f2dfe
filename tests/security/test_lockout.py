from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import authenticate
from django.db import connection, connections

from opencse.security.models import AuditEvent, User
from tests import factories


@pytest.mark.django_db
def test_five_failed_sign_ins_lock_the_account_even_against_the_right_password(officer: User) -> None:
    for _ in range(5):
        assert authenticate(username=officer.username, password="wrong-password") is None

    assert authenticate(username=officer.username, password=factories.PASSWORD) is None
    assert User.objects.get(pk=officer.pk).is_locked()
    assert AuditEvent.objects.filter(action="user.locked", target_id=str(officer.pk)).exists()


@pytest.mark.django_db
def test_a_good_sign_in_resets_the_failure_count(officer: User) -> None:
    for _ in range(3):
        authenticate(username=officer.username, password="wrong-password")

    assert authenticate(username=officer.username, password=factories.PASSWORD) == officer
    assert User.objects.get(pk=officer.pk).failed_logins == 0


@pytest.mark.django_db
def test_attempts_already_counted_to_the_maximum_refuse_even_the_right_password(officer: User) -> None:
    """Five attempts counted and still being checked (not yet failed, so no lock yet): a sixth is refused
    without a password check, the right password too."""
    User.objects.filter(pk=officer.pk).update(failed_logins=5, locked_until=None)

    assert authenticate(username=officer.username, password=factories.PASSWORD) is None
    assert AuditEvent.objects.filter(action="user.signin_refused_locked", target_id=str(officer.pk)).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ins_check_at_most_the_maximum_and_refuse_the_right_password(
    officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """39 wrong attempts in parallel, held inside the password check, then the right one: it is refused,
    only five passwords were ever checked, and the account is locked afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel sign-ins on real connections are tested on PostgreSQL")
    checking = threading.Semaphore(0)
    release = threading.Event()
    finished = threading.Semaphore(0)
    checked: list[str] = []
    real_check = User.check_password

    def held_check(self: User, raw_password: str) -> bool:
        checked.append(raw_password)
        if raw_password != factories.PASSWORD:
            checking.release()
            release.wait(timeout=30)
        return real_check(self, raw_password)

    monkeypatch.setattr(User, "check_password", held_check)

    def attempt(password: str) -> object:
        try:
            return authenticate(username=officer.username, password=password)
        finally:
            finished.release()
            connections.close_all()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=40) as pool:
        wrong = [pool.submit(attempt, f"wrong-password-{n}") for n in range(39)]
        for _ in range(39):  # every wrong attempt is either inside the check or already refused
            assert _acquire_one_of(checking, finished, timeout=30)
        right = authenticate(username=officer.username, password=factories.PASSWORD)
        release.set()
        results = [future.result(timeout=60) for future in wrong]

    assert right is None
    assert results == [None] * 39
    assert len(checked) == 5
    assert User.objects.get(pk=officer.pk).is_locked()
    assert authenticate(username=officer.username, password=factories.PASSWORD) is None


def _acquire_one_of(first: threading.Semaphore, second: threading.Semaphore, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if first.acquire(blocking=False) or second.acquire(blocking=False):
            return True
        time.sleep(0.01)
    return False


@pytest.mark.django_db
def test_a_session_of_an_account_deactivated_since_sign_in_is_signed_out(officer: User) -> None:
    from django.test import Client

    client = Client()
    client.force_login(officer)
    assert client.get("/worklist/").status_code == 200

    User.objects.filter(pk=officer.pk).update(is_active=False)

    response = client.get("/worklist/")
    assert response.status_code == 302 and response["Location"].startswith("/signin/")
