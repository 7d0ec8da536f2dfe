"""Federal tax refund offset and administrative offset (42 U.S.C. 664; 45 CFR 303.72; 31 CFR 285.3) and
passport denial (42 U.S.C. 652(k), 654(31); 22 CFR 51.60(a)(2)): the case submission file to the Federal
Offset Program, and the offsets it collects posted back to the cases.

**Submission** (`build_submission`, `opencse enforcement fop --as-of DATE --out DIR`). An obligor is certified
once the due-process notice's window has passed and an officer took the federal_tax_offset or the
passport_denial action (status TAKEN: `actions.take_action`; `FILE_REMEDIES`). The State certifies per
obligor, aggregated across the obligor's cases within a category (OCSE PIQ-01-06; FOP keeps one TANF and one
non-TANF case per SSN and State), so for each obligor with a taken action the run adds up, over the cases with
a taken action, the arrears by assistance status:

- "A" (assistance, TANF): the assigned arrears accounts of the ledger (permanently, temporarily and
  conditionally assigned), certified at $150 or more (45 CFR 303.72(a)(2));
- "N" (non-assistance): the unassigned accounts (unassigned during assistance, unassigned pre-assistance,
  never assigned), certified at $500 or more (45 CFR 303.72(a)(3)).

The thresholds come from the remedy's data (`rules/params/us/remedies.yaml`, federal_tax_offset). The amount
is in whole dollars, rounded down so the State never certifies more than is owed. What was last sent for
each obligor and case type is kept (`OffsetCertification`); the run compares and writes an ADD (A) for a new
certification, a MODIFY (M) when the amount changed, a DELETE (D) when the action was released or withdrawn
or the arrears fell below the threshold, and D on the old SSN plus A on the new one when the SSN was
corrected. Passport denial has no file of its own: OCSE certifies to the State Department (more than $2,500
owed) the obligors of this file not excluded by "PAS". Each A, M and R carries the Offset Exclusion Indicators
(E-1 188-227): the codes of the file's remedies not taken on any of the obligor's cases (`exclusions`), kept
with the certification; an R (replace exclusion indicators) goes out when they changed (the passport taken,
or released or withdrawn while the tax offset stays: R adding PAS, the release request), after an M when the
amount changed too. The name, local code and address each record carried are kept with the certification: an L
goes out when the local code of the case sent changed, a B or a Z (one per obligor: OCSE changes both case
types, release 02-02) when the obligor's name or complete current address changed (`_name_and_address_changes`;
never a protected person's address). A second run on the same date finds nothing changed and writes no file.
Set-based: five queries read everything (the actions, their arrears, the certifications, the people, their
addresses); the certifications, the history
and the audit rows are written in bulk. The SSN is decrypted only into the file, with one audit row per person
whose SSN left the system.

**Collections** (`import_collections`, `opencse enforcement fop-collections FILE --received-on DATE`). Each
Collection and Adjustment record (`interfaces.fop.read_collections`; bad lines kept with their line numbers
in the import's rejected-lines report, `ledger.ImportRejection`) is identified with its obligor by SSN and
posted as a collection with source federal_tax_offset through the ledger's bulk path (`ledger.bulk`), split
across the obligor's open cases in proportion to their arrears of the record's category (then of any
category; with none, all on the case the record names). Not identified: held in suspense with the reason.
An adjustment (OCSE taking money back) is not posted: it goes on the report for an officer to reverse the
offset. A joint return is noted on the case timeline (the State may delay distribution of a joint-return
offset, 45 CFR 303.72(h)); OpenCSE distributes at once. Idempotent: each record's key (the trace number) is
kept (`OffsetCollection`), so a re-import posts nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from opencse.cases.models import Case, CaseMember, MemberRole
from opencse.cases.services import add_system_note
from opencse.common.money import MoneySum
from opencse.enforcement.models import (
    ActionStatus,
    EnforcementAction,
    OffsetCertification,
    OffsetCollection,
    OffsetCollectionStatus,
    OffsetSubmission,
    OffsetTransaction,
)
from opencse.errors import InvalidInput
from opencse.interfaces import fop
from opencse.ledger.bulk import CollectionInput, post_collections
from opencse.ledger.models import Account, CollectionSource, ImportRejection, LedgerEntry, PaymentImport
from opencse.ledger.services import hold_in_suspense
from opencse.people.models import Address, Person
from opencse.rules.money import CENT, ZERO
from opencse.rules.remedies import remedies
from opencse.security.audit import audit_event, record_audit, record_audits
from opencse.security.crypto import blind_index, decrypt
from opencse.security.models import User
from opencse.security.policy import require

log = logging.getLogger(__name__)
REMEDY = "federal_tax_offset"
PASSPORT = "passport_denial"
# The remedies this file carries (the keys of rules/params/us/remedies.yaml; the data has no separate
# administrative offset: federal_tax_offset is "tax refund offset (and administrative offset)"), each with the
# exclusion indicators that take an obligor out of it when its action is not taken (Chart E-1 188-227).
# Administrative offset is sent as ADM and its three kinds (federal retirement, salary, vendor payments),
# each an indicator of its own in the chart: an offset the officer did not take is never left to OCSE's
# reading of ADM. FIN (the multistate financial institution data match, a locate match, not a remedy
# against the obligor) and INS are not sent: OpenCSE excludes from neither.
FILE_REMEDIES: dict[str, tuple[fop.Exclusion, ...]] = {
    REMEDY: (fop.Exclusion.ADMINISTRATIVE_OFFSET, fop.Exclusion.RETIREMENT, fop.Exclusion.SALARY,
             fop.Exclusion.TAX_REFUND, fop.Exclusion.VENDOR),
    PASSPORT: (fop.Exclusion.PASSPORT,),
}  # fmt: skip
ASSIGNED = (Account.PERMANENTLY_ASSIGNED, Account.TEMPORARILY_ASSIGNED, Account.CONDITIONALLY_ASSIGNED)
UNASSIGNED = (Account.UNASSIGNED_DURING_ASSISTANCE, Account.UNASSIGNED_PRE_ASSISTANCE, Account.NEVER_ASSIGNED)
CATEGORY = {account.value: fop.CaseType.ASSISTANCE for account in ASSIGNED} | {
    account.value: fop.CaseType.NON_ASSISTANCE for account in UNASSIGNED
}
PAYOR = "U.S. Treasury (Federal Offset Program)"
FILE_SIZE_MAXIMUM = 200 * 1024 * 1024


@dataclass
class SubmissionResult:
    as_of: date
    adds: int = 0
    modifies: int = 0
    deletes: int = 0
    replaces: int = 0
    names: int = 0  # B
    local_codes: int = 0  # L
    addresses: int = 0  # Z
    path: Path | None = None  # None: nothing changed, no file
    not_certified: list[tuple[str, str]] = field(default_factory=list)  # (case number, reason)


@dataclass(frozen=True)
class _Wanted:
    """What should be certified for one obligor and case type on the date."""

    dollars: int
    case_number: str  # the case with the most arrears of the type
    local_code: str
    notice_on: date | None
    exclusions: str  # the obligor's exclusion indicators, comma-separated (blank: excluded from nothing)


def thresholds(*, as_of: date) -> dict[fop.CaseType, Decimal]:
    remedy = next(r for r in remedies(state=settings.OPENCSE_STATE, as_of=as_of) if r.key == REMEDY)
    levels = remedy.trigger["arrears_at_least"]
    return {
        fop.CaseType.ASSISTANCE: Decimal(levels["assistance"]),
        fop.CaseType.NON_ASSISTANCE: Decimal(levels["non_assistance"]),
    }


def arrears_by_category(*, case_ids: list[int], as_of: date) -> dict[tuple[int, fop.CaseType], Decimal]:
    """Each case's arrears on `as_of` by FOP case type (assigned: A; unassigned: N): one query. An account
    paid past zero counts as zero (it is not a debt to certify)."""
    rows = (
        LedgerEntry.objects.filter(case_id__in=case_ids, account__in=list(CATEGORY), effective_on__lte=as_of)
        .values("case_id", "account")
        .annotate(owed=MoneySum("amount"))
        .values_list("case_id", "account", "owed")
    )
    totals: dict[tuple[int, fop.CaseType], Decimal] = defaultdict(lambda: ZERO)
    for case_id, account, owed in rows:
        totals[(case_id, CATEGORY[account])] += max(Decimal(owed), ZERO)
    return dict(totals)


def exclusions(taken: set[str]) -> str:
    """The exclusion indicators for an obligor with these remedies of the file taken: every code of each
    remedy not taken, in alphabetical order ("ADM,PAS" in federal-interfaces.md 2.2), comma-separated."""
    codes = {code for remedy, remedy_codes in FILE_REMEDIES.items() if remedy not in taken for code in remedy_codes}
    return ",".join(sorted(codes))


def wanted_certifications(*, as_of: date) -> dict[tuple[int, fop.CaseType], _Wanted]:
    """(obligor id, case type) -> what to certify, for every obligor with an action of the file's remedies
    (`FILE_REMEDIES`) taken on or before `as_of` and still in force, aggregated over the cases with one
    (PIQ-01-06), at or over the type's threshold, with the indicators of the remedies not taken on any of
    the obligor's cases."""
    rows = EnforcementAction.objects.filter(
        remedy__in=list(FILE_REMEDIES), status=ActionStatus.TAKEN, taken_on__lte=as_of
    ).values_list("obligor_id", "case_id", "case__number", "case__office__code", "notice_sent_on", "remedy")
    remedies_taken: dict[int, set[str]] = defaultdict(set)
    cases: dict[int, tuple[int, str, str, date | None]] = {}  # a case with both remedies taken: counted once
    for obligor_id, case_id, number, office, notice_on, remedy in sorted(rows, key=lambda row: row[5] != REMEDY):
        remedies_taken[obligor_id].add(remedy)
        # The date issued is the pre-offset notice: the tax offset action's where the case has one taken.
        cases.setdefault(case_id, (obligor_id, number, office, notice_on))
    taken = [(obligor_id, case_id, number, office, notice_on)
             for case_id, (obligor_id, number, office, notice_on) in cases.items()]  # fmt: skip
    owed = arrears_by_category(case_ids=list(cases), as_of=as_of)
    levels = thresholds(as_of=as_of)
    totals: dict[tuple[int, fop.CaseType], Decimal] = defaultdict(lambda: ZERO)
    largest: dict[tuple[int, fop.CaseType], tuple[Decimal, int, str, str, date | None]] = {}
    for obligor_id, case_id, number, office, notice_on in taken:
        for case_type in fop.CaseType:
            amount = owed.get((case_id, case_type), ZERO)
            if amount <= 0:
                continue
            key = (obligor_id, case_type)
            totals[key] += amount
            candidate = (amount, -case_id, number, office, notice_on)
            if key not in largest or candidate[:2] > largest[key][:2]:
                largest[key] = candidate
    wanted = {}
    for key, total in totals.items():
        if total >= levels[key[1]]:
            _, _, number, office, notice_on = largest[key]
            dollars = int(total.to_integral_value(rounding=ROUND_FLOOR))
            wanted[key] = _Wanted(dollars=dollars, case_number=number, local_code=office[:3], notice_on=notice_on,
                                  exclusions=exclusions(remedies_taken[key[0]]))  # fmt: skip
    return wanted


@transaction.atomic
def build_submission(*, actor: User, as_of: date, out_dir: Path) -> SubmissionResult:
    """Compare what should be certified on `as_of` with what OCSE holds, and write the changes as a case
    submission file in `out_dir` (none when nothing changed). Returns the counts and the file's path."""
    require(actor, "enforcement.act")
    result = SubmissionResult(as_of=as_of)
    wanted = wanted_certifications(as_of=as_of)
    known = {
        (c.obligor_id, fop.CaseType(c.case_type)): c
        for c in OffsetCertification.objects.filter(Q(active=True) | Q(obligor_id__in={k[0] for k in wanted}))
    }  # every certification held, and the ended ones of the obligors due now (re-added on the same row)
    held = {key: certification for key, certification in known.items() if certification.active}
    people = Person.objects.in_bulk({obligor_id for obligor_id, _ in wanted.keys() | held.keys()})
    # A protected person's address is not even read: it never leaves the system (the add, the Z).
    addresses = notice_addresses({obligor_id for obligor_id, _ in wanted if not people[obligor_id].family_violence})
    state, year = settings.OPENCSE_STATE, as_of.year
    records: list[fop.SubmissionRecord] = []
    changes: list[tuple[OffsetCertification, fop.SubmissionRecord, str]] = []  # with the SSN index sent under
    disclosed: set[int] = set()
    added: set[tuple[int, fop.CaseType]] = set()
    adopted: list[OffsetCertification] = []  # sent before the name, local code and address were kept

    def record(cert_ssn: str, person: Person, case_type: fop.CaseType, kind: fop.Transaction, dollars: int,
               number: str, local: str, notice_on: date | None,
               excluded: str = "") -> fop.SubmissionRecord:  # fmt: skip
        disclosed.add(person.pk)
        carries_address = kind in (fop.Transaction.ADD, fop.Transaction.ADDRESS) and not person.family_violence
        address = addresses.get(person.pk) if carries_address else None
        return fop.SubmissionRecord(
            submitting_state=state, local_code=local, ssn=decrypt(cert_ssn), case_id=number,
            last_name=person.last_name, first_name=person.first_name, arrearage_dollars=dollars, transaction=kind,
            case_type=case_type, process_year=year, date_issued=notice_on,
            address_line_1=address.line1 if address else "", address_line_2=address.line2 if address else "",
            city=address.city if address else "", state=address.state if address else "",
            zip_code=address.postal_code if address else "",
            exclusions=tuple(fop.Exclusion(code) for code in excluded.split(",") if code),
        )  # fmt: skip

    for key in sorted(held.keys() | wanted.keys(), key=lambda k: (k[0], k[1].value)):
        obligor_id, case_type = key
        person, certified, want = people[obligor_id], held.get(key), wanted.get(key)
        ssn_changed = certified is not None and want is not None and certified.ssn_index != person.ssn_index
        if certified is not None and (want is None or ssn_changed):
            out = record(certified.ssn_encrypted, person, case_type, fop.Transaction.DELETE, 0,
                         certified.case_number, "", None)  # fmt: skip
            certified.active, certified.amount = False, 0
            changes.append((certified, out, certified.ssn_index))
            records.append(out)
            result.deletes += 1
            certified = None
        if want is None:
            continue
        if certified is None:
            if not person.ssn_encrypted:
                result.not_certified.append((want.case_number, "the obligor has no SSN on file"))
                continue
            # An earlier row (ended, or deleted just now for a corrected SSN) is added again: one row per type.
            certification = known.get(key) or OffsetCertification(obligor_id=obligor_id, case_type=case_type)
            certification.ssn_encrypted, certification.ssn_index = person.ssn_encrypted, person.ssn_index
            certification.active = True
            kinds = [fop.Transaction.ADD]
            result.adds += 1
            added.add(key)
        else:
            # M for a new amount, R for new exclusion indicators (the passport released or taken, the tax
            # offset released while the passport stays): both when both changed, the amount first; L for a
            # new local code (the case sent now belongs to another office).
            certification, kinds = certified, []
            if certified.amount != want.dollars:
                kinds.append(fop.Transaction.MODIFY)
                result.modifies += 1
            if certified.exclusions != want.exclusions:
                kinds.append(fop.Transaction.REPLACE_EXCLUSIONS)
                result.replaces += 1
            if certified.local_code is None:
                certification.local_code = want.local_code
                adopted.append(certification)
            elif certified.local_code != want.local_code:
                kinds.append(fop.Transaction.LOCAL_CODE)
                result.local_codes += 1
        for kind in kinds:
            out = record(certification.ssn_encrypted, person, case_type, kind, want.dollars, want.case_number,
                         want.local_code, want.notice_on, want.exclusions)  # fmt: skip
            changes.append((certification, out, certification.ssn_index))
            records.append(out)
            if kind is fop.Transaction.ADD:  # what the add carried, compared by later runs
                certification.last_name, certification.first_name = fop.sent_name(out.last_name, out.first_name)
                certification.address = fop.sent_address(out.address_line_1, out.address_line_2, out.city,
                                                         out.state, out.zip_code)  # fmt: skip
            if kind in (fop.Transaction.ADD, fop.Transaction.LOCAL_CODE):
                certification.local_code = want.local_code
        certification.amount, certification.case_number = want.dollars, want.case_number
        certification.exclusions = want.exclusions
    _name_and_address_changes(held, added, wanted, people, addresses, record=record, records=records,
                              changes=changes, adopted=adopted, result=result)  # fmt: skip
    if adopted:
        OffsetCertification.objects.bulk_update(
            list({id(c): c for c in adopted}.values()), ["last_name", "first_name", "local_code", "address"]
        )
    if not records:
        log.info("federal offset submission as of %s: nothing changed", as_of)
        return result
    submission = OffsetSubmission.objects.create(
        as_of=as_of, file_name="", adds=result.adds, modifies=result.modifies, deletes=result.deletes,
        replaces=result.replaces, names=result.names, local_codes=result.local_codes, addresses=result.addresses,
        created_by=actor,
    )  # fmt: skip
    _save_certifications(changes, as_of=as_of)
    OffsetTransaction.objects.bulk_create([
        OffsetTransaction(submission=submission, certification=certification, transaction=out.transaction.value,
                          case_type=out.case_type.value, case_number=out.case_id, amount=out.arrearage_dollars,
                          exclusions=",".join(out.exclusions), ssn_index=ssn_index)
        for certification, out, ssn_index in changes
    ])  # fmt: skip
    record_audits([
        audit_event(actor=actor, action="person.ssn_disclosed", target=people[pk], summary=people[pk].ssn_masked,
                    after={"source": "federal offset submission"})
        for pk in sorted(disclosed)
    ] + [audit_event(actor=actor, action="enforcement.offset_submitted", target=submission,
                     after={"as_of": as_of.isoformat(), "adds": result.adds, "modifies": result.modifies,
                            "deletes": result.deletes, "replaces": result.replaces, "names": result.names,
                            "local_codes": result.local_codes, "addresses": result.addresses})])  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"fop-submission-{as_of:%Y%m%d}-{submission.pk}.txt"
    submission.file_name = path.name
    submission.save(update_fields=["file_name"])
    path.write_text(fop.write_submission(records, submitting_state=state), encoding="ascii")
    path.chmod(0o600)  # full SSNs
    result.path = path
    log.info("federal offset submission as of %s: %d adds, %d modifies, %d replaces, %d deletes, %d names, "
             "%d local codes, %d addresses", as_of, result.adds, result.modifies, result.replaces, result.deletes,
             result.names, result.local_codes, result.addresses)  # fmt: skip
    return result


def _name_and_address_changes(
    held: dict[tuple[int, fop.CaseType], OffsetCertification],
    added: set[tuple[int, fop.CaseType]],
    wanted: dict[tuple[int, fop.CaseType], _Wanted],
    people: dict[int, Person],
    addresses: dict[int, Address],
    *,
    record: Callable[..., fop.SubmissionRecord],
    records: list[fop.SubmissionRecord],
    changes: list[tuple[OffsetCertification, fop.SubmissionRecord, str]],
    adopted: list[OffsetCertification],
    result: SubmissionResult,
) -> None:
    """B and Z: the obligor's name and address on file now against what the certifications still held (not
    added in this run: an add carries both) last carried. OCSE applies a name or address change to the
    obligor's other case type too (release 02-02), so one record per obligor, on its first held case type, and
    the value kept on every one. An address goes out only complete (release 03-01: a Z without one is
    rejected), never for a person with the family violence indicator; a blank address cannot be sent, so an
    address ended or made protected stays at OCSE as it was (docs/enforcement.md)."""
    kept: dict[int, list[OffsetCertification]] = defaultdict(list)
    for key in sorted(held, key=lambda k: (k[0], k[1].value)):
        if held[key].active and key not in added and key in wanted:
            kept[key[0]].append(held[key])
    for obligor_id, certifications in kept.items():
        person, first = people[obligor_id], certifications[0]
        name = fop.sent_name(person.last_name, person.first_name)
        address = addresses.get(obligor_id)
        current = None  # the complete address to send, else None (nothing to send)
        if (
            address is not None
            and not person.family_violence
            and fop.is_complete_address(address.line1, address.line2, address.city, address.state)
        ):
            current = fop.sent_address(address.line1, address.line2, address.city, address.state,
                                       address.postal_code)  # fmt: skip
        kinds = []
        if any(c.last_name is not None and (c.last_name, c.first_name) != name for c in certifications):
            kinds.append(fop.Transaction.NAME)
            result.names += 1
        if current is not None and any(c.address is not None and c.address != current for c in certifications):
            kinds.append(fop.Transaction.ADDRESS)
            result.addresses += 1
        for certification in certifications:
            if kinds or certification.last_name is None or certification.address is None:
                adopted.append(certification)  # saved with the new values (each type: OCSE changed both)
            certification.last_name, certification.first_name = name
            if current is not None or certification.address is None:
                certification.address = current or ""
        want = wanted[(obligor_id, fop.CaseType(first.case_type))]
        for kind in kinds:
            out = record(first.ssn_encrypted, person, fop.CaseType(first.case_type), kind, first.amount,
                         first.case_number, first.local_code or want.local_code, want.notice_on,
                         first.exclusions)  # fmt: skip
            changes.append((first, out, first.ssn_index))
            records.append(out)


def notice_addresses(person_ids: set[int]) -> dict[int, Address]:
    """Each person's address for the offset notices, in one query: a current (not ended, not bad) mailing
    address, else a residential one; verified first, then the latest. The caller leaves it out for a person
    with the family violence indicator (it never leaves the system)."""
    rank: dict[str, int] = {Address.Kind.MAILING: 0, Address.Kind.RESIDENTIAL: 1}
    found: dict[int, Address] = {}
    rows = Address.objects.filter(person_id__in=person_ids, ended_on__isnull=True, kind__in=list(rank)).exclude(
        verification=Address.Verification.BAD
    )
    for address in sorted(rows, key=lambda a: (rank[a.kind], a.verification != Address.Verification.VERIFIED,
                                               -a.effective_on.toordinal(), -a.pk)):  # fmt: skip
        found.setdefault(address.person_id, address)
    return found


def _save_certifications(changes: list[tuple[OffsetCertification, fop.SubmissionRecord, str]], *,
                         as_of: date) -> None:  # fmt: skip
    """The new certifications in one insert, the changed ones in one update (a delete then an add on a new
    SSN change the same row twice: its last state wins)."""
    final: dict[int, OffsetCertification] = {}
    for certification, out, _ in changes:
        certification.last_transaction, certification.last_submitted_on = out.transaction.value, as_of
        final[id(certification)] = certification
    existing = [c for c in final.values() if c.pk is not None]
    OffsetCertification.objects.bulk_create([c for c in final.values() if c.pk is None])
    fields = ["ssn_encrypted", "ssn_index", "case_number", "amount", "active", "exclusions", "last_transaction",
              "last_submitted_on", "last_name", "first_name", "local_code", "address"]  # fmt: skip
    OffsetCertification.objects.bulk_update(existing, fields)


# --- Collections read back -------------------------------------------------------------------------------


def proportional_split(amount: Decimal, weights: dict[int, Decimal]) -> dict[int, Decimal]:
    """`amount` divided over the keys in proportion to their positive weights, in cents: each share rounded
    down, then the cents left over one each to the largest remainders (ties: the lower key). Sums exactly."""
    positive = {key: weight for key, weight in weights.items() if weight > 0}
    assert positive and amount > 0
    total = sum(positive.values(), ZERO)
    cents = int(amount / CENT)
    exact = {key: Decimal(cents) * weight / total for key, weight in sorted(positive.items())}
    shares = {key: int(value) for key, value in exact.items()}
    left = cents - sum(shares.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - shares[k]), k))[:left]:
        shares[key] += 1
    return {key: Decimal(share) * CENT for key, share in shares.items() if share > 0}


def read_offset_file(path: Path) -> str:
    """The text of an offset file (federal or State): refused whole when too large or not plain ASCII."""
    if path.stat().st_size > FILE_SIZE_MAXIMUM:
        raise InvalidInput(f"is larger than {FILE_SIZE_MAXIMUM // (1024 * 1024)} MB", field="file")
    try:
        return path.read_text(encoding="ascii")
    except UnicodeDecodeError:
        raise InvalidInput("is not plain text (ASCII)", field="file") from None


@transaction.atomic
def import_collections(*, actor: User, path: Path, received_on: date) -> PaymentImport:
    """Read a Collection and Adjustment file received on `received_on` and post its offsets (module doc)."""
    require(actor, "ledger.post")
    text = read_offset_file(path)
    parsed = fop.read_collections(text)
    collections = [r for r in parsed.records if not r.is_adjustment]
    payment_import = PaymentImport.objects.create(
        file_id=hashlib.sha256(text.encode("ascii")).hexdigest()[:120], file_name=path.name[:200], file_format="fop",
        imported_by=actor, records=len(parsed.records), rejected=len(parsed.rejected),
        total_amount=sum((r.collection_amount for r in collections), ZERO),
    )  # fmt: skip
    rejections = [
        ImportRejection(payment_import=payment_import, line_number=line.line_number, reason=line.reason[:300],
                        raw=line.raw[:300])
        for line in parsed.rejected
    ]  # fmt: skip
    seen = set(
        OffsetCollection.objects.filter(import_key__in=[r.key for r in parsed.records]).values_list(
            "import_key", flat=True
        )
    )
    fresh = []
    for record in parsed.records:
        if record.key in seen:
            payment_import.duplicates += 1
        else:
            seen.add(record.key)
            fresh.append(record)
    people = _obligors(fresh)
    shares = _shares(fresh, people, received_on=received_on)
    kept: list[OffsetCollection] = []
    items: list[CollectionInput] = []
    joint: list[tuple[fop.CollectionRecord, list[int]]] = []
    for record in fresh:
        row = OffsetCollection(
            import_key=record.key, payment_import=payment_import, line_number=record.line_number,
            obligor_id=people.get(record.ssn), case_type=record.case_type.value,
            amount=record.collection_amount or record.adjustment_amount, collected_on=record.collection_date,
            tax_year=record.tax_year, joint_return=record.joint_return, injured_spouse=record.injured_spouse,
            status=OffsetCollectionStatus.POSTED,
        )  # fmt: skip
        kept.append(row)
        if record.is_adjustment:
            row.status = OffsetCollectionStatus.ADJUSTMENT
            payment_import.notices += 1
            rejections.append(ImportRejection(
                payment_import=payment_import, line_number=record.line_number,
                reason=(f"adjustment of ${record.adjustment_amount:,} (tax year {record.tax_year}, SSN ending "
                        f"{record.ssn[-4:]}): not posted; an officer reverses the offset it takes back")[:300],
            ))  # fmt: skip
            continue
        split, reason = shares[record.key]
        if not split:
            row.status = OffsetCollectionStatus.SUSPENDED
            hold_in_suspense(actor=actor, amount=record.collection_amount, source=CollectionSource.FEDERAL_TAX_OFFSET,
                             collected_on=min(record.collection_date, received_on), received_on=received_on,
                             reason=f"line {record.line_number}: {reason}", payor_name=PAYOR,
                             reference=record.trace_number, import_key=record.key)  # fmt: skip
            payment_import.suspended += 1
            continue
        items += [
            CollectionInput(case_id=case_id, amount=amount, source=CollectionSource.FEDERAL_TAX_OFFSET,
                            collected_on=record.collection_date, received_on=received_on, payor_name=PAYOR,
                            reference=record.trace_number or f"tax year {record.tax_year}",
                            import_key=f"{record.key}#{case_id}", obligor_id=people[record.ssn])
            for case_id, amount in split.items()
        ]  # fmt: skip
        payment_import.posted += 1
        if record.joint_return:
            joint.append((record, sorted(split)))
    post_collections(items, actor=actor)
    OffsetCollection.objects.bulk_create(kept)
    ImportRejection.objects.bulk_create(rejections)
    _note_joint_returns(joint, actor=actor)
    payment_import.save(update_fields=["posted", "suspended", "duplicates", "notices"])
    record_audit(actor=actor, action="enforcement.offset_collections_imported", target=payment_import,
                 summary=path.name[:200],
                 after={"records": payment_import.records, "posted": payment_import.posted,
                        "suspended": payment_import.suspended, "duplicates": payment_import.duplicates,
                        "adjustments": payment_import.notices, "rejected": payment_import.rejected})  # fmt: skip
    return payment_import


def _obligors(records: list[fop.CollectionRecord]) -> dict[str, int | None]:
    """SSN -> the one person holding it (None when several do): one query."""
    indexes = {record.ssn: blind_index(record.ssn) for record in records}
    holders: dict[str, list[int]] = defaultdict(list)
    for index, pk in Person.objects.filter(ssn_index__in=set(indexes.values())).values_list("ssn_index", "pk"):
        holders[index].append(pk)
    found: dict[str, int | None] = {}
    for ssn, index in indexes.items():
        if holders.get(index):
            found[ssn] = holders[index][0] if len(holders[index]) == 1 else None
    return found


def _shares(
    records: list[fop.CollectionRecord], people: dict[str, int | None], *, received_on: date
) -> dict[str, tuple[dict[int, Decimal], str]]:
    """record key -> (case id -> amount, reason when empty): the split over the obligor's open cases in
    proportion to their arrears on `received_on` of the record's category, else of any category, else all to
    the case the record names. Three queries."""
    person_ids = {pk for pk in people.values() if pk is not None}
    cases: dict[int, list[int]] = defaultdict(list)
    members = CaseMember.objects.filter(
        person_id__in=person_ids, role=MemberRole.NONCUSTODIAL_PARENT, case__closed_on__isnull=True
    )
    for person_id, case_id in members.values_list("person_id", "case_id").distinct():
        cases[person_id].append(case_id)
    owed = arrears_by_category(case_ids=[c for ids in cases.values() for c in ids], as_of=received_on)
    numbers = dict(Case.objects.filter(pk__in=[c for ids in cases.values() for c in ids]).values_list("pk", "number"))
    result: dict[str, tuple[dict[int, Decimal], str]] = {}
    for record in records:
        if record.is_adjustment:
            continue
        if record.collection_date > received_on:
            result[record.key] = ({}, f"the collection date {record.collection_date} is after the date received")
            continue
        if record.ssn not in people:
            result[record.key] = ({}, "no person with that SSN")
            continue
        holder = people[record.ssn]
        if holder is None:
            result[record.key] = ({}, "several people hold that SSN: an officer must choose")
            continue
        open_cases = cases.get(holder, [])
        if not open_cases:
            result[record.key] = ({}, "the obligor with that SSN has no open case")
            continue
        same = {c: owed.get((c, record.case_type), ZERO) for c in open_cases}
        any_kind = {c: sum((owed.get((c, t), ZERO) for t in fop.CaseType), ZERO) for c in open_cases}
        named = [c for c in open_cases if numbers.get(c) == record.case_id] or [min(open_cases)]
        for weights in (same, any_kind, {named[0]: Decimal(1)}):
            if any(weight > 0 for weight in weights.values()):
                result[record.key] = (proportional_split(record.collection_amount, weights), "")
                break
    return result


def _note_joint_returns(joint: list[tuple[fop.CollectionRecord, list[int]]], *, actor: User) -> None:
    if not joint:
        return
    cases = Case.objects.in_bulk({case_id for _, ids in joint for case_id in ids})
    for record, case_ids in joint:
        claim = "an injured spouse claim was processed" if record.injured_spouse else "no injured spouse claim known"
        for case_id in case_ids:
            add_system_note(
                actor=actor,
                case=cases[case_id],
                text=f"Federal tax refund offset of ${record.collection_amount:,} (tax year {record.tax_year}) came "
                f"from a joint return ({claim}). The State may delay distributing a joint-return offset "
                "(45 CFR 303.72(h)); it was distributed when posted.",
                source_key=f"fop-joint:{record.key}:{case_id}"[:120],
            )


def certified_obligors(*, as_of: date) -> list[OffsetCertification]:
    """The certifications OCSE holds (for the officer's view and the tests)."""
    return list(OffsetCertification.objects.filter(Q(active=True), last_submitted_on__lte=as_of).order_by("pk"))
