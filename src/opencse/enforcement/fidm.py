"""The Financial Institution Data Match and the levy on the accounts it finds (docs/enforcement.md, "Financial
institution data match and levy"):

- `import_fidm_file`: the quarterly match file read back (42 U.S.C. 666(a)(17)(A)(i); layout `interfaces.fidm`,
  docs/interfaces/fidm.md). Each match is kept as a `FinancialAccount` of the obligor it names (by SSN, a person
  who is the noncustodial parent of an open case) with the quarter's balance as a dated `AccountBalance`; every line
  that cannot be kept is a `FidmProblem` with its line number (never its text: it holds an SSN). Idempotent: the
  same file adds nothing; the same account, quarter and balance adds nothing; a new balance is a new row.
- `accounts_of_obligor`: the accounts shown to a caseworker (the number masked to its last four), the read audited
  (42 U.S.C. 669a(b): the records serve only to enforce support; every read of confidential data is audited).
- `send_levy_orders`: when the financial institution levy is taken (`actions.take_action`), the Notice/Order to
  Withhold and Deliver to each institution holding an account the officer chose (42 U.S.C. 666(a)(17)(A)(ii);
  RCW 74.20A.080): the amount is the arrears owed on the date, never more. Refused for an SSI recipient
  (45 CFR 307.11(c)(3)(i)) and under a bankruptcy stay (11 U.S.C. 362(a)).
- `record_levy_answer`: the institution's answer (held, surrendered, or nothing). The money itself posts through the
  payment import with source "Financial institution levy" (`ledger`), never here.
- `levies_released`: the action released (by any path: `endings`), the release to each institution.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from opencse.cases.models import Case, CaseMember, MemberRole
from opencse.cases.services import add_system_note
from opencse.documents.services import generate_document
from opencse.enforcement.facts import ssi_recipients, stays_in_effect
from opencse.enforcement.fidm_models import (
    NOTHING_ANSWERS,
    AccountBalance,
    FidmImport,
    FidmProblem,
    FinancialAccount,
    FinancialInstitution,
    LevyAnswer,
    LevyOrder,
)
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.enforcement.selectors import action_on_case, arrears_owed
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.interfaces import fidm as layout
from opencse.people.models import Person
from opencse.security.audit import record_audit
from opencse.security.crypto import blind_index, encrypt
from opencse.security.models import User
from opencse.security.policy import require

LEVY = "financial_institution_levy"
ORDER_KIND = "withhold_and_deliver_order"
RELEASE_KIND = "withhold_and_deliver_release"
NOTE_MAXIMUM = 500
ZERO = Decimal("0.00")


def quarter_of(day: date) -> date:
    """The first day of the calendar quarter of `day`: the match is quarterly (42 U.S.C. 666(a)(17)(A)(i))."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass
class FidmImported:
    fidm_import: FidmImport
    already: bool = False  # the same file was read before: nothing added
    matches: int = 0
    accounts_new: int = 0
    balances_new: int = 0
    problems: list[FidmProblem] = field(default_factory=list)


def _obligors_by_ssn(ssns: set[str]) -> dict[str, int | None]:
    """SSN -> the person holding it who is the noncustodial parent of an open case (None: several such persons).
    Two queries whatever the number."""
    index_of = {blind_index(ssn): ssn for ssn in ssns}
    holders: dict[str, list[int]] = {}
    for person_id, index in Person.objects.filter(ssn_index__in=list(index_of)).values_list("pk", "ssn_index"):
        holders.setdefault(index_of[index], []).append(person_id)
    obligors = set(
        CaseMember.objects.filter(
            person_id__in=[pk for ids in holders.values() for pk in ids],
            role=MemberRole.NONCUSTODIAL_PARENT,
            case__closed_on__isnull=True,
        ).values_list("person_id", flat=True)
    )
    found: dict[str, int | None] = {}
    for ssn, ids in holders.items():
        on_open_case = [pk for pk in ids if pk in obligors]
        if on_open_case:
            found[ssn] = on_open_case[0] if len(on_open_case) == 1 else None
    return found


def _account_key(institution_tin: str, account_number: str) -> str:
    return blind_index(f"fidm-account:{institution_tin}:{account_number}")


@transaction.atomic
def import_fidm_file(*, actor: User, text: str, filename: str, received_on: date) -> FidmImported:
    """Keep each match of the file on the obligor it names; keep each line that cannot be kept, with why.

    Set-based: the file is read whole, then one query for the persons by SSN, one for the open cases, one for the
    institutions, one for the accounts already known, one for the balances already observed, and bulk inserts."""
    require(actor, "enforcement.act")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = FidmImport.objects.filter(file_sha256=sha).first()
    if existing is not None:
        return FidmImported(fidm_import=existing, already=True,
                            problems=list(existing.problem_lines.order_by("line_number")))  # fmt: skip
    quarter = quarter_of(received_on)
    read = layout.read(text)
    run = FidmImport.objects.create(file_sha256=sha, filename=filename[:200], received_on=received_on,
                                    quarter=quarter, lines=len(text.splitlines()), imported_by=actor)  # fmt: skip
    problems = [FidmProblem(fidm_import=run, line_number=p.line_number, record_type=p.record_type,
                            problem=p.problem[:300]) for p in read.problems]  # fmt: skip

    institutions = {row.tin: row for row in FinancialInstitution.objects.filter(
        tin__in={i.tin for i in read.institutions})}  # fmt: skip
    for seen in read.institutions:  # a handful per file: the latest name and address are kept
        known = institutions.get(seen.tin)
        if known is None:
            institutions[seen.tin] = FinancialInstitution.objects.create(
                tin=seen.tin, name=seen.name[:40], address_lines=list(seen.address_lines)
            )
        elif (known.name, known.address_lines) != (seen.name[:40], list(seen.address_lines)):
            known.name, known.address_lines = seen.name[:40], list(seen.address_lines)
            known.save(update_fields=["name", "address_lines"])

    obligors = _obligors_by_ssn({match.ssn for match in read.matches})
    kept: list[tuple[layout.Match, int, str]] = []
    for match in read.matches:
        if match.ssn not in obligors:
            problems.append(FidmProblem(fidm_import=run, line_number=match.line_number, record_type="B",
                                        problem="no obligor of an open case has the matched SSN"))  # fmt: skip
        elif obligors[match.ssn] is None:
            problems.append(FidmProblem(fidm_import=run, line_number=match.line_number, record_type="B",
                                        problem="several obligors of open cases hold the matched SSN: an officer "
                                                "must resolve it"))  # fmt: skip
        else:
            person_id = obligors[match.ssn]
            assert person_id is not None
            kept.append((match, person_id, _account_key(match.institution.tin, match.account_number)))

    known_accounts = {
        (row.institution_id, row.account_index, row.obligor_id): row
        for row in FinancialAccount.objects.filter(account_index__in={key for _, _, key in kept})
    }
    new_accounts: dict[tuple[int, str, int], FinancialAccount] = {}
    for match, person_id, key in kept:
        institution = institutions[match.institution.tin]
        ident = (institution.pk, key, person_id)
        if ident in known_accounts or ident in new_accounts:
            continue
        new_accounts[ident] = FinancialAccount(
            obligor_id=person_id, institution=institution, account_number_encrypted=encrypt(match.account_number),
            account_index=key, account_last4=match.account_number[-4:], account_type=match.account_type,
            holder_name=match.holder_name[:40], holder_address_lines=list(match.holder_address_lines),
            account_state=match.account_state, first_matched_on=received_on, first_import=run,
        )  # fmt: skip
    for account in new_accounts.values():  # save() so the keys are known on every database
        account.save()
    known_accounts.update(new_accounts)

    observed = set(
        AccountBalance.objects.filter(account__in=[a.pk for a in known_accounts.values()], quarter=quarter)
        .values_list("account_id", "balance")
    )  # fmt: skip
    balances: list[AccountBalance] = []
    for match, person_id, key in kept:
        account = known_accounts[(institutions[match.institution.tin].pk, key, person_id)]
        if (account.pk, match.balance) in observed:
            continue
        observed.add((account.pk, match.balance))
        balances.append(AccountBalance(account=account, quarter=quarter, received_on=received_on, balance=match.balance,
                                       fidm_import=run, line_number=match.line_number))  # fmt: skip
    AccountBalance.objects.bulk_create(balances)
    FidmProblem.objects.bulk_create(problems)

    run.matches, run.accounts_new, run.balances_new, run.problems = (
        len(kept), len(new_accounts), len(balances), len(problems))  # fmt: skip
    run.save(update_fields=["matches", "accounts_new", "balances_new", "problems"])
    record_audit(actor=actor, action="fidm.imported", target=run, summary=f"FIDM match file {run.filename}",
                 after={"received_on": received_on.isoformat(), "matches": run.matches,
                        "accounts_new": run.accounts_new, "balances_new": run.balances_new,
                        "problems": run.problems})  # fmt: skip
    return FidmImported(fidm_import=run, matches=len(kept), accounts_new=len(new_accounts),
                        balances_new=len(balances), problems=sorted(problems, key=lambda p: p.line_number))  # fmt: skip


@dataclass(frozen=True)
class AccountShown:
    """An account as a caseworker sees it: the number masked, its latest balance and when it was reported."""

    account: FinancialAccount
    type_label: str
    last_balance: Decimal | None
    last_balance_on: date | None
    balances: list[AccountBalance]


def _latest(account: FinancialAccount) -> AccountBalance | None:
    rows = sorted(account.balances.all(), key=lambda row: (row.received_on, row.pk))
    return rows[-1] if rows else None


def _accounts(obligor: Person) -> list[FinancialAccount]:
    return list(
        FinancialAccount.objects.filter(obligor=obligor)
        .select_related("institution")
        .prefetch_related(Prefetch("balances", queryset=AccountBalance.objects.order_by("-received_on", "-pk")))
        .order_by("institution__name", "pk")
    )


def accounts_of_obligor(*, viewer: User, case: Case, obligor: Person) -> list[AccountShown]:
    """The obligor's matched accounts, each masked to its last four digits with its balances; the read is audited
    (one row: who saw which obligor's accounts, from which case)."""
    require(viewer, "enforcement.view", case)
    accounts = _accounts(obligor)
    shown = []
    for account in accounts:
        latest = _latest(account)
        shown.append(AccountShown(
            account=account, type_label=layout.ACCOUNT_TYPES.get(account.account_type, account.account_type),
            last_balance=latest.balance if latest else None, last_balance_on=latest.received_on if latest else None,
            balances=list(account.balances.all()),
        ))  # fmt: skip
    record_audit(actor=viewer, action="fidm.accounts_read", target=obligor, case_number=case.number,
                 summary=f"Financial accounts of {obligor.full_name} read ({len(accounts)})",
                 after={"accounts": [a.pk for a in accounts]})  # fmt: skip
    return shown


def levy_action_on_case(*, case: Case, action_id: int) -> EnforcementAction:
    """The case's financial institution levy `action_id` (another remedy's action is not found here)."""
    action = action_on_case(case=case, action_id=action_id)
    if action.remedy != LEVY:
        raise NotFound(f"Enforcement action {action_id} on case {case.number} is not a financial institution levy.")
    return action


def levy_actions_of_case(*, case: Case) -> QuerySet[EnforcementAction]:
    """The case's levies, latest first, each with its orders (oldest first) prefetched as `levy_orders`."""
    orders = LevyOrder.objects.select_related("account__institution", "document", "release_document").order_by("pk")
    return (
        EnforcementAction.objects.filter(case=case, remedy=LEVY)
        .prefetch_related(Prefetch("levy_orders", queryset=orders))
        .order_by("-found_on", "-pk")
    )


def may_take_levy(action: EnforcementAction) -> bool:
    """The levy is taken (its orders sent) once its notice is out; the contest window is `take_action`'s check."""
    return action.status == ActionStatus.NOTICED


def levy_orders_of(*, action: EnforcementAction) -> list[LevyOrder]:
    return list(
        LevyOrder.objects.filter(action=action)
        .select_related("account__institution", "document", "release_document", "answered_by")
        .order_by("pk")
    )


def levy_order_of(*, action: EnforcementAction, levy_id: int) -> LevyOrder:
    found = LevyOrder.objects.filter(action=action, pk=levy_id).select_related("account__institution").first()
    if found is None:
        raise NotFound(f"No order to withhold and deliver {levy_id} on this action.")
    return found


def refusal(*, action: EnforcementAction, on: date) -> str:
    """Why the levy may not be taken on `on`, or "": an SSI recipient's account is never levied (45 CFR
    307.11(c)(3)(i)); a bankruptcy stay holds collection from the estate (11 U.S.C. 362(a))."""
    if ssi_recipients(obligor_ids=[action.obligor_id], on=on):
        return ("The obligor receives SSI: an SSI recipient's account is not levied (45 CFR 307.11(c)(3)(i)). "
                "Release or withdraw the action.")  # fmt: skip
    if stays_in_effect(obligor_ids=[action.obligor_id], on=on):
        return "A bankruptcy stay is in effect (11 U.S.C. 362(a)): the levy waits until it ends."
    return ""


def _sdu_lines() -> list[str]:
    return [line.strip() for line in str(settings.OPENCSE_SDU_ADDRESS).split("|") if line.strip()]


def _law() -> tuple[str, str]:
    """The law the order cites and the institution's duty, in words (the State's where it has its own statute)."""
    if str(settings.OPENCSE_STATE).upper() == "WA":
        return (
            "RCW 74.20A.040, 74.20A.080, 74.20A.120; 42 U.S.C. 666(a)(17)",
            "Under RCW 74.20A.080 you must hold the debtor's funds in the account named, up to the amount owed, "
            "answer this order in writing within 20 days of service (the 20-day answer period is unconfirmed in "
            "the text of RCW 74.20A.080), and deliver the funds held as this order directs; exemptions are those of "
            "RCW 74.20A.090. A debtor may ask for a hearing over a community bank account (RCW 74.20A.120).",
        )
    return (
        "42 U.S.C. 666(a)(17), 669a",
        "Under the State law required by 42 U.S.C. 666(a)(17)(A)(ii) you must encumber the debtor's funds in the "
        "account named, up to the amount owed, answer this order in writing within 20 days of service (an OpenCSE "
        "default: the State's answer period is unconfirmed), and surrender the funds held as this order directs. "
        "An institution is not liable for encumbering or surrendering assets in good faith (42 U.S.C. "
        "666(a)(17)(C), 669a(a)).",
    )


def _order_data(*, action: EnforcementAction, account: FinancialAccount, latest: AccountBalance | None,
                on: date, amount: Decimal, actor: User) -> dict[str, Any]:  # fmt: skip
    citation, duty = _law()
    institution = account.institution
    return {
        "case_number": action.case.number,
        "institution_name": institution.name,
        "institution_lines": list(institution.address_lines) or ["Address not on file"],
        "institution_tin": f"{institution.tin[:2]}-{institution.tin[2:]}",
        "debtor": action.obligor,
        "holder_name": account.holder_name,
        "account": f"{layout.ACCOUNT_TYPES.get(account.account_type, 'Account')} ending {account.account_last4}",
        "amount": amount,
        "as_of": on,
        "last_balance": latest.balance if latest else None,
        "last_balance_on": latest.received_on if latest else None,
        "citation": citation,
        "duty": duty,
        "sdu_name": str(settings.OPENCSE_SDU_NAME),
        "sdu_lines": _sdu_lines(),
        "issued_by": actor.get_full_name() or actor.username,
    }


def account_errors(*, obligor: Person, account_ids: Sequence[int]) -> list[InvalidInput]:
    """What is wrong with the accounts chosen for a levy (none, or one not the obligor's matched account)."""
    chosen = set(account_ids)
    return _chosen_errors(chosen, found=FinancialAccount.objects.filter(obligor=obligor, pk__in=chosen).count())


def _chosen_errors(chosen: Collection[int], *, found: int) -> list[InvalidInput]:
    if not chosen:
        return [InvalidInput("choose at least one of the obligor's matched accounts", field="accounts")]
    if found != len(chosen):
        return [InvalidInput("an account chosen is not one of the obligor's matched accounts", field="accounts")]
    return []


def send_levy_orders(*, actor: User, action: EnforcementAction, on: date,
                     account_ids: Sequence[int]) -> list[LevyOrder]:  # fmt: skip
    """The Notice/Order to Withhold and Deliver for each account chosen (called by `actions.take_action` for the
    levy, inside its transaction). Every problem is reported at once."""
    chosen = sorted(set(account_ids))
    accounts = {a.pk: a for a in _accounts(action.obligor) if a.pk in chosen}
    errors = _chosen_errors(chosen, found=len(accounts))
    why = refusal(action=action, on=on)
    if why:
        raise Conflict(why)
    owed = arrears_owed(action.case, on=on)
    if owed <= ZERO:
        errors.append(InvalidInput(f"nothing is past due on {on:%m/%d/%Y}: there is nothing to levy", field="taken_on"))
    if errors:
        raise InvalidInputs(errors)
    orders = []
    for account in accounts.values():
        latest = _latest(account)
        document = generate_document(
            actor=actor, case=action.case, kind=ORDER_KIND, dated_on=on, person=action.obligor,
            subject=f"{account.institution.name} {account.account_masked}",
            data=_order_data(action=action, account=account, latest=latest, on=on, amount=owed, actor=actor),
        )  # fmt: skip
        order = LevyOrder.objects.create(
            action=action, account=account, dated_on=on, amount=owed, document=document, issued_by=actor,
            last_balance=latest.balance if latest else None, last_balance_on=latest.received_on if latest else None,
        )  # fmt: skip
        record_audit(actor=actor, action="levy.order_sent", target=order, case_number=action.case.number,
                     summary=f"Order to withhold and deliver to {account.institution.name} ({account.account_masked})",
                     after={"dated_on": on.isoformat(), "amount": str(owed)})  # fmt: skip
        orders.append(order)
    return orders


@transaction.atomic
def record_levy_answer(*, actor: User, order: LevyOrder, answered_on: date, answer: str,
                       amount: Decimal | None = None, note: str = "") -> LevyOrder:  # fmt: skip
    """The institution's answer to the order: the amount held or surrendered (never more than the order claimed),
    or nothing (the account closed, no funds, not found). Recorded once; the money posts through the payment
    import with source "Financial institution levy"."""
    case = order.action.case
    require(actor, "enforcement.act", case)
    order = LevyOrder.objects.select_for_update().select_related("action__case", "account__institution").get(
        pk=order.pk)  # fmt: skip
    errors: list[InvalidInput] = []
    if order.answer:
        raise Conflict(f"The institution's answer was recorded on {order.answered_on:%m/%d/%Y}.")
    if answer not in LevyAnswer.values:
        errors.append(InvalidInput("choose what the institution answered", field="answer"))
    if answered_on < order.dated_on:
        errors.append(InvalidInput(f"cannot be before the order, {order.dated_on:%m/%d/%Y}", field="answered_on"))
    if answered_on > timezone.localdate():
        errors.append(InvalidInput("cannot be in the future", field="answered_on"))
    if answer in NOTHING_ANSWERS:
        if amount:
            errors.append(InvalidInput("an answer of nothing holds no amount", field="amount"))
        amount = None
    elif answer in LevyAnswer.values:
        if amount is None or amount <= ZERO:
            errors.append(InvalidInput("say the amount held or surrendered", field="amount"))
        elif amount > order.amount:
            errors.append(InvalidInput(f"more than the order claimed, ${order.amount:,}", field="amount"))
    note = note.strip()
    if len(note) > NOTE_MAXIMUM:
        errors.append(InvalidInput(f"at most {NOTE_MAXIMUM} characters", field="note"))
    if errors:
        raise InvalidInputs(errors)
    order.answer, order.answer_amount, order.answered_on = answer, amount, answered_on
    order.answer_note, order.answered_by = note, actor
    order.save(update_fields=["answer", "answer_amount", "answered_on", "answer_note", "answered_by"])
    words = LevyAnswer(answer).label + (f" (${amount:,})" if amount else "")
    record_audit(actor=actor, action="levy.answered", target=order, case_number=case.number,
                 summary=f"{order.account.institution.name} answered: {words}",
                 after={"answered_on": answered_on.isoformat(), "answer": answer,
                        "amount": str(amount) if amount is not None else None})  # fmt: skip
    add_system_note(actor=actor, case=case,
                    text=f"Levy — {order.account.institution.name} ({order.account.account_masked}) answered on "
                         f"{answered_on:%m/%d/%Y}: {words}." + (f" {note}" if note else ""),
                    source_key=f"levy:{order.pk}:answer")  # fmt: skip
    return order


def send_levy_releases(*, actor: User, action: EnforcementAction, on: date, reason: str) -> list[LevyOrder]:
    """The release of each order of a released levy (`levies_released`, in the releasing transaction): to
    every institution whose order is not already released and did not answer that it holds nothing."""
    if action.remedy != LEVY or action.status != ActionStatus.RELEASED:
        return []
    released = []
    for order in levy_orders_of(action=action):
        if order.release_document_id is not None or order.answer in NOTHING_ANSWERS:
            continue
        institution = order.account.institution
        order.release_document = generate_document(
            actor=actor, case=action.case, kind=RELEASE_KIND, dated_on=on, person=action.obligor,
            subject=f"{institution.name} {order.account.account_masked}",
            data={"case_number": action.case.number, "institution_name": institution.name,
                  "institution_lines": list(institution.address_lines) or ["Address not on file"],
                  "debtor": action.obligor, "holder_name": order.account.holder_name,
                  "account": f"{layout.ACCOUNT_TYPES.get(order.account.account_type, 'Account')} ending "
                             f"{order.account.account_last4}",
                  "order_dated_on": order.dated_on, "citation": _law()[0], "reason": reason.strip()[:300],
                  "issued_by": actor.get_full_name() or actor.username},
        )  # fmt: skip
        order.released_on = on
        order.save(update_fields=["release_document", "released_on"])
        record_audit(actor=actor, action="levy.released", target=order, case_number=action.case.number,
                     summary=f"Release of the order to withhold and deliver to {institution.name}",
                     after={"released_on": on.isoformat()})  # fmt: skip
        released.append(order)
    return released


def levies_released(reasons: dict[int, str], *, on: date, actor: User) -> list[object]:
    """The reaction to released levies (`endings.actions_released`, whichever path released them): the release
    of each order to its institution, with why. The levies released on a day are few: one document per order."""
    actions = EnforcementAction.objects.filter(pk__in=list(reasons), remedy=LEVY).select_related("case", "obligor")
    for action in actions.order_by("pk"):
        send_levy_releases(actor=actor, action=action, on=on, reason=reasons[action.pk] or "The levy was released.")
    return []
