"""Liens on the obligor's real and personal property and their release (docs/enforcement.md, "Liens and their
release"):

- 42 U.S.C. 666(a)(4): a lien arises by operation of law against the real and personal property of an obligor
  who owes overdue support; the liens of other States are given full faith and credit. What the agency does is
  record it where third parties will find it. Washington: RCW 74.20A.060 (assertion of the lien), 74.20A.070
  (its service). Mississippi: Miss. Code Ann. 93-11-71(1)-(2) (a judgment by operation of law arises for support
  unpaid 30 days; it is a lien on all real and personal property of the debtor, perfected as to third parties by
  enrollment on the judgment roll: the text read names the circuit clerk of the county).
- `file_lien`: when the lien action is taken (`actions.take_action`, inside its transaction), the officer says
  where it is recorded (the kind of property, its description, the county, the recording office) and the Notice
  of Lien is generated for the arrears owed that day, with the sworn statement of the delinquent support where the
  State's data asks for one (Mississippi: 93-11-71(2)); `add_lien` records one more (another county, a vehicle) on
  a taken action.
- The recording offices: a data file per State in `recording_offices/` (each county's office for real property,
  the vehicle title office, the sworn statement's citation); an office left blank for real property in a county of
  the list is filled in (`completed`); a county not listed is left to the officer.
- `record_recording`: the recording the clerk returns (date, book and page or instrument number).
- `liens_released` / `send_lien_releases`: every lien of a released lien action gets a Release of Lien
  for the same office and a worklist task to file it, whichever path released the action (the officer's release,
  the nightly sweep when paid, a bankruptcy stay); `record_release_filed` completes the task.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from opencse.cases.models import Case, MemberRole
from opencse.cases.services import add_system_note
from opencse.common.events import publish
from opencse.documents.models import Document
from opencse.documents.services import generate_document
from opencse.enforcement.events import LienReleaseFiled, LienReleasesToFile
from opencse.enforcement.lien_models import Lien, PropertyKind
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.enforcement.selectors import ARREARS_ACCOUNTS, action_on_case, arrears_owed
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.ledger.models import Account
from opencse.ledger.selectors import arrears_by_month, balances
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

LIEN = "lien"
NOTICE_KIND = "notice_of_lien"
RELEASE_KIND = "lien_release"
ZERO = Decimal("0.00")
DESCRIPTION_MAXIMUM = 300
OFFICE_MAXIMUM = 200
COUNTY_MAXIMUM = 60
RECORDING_MAXIMUM = 60
OFFICES = Path(__file__).with_name("recording_offices")
STATEMENT_KIND = "lien_sworn_statement"


@dataclass(frozen=True)
class LienProperty:
    """Where the officer records the lien: what property, where it lies (a county, for real property), with whom."""

    property_kind: str = ""
    property_description: str = ""
    county: str = ""
    recording_office: str = ""


# --- The recording offices (a data file per State: recording_offices/<state>.yaml) -------------------------------


@dataclass(frozen=True, slots=True)
class RecordingOffices:
    """A State's recording offices: each county's office for real property, the vehicle title office, and whether a
    sworn statement of the delinquent support goes with each Notice of Lien (its citation and the kinds of
    property), from the State's data file."""

    state: str
    counties: dict[str, str]  # the county's name as listed -> its office for real property
    unconfirmed_counties: frozenset[str]
    reference: str
    vehicle_office: str
    statement_citation: str  # "" where the State asks for no sworn statement
    statement_kinds: frozenset[str]


def recording_offices(state: str | None = None) -> RecordingOffices:
    """The offices of `state` (default: the installation's) from its data file; none for a State without one. A
    malformed file fails at the first read."""
    return _offices_of((state or str(settings.OPENCSE_STATE)).upper())


@lru_cache(maxsize=8)
def _offices_of(state: str) -> RecordingOffices:
    path = OFFICES / f"{state.lower()}.yaml"
    if not path.is_file():
        return RecordingOffices(state, {}, frozenset(), "", "", "", frozenset())
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["state"] == state, (path, raw["state"])
    real = raw["real_property"]
    counties, unconfirmed = {}, set()
    for name, item in real["counties"].items():
        item = item or {}
        pattern = real["two_districts"] if item.get("districts") == 2 else real["office"]
        counties[name] = item.get("office") or pattern.format(county=name)
        assert len(counties[name]) <= OFFICE_MAXIMUM and len(name) <= COUNTY_MAXIMUM, name
        if item.get("unconfirmed"):
            unconfirmed.add(name)
    vehicle = raw.get("motor_vehicle") or {}
    statement = raw.get("sworn_statement") or {}
    kinds = frozenset(statement.get("property_kinds") or ())
    assert kinds <= set(PropertyKind.values), kinds
    return RecordingOffices(
        state=state, counties=counties, unconfirmed_counties=frozenset(unconfirmed), reference=real["reference"],
        vehicle_office=vehicle.get("office", "") + (" (unconfirmed)" if vehicle.get("unconfirmed") else ""),
        statement_citation=statement.get("citation", ""), statement_kinds=kinds,
    )  # fmt: skip


def county_of(county: str) -> str:
    """The county as the State's list spells it ("hinds county" -> "Hinds"), or "" when it is not one of them."""
    wanted = " ".join(county.split()).lower().removesuffix(" county")
    return next((name for name in recording_offices().counties if name.lower() == wanted), "")


def county_office(county: str) -> str:
    """The office that records liens on real property in the State's county `county`; "" for a county not listed
    (another State's, a misspelling): the officer says where."""
    offices = recording_offices()
    name = county_of(county)
    if not name:
        return ""
    return offices.counties[name] + (" (unconfirmed)" if name in offices.unconfirmed_counties else "")


def suggested_office(property_kind: str, county: str = "") -> str:
    """The office the State's data names for a kind of property, to prefill the form (the officer may change it):
    real property, the county's office (`county_office`; "" for a county not listed, or none given); a motor
    vehicle, the title office (unconfirmed); other personal property, none."""
    if property_kind == PropertyKind.REAL_PROPERTY:
        return county_office(county)
    if property_kind == PropertyKind.MOTOR_VEHICLE:
        return recording_offices().vehicle_office
    return ""


def completed(lien: LienProperty | None) -> LienProperty | None:
    """Where the lien is recorded, with what the service fills in: a county of the State spelled as its list spells
    it, and, when the officer left the office blank, the county's office for real property (a county not listed
    is left to the officer: the office stays blank and is reported)."""
    if lien is None or lien.property_kind != PropertyKind.REAL_PROPERTY:
        return lien
    county = county_of(lien.county) or lien.county.strip()
    office = lien.recording_office.strip() or county_office(county)
    return replace(lien, county=county, recording_office=office)


def law() -> str:
    """The law the Notice and the Release cite (the State's, where it has its own statute)."""
    state = str(settings.OPENCSE_STATE).upper()
    if state == "WA":
        return "RCW 74.20A.060, 74.20A.070; 42 U.S.C. 666(a)(4)"
    if state == "MS":
        return "Miss. Code Ann. 93-11-71; 42 U.S.C. 666(a)(4)"
    return "42 U.S.C. 666(a)(4)"


def property_errors(lien: LienProperty | None) -> list[InvalidInput]:
    """Every problem with where the lien is recorded, at once (after the county's office is filled in: `completed`)."""
    lien = completed(lien)
    if lien is None:
        return [InvalidInput("say what property the lien is recorded against", field="property_kind")]
    errors = []
    if lien.property_kind not in PropertyKind.values:
        errors.append(InvalidInput("choose the kind of property", field="property_kind"))
    description = lien.property_description.strip()
    if not description:
        errors.append(InvalidInput("describe the property (the parcel's legal description or number, the "
                                   "vehicle's year, make and VIN)", field="property_description"))  # fmt: skip
    elif len(description) > DESCRIPTION_MAXIMUM:
        errors.append(InvalidInput(f"at most {DESCRIPTION_MAXIMUM} characters", field="property_description"))
    if lien.property_kind == PropertyKind.REAL_PROPERTY and not lien.county.strip():
        errors.append(InvalidInput("say the county where the real property lies", field="county"))
    elif len(lien.county.strip()) > COUNTY_MAXIMUM:
        errors.append(InvalidInput(f"at most {COUNTY_MAXIMUM} characters", field="county"))
    office = lien.recording_office.strip()
    if not office:
        unknown = lien.property_kind == PropertyKind.REAL_PROPERTY and lien.county.strip()
        errors.append(InvalidInput("say the office where the lien is recorded" + (
            f" (no office is on file for {lien.county.strip()} County)" if unknown else ""),
            field="recording_office"))  # fmt: skip
    elif len(office) > OFFICE_MAXIMUM:
        errors.append(InvalidInput(f"at most {OFFICE_MAXIMUM} characters", field="recording_office"))
    return errors


def lien_errors(*, action: EnforcementAction, lien: LienProperty | None, on: date,
                field: str = "taken_on") -> list[InvalidInput]:  # fmt: skip
    """The property's problems and the date's, at once (`actions.take_action` raises them together)."""
    errors = property_errors(lien)
    if on > timezone.localdate():
        errors.append(InvalidInput("cannot be in the future", field=field))
    elif action.contest_ends_on is not None and on <= action.contest_ends_on:
        errors.append(InvalidInput(f"must be after the contest window, which ends {action.contest_ends_on:%m/%d/%Y}",
                                   field=field))  # fmt: skip
    elif arrears_owed(action.case, on=on) <= ZERO:
        errors.append(InvalidInput(f"nothing is past due on {on:%m/%d/%Y}: there is no lien to record", field=field))
    return errors


def _notice_data(*, action: EnforcementAction, lien: LienProperty, on: date, amount: Decimal,
                 actor: User) -> dict[str, Any]:  # fmt: skip
    return {
        "case_number": action.case.number,
        "obligor": action.obligor,
        "amount": amount,
        "as_of": on,
        "property_kind": PropertyKind(lien.property_kind).label,
        "property_description": lien.property_description.strip(),
        "county": lien.county.strip(),
        "recording_office": lien.recording_office.strip(),
        "citation": law(),
        "issued_by": actor.get_full_name() or actor.username,
    }


def statement_citation(property_kind: str) -> str:
    """The State's law asking for a sworn statement of the delinquent support beside a Notice of Lien on this kind
    of property (its data file's `sworn_statement`), or "" where it asks for none."""
    offices = recording_offices()
    return offices.statement_citation if property_kind in offices.statement_kinds else ""


def _by_month(case: Case, *, on: date) -> list[dict[str, Any]]:
    """The arrears at the end of each of the last 12 months through `on` (the last row is `on` itself), from the
    first month with any: one grouped query (`ledger.selectors.arrears_by_month`)."""
    series = arrears_by_month(case=case, through=on, months=12)
    rows = [{"month_end": min(day, on), "owed": owed} for day, owed in series]
    while rows and rows[0]["owed"] == ZERO:
        rows.pop(0)
    return rows


def _sworn_statement(*, actor: User, action: EnforcementAction, lien: LienProperty, on: date,
                     owed: Decimal) -> Document | None:  # fmt: skip
    """The sworn statement of the delinquent support, beside the Notice of Lien, where the State asks for one:
    the arrears by account on `on` (their total is the notice's amount) and at each month's end."""
    citation = statement_citation(lien.property_kind)
    if not citation:
        return None
    case = action.case
    owed_by_account = balances(case=case, as_of=on)
    obligees = case.members.filter(role=MemberRole.CUSTODIAL_PARTY, left_on__isnull=True).select_related("person")
    orders = case.orders.order_by("-effective_on", "-pk").values_list("docket_number", "tribunal_name", "signed_on")
    data = {
        "case_number": case.number,
        "obligor": action.obligor,
        "obligee_names": ", ".join(member.person.full_name for member in obligees.order_by("pk")),
        "orders": [f"{docket} ({tribunal}), signed {signed:%m/%d/%Y}" for docket, tribunal, signed in orders],
        "as_of": on,
        "balances": [{"account": Account(account).label, "amount": owed_by_account[account]}
                     for account in ARREARS_ACCOUNTS if owed_by_account[account]],
        "total": owed,
        "by_month": _by_month(case, on=on),
        "property_kind": PropertyKind(lien.property_kind).label,
        "property_description": lien.property_description.strip(),
        "county": lien.county.strip(),
        "recording_office": lien.recording_office.strip(),
        "citation": citation,
        "affiant": actor.get_full_name() or actor.username,
    }  # fmt: skip
    return generate_document(
        actor=actor, case=case, kind=STATEMENT_KIND, dated_on=on, person=action.obligor,
        subject=f"{lien.recording_office.strip()}: {lien.property_description.strip()}"[:120],
        data={key: value for key, value in data.items() if value not in ("", [])},
    )  # fmt: skip


def file_lien(*, actor: User, action: EnforcementAction, on: date, lien: LienProperty | None) -> Lien:
    """The Notice of Lien for the arrears owed on `on` and the lien's record (called by `actions.take_action` for
    the lien remedy, inside its transaction, and by `add_lien`). Every problem is reported at once."""
    lien = completed(lien)
    errors = lien_errors(action=action, lien=lien, on=on)
    if errors:
        raise InvalidInputs(errors)
    assert lien is not None
    owed = arrears_owed(action.case, on=on)
    document = generate_document(
        actor=actor, case=action.case, kind=NOTICE_KIND, dated_on=on, person=action.obligor,
        subject=f"{lien.recording_office.strip()}: {lien.property_description.strip()}"[:120],
        data=_notice_data(action=action, lien=lien, on=on, amount=owed, actor=actor),
    )  # fmt: skip
    row = Lien.objects.create(
        action=action, property_kind=lien.property_kind, property_description=lien.property_description.strip(),
        county=lien.county.strip(), recording_office=lien.recording_office.strip(), dated_on=on, amount=owed,
        document=document, statement_document=_sworn_statement(actor=actor, action=action, lien=lien, on=on,
                                                               owed=owed),
        issued_by=actor,
    )  # fmt: skip
    record_audit(actor=actor, action="lien.filed", target=row, case_number=action.case.number,
                 summary=f"Notice of Lien for {row.recording_office}",
                 after={"dated_on": on.isoformat(), "amount": str(owed), "property_kind": row.property_kind,
                        "statement_document": row.statement_document_id})  # fmt: skip
    sworn = " and the sworn statement of the delinquent support" if row.statement_document_id else ""
    add_system_note(actor=actor, case=action.case,
                    text=f"Lien — Notice of Lien for ${owed:,} dated {on:%m/%d/%Y}{sworn} to record with "
                         f"{row.recording_office} ({row.get_property_kind_display().lower()}).",
                    source_key=f"lien:{row.pk}:filed")  # fmt: skip
    return row


@transaction.atomic
def add_lien(*, actor: User, action: EnforcementAction, on: date, lien: LienProperty | None) -> Lien:
    """One more lien on a lien action already taken (another county, a vehicle found later)."""
    require(actor, "enforcement.act", action.case)
    action = EnforcementAction.objects.select_for_update().select_related("case", "obligor").get(pk=action.pk)
    if action.remedy != LIEN or action.status != ActionStatus.TAKEN:
        raise Conflict("A lien is recorded on a lien action that has been taken and not released.")
    return file_lien(actor=actor, action=action, on=on, lien=lien)


def lien_action_on_case(*, case: Case, action_id: int) -> EnforcementAction:
    """The case's lien action `action_id` (another remedy's action is not found here)."""
    action = action_on_case(case=case, action_id=action_id)
    if action.remedy != LIEN:
        raise NotFound(f"Enforcement action {action_id} on case {case.number} is not a lien.")
    return action


def lien_actions_of_case(*, case: Case) -> QuerySet[EnforcementAction]:
    """The case's lien actions, latest first, each with its liens (oldest first) prefetched as `liens`."""
    liens = Lien.objects.select_related("document", "statement_document", "release_document").order_by("pk")
    return (
        EnforcementAction.objects.filter(case=case, remedy=LIEN)
        .prefetch_related(Prefetch("liens", queryset=liens))
        .order_by("-found_on", "-pk")
    )


def may_record_lien(action: EnforcementAction) -> bool:
    """A lien is recorded on a lien action waiting after its notice (which takes it) or taken (one more)."""
    return action.status in (ActionStatus.NOTICED, ActionStatus.TAKEN)


def liens_of(*, action: EnforcementAction) -> list[Lien]:
    return list(Lien.objects.filter(action=action).select_related("document", "statement_document",
                                                                  "release_document").order_by("pk"))  # fmt: skip


def lien_of(*, action: EnforcementAction, lien_id: int) -> Lien:
    found = Lien.objects.filter(action=action, pk=lien_id).select_related("action__case").first()
    if found is None:
        raise NotFound(f"No lien {lien_id} on this action.")
    return found


def _where(book_page: str, instrument_number: str) -> str:
    """Where the clerk's records hold the lien, in words ("book/page 412/88, instrument 2026-1")."""
    parts = [f"book/page {book_page}" if book_page else ""]
    parts.append(f"instrument {instrument_number}" if instrument_number else "")
    return ", ".join(part for part in parts if part)


@transaction.atomic
def record_recording(*, actor: User, lien: Lien, recorded_on: date, book_page: str = "",
                     instrument_number: str = "") -> Lien:  # fmt: skip
    """The recording the clerk returned: its date and where it is in the records (book and page, or an instrument
    number: at least one). Recorded once; every problem at once."""
    case = lien.action.case
    require(actor, "enforcement.act", case)
    lien = Lien.objects.select_for_update().select_related("action__case").get(pk=lien.pk)
    if lien.recorded_on is not None:
        raise Conflict(f"The recording was entered: {lien.recorded_on:%m/%d/%Y}.")
    book_page, instrument_number = book_page.strip(), instrument_number.strip()
    errors = []
    if recorded_on < lien.dated_on:
        errors.append(InvalidInput(f"cannot be before the notice, {lien.dated_on:%m/%d/%Y}", field="recorded_on"))
    elif recorded_on > timezone.localdate():
        errors.append(InvalidInput("cannot be in the future", field="recorded_on"))
    if not book_page and not instrument_number:
        errors.append(InvalidInput("give the book and page or the instrument number the clerk returned",
                                   field="book_page"))  # fmt: skip
    for value, name in ((book_page, "book_page"), (instrument_number, "instrument_number")):
        if len(value) > RECORDING_MAXIMUM:
            errors.append(InvalidInput(f"at most {RECORDING_MAXIMUM} characters", field=name))
    if errors:
        raise InvalidInputs(errors)
    lien.recorded_on, lien.book_page, lien.instrument_number = recorded_on, book_page, instrument_number
    lien.save(update_fields=["recorded_on", "book_page", "instrument_number"])
    where = _where(book_page, instrument_number)
    record_audit(actor=actor, action="lien.recorded", target=lien, case_number=case.number,
                 summary=f"Lien recorded with {lien.recording_office}: {where}",
                 after={"recorded_on": recorded_on.isoformat(), "book_page": book_page,
                        "instrument_number": instrument_number})  # fmt: skip
    add_system_note(actor=actor, case=case,
                    text=f"Lien — recorded with {lien.recording_office} on {recorded_on:%m/%d/%Y}, {where}.",
                    source_key=f"lien:{lien.pk}:recorded")  # fmt: skip
    return lien


def _release_reason(action: EnforcementAction) -> str:
    step = action.steps.filter(step="released").order_by("-on", "-pk").first()
    return step.note if step and step.note else "The lien action was released."


def send_lien_releases(*, actor: User, action: EnforcementAction, on: date, reason: str = "") -> list[Lien]:
    """The Release of Lien for each lien of a released lien action that has none yet, to file with the office
    where it was recorded (`liens_released`, in the releasing transaction)."""
    if action.remedy != LIEN or action.status != ActionStatus.RELEASED:
        return []
    reason = (reason.strip() or _release_reason(action))[:300]
    released = []
    for lien in Lien.objects.filter(action=action, release_document__isnull=True).order_by("pk"):
        recorded = _where(lien.book_page, lien.instrument_number)
        lien.release_document = generate_document(
            actor=actor, case=action.case, kind=RELEASE_KIND, dated_on=on, person=action.obligor,
            subject=f"{lien.recording_office}: {lien.property_description}"[:120],
            data={"case_number": action.case.number, "obligor": action.obligor,
                  "property_kind": lien.get_property_kind_display(), "property_description": lien.property_description,
                  "county": lien.county, "recording_office": lien.recording_office, "notice_dated_on": lien.dated_on,
                  "recorded_on": lien.recorded_on, "recorded_at": recorded or "not yet returned by the office",
                  "citation": law(), "reason": reason,
                  "issued_by": actor.get_full_name() or actor.username},
        )  # fmt: skip
        lien.released_on = on
        lien.save(update_fields=["release_document", "released_on"])
        record_audit(actor=actor, action="lien.released", target=lien, case_number=action.case.number,
                     summary=f"Release of Lien for {lien.recording_office}",
                     after={"released_on": on.isoformat()})  # fmt: skip
        add_system_note(actor=actor, case=action.case,
                        text=f"Lien — Release of Lien dated {on:%m/%d/%Y} to file with {lien.recording_office}.",
                        source_key=f"lien:{lien.pk}:released")  # fmt: skip
        released.append(lien)
    return released


def liens_released(reasons: dict[int, str], *, on: date, actor: User) -> list[object]:
    """The reaction to released lien actions (`endings.actions_released`, whichever path released them): a Release
    of Lien for each lien, and the event that opens the task to file each with its office."""
    released: list[Lien] = []
    actions = EnforcementAction.objects.filter(pk__in=list(reasons), remedy=LIEN).select_related("case", "obligor")
    for action in actions.order_by("pk"):
        released += send_lien_releases(actor=actor, action=action, on=on, reason=reasons[action.pk])
    return [LienReleasesToFile(released_on=on, items=releases_to_file(released))] if released else []


def releases_to_file(released: list[Lien]) -> tuple[tuple[int, int, str], ...]:
    """(case id, lien id, what to do) for each Release of Lien to file: the worklist's task items."""
    return tuple((lien.action.case_id, lien.pk, f"File the Release of Lien with {lien.recording_office}"[:120])
                 for lien in released)  # fmt: skip


def unfiled_releases(*, case_ids: list[int]) -> list[Lien]:
    """The Releases of Lien of these cases generated and not yet filed with the office (the worklist's reaction to
    a case closed opens their tasks: the closure's own releases could not announce them)."""
    return list(
        Lien.objects.filter(action__case_id__in=case_ids, release_document__isnull=False,
                            release_filed_on__isnull=True)
        .select_related("action")
        .order_by("pk")
    )  # fmt: skip


@transaction.atomic
def record_release_filed(*, actor: User, lien: Lien, filed_on: date) -> Lien:
    """The officer filed the Release of Lien with the office: the date is kept and the task is completed."""
    case = lien.action.case
    require(actor, "enforcement.act", case)
    lien = Lien.objects.select_for_update().select_related("action__case").get(pk=lien.pk)
    if lien.release_document_id is None or lien.released_on is None:
        raise Conflict("This lien has not been released: there is no release to file.")
    if lien.release_filed_on is not None:
        raise Conflict(f"The release was filed on {lien.release_filed_on:%m/%d/%Y}.")
    if filed_on < lien.released_on:
        raise InvalidInputs([InvalidInput(f"cannot be before the release, {lien.released_on:%m/%d/%Y}",
                                          field="filed_on")])  # fmt: skip
    if filed_on > timezone.localdate():
        raise InvalidInputs([InvalidInput("cannot be in the future", field="filed_on")])
    lien.release_filed_on = filed_on
    lien.save(update_fields=["release_filed_on"])
    record_audit(actor=actor, action="lien.release_filed", target=lien, case_number=case.number,
                 summary=f"Release of Lien filed with {lien.recording_office}",
                 after={"filed_on": filed_on.isoformat()})  # fmt: skip
    add_system_note(actor=actor, case=case,
                    text=f"Lien — Release of Lien filed with {lien.recording_office} on {filed_on:%m/%d/%Y}.",
                    source_key=f"lien:{lien.pk}:release_filed")  # fmt: skip
    publish(LienReleaseFiled(case_id=case.pk, lien_id=lien.pk, filed_on=filed_on, actor_id=actor.pk))
    return lien
