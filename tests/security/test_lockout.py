from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

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
