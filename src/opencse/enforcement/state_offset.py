"""State tax refund offset (42 U.S.C. 666(a)(3)(A); 45 CFR 303.102; Miss. Code Ann. 27-7-501 et seq., "Setoff
against income tax refund for debt owed for child support or maintenance"): the certification file to the
State's revenue department, and the offsets it sends back posted to the cases.

**Certification** (`build_certification`, `opencse enforcement state-offset-file --on DATE --out DIR`). The
due process is the generic action workflow's (`enforcement.actions`: the sweep proposes state_tax_offset at the
remedy's threshold, approval mails the notice, the contest window of rules/params/ms/remedies.yaml passes, an
officer takes the action; 45 CFR 303.102(d) requires the advance notice and the chance to contest). Every
obligor with a state_tax_offset action TAKEN on or before the date and not released is certified, once, with
the past-due support owed on the date: the arrears of the ledger (every arrears account: assigned and
unassigned, `offset.arrears_by_category`), summed over the obligor's cases with the action taken (Miss. Code
Ann. 27-7-509(1): "certify the amount of the debt or debts owed by each such debtor"), in dollars and cents.
Under the remedy's threshold (the lower of its two levels) the obligor is not certified (a certified one is
deleted). What was last sent is kept (`StateOffsetCertification`): the run writes A for a new certification,
U when the amount changed, D when the action was released or the arrears fell under the threshold, and D on
the old SSN then A on the new one when the SSN was corrected. A second run with nothing changed writes no file
and records nothing. The SSN is decrypted in one place (`_record`), with one audit row per person whose SSN
left the system. No address is sent (the revenue department has the taxpayer's own), so a protected
(family-violence) address can never be written.

**Offsets read back** (`import_offsets`, `opencse enforcement state-offset-collections FILE --received-on
DATE`). Each line (`interfaces.state_offset_file.read_offsets`; bad lines kept with their line numbers, the SSN
masked, in the import's problems, `ledger.ImportRejection`) is matched by SSN to the certified obligor (a
person who holds a state offset certification) and posted with source state_tax_offset through the ledger's
bulk path (`ledger.bulk.post_collections`), split across the obligor's open cases in proportion to their
arrears (`offset.proportional_split`), as the federal offset is. Not matched: held in suspense with the reason.
A joint return's offset is held in suspense, not distributed, with the reason "joint return" for an officer to
release once the other spouse's share is settled (Miss. Code Ann. 27-7-509(3) gives the spouse against whom no
debt is claimed notice and the chance to claim a share; the federal rule lets a State delay distributing a
joint-return offset, 45 CFR 303.72(h)). Idempotent: each line's key (its values and its occurrence in the
file, the SSN as a keyed blind index) is kept (`StateOffsetCollection`), so a re-read posts nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from opencse.cases.models import CaseMember, MemberRole
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.enforcement.offset import arrears_by_category, proportional_split, read_offset_file
from opencse.enforcement.state_offset_models import (
    StateOffsetCertification,
    StateOffsetCollection,
    StateOffsetCollectionStatus,
    StateOffsetSubmission,
    StateOffsetTransaction,
)
from opencse.interfaces import state_offset_file as layout
from opencse.ledger.bulk import CollectionInput, post_collections
from opencse.ledger.models import CollectionSource, ImportRejection, PaymentImport
from opencse.ledger.services import hold_in_suspense
from opencse.people.models import Person
from opencse.rules.money import ZERO
from opencse.rules.remedies import remedies
from opencse.security.audit import audit_event, record_audit, record_audits
from opencse.security.crypto import blind_index, decrypt
from opencse.security.models import User
from opencse.security.policy import require

log = logging.getLogger(__name__)
REMEDY = "state_tax_offset"
PAYOR = "State revenue department (tax refund offset)"
JOINT_RETURN_HELD = (
    "joint return: held, not distributed, until the other spouse's share is settled (Miss. Code Ann. 27-7-509(3))"
)


@dataclass
class CertificationResult:
    on: date
    adds: int = 0
    updates: int = 0
    deletes: int = 0
    path: Path | None = None  # None: nothing changed, no file
    not_certified: list[tuple[str, str]] = field(default_factory=list)  # (case number, reason)


@dataclass(frozen=True)
class _Wanted:
    amount: Decimal
    case_number: str  # the case owing the most


def threshold(*, on: date) -> Decimal:
    """The remedy's threshold on `on` (rules/params/<state>/remedies.yaml, state_tax_offset): the lower of its
    two levels, applied to the obligor's total (the State file has no case type)."""
    remedy = next(r for r in remedies(state=settings.OPENCSE_STATE, as_of=on) if r.key == REMEDY)
    return min(Decimal(level) for level in remedy.trigger["arrears_at_least"].values())


def wanted_certifications(*, on: date) -> dict[int, _Wanted]:
    """obligor id -> what to certify on `on`: the arrears summed over the obligor's cases with the action taken
    on or before `on` and still in force, at or over the threshold. Two queries."""
    rows = EnforcementAction.objects.filter(remedy=REMEDY, status=ActionStatus.TAKEN, taken_on__lte=on).values_list(
        "obligor_id", "case_id", "case__number"
    )
    cases = {case_id: (obligor_id, number) for obligor_id, case_id, number in rows}
    owed = arrears_by_category(case_ids=list(cases), as_of=on)
    by_case: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (case_id, _), amount in owed.items():
        by_case[case_id] += amount
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    largest: dict[int, tuple[Decimal, int, str]] = {}
    for case_id, (obligor_id, number) in cases.items():
        amount = by_case.get(case_id, ZERO)
        totals[obligor_id] += amount
        if obligor_id not in largest or (amount, -case_id) > largest[obligor_id][:2]:
            largest[obligor_id] = (amount, -case_id, number)
    level = threshold(on=on)
    return {
        obligor_id: _Wanted(amount=total, case_number=largest[obligor_id][2])
        for obligor_id, total in totals.items()
        if total > 0 and total >= level
    }


@transaction.atomic
def build_certification(*, actor: User, on: date, out_dir: Path) -> CertificationResult:
    """Compare what should be certified on `on` with what the revenue department holds, and write the changes
    as a certification file in `out_dir` (none when nothing changed)."""
    require(actor, "enforcement.act")
    result = CertificationResult(on=on)
    wanted = wanted_certifications(on=on)
    known = {
        c.obligor_id: c
        for c in StateOffsetCertification.objects.filter(Q(active=True) | Q(obligor_id__in=list(wanted)))
    }  # every certification held, and the ended ones of the obligors due now (added again on the same row)
    held = {obligor_id: c for obligor_id, c in known.items() if c.active}
    people = Person.objects.in_bulk(wanted.keys() | held.keys())
    state = settings.OPENCSE_STATE
    records: list[layout.CertificationRecord] = []
    changes: list[tuple[StateOffsetCertification, layout.CertificationRecord]] = []
    disclosed: set[int] = set()

    def _record(certification: StateOffsetCertification, ssn_encrypted: str, person: Person, kind: str,
                amount: Decimal, number: str) -> None:  # fmt: skip
        """The one place the SSN is decrypted: into the file, the person audited below."""
        disclosed.add(person.pk)
        out = layout.CertificationRecord(
            record_type=kind, submitting_agency=state, ssn=decrypt(ssn_encrypted), last_name=person.last_name,
            first_name=person.first_name, middle_name=person.middle_name, suffix=person.suffix, amount_owed=amount,
            case_number=number, certified_date=on,
        )  # fmt: skip
        records.append(out)
        changes.append((certification, out))

    for obligor_id in sorted(held.keys() | wanted.keys()):
        person, certified, want = people[obligor_id], held.get(obligor_id), wanted.get(obligor_id)
        ssn_changed = certified is not None and want is not None and certified.ssn_index != person.ssn_index
        if certified is not None and (want is None or ssn_changed):
            _record(certified, certified.ssn_encrypted, person, "D", ZERO, certified.case_number)
            certified.active, certified.amount = False, ZERO
            result.deletes += 1
            certified = None
        if want is None:
            continue
        if certified is None:
            if not person.ssn_encrypted:
                result.not_certified.append((want.case_number, "the obligor has no SSN on file"))
                continue
            certification = known.get(obligor_id) or StateOffsetCertification(obligor_id=obligor_id)
            certification.ssn_encrypted, certification.ssn_index = person.ssn_encrypted, person.ssn_index
            certification.active = True
            kind = "A"
            result.adds += 1
        elif certified.amount != want.amount:
            certification, kind = certified, "U"
            result.updates += 1
        else:
            continue
        certification.amount, certification.case_number = want.amount, want.case_number
        _record(certification, certification.ssn_encrypted, person, kind, want.amount, want.case_number)
    if not records:
        log.info("state tax offset certification on %s: nothing changed", on)
        return result
    submission = StateOffsetSubmission.objects.create(on=on, file_name="", adds=result.adds, updates=result.updates,
                                                      deletes=result.deletes, created_by=actor)  # fmt: skip
    _save_certifications(changes, on=on)
    StateOffsetTransaction.objects.bulk_create([
        StateOffsetTransaction(submission=submission, certification=certification, transaction=out.record_type,
                               case_number=out.case_number, amount=out.amount_owed)
        for certification, out in changes
    ])  # fmt: skip
    record_audits([
        audit_event(actor=actor, action="person.ssn_disclosed", target=people[pk], summary=people[pk].ssn_masked,
                    after={"source": "state tax offset certification"})
        for pk in sorted(disclosed)
    ] + [audit_event(actor=actor, action="enforcement.state_offset_certified", target=submission,
                     after={"on": on.isoformat(), "adds": result.adds, "updates": result.updates,
                            "deletes": result.deletes})])  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"state-tax-offset-{on:%Y%m%d}-{submission.pk}.csv"
    submission.file_name = path.name
    submission.save(update_fields=["file_name"])
    path.write_text(layout.write_certifications(records), encoding="ascii", newline="")
    path.chmod(0o600)  # full SSNs
    result.path = path
    log.info("state tax offset certification on %s: %d adds, %d updates, %d deletes", on, result.adds,
             result.updates, result.deletes)  # fmt: skip
    return result


def _save_certifications(changes: list[tuple[StateOffsetCertification, layout.CertificationRecord]], *,
                         on: date) -> None:  # fmt: skip
    """The new certifications in one insert, the changed ones in one update (a delete then an add on a new SSN
    change the same row twice: its last state wins)."""
    final: dict[int, StateOffsetCertification] = {}
    for certification, out in changes:
        certification.last_transaction, certification.last_submitted_on = out.record_type, on
        final[id(certification)] = certification
    StateOffsetCertification.objects.bulk_create([c for c in final.values() if c.pk is None])
    StateOffsetCertification.objects.bulk_update(
        [c for c in final.values() if c.pk is not None],
        ["ssn_encrypted", "ssn_index", "case_number", "amount", "active", "last_transaction", "last_submitted_on"],
    )


# --- The offsets read back -------------------------------------------------------------------------------


def _key(record: layout.OffsetRecord) -> str:
    material = (f"{blind_index(record.ssn)}|{record.amount}|{record.offset_date}|{record.tax_year}|"
                f"{record.joint_return}|{record.occurrence}")  # fmt: skip
    return "sto:" + hashlib.sha256(material.encode("ascii")).hexdigest()


@transaction.atomic
def import_offsets(*, actor: User, path: Path, received_on: date) -> PaymentImport:
    """Read a revenue department offset file received on `received_on` and post its offsets (module doc)."""
    require(actor, "ledger.post")
    text = read_offset_file(path)
    parsed = layout.read_offsets(text)
    payment_import = PaymentImport.objects.create(
        file_id=hashlib.sha256(text.encode("ascii")).hexdigest()[:120], file_name=path.name[:200],
        file_format="sto", imported_by=actor, records=len(parsed.records), rejected=len(parsed.bad),
        total_amount=sum((r.amount for r in parsed.records), ZERO),
    )  # fmt: skip
    rejections = [
        ImportRejection(payment_import=payment_import, line_number=bad.line_number, reason=bad.problem[:300],
                        raw=bad.text[:300])
        for bad in parsed.bad
    ]  # fmt: skip
    keys = {id(record): _key(record) for record in parsed.records}
    seen = set(
        StateOffsetCollection.objects.filter(import_key__in=list(keys.values())).values_list("import_key", flat=True)
    )
    fresh = []
    for record in parsed.records:
        if keys[id(record)] in seen:
            payment_import.duplicates += 1
        else:
            fresh.append(record)
    obligors = _certified_obligors(fresh)
    shares = _shares(fresh, obligors, received_on=received_on)
    kept: list[StateOffsetCollection] = []
    items: list[CollectionInput] = []
    for record in fresh:
        key = keys[id(record)]
        row = StateOffsetCollection(
            import_key=key, payment_import=payment_import, line_number=record.line_number,
            obligor_id=obligors.get(record.ssn), amount=record.amount, offset_on=record.offset_date,
            tax_year=record.tax_year, joint_return=record.joint_return, status=StateOffsetCollectionStatus.POSTED,
        )  # fmt: skip
        kept.append(row)
        split, reason = shares[key]
        if record.joint_return and split:
            row.status = StateOffsetCollectionStatus.HELD
            reason = JOINT_RETURN_HELD
        elif not split:
            row.status = StateOffsetCollectionStatus.SUSPENDED
        if not split or record.joint_return:
            hold_in_suspense(actor=actor, amount=record.amount, source=CollectionSource.STATE_TAX_OFFSET,
                             collected_on=min(record.offset_date, received_on), received_on=received_on,
                             reason=f"line {record.line_number}: {reason}", payor_name=PAYOR,
                             reference=f"tax year {record.tax_year}", import_key=key)  # fmt: skip
            payment_import.suspended += 1
            continue
        items += [
            CollectionInput(case_id=case_id, amount=amount, source=CollectionSource.STATE_TAX_OFFSET,
                            collected_on=record.offset_date, received_on=received_on, payor_name=PAYOR,
                            reference=f"tax year {record.tax_year}", import_key=f"{key}#{case_id}",
                            obligor_id=obligors[record.ssn])
            for case_id, amount in split.items()
        ]  # fmt: skip
        payment_import.posted += 1
    post_collections(items, actor=actor)
    StateOffsetCollection.objects.bulk_create(kept)
    ImportRejection.objects.bulk_create(rejections)
    payment_import.save(update_fields=["posted", "suspended", "duplicates"])
    record_audit(actor=actor, action="enforcement.state_offset_collections_imported", target=payment_import,
                 summary=path.name[:200],
                 after={"records": payment_import.records, "posted": payment_import.posted,
                        "suspended": payment_import.suspended, "duplicates": payment_import.duplicates,
                        "rejected": payment_import.rejected})  # fmt: skip
    return payment_import


def _certified_obligors(records: list[layout.OffsetRecord]) -> dict[str, int]:
    """SSN -> the obligor certified under it (the SSN the certification was sent under): one query."""
    indexes = {record.ssn: blind_index(record.ssn) for record in records}
    holders = dict(
        StateOffsetCertification.objects.filter(ssn_index__in=set(indexes.values())).values_list(
            "ssn_index", "obligor_id"
        )
    )
    return {ssn: holders[index] for ssn, index in indexes.items() if index in holders}


def _shares(
    records: list[layout.OffsetRecord], obligors: dict[str, int], *, received_on: date
) -> dict[str, tuple[dict[int, Decimal], str]]:
    """line key -> (case id -> amount, reason when empty): the split over the obligor's open cases in proportion
    to their arrears on `received_on`, else all on the oldest open case. Two queries."""
    cases: dict[int, list[int]] = defaultdict(list)
    members = CaseMember.objects.filter(
        person_id__in=set(obligors.values()), role=MemberRole.NONCUSTODIAL_PARENT, case__closed_on__isnull=True
    )
    for person_id, case_id in members.values_list("person_id", "case_id").distinct():
        cases[person_id].append(case_id)
    owed = arrears_by_category(case_ids=[c for ids in cases.values() for c in ids], as_of=received_on)
    by_case: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (case_id, _), amount in owed.items():
        by_case[case_id] += amount
    result: dict[str, tuple[dict[int, Decimal], str]] = {}
    for record in records:
        key = _key(record)
        if record.offset_date > received_on:
            result[key] = ({}, f"the offset date {record.offset_date} is after the date received")
        elif record.ssn not in obligors:
            result[key] = ({}, "no obligor certified for state tax offset under that SSN")
        elif not cases.get(obligors[record.ssn]):
            result[key] = ({}, "the certified obligor has no open case")
        else:
            open_cases = sorted(cases[obligors[record.ssn]])
            weights = {c: by_case.get(c, ZERO) for c in open_cases}
            if not any(weight > 0 for weight in weights.values()):
                weights = {open_cases[0]: Decimal(1)}
            result[key] = (proportional_split(record.amount, weights), "")
    return result
