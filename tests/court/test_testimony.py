"""The testimony pack (issue #19): one click prints the case summary, the certified payment history and the
arrears computation as one stored PDF; the computation's arithmetic adds up to the ledger's balance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.court.items import arrears_arithmetic
from opencse.court.testimony import print_testimony_pack
from opencse.documents.models import Document
from opencse.errors import NotAuthorized
from opencse.ledger.accrual import accrue
from opencse.ledger.models import LedgerEntry
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
