"""The password rules (settings.AUTH_PASSWORD_VALIDATORS) hold wherever a password is set."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError

import opencse
from opencse.demo import DEMO_PASSWORD
from opencse.errors import InvalidInput
from opencse.security.models import User
from opencse.security.roles import Role
from opencse.security.services import create_user
from tests import factories


def _createuser(monkeypatch: pytest.MonkeyPatch, password: str) -> None:
    monkeypatch.setenv("OPENCSE_PASSWORD", password)
    call_command("createuser", "--role", "auditor", "--username", "danaparker", stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [("x", "too short"), ("password", "too common"), ("danaparker1", "too similar"), ("1234567890123", "numeric")],
)
def test_createuser_refuses_a_password_the_rules_refuse(
    monkeypatch: pytest.MonkeyPatch, password: str, reason: str
) -> None:
    with pytest.raises(CommandError, match=f"password: The password is refused: .*{reason}"):
        _createuser(monkeypatch, password)

    assert not User.objects.filter(username="danaparker").exists()


@pytest.mark.django_db
def test_createuser_accepts_a_good_password(monkeypatch: pytest.MonkeyPatch) -> None:
    _createuser(monkeypatch, "a-long-enough-passphrase")

    assert User.objects.get(username="danaparker").check_password("a-long-enough-passphrase")


@pytest.mark.django_db
def test_an_administrator_cannot_create_a_user_with_a_weak_password() -> None:
    admin = factories.user(Role.ADMINISTRATOR)

    with pytest.raises(InvalidInput, match="too common") as refused:
        create_user(actor=admin, username="erin", password="password", role=Role.AUDITOR.value)

    assert refused.value.field == "password"
    assert not User.objects.filter(username="erin").exists()


@pytest.mark.django_db
def test_changepassword_refuses_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    user = factories.user(Role.AUDITOR)
    monkeypatch.setattr("django.contrib.auth.management.commands.changepassword.getpass.getpass", lambda *_, **__: "x")

    with pytest.raises(CommandError, match="Aborting password change"):
        call_command("changepassword", user.username, stdout=io.StringIO(), stderr=io.StringIO())


def test_every_password_set_in_the_code_goes_through_the_rules() -> None:
    """`set_password` is called only by `set_checked_password`, the backend's timing decoy for an unknown
    user (nothing is saved) and the demo, whose printed password the rules accept."""
    allowed = {
        "security/services.py": 1,  # set_checked_password
        "security/backends.py": 1,  # the decoy: the same hashing work for an unknown username
        "demo.py": 1,  # DEMO_PASSWORD, hashed once for every demo user; checked below
    }
    root = Path(opencse.__file__).parent
    calls = {
        str(path.relative_to(root)): count
        for path in root.rglob("*.py")
        if (count := len(re.findall(r"\.set_password\(", path.read_text())))
    }
    assert calls == allowed
    validate_password(DEMO_PASSWORD)
