"""common.bulk_insert: the rows `bulk_create` would write, and an idempotent batch skips a row already there."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from opencse.common.bulk_insert import insert_rows
from opencse.ledger.models import LedgerEntry
from opencse.security.roles import Role
from tests import factories


def _charge(case_id: int, key: str, amount: str = "150.25") -> LedgerEntry:
    return LedgerEntry(case_id=case_id, account="current_support", kind="charge", amount=Decimal(amount),
                       effective_on=date(2026, 3, 1), posted_at=datetime(2026, 3, 2, 6, 30, tzinfo=UTC),
                       source_key=key)  # fmt: skip


@pytest.mark.django_db
def test_inserted_rows_read_back_as_bulk_create_writes_them() -> None:
    case = factories.case(factories.user(Role.OFFICER_1))
    LedgerEntry.objects.bulk_create([_charge(case.pk, "by-bulk-create")])

    insert_rows([_charge(case.pk, "by-insert-rows")])

    fields = ("case_id", "term_id", "account", "kind", "amount", "effective_on", "posted_at", "memo", "actor_id")
    rows = {key: values for key, *values in LedgerEntry.objects.values_list("source_key", *fields)}
    assert rows["by-insert-rows"] == rows["by-bulk-create"]
    assert rows["by-insert-rows"][4] == Decimal("150.25")


@pytest.mark.django_db
def test_ignoring_conflicts_skips_a_row_already_posted_and_writes_the_others() -> None:
    case = factories.case(factories.user(Role.OFFICER_1))
    insert_rows([_charge(case.pk, "charge:1:2026-03")])

    insert_rows([_charge(case.pk, "charge:1:2026-03", "999.00"), _charge(case.pk, "charge:1:2026-04")],
                ignore_conflicts=True)  # fmt: skip

    amounts = dict(LedgerEntry.objects.values_list("source_key", "amount"))
    assert amounts == {"charge:1:2026-03": Decimal("150.25"), "charge:1:2026-04": Decimal("150.25")}
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows([_charge(case.pk, "charge:1:2026-04")])


@pytest.mark.django_db
def test_plain_rows_read_back_as_bulk_create_writes_them_json_included() -> None:
    from opencse.common.bulk_insert import insert_values
    from opencse.security.audit import record_audit_rows
    from opencse.security.models import AuditEvent

    officer = factories.user(Role.OFFICER_1)
    case = factories.case(officer)
    LedgerEntry.objects.bulk_create([_charge(case.pk, "by-bulk-create")])
    first = _charge(case.pk, "unused")
    names = ["case_id", "term_id", "account", "kind", "amount", "effective_on", "posted_at", "source_key", "memo"]

    insert_values(LedgerEntry, names, [(case.pk, None, first.account, first.kind, first.amount, first.effective_on,
                                        first.posted_at, "by-insert-values", "")])  # fmt: skip
    record_audit_rows(actor=officer, action="test.batch", target_model=LedgerEntry,
                      rows=[(7, case.number, "seven", {"on": "2026-03-01", "amount": Decimal("1.50")})])  # fmt: skip

    fields = ("case_id", "term_id", "account", "kind", "amount", "effective_on", "posted_at", "memo", "actor_id")
    rows = {key: values for key, *values in LedgerEntry.objects.values_list("source_key", *fields)}
    assert rows["by-insert-values"] == rows["by-bulk-create"]
    event = AuditEvent.objects.get(action="test.batch")
    assert (event.target_type, event.target_id, event.case_number, event.after) == (
        "ledger.ledgerentry", "7", case.number, {"on": "2026-03-01", "amount": "1.50"})  # fmt: skip


@pytest.mark.django_db
def test_ignoring_conflicts_keeps_one_of_two_equal_rows_in_a_batch_and_runs_twice_in_one_transaction() -> None:
    # On PostgreSQL the rows go through a temporary table and one INSERT ... ON CONFLICT DO NOTHING: a second
    # batch in the same transaction gets its own temporary table, and a duplicate inside a batch is skipped.
    case = factories.case(factories.user(Role.OFFICER_1))
    with transaction.atomic():
        insert_rows([_charge(case.pk, "charge:1:2026-05"), _charge(case.pk, "charge:1:2026-05", "999.00")],
                    ignore_conflicts=True)  # fmt: skip
        insert_rows([_charge(case.pk, "charge:1:2026-05", "5.00"), _charge(case.pk, "charge:1:2026-06", "7.00")],
                    ignore_conflicts=True)  # fmt: skip

    amounts = dict(LedgerEntry.objects.values_list("source_key", "amount"))
    assert amounts["charge:1:2026-06"] == Decimal("7.00")
    assert amounts["charge:1:2026-05"] in (Decimal("150.25"), Decimal("999.00"))
    assert LedgerEntry.objects.filter(source_key="charge:1:2026-05").count() == 1


@pytest.mark.django_db
def test_text_with_tabs_newlines_and_backslashes_and_nulls_reads_back_as_written() -> None:
    # COPY's text format escapes a backslash, a tab, a newline and a carriage return; \N is null.
    from opencse.common.bulk_insert import insert_values

    case = factories.case(factories.user(Role.OFFICER_1))
    memo = "tab\there\nnew line\r\\N is not null \\ done"
    first = _charge(case.pk, "unused")
    insert_values(LedgerEntry, ["case_id", "term_id", "account", "kind", "amount", "effective_on", "posted_at",
                                "source_key", "memo"],
                  [(case.pk, None, first.account, first.kind, Decimal("1E+2"), first.effective_on, first.posted_at,
                    "escaped", memo)])  # fmt: skip

    entry = LedgerEntry.objects.get(source_key="escaped")
    assert (entry.memo, entry.term_id, entry.amount, entry.posted_at) == (memo, None, Decimal("100.00"),
                                                                         first.posted_at)  # fmt: skip
