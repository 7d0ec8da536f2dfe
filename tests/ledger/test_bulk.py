"""Bulk posting of a payment file gives exactly what posting the same collections one by one gives."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from opencse.ledger.bulk import CollectionInput, post_collections
from opencse.ledger.models import CollectionShare
from opencse.ledger.selectors import balances
from opencse.ledger.services import post_collection, record_assistance
from opencse.ledger.verify import verify_ledger
from opencse.security.services import system_actor
from tests.ledger.helpers import case_with_order

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1500"), places=2)
streams = st.lists(st.tuples(st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=200), amounts,
                             st.sampled_from(["income_withholding", "direct_payment", "federal_tax_offset"])),
                   min_size=1, max_size=8)  # fmt: skip


def _twin_cases(officer: object, group: str) -> list[object]:
    # Small grants, so that retained amounts reach the unreimbursed assistance cap within a batch. Cases 3
    # and 4 are two IV-D cases (two noncustodial parents) of one IV-A assistance group, which shares one
    # URA; case 4's assistance ended, so its support after April 2026 is never assigned.
    cases = [case_with_order(officer, monthly="300.00")[0],
             case_with_order(officer, monthly="455.50", program="current_assistance")[0],
             case_with_order(officer, monthly="120.00", program="former_assistance")[0],
             case_with_order(officer, monthly="210.00", program="current_assistance")[0],
             case_with_order(officer, monthly="380.00", program="current_assistance")[0]]  # fmt: skip
    record_assistance(actor=officer, case=cases[1], starts_on=date(2025, 10, 1), grant_monthly=Decimal("40.00"))
    record_assistance(
        actor=officer,
        case=cases[2],
        starts_on=date(2025, 6, 1),
        ends_on=date(2025, 12, 31),
        grant_monthly=Decimal("30.00"),
    )
    record_assistance(actor=officer, case=cases[3], starts_on=date(2025, 12, 1), grant_monthly=Decimal("75.00"),
                      assistance_group=group)  # fmt: skip
    record_assistance(actor=officer, case=cases[4], starts_on=date(2025, 12, 1), ends_on=date(2026, 4, 30),
                      grant_monthly=Decimal("75.00"), assistance_group=group)  # fmt: skip
    return cases


def _outcome(case: object) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    paid: dict[str, Decimal] = {}
    for payee, amount in CollectionShare.objects.filter(case=case).values_list("payee", "amount"):
        paid[payee] = paid.get(payee, Decimal("0.00")) + amount
    return balances(case=case, as_of=date(2027, 12, 31)), paid


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(stream=streams)
def test_bulk_posting_equals_posting_one_by_one(officer: object, stream: list[tuple[int, int, Decimal, str]]) -> None:
    one_by_one, in_bulk = _twin_cases(officer, "ONE-BY-ONE"), _twin_cases(officer, "BULK")
    ordered = sorted(stream, key=lambda item: item[1])  # the bulk path takes collections by date
    items = []
    for which, days, amount, source in ordered:
        on = date(2026, 1, 1) + timedelta(days=days)
        post_collection(
            actor=system_actor(), case=one_by_one[which], amount=amount, source=source, collected_on=on, received_on=on
        )
        items.append(
            CollectionInput(case_id=in_bulk[which].pk, amount=amount, source=source, collected_on=on, received_on=on)
        )

    post_collections(items, actor=system_actor())

    for single, bulk in zip(one_by_one, in_bulk, strict=True):
        assert _outcome(bulk) == _outcome(single)
    assert verify_ledger() == []


@pytest.mark.django_db
def test_bulk_posting_counts_what_the_state_already_retained_in_the_same_batch(officer: object) -> None:
    one_by_one, in_bulk = _twin_cases(officer, "ONE-BY-ONE"), _twin_cases(officer, "BULK")
    days = (date(2026, 1, 5), date(2026, 1, 20))
    for on in days:
        post_collection(
            actor=system_actor(),
            case=one_by_one[1],
            amount=Decimal("300.00"),
            source="income_withholding",
            collected_on=on,
            received_on=on,
        )

    post_collections(
        [
            CollectionInput(
                case_id=in_bulk[1].pk,
                amount=Decimal("300.00"),
                source="income_withholding",
                collected_on=on,
                received_on=on,
            )
            for on in days
        ],
        actor=system_actor(),
    )

    # URA through January is 4 months x 40.00 = 160.00 (42 U.S.C. 657(a)): the state keeps it once.
    assert _outcome(in_bulk[1]) == _outcome(one_by_one[1])
    assert _outcome(in_bulk[1])[1]["state"] == Decimal("160.00")


@pytest.mark.django_db
def test_bulk_posting_lowers_the_ura_of_the_other_case_of_the_group_within_the_batch(officer: object) -> None:
    one_by_one, in_bulk = _twin_cases(officer, "ONE-BY-ONE"), _twin_cases(officer, "BULK")
    # (case, day): case 3 first, then case 4 in the same month; both current assistance in February.
    postings = [(3, date(2026, 2, 3)), (4, date(2026, 2, 10)), (3, date(2026, 2, 20))]
    for which, on in postings:
        post_collection(actor=system_actor(), case=one_by_one[which], amount=Decimal("200.00"),
                        source="income_withholding", collected_on=on, received_on=on)  # fmt: skip

    post_collections([CollectionInput(case_id=in_bulk[which].pk, amount=Decimal("200.00"), source="income_withholding",
                                      collected_on=on, received_on=on) for which, on in postings],
                     actor=system_actor())  # fmt: skip

    # The group's assistance through February is 3 months x 75.00 = 225.00 (each month once, 657(a)(3)):
    # case 3 keeps 200.00, case 4 the 25.00 left, then nothing.
    for which in (3, 4):
        assert _outcome(in_bulk[which]) == _outcome(one_by_one[which])
    assert _outcome(in_bulk[3])[1]["state"] + _outcome(in_bulk[4])[1]["state"] == Decimal("225.00")
    assert _outcome(in_bulk[4])[1]["state"] == Decimal("25.00")
    assert verify_ledger() == []
