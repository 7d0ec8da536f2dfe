"""The employer's record of service of an income withholding order (docs/enforcement.md, "The employer's record
of service"): what proves the employer had the order (42 U.S.C. 666(b)(6)(A), (C))."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from opencse.cases.models import CaseNote
from opencse.enforcement.employer_service import record_employer_service
from opencse.enforcement.models import WithholdingService
from opencse.enforcement.services import issue_income_withholding
from opencse.errors import InvalidInput, InvalidInputs, NotAuthorized
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.enforcement.test_income_withholding import MAY_4, _with_arrears

pytestmark = pytest.mark.django_db


def _order(officer: Any) -> Any:
    case, employment = _with_arrears(officer)
    return issue_income_withholding(actor=officer, case=case, employment=employment, dated_on=MAY_4)


def test_certified_mail_is_recorded_with_its_receipt_on_the_case_and_in_the_audit_trail(officer: Any) -> None:
    withholding = _order(officer)

    service = record_employer_service(actor=officer, withholding=withholding, method="certified_mail",
                                      sent_on=date(2026, 5, 4), received_on=date(2026, 5, 7),
                                      evidence=" 9407 1118 9956 2140 1234 56 ")  # fmt: skip

    assert str(service) == "Sent by certified mail, return receipt requested on 05/04/2026, received 05/07/2026"
    assert service.evidence == "9407 1118 9956 2140 1234 56"
    assert AuditEvent.objects.filter(action="income_withholding.service_recorded", target_id=str(service.pk)).exists()
    note = CaseNote.objects.get(case=withholding.case, source_key=f"withholding-service:{service.pk}")
    assert note.text == ("The income withholding order of 05/04/2026 to Gulf Coast Shipbuilding: sent by certified "
                         "mail, return receipt requested on 05/04/2026, received 05/07/2026 (9407 1118 9956 2140 1234 "
                         "56).")  # fmt: skip


def test_every_error_comes_back_at_once(officer: Any) -> None:
    withholding = _order(officer)

    with pytest.raises(InvalidInputs) as refused:
        record_employer_service(actor=officer, withholding=withholding, method="personal", sent_on=date(2026, 5, 1),
                                received_on=date(2026, 4, 30))  # fmt: skip

    # Sent before the order's date (May 4), received before it was sent, and personal service names its server.
    assert [error.field for error in refused.value.errors] == ["sent_on", "received_on", "evidence"]
    with pytest.raises(InvalidInput) as unknown:
        record_employer_service(actor=officer, withholding=withholding, method="pigeon", sent_on=MAY_4)
    assert unknown.value.field == "method"
    assert not WithholdingService.objects.exists()


def test_first_class_mail_needs_no_evidence_and_a_resend_is_a_second_record(officer: Any) -> None:
    withholding = _order(officer)

    record_employer_service(actor=officer, withholding=withholding, method="mail", sent_on=MAY_4)
    record_employer_service(actor=officer, withholding=withholding, method="fax", sent_on=date(2026, 5, 20),
                            received_on=date(2026, 5, 20), evidence="Fax confirmation, 3 pages")  # fmt: skip

    assert list(withholding.services.order_by("sent_on").values_list("method", flat=True)) == ["mail", "fax"]


def test_an_auditor_may_not_record_service(officer: Any) -> None:
    withholding = _order(officer)

    with pytest.raises(NotAuthorized):
        record_employer_service(actor=factories.user(Role.AUDITOR), withholding=withholding, method="mail",
                                sent_on=MAY_4)  # fmt: skip


def test_the_page_records_service_and_the_list_shows_it(officer: Any, client_for: Any) -> None:
    withholding = _order(officer)
    client = client_for(officer)
    url = reverse("web:enforcement:service", args=[withholding.case.number, withholding.pk])

    refused = client.post(url, {"method": "certified_mail", "sent_on": "05/03/2026"})
    done = client.post(url, {"method": "certified_mail", "sent_on": "05/04/2026", "evidence": "RR 12345"})
    listing = client.get(reverse("web:enforcement:withholding", args=[withholding.case.number]))

    assert refused.status_code == 400
    assert b"give the return receipt" in refused.content and b"before the order" in refused.content
    assert done.status_code == 302
    assert b"Sent by certified mail, return receipt requested on 05/04/2026 (RR 12345)" in listing.content
