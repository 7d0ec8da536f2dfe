"""The audit trail and case notes are append-only in the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from opencse.cases.services import add_note
from opencse.security.models import AuditEvent
from tests import factories


@pytest.mark.django_db
def test_opening_a_case_leaves_an_audit_row_with_the_values(officer: object) -> None:
    case = factories.case(officer)

    event = AuditEvent.objects.get(action="case.opened", case_number=case.number)

    assert event.actor == officer
    assert event.after["program"] == "never_assistance"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement", ["UPDATE security_auditevent SET summary = 'edited'", "DELETE FROM security_auditevent"]
)
def test_the_database_refuses_to_change_or_delete_an_audit_row(officer: object, statement: str) -> None:
    factories.case(officer)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert AuditEvent.objects.filter(summary="edited").count() == 0
    assert AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_to_edit_a_case_note(officer: object) -> None:
    case = factories.case(officer)
    add_note(actor=officer, case=case, kind="phone", text="Called the employer.")

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_casenote SET text = 'rewritten'")

    assert case.notes.get().text == "Called the employer."
