"""The records OpenCSE prints into a packet or a testimony pack, gathered from the apps that keep them and
handed to the document engine as plain values: the affidavit of arrears (ledger), the prior orders
(orders), the locate verification (people), the case summary and the arrears computation (ledger).

No address is printed here except through the engine's party (`documents.parties`), which withholds a
protected person's address (42 U.S.C. 654(26)).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Min

from opencse.cases.models import Case, CaseMember, MemberRole, Program
from opencse.documents.models import Document
from opencse.documents.services import generate_document
from opencse.ledger.history import COLUMN_OF_KIND, DUE, PAID
from opencse.ledger.models import Account, EntryKind
from opencse.ledger.notice import support_debt
from opencse.ledger.selectors import ledger_lines
from opencse.ledger.summary import case_money
from opencse.orders.models import Order
from opencse.orders.selectors import orders_of_case, terms_of_order
from opencse.people.models import Address, Employment, InformationSource, Person
from opencse.rules.money import ZERO
from opencse.security.models import User

LEDGER_LINES_MAXIMUM = 200_000


def signer(actor: User) -> str:
    return actor.get_full_name() or actor.username


def obligor_member(case: Case) -> CaseMember | None:
    return (
        case.members.select_related("person")
        .filter(role=MemberRole.NONCUSTODIAL_PARENT, left_on__isnull=True)
        .order_by("id")
        .first()
    )


def names_by_role(case: Case) -> dict[str, str]:
    names: dict[str, list[str]] = {}
    for member in case.members.select_related("person").filter(left_on__isnull=True).order_by("id"):
        names.setdefault(member.role, []).append(member.person.full_name)
    return {role: ", ".join(each) for role, each in names.items()}


def history_start(case: Case) -> date:
    """Where a certified history for court starts: the first order's effective date, else the case's opening."""
    first = case.orders.aggregate(first=Min("effective_on"))["first"]
    return first or case.opened_on


# --- the affidavit of arrears ---------------------------------------------------------------------------


def print_affidavit_of_arrears(*, actor: User, case: Case, as_of: date, dated_on: date) -> Document:
    debt = support_debt(case=case, as_of=as_of)  # refuses a case without a noncustodial parent
    names = names_by_role(case)
    data = {
        "case_number": case.number,
        "obligor_names": names.get(MemberRole.NONCUSTODIAL_PARENT, ""),
        "obligee_names": names.get(MemberRole.CUSTODIAL_PARTY, ""),
        "orders": [str(order) for order in orders_of_case(case=case)],
        "as_of": as_of,
        "balances": [
            {"account": Account(account).label, "amount": amount} for account, amount in debt.by_account.items()
        ],
        "total": debt.total,
        "affiant": signer(actor),
    }  # fmt: skip
    return generate_document(actor=actor, case=case, kind="affidavit_of_arrears", data=_without_empty(data),
                             dated_on=dated_on, subject=f"as of {as_of.isoformat()}")  # fmt: skip


# --- the prior orders -----------------------------------------------------------------------------------


def _terms_words(order: Order) -> str:
    words = []
    for term in terms_of_order(order=order):
        step = term.steps.order_by("-starts_on").first()  # the amount in force last
        amount = f" ${step.amount:,.2f}" if step is not None else ""
        words.append(f"{term.get_kind_display()}{amount} {term.get_frequency_display().lower()}".strip())
    return "; ".join(words) or "no terms recorded"


def print_prior_orders(*, actor: User, case: Case, dated_on: date) -> tuple[Document, list[int]]:
    orders = orders_of_case(case=case)
    rows = [
        {"docket": order.docket_number, "tribunal": order.tribunal_name, "signed_on": order.signed_on,
         "effective_on": order.effective_on, "status": order.get_status_display(), "terms": _terms_words(order)}
        for order in orders
    ]  # fmt: skip
    data = {"case_number": case.number, "orders": rows, "prepared_by": signer(actor)}
    document = generate_document(actor=actor, case=case, kind="prior_orders", data=data, dated_on=dated_on,
                                 subject=f"as of {dated_on.isoformat()}")  # fmt: skip
    return document, [order.pk for order in orders]


# --- the locate verification ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verified:
    record: str  # "Residential address", "Employment: Acme Mills" (never the street)
    source: str
    verified_on: date | None


def verified_whereabouts(person: Person) -> list[Verified]:
    """The obligor's current verified address(es) and employment(s): what a process server can act on."""
    found = [
        Verified(f"{Address.Kind(address.kind).label} address", InformationSource(address.source).label,
                 address.verified_on)
        for address in person.addresses.filter(verification=Address.Verification.VERIFIED, ended_on__isnull=True)
    ]  # fmt: skip
    found += [
        Verified(f"Employment: {employment.employer.name}", InformationSource(employment.source).label,
                 employment.verified_on)
        for employment in Employment.objects.select_related("employer").filter(
            person=person, verified=True, ended_on__isnull=True
        )
    ]  # fmt: skip
    return found


def print_locate_verification(*, actor: User, case: Case, dated_on: date) -> Document:
    member = obligor_member(case)
    assert member is not None, "the packet's status checked the obligor first"
    verified = verified_whereabouts(member.person)
    data = {
        "case_number": case.number,
        "obligor": member.person,
        "verifications": [{"record": each.record, "source": each.source, "verified_on": each.verified_on or dated_on}
                          for each in verified],
        "prepared_by": signer(actor),
    }  # fmt: skip
    return generate_document(actor=actor, case=case, kind="locate_verification", data=data, dated_on=dated_on,
                             subject=f"as of {dated_on.isoformat()}", person=member.person)  # fmt: skip


# --- the testimony pack: the case summary and the arrears computation -------------------------------------


def print_case_summary(*, actor: User, case: Case, as_of: date, dated_on: date) -> Document:
    money = case_money(case=case, as_of=as_of)
    parties = [
        {"role": MemberRole(member.role).label, "name": member.person.full_name}
        for member in case.members.select_related("person").filter(left_on__isnull=True).order_by("role", "id")
    ]
    last = money.last_payment
    data = {
        "case_number": case.number,
        "program": Program(case.program).label,
        "opened_on": case.opened_on,
        "parties": parties,
        "orders": [str(order) for order in orders_of_case(case=case)],
        "as_of": as_of,
        "monthly_ordered": money.monthly_ordered,
        "current_support_due": money.current_support_due,
        "arrears": money.arrears,
        "balance": money.balance,
        "last_payment": f"${last.amount:,.2f} on {last.collected_on:%m/%d/%Y}" if last is not None else None,
        "prepared_by": signer(actor),
    }
    return generate_document(actor=actor, case=case, kind="case_summary", data=_without_empty(data),
                             dated_on=dated_on, subject=f"as of {as_of.isoformat()}")  # fmt: skip


@dataclass(frozen=True, slots=True)
class AccountArithmetic:
    account: str
    due: Decimal  # charges and interest
    paid: Decimal  # payments less reversed payments, shown positive
    moved: Decimal  # adjustments, rollovers and reclassifications (signed)

    @property
    def owed(self) -> Decimal:
        return self.due - self.paid + self.moved


def arrears_arithmetic(*, case: Case, through: date) -> list[AccountArithmetic]:
    """Each account's entries through `through` summed by the payment history's columns (`ledger.history`):
    what was charged, paid and moved; what is owed is their sum, the same as the ledger's balance."""
    sums: dict[str, list[Decimal]] = {}
    for line in ledger_lines(case=case, through=through, limit=LEDGER_LINES_MAXIMUM):
        entry = line.entry
        kind = EntryKind(entry.kind)
        if kind == EntryKind.REVERSAL and entry.reverses is not None:
            kind = EntryKind(entry.reverses.kind)
        column = COLUMN_OF_KIND[kind]
        due, paid, moved = sums.setdefault(entry.account, [ZERO, ZERO, ZERO])
        if column == DUE:
            due += entry.amount
        elif column == PAID:
            paid -= entry.amount  # a payment lowers what is owed: shown as a positive amount paid
        else:
            moved += entry.amount
        sums[entry.account] = [due, paid, moved]
    return [AccountArithmetic(account, *values) for account, values in sums.items()]


def print_arrears_computation(*, actor: User, case: Case, as_of: date, dated_on: date) -> Document:
    accounts = arrears_arithmetic(case=case, through=as_of)
    total = sum((each.owed for each in accounts), ZERO)
    data = {
        "case_number": case.number,
        "as_of": as_of,
        "accounts": [{"account": Account(each.account).label, "due": each.due, "paid": each.paid,
                      "moved": each.moved, "owed": each.owed} for each in accounts],
        "total_due": sum((each.due for each in accounts), ZERO),
        "total_paid": sum((each.paid for each in accounts), ZERO),
        "total_moved": sum((each.moved for each in accounts), ZERO),
        "total": total,
        "prepared_by": signer(actor),
    }  # fmt: skip
    return generate_document(actor=actor, case=case, kind="arrears_computation", data=_without_empty(data),
                             dated_on=dated_on, subject=f"as of {as_of.isoformat()}")  # fmt: skip


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty optional values so the template prints its 'missing' wording."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}
