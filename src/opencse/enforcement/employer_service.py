"""The employer's record of service of an income withholding order: how and when the order was sent, the day the
employer received it, and the evidence.

Why it is kept: the employer must withhold from the first pay period that occurs after the days the order names
(42 U.S.C. 666(b)(6)(A)(i); 45 CFR 303.100(a)(5)) and is liable for the amount it should have withheld when it
does not (42 U.S.C. 666(b)(6)(C)). An action against an employer starts from proof that it had the order: a return
receipt, a fax confirmation, who accepted it. Orders sent by e-IWO are proved by their own records (the file that
carried them and the employer's acknowledgment, `enforcement.eiwo`); this is the record for the others.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from opencse.cases.services import add_system_note
from opencse.common.validation import future_dates
from opencse.enforcement.models import Action, DeliveryMethod, IncomeWithholding, WithholdingService
from opencse.errors import InvalidInput, InvalidInputs
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

EVIDENCE_MAXIMUM = 200
# A return receipt or a server's return is the proof that certified mail or personal service gives: say which.
EVIDENCE_REQUIRED = (DeliveryMethod.CERTIFIED_MAIL, DeliveryMethod.PERSONAL)


@transaction.atomic
def record_employer_service(*, actor: User, withholding: IncomeWithholding, method: str, sent_on: date,
                            received_on: date | None = None, evidence: str = "") -> WithholdingService:  # fmt: skip
    """Record how an order (original, amended, termination or lump sum) reached its employer. Every error at once:
    the method; the day sent neither before the order's date nor in the future; the day received neither before it
    was sent nor in the future; the evidence for certified mail and personal service (the receipt or the return)."""
    require(actor, "enforcement.withhold", withholding.case)
    evidence = evidence.strip()
    errors: list[InvalidInput] = []
    if method not in DeliveryMethod.values:
        errors.append(InvalidInput("choose how the order was sent", field="method"))
    errors += future_dates(sent_on=sent_on, received_on=received_on)
    if sent_on < withholding.dated_on:
        errors.append(InvalidInput(f"cannot be before the order's date, {withholding.dated_on:%m/%d/%Y}",
                                   field="sent_on"))  # fmt: skip
    if received_on is not None and received_on < sent_on:
        errors.append(InvalidInput("cannot be before the day it was sent", field="received_on"))
    if method in EVIDENCE_REQUIRED and not evidence:
        proof = "the return receipt's number" if method == DeliveryMethod.CERTIFIED_MAIL else "who served it"
        errors.append(InvalidInput(f"give {proof}", field="evidence"))
    if len(evidence) > EVIDENCE_MAXIMUM:
        errors.append(InvalidInput(f"at most {EVIDENCE_MAXIMUM} characters", field="evidence"))
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidInputs(errors)
    service = WithholdingService.objects.create(
        withholding=withholding, method=method, sent_on=sent_on, received_on=received_on, evidence=evidence,
        recorded_by=actor,
    )  # fmt: skip
    case = withholding.case
    received = received_on.isoformat() if received_on else None
    record_audit(actor=actor, action="income_withholding.service_recorded", target=service, case_number=case.number,
                 summary=f"{withholding}: {service}",
                 after={"method": method, "sent_on": sent_on.isoformat(), "received_on": received,
                        "evidence": evidence})  # fmt: skip
    what = "lump sum order" if withholding.action == Action.LUMP_SUM else "income withholding order"
    proof = f" ({evidence})" if evidence else ""
    add_system_note(actor=actor, case=case, source_key=f"withholding-service:{service.pk}",
                    text=f"The {what} of {withholding.dated_on:%m/%d/%Y} to {withholding.employer.name}: "
                    f"{str(service)[0].lower()}{str(service)[1:]}{proof}.")  # fmt: skip
    return service
