"""The notice of support debt: what the obligor owes on a date, by account, with the orders behind it,
as a letter (PDF) for the obligor, printed and stored by the document engine (opencse.documents).

The ledger gathers the figures (`support_debt`) and hands them to the `notice_of_support_debt` template.
The obligor is given to the engine as a person: the engine prints the mailing address, or the agency's
"address withheld" wording for a family-violence-protected obligor (it never sees the address). A balance
below zero is a credit and the letter calls it one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from opencse.cases.models import Case, MemberRole
from opencse.documents.models import Document
from opencse.documents.rendering import render_document
from opencse.documents.services import generate_document
from opencse.errors import InvalidInput
from opencse.ledger.models import Account
from opencse.ledger.selectors import balances, unreimbursed_assistance
from opencse.people.models import Person
from opencse.rules.money import ZERO
from opencse.security.models import User

KIND = "notice_of_support_debt"
# The wording a protected obligor's notice carries instead of the address (settings.OPENCSE_ADDRESS_WITHHELD_TEXT).
PROTECTED_MAILING = "Address of record withheld (family violence indicator): deliver through the agency."


@dataclass(frozen=True, slots=True)
class SupportDebt:
    case: Case
    obligor: Person
    as_of: date
    by_account: dict[str, Decimal]
    total: Decimal
    unreimbursed_assistance: Decimal


def support_debt(*, case: Case, as_of: date) -> SupportDebt:
    member = case.members.select_related("person").filter(role=MemberRole.NONCUSTODIAL_PARENT).first()
    if member is None:
        raise InvalidInput("the case has no noncustodial parent to notify", field="case")
    owed = {account: amount for account, amount in balances(case=case, as_of=as_of).items() if amount}
    return SupportDebt(
        case=case,
        obligor=member.person,
        as_of=as_of,
        by_account=owed,
        total=sum(owed.values(), ZERO),
        unreimbursed_assistance=unreimbursed_assistance(case=case, as_of=as_of),
    )


def notice_data(debt: SupportDebt, *, issued_by: str) -> dict[str, Any]:
    """The fields of the `notice_of_support_debt` template."""
    orders = [
        f"{docket} ({tribunal})" for docket, tribunal in debt.case.orders.values_list("docket_number", "tribunal_name")
    ]
    return {
        "case_number": debt.case.number,
        "obligor": debt.obligor,
        "as_of": debt.as_of,
        "balances": [
            {"account": Account(account).label, "amount": amount} for account, amount in debt.by_account.items()
        ],
        "total": debt.total,
        "orders": orders,
        "issued_by": issued_by,
    }


def notice_pdf(debt: SupportDebt, *, issued_by: str, issued_on: date) -> bytes:
    """The notice as a PDF, not stored (a preview); `issue_notice_of_support_debt` stores what is given out."""
    return render_document(kind=KIND, data=notice_data(debt, issued_by=issued_by), dated_on=issued_on,
                           case=debt.case).pdf  # fmt: skip


def issue_notice_of_support_debt(*, actor: User, case: Case, as_of: date, issued_on: date) -> Document:
    """Print the notice dated `issued_on` for the debt on `as_of` and store it (the next version of the
    case's notice for that date), on the case timeline."""
    debt = support_debt(case=case, as_of=as_of)
    issued_by = actor.get_full_name() or actor.username
    return generate_document(
        actor=actor, case=case, kind=KIND, data=notice_data(debt, issued_by=issued_by), dated_on=issued_on,
        subject=f"as of {as_of.isoformat()}", person=debt.obligor,
    )  # fmt: skip
