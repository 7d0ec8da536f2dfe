"""The benefit intercept on a case: recording the claim, the voluntary agreement and legal process paths, the
notice stored and audited, the end of the claim, and the nightly batch (issued once, held, ended)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from opencse.cases.models import CaseNote
from opencse.documents.services import open_document
from opencse.enforcement.intercept import (
    end_benefit_claim,
    intercepts_in_force,
    issue_benefit_intercept,
    record_benefit_claim,
    terminate_benefit_intercept,
)
from opencse.enforcement.intercept_batch import claims_to_intercept, run_benefit_intercepts
from opencse.enforcement.intercept_models import BenefitClaim, BenefitIntercept
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotAuthorized
from opencse.ledger.accrual import accrue, roll_over
from opencse.locate.models import LocateImport, LocateRecord
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db
MAY_4 = date(2026, 5, 4)
SWA = "Mississippi Department of Employment Security"


def _owing(officer: Any, *, starts_on: date = date(2026, 1, 1)) -> tuple[Any, Any]:
    """$500.00 a month from `starts_on`, nothing paid, months rolled over through April: $2,000.00 of arrears on
    May 4 when the order started in January (Mississippi installation)."""
    case, order = case_with_order(officer, monthly="500.00", starts_on=starts_on)
    accrue(through=date(2026, 5, 31))
    for month_end in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)):
        roll_over(month_ending=month_end)
    return case, order.terms.get().obligor


def _claim(officer: Any, case: Any, **overrides: Any) -> BenefitClaim:
    values: dict[str, Any] = {"kind": "unemployment", "weekly_benefit_amount": Decimal("235.00"),
                              "starts_on": date(2026, 4, 20), "claim_number": "UI-2026-0417"}  # fmt: skip
    return record_benefit_claim(actor=officer, case=case, **(values | overrides))


def test_an_unemployment_claim_takes_the_states_workforce_agency_as_payer_and_is_audited(officer: Any) -> None:
    case, obligor = _owing(officer)
    claim = _claim(officer, case)
    assert claim.person == obligor and claim.payer_name == SWA and claim.payer_lines
    event = AuditEvent.objects.get(action="benefit_claim.recorded")
    assert event.case_number == case.number and event.after["weekly_benefit_amount"] == "235.00"


def test_a_workers_compensation_claim_must_name_its_insurer_and_every_error_comes_at_once(officer: Any) -> None:
    case, _ = _owing(officer)
    with pytest.raises(InvalidInputs) as refused:
        _claim(officer, case, kind="workers_compensation", weekly_benefit_amount=Decimal("0.00"),
               ends_on=date(2026, 4, 1))  # fmt: skip
    assert {error.field for error in refused.value.errors} == {"weekly_benefit_amount", "ends_on", "payer_name"}
    claim = _claim(officer, case, kind="workers_compensation", payer_name="Magnolia Mutual Insurance",
                   payer_lines=["PO Box 10", "Jackson, MS 39201"])  # fmt: skip
    assert claim.payer_name == "Magnolia Mutual Insurance"


def test_a_claim_from_a_posted_unemployment_locate_record_and_not_from_another_kind(officer: Any) -> None:
    case, obligor = _owing(officer)
    received = LocateImport.objects.create(kind="unemployment", file_name="ui.txt", file_sha256="0" * 64,
                                           received_on=date(2026, 4, 25), imported_by=officer)  # fmt: skip

    def record(key: str, kind: str, status: str) -> LocateRecord:
        return LocateRecord.objects.create(locate_import=received, line_number=1, key=key, kind=kind,
                                           source="state_unemployment", ssn_index="x", ssn_last4="1234",
                                           last_name="Boone", received_on=date(2026, 4, 25), status=status,
                                           person=obligor if status != "review" else None)  # fmt: skip

    posted = record("ui-1", "unemployment", "matched")
    claim = _claim(officer, case, locate_record_id=posted.pk)
    assert claim.locate_record == posted
    for other in (record("nh-1", "new-hire", "matched"), record("ui-2", "unemployment", "review")):
        with pytest.raises(InvalidInput) as refused:
            _claim(officer, case, locate_record_id=other.pk, claim_number=other.key)
        assert refused.value.field == "locate_record"


def test_legal_process_withholds_the_order_a_week_within_the_ccpa_limit_and_stores_the_notice(officer: Any) -> None:
    case, _ = _owing(officer)
    claim = _claim(officer, case)

    intercept = issue_benefit_intercept(actor=officer, case=case, claim=claim, dated_on=MAY_4, basis="legal_process")

    # $500.00 current + 20% toward arrears (Miss. Code Ann. 93-11-103) = $600.00 a month = $138.46 a week; arrears
    # are over 12 weeks old, so the CCPA limit is 55% of $235.00 = $129.25.
    assert (intercept.weekly_amount, intercept.ordered_weekly) == (Decimal("129.25"), Decimal("138.46"))
    assert intercept.in_force and intercept.document.kind == "benefit_intercept_notice"
    text = pdf_text(bytes(open_document(viewer=officer, document_id=intercept.document_id).pdf))
    assert SWA in text and "$129.25" in text and "Legal process" in text and "UI-2026-0417" in text
    assert AuditEvent.objects.filter(action="benefit_intercept.original", target_id=str(intercept.pk)).exists()
    with pytest.raises(Conflict):  # one original per claim and case
        issue_benefit_intercept(actor=officer, case=case, claim=claim, dated_on=MAY_4, basis="legal_process")


def test_a_voluntary_agreement_withholds_the_amount_agreed_and_needs_its_terms(officer: Any) -> None:
    case, _ = _owing(officer)
    claim = _claim(officer, case)
    with pytest.raises(InvalidInputs) as refused:
        issue_benefit_intercept(actor=officer, case=case, claim=claim, dated_on=MAY_4, basis="agreement")
    assert {error.field for error in refused.value.errors} == {"agreement_signed_on", "agreed_weekly"}

    signed = date(2026, 5, 1)
    intercept = issue_benefit_intercept(actor=officer, case=case, claim=claim, dated_on=MAY_4, basis="agreement",
                                        agreed_weekly=Decimal("150.00"), agreement_signed_on=signed)  # fmt: skip

    assert intercept.weekly_amount == Decimal("150.00")  # above the CCPA's 55%: the obligor's own election
    text = pdf_text(bytes(intercept.document.pdf))
    assert "as the claimant agreed in writing on May 1, 2026" in text and "Voluntary agreement" in text


def test_support_being_met_is_not_intercepted(officer: Any) -> None:
    case, _ = _owing(officer, starts_on=date(2026, 5, 1))  # nothing past due on May 4
    claim = _claim(officer, case)
    with pytest.raises(Conflict, match="Support is being met"):
        issue_benefit_intercept(actor=officer, case=case, claim=claim, dated_on=MAY_4, basis="legal_process")


def test_an_auditor_may_not_and_a_claim_not_yet_paying_is_refused(officer: Any) -> None:
    case, _ = _owing(officer)
    claim = _claim(officer, case, starts_on=MAY_4)
    with pytest.raises(NotAuthorized):
        issue_benefit_intercept(actor=factories.user(Role.AUDITOR), case=case, claim=claim, dated_on=MAY_4,
                                basis="legal_process")  # fmt: skip
    with pytest.raises(InvalidInput) as early:
        issue_benefit_intercept(actor=officer, case=case, claim=claim, dated_on=date(2026, 5, 3),
                                basis="legal_process")  # fmt: skip
    assert early.value.field == "dated_on"


def test_the_end_of_the_claim_ends_the_intercept_with_a_termination_notice(officer: Any) -> None:
    case, _ = _owing(officer)
    claim = _claim(officer, case)
    intercept = issue_benefit_intercept(actor=officer, case=case, claim=claim, dated_on=MAY_4, basis="legal_process")

    end_benefit_claim(actor=officer, case=case, claim=claim, ended_on=date(2026, 5, 16), note="benefits exhausted")

    ended = BenefitIntercept.objects.get(replaces=intercept)
    assert ended.action == "TRM" and ended.dated_on == date(2026, 5, 16) and ended.weekly_amount == 0
    assert "Stop withholding" in pdf_text(bytes(ended.document.pdf))
    assert not intercepts_in_force(case=case).exists()
    with pytest.raises(Conflict):
        terminate_benefit_intercept(actor=officer, intercept=intercept, dated_on=date(2026, 5, 16), reason="again")


def test_the_batch_sends_each_intercept_due_once_and_reports_what_it_held(officer: Any) -> None:
    case, _ = _owing(officer)
    claim = _claim(officer, case)
    met_case, _ = _owing(officer, starts_on=date(2026, 5, 1))
    _claim(officer, met_case, claim_number="UI-MET")
    stranger = factories.person(officer, first_name="No", last_name="Order")
    BenefitClaim.objects.create(person=stranger, kind="unemployment", payer_name=SWA, weekly_benefit_amount="200.00",
                                starts_on=date(2026, 4, 1), recorded_by=officer)  # fmt: skip

    first = run_benefit_intercepts(on=MAY_4)

    sent = BenefitIntercept.objects.get()
    assert first.sent == [sent.pk] and sent.claim == claim and sent.basis == "legal_process"
    assert sent.issued_by == system_actor()
    held = dict(first.held)
    assert held[met_case.number].startswith("support is being met")
    assert any("no order in force" in why for why in held.values())

    again = run_benefit_intercepts(on=MAY_4)
    later = run_benefit_intercepts(on=date(2026, 5, 11))
    assert again.sent == [] and again.ended == [] and later.sent == [] and BenefitIntercept.objects.count() == 1
    assert [pair for pair in claims_to_intercept(on=MAY_4)[0] if pair[1] == case.pk] == []


def test_the_batch_ends_an_intercept_whose_claim_ended_and_only_that_one(officer: Any) -> None:
    case, _ = _owing(officer)
    claim = _claim(officer, case, ends_on=date(2026, 5, 9))
    other, _ = _owing(officer)
    other_claim = _claim(officer, other, claim_number="UI-2")
    run_benefit_intercepts(on=MAY_4)
    assert intercepts_in_force().count() == 2

    result = run_benefit_intercepts(on=date(2026, 5, 11))

    ended = BenefitIntercept.objects.get(pk=result.ended[0])
    assert result.ended and ended.claim == claim and ended.dated_on == date(2026, 5, 9)
    assert ended.reason == "The claim ended on 05/09/2026."
    assert list(intercepts_in_force().values_list("claim_id", flat=True)) == [other_claim.pk]
    assert run_benefit_intercepts(on=date(2026, 5, 11)).ended == []


def test_a_refused_case_gets_one_note_and_the_command_reports(officer: Any, capsys: Any) -> None:
    case, obligor = _owing(officer)
    _claim(officer, case)
    second, _ = _owing(officer)
    # The same claimant on a second case whose order charges another obligor too: the service refuses it.
    from opencse.cases.services import add_member
    from opencse.orders.services import TermInput, enter_order

    add_member(actor=officer, case=second, person=obligor, role="noncustodial_parent")
    enter_order(actor=officer, case=second, tribunal_kind="administrative", tribunal_name="MDHS",
                issuing_jurisdiction="MS", docket_number="AO-2", signed_on=date(2026, 1, 1),
                effective_on=date(2026, 1, 1),
                terms=[TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 1, 1),
                                 obligor=obligor, steps=[(date(2026, 1, 1), Decimal("100.00"))])])  # fmt: skip

    call_command("enforcement", "benefit-intercept", "--on", "2026-05-04")
    call_command("enforcement", "benefit-intercept", "--on", "2026-05-04")

    out = capsys.readouterr().out
    assert "1 intercepts sent" in out and f"not sent {second.number}" in out
    assert CaseNote.objects.filter(case=second, source_key__startswith="benefit-intercept-refused:").count() == 1
