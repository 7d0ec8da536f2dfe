"""Credit bureau reporting of overdue support (42 U.S.C. 666(a)(7); 15 U.S.C. 1681s-1): the monthly Metro 2 file
to the consumer reporting agencies (`interfaces.metro2`; docs/interfaces/metro2.md, docs/enforcement.md).

`report_to_credit_bureaus` (`opencse enforcement credit-report --as-of DATE --out DIR`). The State reports an
obligor once the notice and the opportunity to contest are past: an officer took the credit_bureau_reporting
action (status TAKEN, `actions.take_action`; the remedy's data in `rules/params/us/remedies.yaml`).

- **One account per obligor**, aggregated over the obligor's cases with the action taken. The agencies keep
  one tradeline per account number; the consumer report is about the person, the State certifies FOP per
  obligor for the same reason (PIQ-01-06), and one account keeps its number (`CS` + the person's id, never
  the SSN) when a case is opened, closed or transferred, where a per-case account would be deleted and
  re-added with a new number and lose its history.
- **Current Balance** = the arrears owed on `as_of` (the ledger's arrears accounts, `sweep.arrears_by_case`)
  of those cases, in whole dollars rounded down (never more than is owed). **Amount Past Due** = the same:
  every arrears dollar is support past its due date (current support of the month is not in them).
- **Account Status** 93 (assigned to internal or external collections: the IV-D agency collects it) while
  arrears are owed, with the **Date of First Delinquency** = the earliest date arrears arose on those cases
  (an approximation that is never later than the true date, so the agencies never keep the account past the
  7 years of 15 U.S.C. 1681c(c) because of it); 11 (current) when nothing is owed while the action stays taken.
- **Reported once more, then no longer**: an obligor reported last month whose action is no longer taken
  (released since the last report: paid, agreement, officer) is reported with status 13 (paid or closed /
  zero balance) when nothing is owed on the cases released, with Payment Rating G (in collections before) or 0,
  the Date Closed and the Date of Account Information the release date; with a balance still owed (or no
  release found since the last report), status DA (delete the account: the State stops reporting a debt it
  still claims, and 13 would say it is paid). The account is then inactive and no longer reported.
- **Idempotent**: one file per reporting month (`CreditReportRun.period`); a second run in the month writes
  nothing; a month before one already reported is refused. What was last reported is kept per obligor
  (`CreditReportAccount`: status, balance, past due, highest balance, payment history) with every Base
  Segment sent (`CreditReportLine`, append-only).
- **Confidential**: the SSN is decrypted only into the file (mode 0600), with one `person.ssn_disclosed`
  audit row per person; a person with the family violence indicator has no address and no telephone in the
  file (blank fields: a protected address must never leave the system; the Metro 2 "data reporter's default
  address" would put the agency's address where the field definition says not to).

Set-based: seven reads whatever the number of obligors (the actions, the accounts held, the arrears, their
first dates, the payments, the people, the addresses); bulk writes.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q

from opencse.common.money import MoneySum
from opencse.enforcement.models import (
    ActionStatus,
    CreditReportAccount,
    CreditReportLine,
    CreditReportRun,
    EnforcementAction,
)
from opencse.enforcement.offset import notice_addresses
from opencse.enforcement.sweep import ARREARS_ACCOUNTS, arrears_by_case
from opencse.errors import InvalidInput
from opencse.interfaces import metro2
from opencse.ledger.models import Collection, CollectionStatus, LedgerEntry
from opencse.people.models import Address, Person
from opencse.rules.money import ZERO
from opencse.security.audit import audit_event, record_audits
from opencse.security.crypto import decrypt
from opencse.security.models import User
from opencse.security.policy import require

log = logging.getLogger(__name__)
REMEDY = "credit_bureau_reporting"
Status = metro2.AccountStatus
# The Payment History Profile code of last month's status (base_segment.go, PaymentHistoryProfile): 0 = current,
# G = collection; a month with no report is D, no history yet is B.
HISTORY_CODES = {Status.CURRENT.value: "0", Status.COLLECTIONS.value: "G"}
NO_HISTORY = "B" * 24


@dataclass
class CreditReportResult:
    as_of: date
    accounts: int = 0  # Base Segments written
    closed: int = 0  # status 13
    deleted: int = 0  # status DA
    path: Path | None = None  # None: nothing to report, or the month was already reported
    already_reported: bool = False
    not_reported: list[tuple[int, str]] = field(default_factory=list)  # (obligor id, reason)


@dataclass
class _Owed:
    """One obligor's account on the date, summed over the cases with the action taken."""

    opened_on: date
    balance: Decimal = ZERO
    first_arrears_on: date | None = None
    paid_in_month: Decimal = ZERO
    last_payment_on: date | None = None
    closed_on: date | None = None  # for an account being closed: the latest release
    known: bool = True  # False: an account to close without an action released since it was last reported


def dollars(amount: Decimal) -> int:
    """Whole dollars, rounded down: the State never reports more than is owed (Metro 2: whole dollars only)."""
    return max(int(amount.to_integral_value(rounding=ROUND_FLOOR)), 0)


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def payment_history(account: CreditReportAccount | None, *, as_of: date) -> str:
    """This month's Payment History Profile: last month's status first, a D for each month not reported since,
    then the profile last reported; all B for an account reported for the first time (or again after closing)."""
    if account is None or not account.active:
        return NO_HISTORY
    missed = max(_months_between(account.last_reported_on, as_of) - 1, 0)
    return ("D" * missed + HISTORY_CODES.get(account.status, "D") + account.payment_history)[:24]


def _accounts_on(*, as_of: date, closing: dict[int, date]) -> tuple[dict[int, _Owed], dict[int, _Owed]]:
    """(obligor id -> the account to report, obligor id -> the closing account's balance and release date): the
    actions taken by `as_of`, and those of the `closing` obligors (id -> the date last reported) released since
    they were last reported, with their arrears, the first date arrears arose and the payments, read in four
    queries over all the cases at once."""
    rows = EnforcementAction.objects.filter(
        Q(status=ActionStatus.TAKEN, taken_on__lte=as_of)
        | Q(obligor_id__in=list(closing), status=ActionStatus.RELEASED),
        remedy=REMEDY,
    ).values_list("obligor_id", "case_id", "status", "taken_on", "released_on")
    taken: dict[int, set[int]] = defaultdict(set)
    ended: dict[int, set[int]] = defaultdict(set)
    wanted: dict[int, _Owed] = {}
    gone: dict[int, _Owed] = {}
    for obligor_id, case_id, status, taken_on, released_on in rows:
        if status == ActionStatus.TAKEN:
            assert taken_on is not None  # take_action dates it
            taken[obligor_id].add(case_id)
            owed = wanted.setdefault(obligor_id, _Owed(opened_on=taken_on))
            owed.opened_on = min(owed.opened_on, taken_on)
        elif released_on is not None and closing[obligor_id] < released_on <= as_of:
            ended[obligor_id].add(case_id)
            owed = gone.setdefault(obligor_id, _Owed(opened_on=taken_on or as_of))
            owed.closed_on = max(owed.closed_on or released_on, released_on)
    for obligor_id in closing.keys() - gone.keys():  # no action released since: the report ends without "paid"
        gone[obligor_id] = _Owed(opened_on=as_of, closed_on=as_of, known=False)
    case_ids = sorted({c for ids in taken.values() for c in ids} | {c for ids in ended.values() for c in ids})
    owed_by_case = arrears_by_case(as_of=as_of, case_ids=case_ids)
    first = dict(
        LedgerEntry.objects.filter(case_id__in=case_ids, account__in=ARREARS_ACCOUNTS, amount__gt=0,
                                   effective_on__lte=as_of)
        .values("case_id").annotate(first=Min("effective_on")).values_list("case_id", "first")
    )  # fmt: skip
    payments = {
        case_id: (paid or ZERO, last)
        for case_id, paid, last in Collection.objects.filter(
            case_id__in=case_ids, status=CollectionStatus.POSTED, collected_on__lte=as_of
        )
        .values("case_id")
        .annotate(paid=MoneySum("amount", filter=Q(collected_on__gte=as_of.replace(day=1))), last=Max("collected_on"))
        .values_list("case_id", "paid", "last")
    }
    for accounts, cases in ((wanted, taken), (gone, ended)):
        for obligor_id, ids in cases.items():
            owed = accounts[obligor_id]
            for case_id in ids:
                owed.balance += owed_by_case.get(case_id, ZERO)
                if case_id in owed_by_case and case_id in first:
                    owed.first_arrears_on = min(owed.first_arrears_on or first[case_id], first[case_id])
                paid, last = payments.get(case_id, (ZERO, None))
                owed.paid_in_month += Decimal(paid)
                if last is not None:
                    owed.last_payment_on = max(owed.last_payment_on or last, last)
    return wanted, gone


def _segment(*, person: Person, account: CreditReportAccount, owed: _Owed, status: metro2.AccountStatus,
             history: str, as_of: date, ssn: str, address: Address | None) -> metro2.BaseSegment:  # fmt: skip
    balance = dollars(owed.balance)
    closing = status is Status.PAID_OR_CLOSED
    rating = HISTORY_CODES.get(account.status, "0") if closing else ""
    delinquent = status in (Status.COLLECTIONS, Status.DELETE) or rating == "G"
    protected = person.family_violence
    return metro2.BaseSegment(
        updated_at=datetime.combine(as_of, time.min), identification_number=settings.OPENCSE_CREDIT_FURNISHER_ID,
        account_number=account.account_number, opened_on=account.opened_on,
        highest_credit=max(account.highest, balance), status=status, payment_rating=rating,
        payment_history=history, current_balance=0 if closing else balance,
        amount_past_due=balance if status in (Status.COLLECTIONS, Status.DELETE) else 0,
        information_on=owed.closed_on if closing and owed.closed_on else as_of,
        first_delinquency_on=(owed.first_arrears_on or account.first_delinquency_on) if delinquent else None,
        closed_on=owed.closed_on if closing else None, last_payment_on=owed.last_payment_on,
        actual_payment=dollars(owed.paid_in_month), surname=person.last_name, first_name=person.first_name,
        middle_name=person.middle_name, generation_code=metro2.generation_code(person.suffix), ssn=ssn,
        birth_on=person.date_of_birth, telephone="" if protected else person.phone,
        address_line_1=address.line1 if address else "", address_line_2=address.line2 if address else "",
        city=address.city if address else "", state=address.state if address else "",
        zip_code=address.postal_code if address else "",
    )  # fmt: skip


def _check_month(as_of: date) -> bool:
    """True when the month of `as_of` was already reported; a month before the last one reported is refused."""
    period = as_of.replace(day=1)
    latest = CreditReportRun.objects.order_by("-period").values_list("period", flat=True).first()
    if latest is not None and period < latest:
        raise InvalidInput(f"{latest:%m/%Y} was already reported: a month before it cannot be", field="as_of")
    return latest == period


@transaction.atomic
def report_to_credit_bureaus(*, actor: User, as_of: date, out_dir: Path) -> CreditReportResult:
    """Write the Metro 2 file of the month of `as_of` in `out_dir` (module doc). Returns the counts and the path."""
    require(actor, "enforcement.act")
    result = CreditReportResult(as_of=as_of)
    if _check_month(as_of):
        result.already_reported = True
        log.info("credit bureau report as of %s: the month was already reported", as_of)
        return result
    held = {a.obligor_id: a for a in CreditReportAccount.objects.filter(active=True)}
    wanted, gone = _accounts_on(as_of=as_of, closing={pk: account.last_reported_on for pk, account in held.items()})
    gone = {obligor_id: owed for obligor_id, owed in gone.items() if obligor_id not in wanted}
    known = held | {a.obligor_id: a for a in CreditReportAccount.objects.filter(obligor_id__in=wanted, active=False)}
    people = Person.objects.in_bulk(wanted.keys() | gone.keys())
    addresses = notice_addresses({pk for pk, person in people.items() if not person.family_violence})
    segments: list[metro2.BaseSegment] = []
    changes: list[CreditReportAccount] = []
    disclosed: list[Person] = []
    for obligor_id in sorted(wanted.keys() | gone.keys()):
        person, account = people[obligor_id], known.get(obligor_id)
        if obligor_id in wanted and not person.ssn_encrypted and person.date_of_birth is None:
            # Metro 2: without an SSN the date of birth is required.
            result.not_reported.append((obligor_id, "the obligor has neither an SSN nor a date of birth on file"))
            continue
        owed = wanted.get(obligor_id) or gone[obligor_id]
        history = payment_history(account, as_of=as_of)
        if obligor_id in wanted:
            if account is None:
                account = CreditReportAccount(obligor_id=obligor_id, account_number=f"CS{obligor_id:010d}",
                                              opened_on=owed.opened_on, highest=0)  # fmt: skip
            status = Status.COLLECTIONS if dollars(owed.balance) > 0 else Status.CURRENT
        else:
            assert account is not None and account.active
            paid = owed.known and dollars(owed.balance) == 0
            status = Status.PAID_OR_CLOSED if paid else Status.DELETE
        ssn = re.sub(r"\D", "", decrypt(person.ssn_encrypted)) if person.ssn_encrypted else ""
        if ssn:
            disclosed.append(person)
        segment = _segment(person=person, account=account, owed=owed, status=status, history=history, as_of=as_of,
                           ssn=ssn, address=addresses.get(obligor_id))  # fmt: skip
        segments.append(segment)
        account.status, account.balance = status.value, segment.current_balance
        account.past_due = segment.amount_past_due
        account.highest, account.payment_history = segment.highest_credit, history
        account.first_delinquency_on = segment.first_delinquency_on
        account.active, account.last_reported_on = obligor_id in wanted, as_of
        changes.append(account)
        result.closed += status is Status.PAID_OR_CLOSED
        result.deleted += status is Status.DELETE
    result.accounts = len(segments)
    if not segments:
        log.info("credit bureau report as of %s: no account to report", as_of)
        return result
    _save(changes, segments, result=result, actor=actor, disclosed=disclosed)
    result.path = _write(segments, as_of=as_of, out_dir=out_dir)
    CreditReportRun.objects.filter(period=as_of.replace(day=1)).update(file_name=result.path.name)
    log.info("credit bureau report as of %s: %d accounts, %d closed, %d deleted", as_of, result.accounts,
             result.closed, result.deleted)  # fmt: skip
    return result


def _save(changes: list[CreditReportAccount], segments: list[metro2.BaseSegment], *, result: CreditReportResult,
          actor: User, disclosed: list[Person]) -> None:  # fmt: skip
    run = CreditReportRun.objects.create(
        as_of=result.as_of, period=result.as_of.replace(day=1), file_name="", accounts=result.accounts,
        closed=result.closed, deleted=result.deleted, created_by=actor,
    )  # fmt: skip
    existing = [account for account in changes if account.pk is not None]  # before the insert gives the new ids
    CreditReportAccount.objects.bulk_create([account for account in changes if account.pk is None])
    fields = ["status", "balance", "past_due", "highest", "payment_history", "first_delinquency_on", "active",
              "last_reported_on"]  # fmt: skip
    CreditReportAccount.objects.bulk_update(existing, fields)
    CreditReportLine.objects.bulk_create([
        CreditReportLine(run=run, account=account, status=account.status, balance=account.balance,
                         past_due=account.past_due)
        for account in changes
    ])  # fmt: skip
    assert len(changes) == len(segments)
    record_audits([
        audit_event(actor=actor, action="person.ssn_disclosed", target=person, summary=person.ssn_masked,
                    after={"source": "credit bureau report (Metro 2)"})
        for person in disclosed
    ] + [audit_event(actor=actor, action="enforcement.credit_report_sent", target=run,
                     after={"as_of": result.as_of.isoformat(), "accounts": result.accounts,
                            "closed": result.closed, "deleted": result.deleted})])  # fmt: skip


def _write(segments: list[metro2.BaseSegment], *, as_of: date, out_dir: Path) -> Path:
    header = metro2.Header(
        activity_on=as_of, created_on=as_of, reporter_name=settings.OPENCSE_AGENCY_NAME,
        reporter_address=settings.OPENCSE_AGENCY_ADDRESS.replace("|", " "),
        reporter_telephone=settings.OPENCSE_AGENCY_PHONE,
        equifax_program_identifier=settings.OPENCSE_CREDIT_EQUIFAX_ID,
        experian_program_identifier=settings.OPENCSE_CREDIT_EXPERIAN_ID,
        transunion_program_identifier=settings.OPENCSE_CREDIT_TRANSUNION_ID,
        innovis_program_identifier=settings.OPENCSE_CREDIT_INNOVIS_ID,
    )  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"metro2-{as_of:%Y%m%d}.txt"
    path.write_text(metro2.write_file(header, segments), encoding="ascii")
    path.chmod(0o600)  # full SSNs
    return path
