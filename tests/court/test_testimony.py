"""The testimony pack (issue #19): one click prints the case summary, the certified payment history and the
arrears computation as one stored PDF; the computation's arithmetic adds up to the ledger's balance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencse.court.items import arrears_arithmetic
from opencse.court.testimony import print_testimony_pack
from opencse.documents.models import Document
from opencse.errors import NotAuthorized
from opencse.ledger.accrual import accrue
from opencse.ledger.models import EntryKind, LedgerEntry
from opencse.ledger.selectors import balances
from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

AS_OF, PRINTED = date(2026, 3, 31), date(2026, 4, 2)


def test_the_testimony_pack_is_one_stored_pdf_of_the_three_exhibits(officer: User) -> None:
    case, order = case_with_order(officer, monthly="300.00", starts_on=date(2026, 1, 1))
    accrue(through=AS_OF, case_ids=[case.pk])  # January to March: 3 x $300.00 (tests.ledger.helpers)

    pack = print_testimony_pack(actor=officer, case=case, as_of=AS_OF, printed_on=PRINTED)

    assert pack.kind == "testimony_pack"
    text = pdf_text(bytes(pack.pdf))
    for words in (
        "Case Summary",
        "Certified Payment History",
        "Arrears Computation",
        order.docket_number,
        "Curtis Boone",
        "$900.00",
    ):
        assert words in text, words
    parts = [Document.objects.get(pk=part["document"]) for part in pack.data["parts"]]
    assert [part.kind for part in parts] == ["case_summary", "payment_history", "arrears_computation"]
    assert pack.page_count == sum(part.page_count for part in parts)
    assert case.notes.filter(source_key=f"document:{pack.pk}").exists()


def test_the_arrears_arithmetic_adds_up_to_the_ledgers_balance_in_every_account(officer: User) -> None:
    case, _ = case_with_order(officer, monthly="250.00", starts_on=date(2026, 1, 1))
    accrue(through=AS_OF, case_ids=[case.pk])
    LedgerEntry.objects.create(
        case=case,
        account="never_assigned",
        kind="adjustment",
        amount=Decimal("-40.00"),
        effective_on=date(2026, 3, 15),
        source_key="testimony:adjust",
        memo="test",
    )

    computed = {each.account: each for each in arrears_arithmetic(case=case, through=AS_OF)}

    ledger = {account: amount for account, amount in balances(case=case, as_of=AS_OF).items() if amount}
    assert {account: each.owed for account, each in computed.items() if each.owed} == ledger
    assert sum(each.due for each in computed.values()) == Decimal("750.00")  # 3 x $250.00 charged
    assert sum(each.moved for each in computed.values()) == Decimal("-40.00")  # rollovers net to zero


def test_an_auditor_may_not_print_a_testimony_pack(officer: User) -> None:
    case, _ = case_with_order(officer)
    auditor = factories.user(Role.AUDITOR, username="testimony-auditor")
    with pytest.raises(NotAuthorized):
        print_testimony_pack(actor=auditor, case=case, as_of=AS_OF, printed_on=PRINTED)


_entry = st.tuples(
    st.sampled_from(list(EntryKind)),
    st.sampled_from(["current_support", "never_assigned", "permanently_assigned"]),
    st.decimals(min_value=Decimal("-999.99"), max_value=Decimal("999.99"), places=2).filter(lambda amount: amount != 0),
    st.integers(min_value=1, max_value=28),
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(_entry, min_size=1, max_size=12))
def test_whatever_the_entries_charged_less_paid_plus_moved_is_the_ledgers_balance(
    officer: User, entries: list[tuple[EntryKind, str, Decimal, int]]
) -> None:
    """An invariant of the arrears computation: every entry lands in exactly one column of its account."""
    case = factories.case(officer)
    for number, (kind, account, amount, day) in enumerate(entries):
        LedgerEntry.objects.create(
            case=case,
            account=account,
            kind=kind,
            amount=amount,
            effective_on=date(2026, 2, day),
            source_key=f"property:{case.pk}:{number}",
        )

    computed = {each.account: each.owed for each in arrears_arithmetic(case=case, through=AS_OF)}

    assert {account: owed for account, owed in computed.items() if owed} == {
        account: amount for account, amount in balances(case=case, as_of=AS_OF).items() if amount
    }
