"""Paying out never creates or loses money: over random payments, reversals, runs, returned payouts and
releases, every cent received is paid out, pending, held, undistributable or transferred — exactly."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from opencse.cases.services import add_member
from opencse.common.money import MoneySum
from opencse.errors import Conflict
from opencse.ledger import disbursement, payouts
from opencse.ledger.models import Collection, CollectionShare, CollectionStatus, Payee, Payout
from opencse.ledger.services import post_collection, reverse_collection
from opencse.ledger.verify import verify_ledger
from opencse.people.services import add_address
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order

ZERO = Decimal("0.00")


@pytest.fixture
def signer(db: None) -> object:
    return factories.user(Role.OFFICER_2, username="signer")


steps = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("900"), places=2)),
        st.tuples(st.just("run"), st.none()),
        st.tuples(st.just("reverse"), st.none()),
        st.tuples(st.just("return"), st.none()),
        st.tuples(st.just("release"), st.none()),
    ),
    min_size=1,
    max_size=10,
)


def _sum(rows: object) -> Decimal:
    return rows.aggregate(total=MoneySum("amount"))["total"] or ZERO  # type: ignore[attr-defined]


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # fmt: skip
@given(script=steps, with_address=st.booleans())
def test_every_cent_received_is_paid_pending_or_accounted_for(
    officer: object, signer: object, script: list[tuple[str, Decimal | None]], with_address: bool
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    custodial = factories.person(officer, first_name="Alicia", last_name="Moreno")
    if with_address:
        add_address(actor=officer, person=custodial, line1="1 Oak St", city="Jackson", state="MS",
                    postal_code="39201")  # fmt: skip
    add_member(actor=officer, case=case, person=custodial, role="custodial_party")
    day = date(2026, 2, 2)
    for action, amount in script:
        day += timedelta(days=1)
        if action == "pay" and amount is not None:
            post_collection(actor=officer, case=case, amount=amount, source="direct_payment", collected_on=day,
                            received_on=day)  # fmt: skip
        elif action == "run":
            disbursement.run_disbursements(actor=signer, run_on=day)
        elif action == "reverse":
            posted = Collection.objects.filter(case=case, status=CollectionStatus.POSTED).order_by("pk").first()
            if posted is not None:
                reverse_collection(actor=officer, collection=posted, reason="NSF", reversed_on=day)
        elif action == "return":
            payout = Payout.objects.filter(case=case, method__in=["check", "eft"], returned__isnull=True).first()
            if payout is not None:
                payouts.return_payout(actor=officer, payout=payout, kind="check_returned", returned_on=day,
                                           reason="returned by the post office")  # fmt: skip
        else:
            with contextlib.suppress(Conflict):  # nothing undistributable yet
                payouts.release_undistributable(actor=signer, case=case, reason="address found")

    received = _sum(Collection.objects.filter(case=case, status=CollectionStatus.POSTED))
    paid = _sum(Payout.objects.filter(case=case, returned__isnull=True))
    pending = sum((row.remainder for row in disbursement.pending_rows([case.pk])), ZERO)
    kept = _sum(CollectionShare.objects.filter(case=case, payee__in=[Payee.HELD, Payee.UNDISTRIBUTABLE,
                                                                    Payee.ESCHEATED]))  # fmt: skip
    assert paid + pending + kept == received
    assert paid >= ZERO and kept >= ZERO
    assert verify_ledger() == []
