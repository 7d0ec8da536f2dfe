"""Worksheets, proposals and their approval: on the real database, built through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotAuthorized
from opencse.establishment.models import EstablishmentProposal, GuidelineWorksheet, ProposalStatus
from opencse.establishment.services import (
    ProposedTermInput,
    approve_proposal,
    compute_worksheet,
    propose_obligations,
    reject_proposal,
)
from opencse.ledger.accrual import accrue
from opencse.ledger.models import LedgerEntry
from opencse.ledger.selectors import balances
from opencse.orders.models import Order, TribunalKind
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from tests import factories
from tests.establishment.helpers import MS_DEVIATION, MS_EXAMPLE_1, WA_EXAMPLE_1, family_case, officers

EFFECTIVE_ON = date(2026, 9, 1)


@pytest.mark.django_db
def test_a_mississippi_worksheet_stores_the_rules_exact_numbers() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)

    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_EXAMPLE_1)

    stored = GuidelineWorksheet.objects.get(pk=worksheet.pk)
    assert stored.result["result"]["adjusted_gross_income"] == "3244.00"
    assert stored.result["result"]["percentage"] == "14"
    assert stored.guideline_support == Decimal("454.16")
    assert stored.ordered_support == Decimal("454.16")
    assert stored.deviated is False
    assert stored.as_of == date(2026, 1, 1)
    assert stored.result["explanation"] and stored.result["parameters"]
    assert AuditEvent.objects.filter(action="worksheet.computed", target_id=str(worksheet.pk)).exists()


@pytest.mark.django_db
def test_a_deviation_is_stored_with_its_reason_beside_the_guideline_amount() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)

    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_DEVIATION)

    assert worksheet.guideline_support == Decimal("454.16")
    assert worksheet.ordered_support == Decimal("400.00")
    assert worksheet.deviated is True
    assert worksheet.deviation_reasons == ["g"]


@pytest.mark.django_db
def test_a_washington_worksheet_stores_the_standard_calculation() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)

    worksheet = compute_worksheet(actor=seo1, case=case, payload=WA_EXAMPLE_1)

    assert worksheet.jurisdiction == "WA"
    assert worksheet.result["result"]["basic_support_obligation"] == "1590.00"
    assert worksheet.result["result"]["obligor_basic_support"] == "1060.00"
    assert worksheet.guideline_support == Decimal("1410.00")


@pytest.mark.django_db
def test_a_payload_without_gross_income_is_refused_naming_the_field_and_stores_nothing() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    payload = {**MS_EXAMPLE_1, "obligor": {**MS_EXAMPLE_1["obligor"]}}
    del payload["obligor"]["gross_income"]

    with pytest.raises(InvalidInputs) as refused:
        compute_worksheet(actor=seo1, case=case, payload=payload)

    assert [error["field"] for error in refused.value.as_list()] == ["obligor.gross_income"]
    assert not GuidelineWorksheet.objects.exists()


@pytest.mark.django_db
def test_a_deviation_reason_the_statute_does_not_name_is_refused_with_its_path() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    payload = {**MS_EXAMPLE_1, "deviations": [{"reason": "z", "amount": "-50.00", "finding": "none"}]}

    with pytest.raises(InvalidInputs) as refused:
        compute_worksheet(actor=seo1, case=case, payload=payload)

    assert refused.value.field == "deviations[0].reason"
    assert not GuidelineWorksheet.objects.exists()


@pytest.mark.django_db
def test_an_auditor_may_not_compute_a_worksheet() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    auditor = factories.user(Role.AUDITOR)

    with pytest.raises(NotAuthorized):
        compute_worksheet(actor=auditor, case=case, payload=MS_EXAMPLE_1)

    assert not GuidelineWorksheet.objects.exists()


@pytest.mark.django_db
def test_a_saved_worksheet_cannot_be_changed_in_the_database() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_EXAMPLE_1)

    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        GuidelineWorksheet.objects.filter(pk=worksheet.pk).update(ordered_support=Decimal("1.00"))

    assert GuidelineWorksheet.objects.get(pk=worksheet.pk).ordered_support == Decimal("454.16")


@pytest.mark.django_db
def test_the_default_proposal_is_the_ordered_support_monthly_from_the_noncustodial_parent() -> None:
    seo1, _, _ = officers()
    case, _, _, obligor = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_DEVIATION)

    proposal = propose_obligations(actor=seo1, case=case, worksheet=worksheet, effective_on=EFFECTIVE_ON)

    terms = list(proposal.terms.values_list("kind", "frequency", "amount", "starts_on", "obligor_id"))
    assert terms == [("current_support", "monthly", Decimal("400.00"), EFFECTIVE_ON, obligor.person_id)]
    assert proposal.status == ProposalStatus.DRAFT


@pytest.mark.django_db
def test_a_washington_premium_share_paid_by_the_obligee_becomes_a_cash_medical_term_within_the_total() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    # WA Example 1 with the premium paid by the obligee: the obligor's 2/3 share of $150 (RCW 26.19.080(2))
    # is $100.00, within 25 % of the $1,060.00 basic obligation (RCW 26.09.105), and already part of line 17.
    payload = {**WA_EXAMPLE_1, "health_insurance_premiums": {"obligor": "0.00", "obligee": "150.00"}}
    worksheet = compute_worksheet(actor=seo1, case=case, payload=payload)

    proposal = propose_obligations(actor=seo1, case=case, worksheet=worksheet, effective_on=EFFECTIVE_ON)

    amounts = dict(proposal.terms.values_list("kind", "amount"))
    assert amounts == {"current_support": Decimal("1460.00"), "cash_medical": Decimal("100.00")}
    assert sum(amounts.values()) == worksheet.ordered_support == Decimal("1560.00")


@pytest.mark.django_db
def test_a_proposed_term_for_someone_not_a_parent_on_the_case_is_refused() -> None:
    seo1, _, _ = officers()
    case, _, child, _ = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_EXAMPLE_1)
    term = ProposedTermInput(
        kind="current_support", frequency="monthly", amount=Decimal("454.16"), starts_on=EFFECTIVE_ON,
        obligor=child.person,
    )  # fmt: skip

    with pytest.raises(InvalidInput) as refused:
        propose_obligations(actor=seo1, case=case, worksheet=worksheet, effective_on=EFFECTIVE_ON, terms=[term])

    assert refused.value.field == "terms[0].obligor"
    assert not EstablishmentProposal.objects.exists()


def _proposal(preparer: User) -> EstablishmentProposal:
    case, *_ = family_case(preparer)
    worksheet = compute_worksheet(actor=preparer, case=case, payload=MS_EXAMPLE_1)
    return propose_obligations(actor=preparer, case=case, worksheet=worksheet, effective_on=EFFECTIVE_ON)


@pytest.mark.django_db
def test_an_seo2_approval_enters_the_administrative_order_and_the_ledger_accrues_it() -> None:
    seo1, seo2, _ = officers()
    proposal = _proposal(seo1)

    approved = approve_proposal(
        actor=seo2, proposal=proposal, docket_number="AO-2026-0001", signed_on=date(2026, 8, 20)
    )
    accrue(through=date(2026, 11, 30), case_ids=[proposal.case_id])

    order = Order.objects.get(pk=approved.order_id)
    assert (order.tribunal_kind, order.tribunal_name, order.issuing_jurisdiction) == (
        TribunalKind.ADMINISTRATIVE, "Division of Child Support", "MS",
    )  # fmt: skip
    assert (order.docket_number, order.effective_on, order.entered_by) == ("AO-2026-0001", EFFECTIVE_ON, seo2)
    term = order.terms.get()
    assert (term.kind, term.frequency, term.starts_on) == ("current_support", "monthly", EFFECTIVE_ON)
    assert list(term.steps.values_list("amount", flat=True)) == [Decimal("454.16")]
    # September, October and November at $454.16 (guideline.yaml MS Example 1).
    assert balances(case=proposal.case, as_of=date(2026, 11, 30))["current_support"] == Decimal("1362.48")
    assert LedgerEntry.objects.filter(case=proposal.case, term=term).count() == 3
    assert (approved.status, approved.decided_by) == (ProposalStatus.APPROVED, seo2)


@pytest.mark.django_db
def test_an_seo1_may_not_approve_and_no_order_is_entered() -> None:
    seo1, _, _ = officers()
    proposal = _proposal(factories.user(Role.TECHNICIAN, username="tech"))

    with pytest.raises(NotAuthorized):
        approve_proposal(actor=seo1, proposal=proposal, docket_number="AO-1", signed_on=date(2026, 8, 20))

    assert not Order.objects.exists()
    assert EstablishmentProposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT


@pytest.mark.django_db
def test_the_preparer_may_not_approve_their_own_proposal() -> None:
    _, seo2, _ = officers()
    proposal = _proposal(seo2)

    with pytest.raises(NotAuthorized):
        approve_proposal(actor=seo2, proposal=proposal, docket_number="AO-1", signed_on=date(2026, 8, 20))

    assert not Order.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_decision_by_the_preparer() -> None:
    _, seo2, _ = officers()
    proposal = _proposal(seo2)

    with pytest.raises(IntegrityError), transaction.atomic():
        EstablishmentProposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.REJECTED, decided_by=seo2, decided_at=proposal.prepared_at
        )

    assert EstablishmentProposal.objects.get(pk=proposal.pk).decided_by is None


@pytest.mark.django_db
def test_a_rejected_proposal_enters_no_order_and_cannot_then_be_approved() -> None:
    seo1, seo2, supervisor = officers()
    proposal = _proposal(seo1)
    reject_proposal(actor=seo2, proposal=proposal, note="Income not verified")

    with pytest.raises(Conflict):
        approve_proposal(actor=supervisor, proposal=proposal, docket_number="AO-1", signed_on=date(2026, 8, 20))

    assert not Order.objects.exists()
    assert EstablishmentProposal.objects.get(pk=proposal.pk).decision_note == "Income not verified"


@pytest.mark.django_db
def test_a_case_with_an_active_order_takes_no_new_establishment_proposal() -> None:
    seo1, seo2, _ = officers()
    proposal = _proposal(seo1)
    approve_proposal(actor=seo2, proposal=proposal, docket_number="AO-1", signed_on=date(2026, 8, 20))

    with pytest.raises(Conflict):
        propose_obligations(actor=seo1, case=proposal.case, worksheet=proposal.worksheet, effective_on=EFFECTIVE_ON)

    assert EstablishmentProposal.objects.count() == 1


@pytest.mark.django_db
def test_a_rejection_without_a_reason_is_refused_and_the_proposal_stays_a_draft() -> None:
    seo1, _, supervisor = officers()
    proposal = _proposal(seo1)

    with pytest.raises(InvalidInput) as refused:
        reject_proposal(actor=supervisor, proposal=proposal, note="   ")

    assert refused.value.field == "note"
    assert EstablishmentProposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT


@pytest.mark.django_db
def test_a_proposed_amount_larger_than_the_ledger_holds_is_refused_naming_the_term() -> None:
    seo1, _, _ = officers()
    case, _, _, obligor = family_case(seo1)
    worksheet = compute_worksheet(actor=seo1, case=case, payload=MS_EXAMPLE_1)
    term = ProposedTermInput(
        kind="current_support", frequency="monthly", amount=Decimal("100000000000.00"), starts_on=EFFECTIVE_ON,
        obligor=obligor.person,
    )  # fmt: skip

    with pytest.raises(InvalidInput) as refused:
        propose_obligations(actor=seo1, case=case, worksheet=worksheet, effective_on=EFFECTIVE_ON, terms=[term])

    assert refused.value.field == "terms[0].amount"
    assert not EstablishmentProposal.objects.exists()


@pytest.mark.django_db
def test_an_income_whose_support_the_ledger_cannot_hold_is_refused_and_stores_nothing() -> None:
    seo1, _, _ = officers()
    case, *_ = family_case(seo1)
    payload = {**MS_EXAMPLE_1, "obligor": {**MS_EXAMPLE_1["obligor"], "gross_income": "900000000000.00"}}

    with pytest.raises(InvalidInput) as refused:
        compute_worksheet(actor=seo1, case=case, payload=payload)

    assert refused.value.field == "obligor"
    assert not GuidelineWorksheet.objects.exists()
