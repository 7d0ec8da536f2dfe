"""Income withholding orders sent electronically (e-IWO, OMB 0970-0154) to the employers that take them, and the
employers' acknowledgments. The file layouts are `opencse.interfaces.eiwo` (pure); docs/interfaces/eiwo.md.

- `mark_eiwo_employer`: an employer takes e-IWO from a date (`EiwoEmployer`).
- `write_eiwo_file`: one file with every order dated `on` whose employer takes e-IWO and that no file carried
  yet; a control number per file (Chart D-1: unique, never reused) and per employer batch. The record carries
  the employee's full SSN (Chart D-3), decrypted here; each order's SSN leaving the system is audited.
  Idempotent: each order goes once (`EiwoTransmission`, one-to-one); a second run for the date writes nothing.
- `record_acknowledgments`: the employer's ACK records, each on the order it answers (by the Document Tracking
  Number the file gave it): accepted, or rejected with the reason in words. A rejection opens a worklist task
  (`EiwoRejected`): the people app has no service to end a job, and a rejection (wrong FEIN, name mismatch,
  not known, no longer employed) needs an officer to verify before the employment or the order changes.
  Lines that cannot be recorded are kept with their line number and why, never their text (`EiwoAckProblem`).
  Employer notices (action EMP: a lump sum to be paid, a job ended, a suspension) are recorded on the orders they
  concern (`EiwoEmployerNotice`, matched by tracking number, else by SSN and FEIN) and open a task each
  (`EiwoEmployerNotices`). Idempotent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from opencse.cases.models import CaseMember, MemberRole
from opencse.cases.selectors import visible_cases
from opencse.common.events import publish
from opencse.common.states import state_name
from opencse.common.validation import check_not_future
from opencse.enforcement.events import EiwoEmployerNotices, EiwoRejected, EmployerNoticeReceived
from opencse.enforcement.models import (
    Action,
    EiwoAcknowledgment,
    EiwoAckProblem,
    EiwoEmployer,
    EiwoEmployerNotice,
    EiwoFile,
    EiwoTransmission,
    EmployerNoticeKind,
    IncomeWithholding,
)
from opencse.errors import Conflict, InvalidInput
from opencse.interfaces import eiwo as layout
from opencse.people.models import Employer, Person
from opencse.security.audit import audit_event, record_audit, record_audits
from opencse.security.crypto import blind_index, decrypt
from opencse.security.models import User
from opencse.security.policy import require

STATE_FIPS = {"MS": "28", "WA": "53"}  # FIPS 5-2 State codes of the States this system serves


@transaction.atomic
def mark_eiwo_employer(*, actor: User, employer: Employer, since: date) -> EiwoEmployer:
    """The employer takes income withholding orders electronically from `since` (idempotent for the same date)."""
    require(actor, "enforcement.withhold")
    existing = EiwoEmployer.objects.filter(employer=employer).first()
    if existing is not None:
        if existing.since != since:
            raise Conflict(f"{employer.name} takes e-IWO since {existing.since:%m/%d/%Y} already.")
        return existing
    if not employer.fein:
        raise InvalidInput("An e-IWO employer needs its FEIN (the batch is by FEIN).", field="employer")
    marked = EiwoEmployer.objects.create(employer=employer, since=since, marked_by=actor)
    record_audit(actor=actor, action="eiwo.employer_marked", target=marked,
                 summary=f"{employer.name} takes e-IWO", after={"since": since.isoformat()})  # fmt: skip
    return marked


@transaction.atomic
def mark_eiwo_employers_by_fein(*, actor: User, fein: str, since: date) -> list[EiwoEmployer]:
    """Every employer on file with this FEIN takes e-IWO from `since` (the e-IWO batch is by FEIN, so an employer
    entered twice, or by two offices, is marked once for all its records). Idempotent for the same date."""
    require(actor, "enforcement.withhold")
    digits = "".join(character for character in fein if character.isdigit())
    if len(digits) != 9:
        raise InvalidInput("a FEIN is 9 digits (12-3456789)", field="fein")
    check_not_future(since, field="since")
    employers = list(Employer.objects.filter(fein__in=[digits, f"{digits[:2]}-{digits[2:]}"]).order_by("pk"))
    if not employers:
        raise InvalidInput(f"no employer on file has the FEIN {digits[:2]}-{digits[2:]}", field="fein")
    return [mark_eiwo_employer(actor=actor, employer=employer, since=since) for employer in employers]


@dataclass(frozen=True)
class EiwoOverview:
    """What the e-IWO page shows: the employers taking it, the last files, the employers' rejections on the cases
    the viewer sees, and the acknowledgment lines that could not be read."""

    employers: list[EiwoEmployer]
    files: list[EiwoFile]
    rejections: list[EiwoAcknowledgment]
    employer_notices: list[EiwoEmployerNotice]
    problems: list[EiwoAckProblem]


def eiwo_overview(*, viewer: User, limit: int = 50) -> EiwoOverview:
    """Five queries, each bounded: the employers, the last 20 files with their acknowledgment counts, the last
    `limit` rejections and employers' own notices (only on cases the viewer may see), the last `limit` problem
    lines (no line text: an acknowledgment carries the employee's SSN)."""
    require(viewer, "enforcement.view")
    files = EiwoFile.objects.annotate(
        accepted=Count("transmissions__acknowledgments", filter=Q(transmissions__acknowledgments__accepted=True)),
        rejected=Count("transmissions__acknowledgments", filter=Q(transmissions__acknowledgments__accepted=False)),
    ).order_by("-on", "-pk")[:20]
    rejections = (
        EiwoAcknowledgment.objects.filter(accepted=False, transmission__withholding__case__in=visible_cases(viewer))
        .select_related("transmission__withholding__case", "transmission__withholding__employer")
        .order_by("-received_on", "-pk")[:limit]
    )
    notices = (
        EiwoEmployerNotice.objects.filter(withholding__case__in=visible_cases(viewer))
        .select_related("withholding__case", "withholding__employer")
        .order_by("-received_on", "-pk")[:limit]
    )
    return EiwoOverview(
        employers=list(EiwoEmployer.objects.select_related("employer", "marked_by").order_by("employer__name")),
        files=list(files),
        rejections=list(rejections),
        employer_notices=list(notices),
        problems=list(EiwoAckProblem.objects.order_by("-received_on", "-pk")[:limit]),
    )


def _state() -> str:
    return str(settings.OPENCSE_STATE).upper()


def _sdu_address() -> layout.Address:
    """OPENCSE_SDU_ADDRESS is "line|City, ST 12345" (settings): the last line is the city, State and ZIP."""
    lines = [line.strip() for line in str(settings.OPENCSE_SDU_ADDRESS).split("|") if line.strip()]
    city_line = lines.pop() if len(lines) > 1 else ""
    city, _, rest = city_line.partition(",")
    state, _, postal = rest.strip().partition(" ")
    return layout.Address(line1=lines[0] if lines else "", line2=" ".join(lines[1:]), city=city.strip(),
                          state=state, zip=postal.strip())  # fmt: skip


def tracking_number(withholding_id: int) -> str:
    """The DTL Document Tracking Number the state gives an order: the employer's ACK returns it."""
    return f"{_state()}IWO{withholding_id:012d}"


def _order(withholding: IncomeWithholding, ssn: str) -> layout.EiwoOrder:
    data: dict[str, Any] = withholding.document.data
    members = list(withholding.case.members.all())  # prefetched: the current members with their persons
    obligee = next((m.person for m in members if m.role == MemberRole.CUSTODIAL_PARTY), None)
    children = [m.person for m in members if m.role == MemberRole.DEPENDENT_CHILD]
    employee: Person = withholding.obligor
    employer = withholding.employer
    state = _state()
    return layout.EiwoOrder(
        action=withholding.action,
        document_date=withholding.dated_on,
        issuing_state_name=state_name(state),
        issuing_jurisdiction_name=str(data.get("issuing_jurisdiction", "")),
        case_id=withholding.case.number,
        employer_name=employer.name,
        employer_address=layout.Address(
            line1=employer.line1, city=employer.city, state=employer.state, zip=employer.postal_code
        ),
        employer_ein=employer.fein,
        employee_last=employee.last_name,
        employee_first=employee.first_name,
        employee_middle=employee.middle_name,
        employee_suffix=employee.suffix,
        employee_ssn=ssn,
        employee_birth_date=employee.date_of_birth,
        obligee_last=obligee.last_name if obligee else "",
        obligee_first=obligee.first_name if obligee else "",
        issuing_tribunal_name=str(data.get("issuing_jurisdiction", "")),
        current_child_support=withholding.current_child_support,
        past_due_child_support=withholding.past_due_child_support,
        current_medical_support=withholding.current_cash_medical_support,
        current_spousal_support=withholding.current_spousal_support,
        other_amount=withholding.other,
        other_description=withholding.other_description,
        total_amount=withholding.total_monthly,
        arrears_over_12_weeks=withholding.arrears_over_12_weeks,
        per_weekly=withholding.per_weekly,
        per_biweekly=withholding.per_biweekly,
        per_semimonthly=withholding.per_semimonthly,
        per_monthly=withholding.per_monthly,
        employer_state_name=state_name(employer.state),
        begin_within_days=withholding.begin_within_days,
        remit_within_days=withholding.remit_within_business_days,
        limit_percent=withholding.limit_percent,
        payee_name=str(settings.OPENCSE_SDU_NAME),
        payee_address=_sdu_address(),
        official_name=str(data.get("issued_by", "")),
        official_title=str(data.get("issuer_title", "")),
        send_employee_copy=data.get("employee_copy") == "Yes",
        document_tracking_number=tracking_number(withholding.pk),
        order_identifier=str(data.get("order_id", withholding.case.number)),
        remittance_identifier=str(data.get("remittance_id", withholding.case.number)),
        children=[
            layout.EiwoChild(
                last=c.last_name, first=c.first_name, middle=c.middle_name, suffix=c.suffix, birth_date=c.date_of_birth
            )
            for c in children[: layout.CHILDREN]
        ],
        lump_sum_amount=withholding.lump_sum,
    )


@dataclass
class EiwoWritten:
    on: date
    file: EiwoFile | None = None
    path: Path | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (case number, why not sent)


def orders_due(*, on: date) -> list[IncomeWithholding]:
    """The orders dated `on` to employers taking e-IWO by then, that no e-IWO file carried: one query (and one
    for the members of their cases)."""
    members = CaseMember.objects.filter(left_on__isnull=True).select_related("person").order_by("pk")
    return list(
        IncomeWithholding.objects.filter(dated_on=on, employer__eiwo__since__lte=on, eiwo_transmission__isnull=True)
        .select_related("case", "obligor", "employer", "document")
        .defer("document__pdf")
        .prefetch_related(Prefetch("case__members", queryset=members))
        .order_by("employer__fein", "pk")
    )


def _control_number(on: date) -> str:
    """FIPS + "000" (Chart D-1's recommended start), the date, and the day's sequence: 16 characters."""
    prefix = f"{STATE_FIPS.get(_state(), '00')}000{on:%Y%m%d}"
    sequence = EiwoFile.objects.filter(control_number__startswith=prefix).count() + 1
    return f"{prefix}{sequence:03d}"


@transaction.atomic
def write_eiwo_file(*, actor: User, on: date, out_dir: Path) -> EiwoWritten:
    """Write the e-IWO file of the orders dated `on` (none due: no file) and record which file carried each."""
    require(actor, "enforcement.withhold")
    result = EiwoWritten(on=on)
    due = orders_due(on=on)
    orders: list[tuple[IncomeWithholding, layout.EiwoOrder]] = []
    for withholding in due:
        ssn = decrypt(withholding.obligor.ssn_encrypted) if withholding.obligor.ssn_encrypted else ""
        if not ssn:  # Chart D-3: the employee's SSN is required; the PDF order still went
            result.skipped.append((withholding.case.number, "the employee's SSN is not on file"))
            continue
        orders.append((withholding, _order(withholding, ssn)))
    if not orders:
        return result
    control = _control_number(on)
    now = timezone.localtime()
    batches: list[layout.EiwoBatch] = []
    batch_of: dict[int, str] = {}
    for fein in sorted({order.employer_ein for _, order in orders}):
        batch_control = f"{control}{len(batches) + 1:04d}"
        batch = [(w, order) for w, order in orders if order.employer_ein == fein]
        batches.append(layout.EiwoBatch(control_number=batch_control, employer_ein=fein, orders=[o for _, o in batch]))
        batch_of |= {w.pk: batch_control for w, _ in batch}
    text = layout.write_file(
        layout.EiwoFile(control_number=control, state_fips=f"{STATE_FIPS.get(_state(), '00')}000",
                        state_ein=str(settings.OPENCSE_SDU_COMPANY_ID)[1:], created_at=now, batches=batches)
    )  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"EIWO_{control}.txt"
    content = text.encode("ascii")
    eiwo_file = EiwoFile.objects.create(
        control_number=control, on=on, filename=path.name, sha256=hashlib.sha256(content).hexdigest(),
        orders=len(orders), written_by=actor,
    )  # fmt: skip
    EiwoTransmission.objects.bulk_create(
        EiwoTransmission(withholding=w, file=eiwo_file, batch_control_number=batch_of[w.pk],
                         tracking_number=tracking_number(w.pk)) for w, _ in orders
    )  # fmt: skip
    record_audits(
        [
            audit_event(
                actor=actor,
                action="eiwo.sent_with_ssn",
                target=w,
                case_number=w.case.number,
                summary=f"e-IWO file {control} carried the employee's full SSN to {w.employer.name}",
                after={"file": control, "person": w.obligor_id},
            )
            for w, _ in orders
        ]
    )
    path.write_bytes(content)  # last: a failure above rolls back and leaves no file behind
    result.file, result.path = eiwo_file, path
    return result


@dataclass
class AcksRecorded:
    received_on: date
    accepted: int = 0
    rejected: int = 0
    notices: int = 0
    already: int = 0
    problems: list[layout.BadLine] = field(default_factory=list)


def _address_text(address: layout.Address) -> str:
    place = " ".join(part for part in (address.state, address.zip) if part)
    return ", ".join(part for part in (address.line1, address.line2, address.city, place) if part)[:200]


def _money(amount: Decimal | None) -> str:
    return f"${amount:,.2f}" if amount is not None else ""


def _notice_words(ack: layout.Acknowledgment, withholding: IncomeWithholding) -> str:
    """The notice in words, for the worklist: what the employer said, the new employer as a lead."""
    employer = withholding.employer.name
    if ack.status == EmployerNoticeKind.LUMP_SUM:
        when = f" on {ack.lump_sum_date:%m/%d/%Y}" if ack.lump_sum_date else ""
        what = f" ({ack.lump_sum_type.lower()})" if ack.lump_sum_type else ""
        return f"{employer} will pay a lump sum {_money(ack.lump_sum_amount)}{what}{when}".replace("  ", " ")
    if ack.status == EmployerNoticeKind.SUSPENSION:
        return f"{employer} reports the employee suspended or on leave"
    words = f"{employer}: job ended" + (f" {ack.termination_date:%m/%d/%Y}" if ack.termination_date else "")
    if ack.final_payment_date or ack.final_payment_amount is not None:
        final_on = f" {ack.final_payment_date:%m/%d/%Y}" if ack.final_payment_date else ""
        words += f"; final pay{final_on} {_money(ack.final_payment_amount)}".rstrip()
    if ack.new_employer_name:
        address = _address_text(ack.new_employer_address)
        words += f"; new employer {ack.new_employer_name}" + (f", {address}" if address else "")
    return words


def _fein_forms(digits: str) -> list[str]:
    return [digits, f"{digits[:2]}-{digits[2:]}"]


def _orders_of_notices(
    notices: list[layout.Acknowledgment], transmissions: dict[str, EiwoTransmission]
) -> tuple[dict[int, list[IncomeWithholding]], list[layout.BadLine]]:
    """The orders each employer notice concerns (by line number): the order its tracking number names, or, when
    the employer gives none (it may have received a paper order, or none from this State's e-IWO), each case's
    periodic order in force to an employer with the record's FEIN, of the person holding the record's SSN (Kansas
    LeB589 matches these notices by the SSN); a case ID narrows it to that case. Three queries at most."""
    found: dict[int, list[IncomeWithholding]] = {}
    bad: list[layout.BadLine] = []
    by_ssn = [n for n in notices if not n.tracking_number]
    index_of = {n.line_number: blind_index(n.employee_ssn) for n in by_ssn}
    persons: dict[str, set[int]] = {}
    for pk, index in Person.objects.filter(ssn_index__in=set(index_of.values())).values_list("pk", "ssn_index"):
        persons.setdefault(index, set()).add(pk)
    candidates = (
        IncomeWithholding.objects.filter(
            obligor_id__in={pk for ids in persons.values() for pk in ids},
            action__in=[Action.ORIGINAL, Action.AMENDED, Action.TERMINATION],
            employer__fein__in={form for n in by_ssn for form in _fein_forms(n.employer_ein)},
        )
        .select_related("case", "employer")
        .order_by("dated_on", "pk")
        if by_ssn
        else IncomeWithholding.objects.none()
    )
    latest: dict[tuple[int, int, str], IncomeWithholding] = {}  # (obligor, case, FEIN digits): the last order
    for order in candidates:
        fein = "".join(ch for ch in order.employer.fein if ch.isdigit())
        latest[(order.obligor_id, order.case_id, fein)] = order
    for notice in notices:
        if notice.tracking_number:
            sent = transmissions.get(notice.tracking_number)
            if sent is None:
                bad.append(layout.BadLine(notice.line_number, notice.text, "no order was sent with tracking number "
                                          f"{notice.tracking_number}"))  # fmt: skip
            elif notice.case_id and notice.case_id != sent.withholding.case.number:
                bad.append(layout.BadLine(notice.line_number, notice.text, f"case {notice.case_id} is not the case "
                                          f"of order {notice.tracking_number}"))  # fmt: skip
            else:
                found[notice.line_number] = [sent.withholding]
            continue
        fein = notice.employer_ein
        if not (len(fein) == 9 and fein.isdigit()):
            bad.append(layout.BadLine(notice.line_number, notice.text, "an employer's notice without a tracking "
                                      "number needs the employer's FEIN"))  # fmt: skip
            continue
        owners = persons.get(index_of[notice.line_number], set())
        orders = [
            order for (obligor, _, order_fein), order in latest.items()
            if obligor in owners and order_fein == fein and order.action != Action.TERMINATION
            and (not notice.case_id or order.case.number == notice.case_id)
        ]  # fmt: skip
        if orders:
            found[notice.line_number] = sorted(orders, key=lambda order: order.pk)
        else:
            on_case = f" on case {notice.case_id}" if notice.case_id else ""
            bad.append(layout.BadLine(notice.line_number, notice.text, "no income withholding order in force for this "
                                      f"employee at FEIN {fein[:2]}-{fein[2:]}{on_case}"))  # fmt: skip
    return found, bad


def _record_notices(
    *,
    actor: User,
    notices: list[layout.Acknowledgment],
    transmissions: dict[str, EiwoTransmission],
    received_on: date,
    digest: dict[int, str],
    result: AcksRecorded,
) -> list[layout.BadLine]:
    """Record each employer notice on the orders it concerns and tell the worklist; the lines not matched back."""
    orders_of, bad = _orders_of_notices(notices, transmissions)
    withholding_ids = {order.pk for orders in orders_of.values() for order in orders}
    seen = set(
        EiwoEmployerNotice.objects.filter(withholding_id__in=withholding_ids).values_list("withholding_id",
                                                                                          "line_digest")
    )  # fmt: skip
    new: list[EiwoEmployerNotice] = []
    for notice in notices:
        for order in orders_of.get(notice.line_number, []):
            key = (order.pk, digest[notice.line_number])
            if key in seen:
                result.already += 1
                continue
            seen.add(key)
            new.append(EiwoEmployerNotice(
                withholding=order, kind=notice.status, received_on=received_on, employer_ein=notice.employer_ein,
                tracking_number=notice.tracking_number, termination_date=notice.termination_date,
                final_payment_date=notice.final_payment_date, final_payment_amount=notice.final_payment_amount,
                new_employer_name=notice.new_employer_name,
                new_employer_address=_address_text(notice.new_employer_address),
                lump_sum_date=notice.lump_sum_date, lump_sum_amount=notice.lump_sum_amount,
                lump_sum_type=notice.lump_sum_type, in_words=_notice_words(notice, order)[:200],
                line_digest=digest[notice.line_number],
            ))  # fmt: skip
    created = EiwoEmployerNotice.objects.bulk_create(new)
    if created and created[0].pk is None:  # a database that returns no keys on bulk insert
        created = list(EiwoEmployerNotice.objects.filter(line_digest__in={row.line_digest for row in new})
                       .select_related("withholding__case", "withholding__employer"))  # fmt: skip
    result.notices = len(created)
    record_audits(
        [
            audit_event(actor=actor, action="eiwo.employer_notice", target=row.withholding,
                        case_number=row.withholding.case.number, summary=f"Employer's e-IWO notice: {row.in_words}",
                        after={"received_on": received_on.isoformat(), "kind": row.kind})
            for row in created
        ]
    )  # fmt: skip
    if created:
        publish(EiwoEmployerNotices(received_on=received_on, items=tuple(
            EmployerNoticeReceived(case_id=row.withholding.case_id, notice_id=row.pk, kind=row.kind,
                                   words=row.in_words, act_by=row.lump_sum_date)
            for row in created
        )))  # fmt: skip
    return bad


@transaction.atomic
def record_acknowledgments(*, actor: User, text: str, filename: str, received_on: date) -> AcksRecorded:
    """Record each ACK on the order it answers and each employer notice (EMP) on the orders it concerns; keep and
    report, by line number, the lines that cannot be (idempotent: a file read again adds nothing)."""
    require(actor, "enforcement.withhold")
    result = AcksRecorded(received_on=received_on)
    file_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    records, bad = layout.parse_acknowledgments(text.splitlines())
    acks = [record for record in records if not record.is_notice]
    notices = [record for record in records if record.is_notice]
    transmissions = {
        t.tracking_number: t
        for t in EiwoTransmission.objects.filter(
            tracking_number__in=[r.tracking_number for r in records if r.tracking_number]
        ).select_related("withholding__case", "withholding__employer")
    }  # fmt: skip
    digest = {r.line_number: hashlib.sha256(r.text.encode("utf-8")).hexdigest() for r in records}
    seen = set(
        EiwoAcknowledgment.objects.filter(transmission__in=transmissions.values()).values_list(
            "transmission_id", "line_digest"
        )
    )
    new: list[EiwoAcknowledgment] = []
    for ack in acks:
        sent = transmissions.get(ack.tracking_number)
        if sent is None:
            bad.append(layout.BadLine(ack.line_number, ack.text, f"no order was sent with tracking number "
                                      f"{ack.tracking_number}"))  # fmt: skip
            continue
        if ack.case_id and ack.case_id != sent.withholding.case.number:
            bad.append(layout.BadLine(ack.line_number, ack.text, f"case {ack.case_id} is not the case of order "
                                      f"{ack.tracking_number} ({sent.withholding.case.number})"))  # fmt: skip
            continue
        if (sent.pk, digest[ack.line_number]) in seen:
            result.already += 1
            continue
        seen.add((sent.pk, digest[ack.line_number]))
        new.append(EiwoAcknowledgment(
            transmission=sent, received_on=received_on, accepted=ack.accepted, status=ack.status, reason=ack.reason,
            in_words=ack.in_words[:200], termination_date=ack.termination_date,
            final_payment_date=ack.final_payment_date, final_payment_amount=ack.final_payment_amount,
            new_employer_name=ack.new_employer_name, new_employer_address=_address_text(ack.new_employer_address),
            corrected_ein=ack.corrected_ein, multi_iwo_state=ack.multi_iwo_state, line_digest=digest[ack.line_number],
        ))  # fmt: skip
    created = EiwoAcknowledgment.objects.bulk_create(new)
    if created and created[0].pk is None:  # a database that returns no keys on bulk insert
        created = list(EiwoAcknowledgment.objects.filter(line_digest__in=[row.line_digest for row in new]))
    result.accepted = sum(1 for row in created if row.accepted)
    result.rejected = sum(1 for row in created if not row.accepted)
    record_audits(
        [
            audit_event(actor=actor, action="eiwo.acknowledged", target=row.transmission.withholding,
                        case_number=row.transmission.withholding.case.number,
                        summary=f"Employer's e-IWO acknowledgment: {row.in_words}",
                        after={"received_on": received_on.isoformat(), "status": row.status, "reason": row.reason})
            for row in created
        ]
    )  # fmt: skip
    rejected = tuple(
        (row.transmission.withholding.case_id, row.pk, _rejection_words(row)) for row in created if not row.accepted
    )
    if rejected:
        publish(EiwoRejected(received_on=received_on, items=rejected))
    bad += _record_notices(actor=actor, notices=notices, transmissions=transmissions, received_on=received_on,
                           digest=digest, result=result)  # fmt: skip
    EiwoAckProblem.objects.bulk_create(
        [EiwoAckProblem(file_sha256=file_sha, filename=filename[:200], line_number=line.line_number,
                        problem=line.problem[:300], received_on=received_on) for line in bad],
        ignore_conflicts=True,
    )  # fmt: skip
    result.problems = sorted(bad, key=lambda line: line.line_number)
    return result


def _rejection_words(row: EiwoAcknowledgment) -> str:
    """The rejection's reason with what the employer added: the corrected FEIN, the other State, the new employer."""
    words = row.in_words
    if row.corrected_ein:
        words += f"; corrected FEIN {row.corrected_ein[:2]}-{row.corrected_ein[2:]}"
    if row.multi_iwo_state:
        words += f"; order in place from {row.multi_iwo_state}"
    if row.termination_date:
        words += f"; job ended {row.termination_date:%m/%d/%Y}"
    if row.new_employer_name:
        words += f"; new employer {row.new_employer_name}"
    return words[:200]
