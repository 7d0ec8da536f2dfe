"""The notice of support debt: what the obligor owes on a date, by account, with the orders behind it,
as a letter (PDF) for the obligor.

The address block comes only from `people.selectors.address_lines_for_document`, which returns nothing
for a family-violence-protected person: such a notice carries the name alone and is marked for
handling by the agency (it is never mailed from an address the system would reveal).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from opencse.cases.models import Case, MemberRole
from opencse.common.pdf_text import paragraph, text
from opencse.errors import InvalidInput
from opencse.ledger.history import dollars
from opencse.ledger.models import Account
from opencse.ledger.selectors import balances, unreimbursed_assistance
from opencse.people.models import Person
from opencse.people.selectors import address_lines_for_document
from opencse.rules.money import ZERO

PROTECTED_MAILING = "Address withheld (family violence indicator): deliver through the agency."


@dataclass(frozen=True, slots=True)
class SupportDebt:
    case: Case
    obligor: Person
    as_of: date
    by_account: dict[str, Decimal]
    total: Decimal
    unreimbursed_assistance: Decimal
    mailing_lines: tuple[str, ...]


def support_debt(*, case: Case, as_of: date) -> SupportDebt:
    member = case.members.select_related("person").filter(role=MemberRole.NONCUSTODIAL_PARENT).first()
    if member is None:
        raise InvalidInput("the case has no noncustodial parent to notify", field="case")
    owed = {account: amount for account, amount in balances(case=case, as_of=as_of).items() if amount}
    lines = address_lines_for_document(person=member.person)
    return SupportDebt(
        case=case,
        obligor=member.person,
        as_of=as_of,
        by_account=owed,
        total=sum(owed.values(), ZERO),
        unreimbursed_assistance=unreimbursed_assistance(case=case, as_of=as_of),
        mailing_lines=tuple(lines) if lines else (member.person.full_name, PROTECTED_MAILING),
    )


def notice_pdf(debt: SupportDebt, *, issued_by: str, issued_on: date) -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.9 * inch,
        rightMargin=0.9 * inch,
        title=f"Notice of support debt {debt.case.number}",
    )
    orders = (
        ", ".join(
            f"{docket} ({tribunal})"
            for docket, tribunal in debt.case.orders.values_list("docket_number", "tribunal_name")
        )
        or "none recorded"
    )
    rows = [[Account(account).label, f"${dollars(amount)}"] for account, amount in debt.by_account.items()]
    rows.append(["Total owed", f"${dollars(debt.total)}"])
    normal = styles["Normal"]
    story = [
        paragraph("Issued {issued_on}", normal, issued_on=issued_on.isoformat()),
        Spacer(1, 0.2 * inch),
        *[text(line, normal) for line in debt.mailing_lines],
        Spacer(1, 0.3 * inch),
        paragraph("Notice of Support Debt — Case {number}", styles["Title"], number=debt.case.number),
        paragraph(
            "According to the records of the child support agency, on {as_of} you owe "
            "the following support under the order(s) {orders}:",
            normal,
            as_of=debt.as_of.isoformat(),
            orders=orders,
        ),
        Spacer(1, 0.15 * inch),
        Table(rows, colWidths=[3.5 * inch, 1.5 * inch], hAlign="LEFT"),
        Spacer(1, 0.2 * inch),
        paragraph(
            "The certified payment history for this case lists every charge and payment behind these "
            "amounts. If you believe the amount is wrong, you may ask for a review within 30 days of this "
            "notice by writing to the agency with your case number; enforcement continues while the review "
            "is pending unless the agency tells you otherwise.",
            normal,
        ),
        Spacer(1, 0.3 * inch),
        paragraph("Child support agency — {issued_by}", normal, issued_by=issued_by),
    ]
    document.build(story)
    return buffer.getvalue()
