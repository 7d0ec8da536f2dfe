"""Two officers approving one proposal at the same moment enter exactly one order (PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections

from opencse.errors import Conflict
from opencse.establishment.models import EstablishmentProposal, ProposalStatus
from opencse.establishment.services import approve_proposal, compute_worksheet, propose_obligations
from opencse.orders.models import Order
from opencse.security.models import User
from tests.establishment.helpers import MS_EXAMPLE_1, family_case, officers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_enter_one_order_and_the_other_is_refused() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) are tested on PostgreSQL")
    seo1, seo2, supervisor = officers()
    case, *_ = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_EXAMPLE_1)
    proposal = propose_obligations(actor=seo1, case=case, worksheet=worksheet, effective_on=date(2026, 9, 1))

    def approve(signer: User) -> str:
        try:
            approve_proposal(
                actor=signer, proposal=proposal, docket_number=f"AO-{signer.pk}", signed_on=date(2026, 8, 20)
            )
            return "approved"
        except Conflict:
            return "refused"
        finally:
            connections.close_all()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(approve, [seo2, supervisor]))

    assert outcomes == ["approved", "refused"]
    assert Order.objects.filter(case=case).count() == 1
    assert EstablishmentProposal.objects.get(pk=proposal.pk).status == ProposalStatus.APPROVED
