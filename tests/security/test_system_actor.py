"""Batch jobs and the command line act as the system actor: authorization is never switched off, and every
collection a payment file posts has its audit row, as one posted by hand has (issue #17)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from opencse.errors import InvalidInput, NotAuthorized
from opencse.ledger.models import Collection, CollectionStatus
from opencse.ledger.services import hold_in_suspense
from opencse.security.models import AuditEvent, Office, User
from opencse.security.roles import Role
from opencse.security.services import issue_api_token, system_actor
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.ledger.test_imports import RECEIVED_ON, _payment, _write


@pytest.mark.django_db
def test_a_payment_file_imported_by_the_command_writes_an_audit_row_per_collection_as_the_system_actor(
    officer: object, tmp_path: Path
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    path = _write(tmp_path / "feb09.ach", [
        _payment("091000010000001", "150.00", case.number, "401234567"),
        _payment("091000010000002", "100.00", case.number, "401234567"),
        _payment("091000010000003", "75.00", "UNKNOWN-8", "401234567"),
    ])  # fmt: skip

    call_command("payments", "import", str(path), "--received-on", RECEIVED_ON.isoformat())

    system = User.objects.get(role=Role.SYSTEM)
    posted = AuditEvent.objects.filter(action="collection.posted", actor=system, case_number=case.number)
    assert sorted(event.after["amount"] for event in posted) == ["100.00", "150.00"]
    assert set(posted.values_list("target_id", flat=True)) == {
        str(pk) for pk in Collection.objects.filter(case=case).values_list("pk", flat=True)
    }
    assert AuditEvent.objects.filter(action="collection.suspended", actor=system).count() == 1
    assert AuditEvent.objects.filter(action="payments.imported", actor=system).count() == 1
    assert set(Collection.objects.values_list("received_on", flat=True)) == {RECEIVED_ON}  # the business date given


@pytest.mark.django_db
def test_holding_a_payment_in_suspense_checks_the_actors_authority() -> None:
    auditor = factories.user(Role.AUDITOR)

    with pytest.raises(NotAuthorized):
        hold_in_suspense(actor=auditor, amount=Decimal("10.00"), source="income_withholding",
                         collected_on=RECEIVED_ON, received_on=RECEIVED_ON, reason="unidentified")  # fmt: skip

    assert not Collection.objects.filter(status=CollectionStatus.SUSPENSE).exists()


@pytest.mark.django_db
def test_nobody_signs_in_or_holds_a_token_as_the_system_actor() -> None:
    system = system_actor()

    assert system_actor() == system  # one user, found again
    assert not system.has_usable_password()
    assert authenticate(username=system.username, password="") is None
    with pytest.raises(InvalidInput, match="no API token"):
        issue_api_token(user=system, label="integration")


@pytest.mark.django_db
def test_createuser_opens_a_new_office_through_the_audited_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENCSE_PASSWORD", "a-long-enough-passphrase-42")

    call_command("createuser", "--role", "seo1", "--username", "wanda", "--office", "WAR", "--office-name", "Warren")

    office = Office.objects.get(code="WAR")
    opened = AuditEvent.objects.get(action="office.created", target_id=str(office.pk))
    assert opened.actor == system_actor() and opened.after == {"code": "WAR", "name": "Warren"}
    assert AuditEvent.objects.get(action="user.created").actor == system_actor()
