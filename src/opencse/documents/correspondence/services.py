"""Logging correspondence and viewing its scans: services that check the actor's permission and the case's
office, run in one transaction and write the audit trail. An entry is never changed: `log_correspondence`
with `corrects=` records the corrected entry as a new one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from opencse.cases.models import Case
from opencse.cases.selectors import may_see_case
from opencse.common.validation import future_dates
from opencse.documents.correspondence import storage
from opencse.documents.correspondence.models import Channel, Correspondence, Direction, Scan
from opencse.documents.models import Document
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.people.models import Person
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

SCANS_PER_ENTRY_MAXIMUM = 10
SUMMARY_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class ScanFile:
    """An uploaded file as the service receives it: its name and its bytes (the view reads at most the
    upload maximum plus one byte, so a larger file is refused here, not held in memory whole)."""

    name: str
    content: bytes


@transaction.atomic
def log_correspondence(
    *,
    actor: User,
    case: Case,
    direction: str,
    channel: str,
    dated_on: date,
    summary: str,
    person: Person | None = None,
    counterpart: str = "",
    scans: Sequence[ScanFile] = (),
    document: Document | None = None,
    corrects: Correspondence | None = None,
) -> Correspondence:
    """Record one piece of correspondence in or out, with its scans. Every refusal is reported at once."""
    require(actor, "correspondence.log", case)
    errors: list[InvalidInput] = []
    if direction not in Direction.values:
        errors.append(InvalidInput("choose received or sent", field="direction"))
    if channel not in Channel.values:
        errors.append(InvalidInput("choose a channel", field="channel"))
    errors += future_dates(dated_on=dated_on)
    if not summary.strip():
        errors.append(InvalidInput("say what it was about", field="summary"))
    if person is not None and not case.members.filter(person=person).exists():
        errors.append(InvalidInput("is not a member of the case", field="person"))
    if document is not None and (document.case_id != case.pk or direction != Direction.OUT):
        errors.append(InvalidInput("a document of this case can only be logged as sent", field="document"))
    if corrects is not None and corrects.case_id != case.pk:
        errors.append(InvalidInput("the corrected entry is on another case", field="corrects"))
    if len(scans) > SCANS_PER_ENTRY_MAXIMUM:
        errors.append(InvalidInput(f"at most {SCANS_PER_ENTRY_MAXIMUM} files per entry", field="scans"))
    checked = []
    for scan in scans[:SCANS_PER_ENTRY_MAXIMUM]:
        try:
            checked.append(storage.check_scan(name=scan.name, content=scan.content))
        except InvalidInput as error:
            errors.append(error)
    if errors:
        raise InvalidInputs(errors)
    if corrects is not None and Correspondence.objects.filter(corrects=corrects).exists():
        raise Conflict("This entry was already corrected; correct the latest entry instead.")
    entry = Correspondence.objects.create(
        case=case, person=person, direction=direction, channel=channel, counterpart=counterpart.strip()[:120],
        dated_on=dated_on, summary=summary.strip()[:SUMMARY_LENGTH], document=document, corrects=corrects,
        created_by=actor,
    )  # fmt: skip
    for accepted in checked:
        storage.store(accepted)  # a file left by a rolled-back entry is harmless: named by its hash, unlisted
        Scan.objects.create(entry=entry, file_name=accepted.file_name, content_type=accepted.content_type,
                            size=accepted.size, sha256=accepted.sha256)  # fmt: skip
    record_audit(
        actor=actor,
        action="correspondence.logged",
        target=entry,
        case_number=case.number,
        summary=f"{entry.get_direction_display()} by {entry.get_channel_display()}, {len(checked)} scan(s)",
        after={"dated_on": str(dated_on), "corrects": corrects.pk if corrects else None,
               "document": document.pk if document else None, "scans": [accepted.sha256 for accepted in checked]},
    )  # fmt: skip
    return entry


def log_document_sent(
    *, actor: User, document: Document, channel: str, dated_on: date, summary: str = "", counterpart: str = ""
) -> Correspondence:
    """A generated document given out (mailed, emailed, faxed...), logged as correspondence out to its person."""
    return log_correspondence(
        actor=actor, case=document.case, direction=Direction.OUT, channel=channel, dated_on=dated_on,
        summary=summary or f"{document.title}, version {document.version}", person=document.person,
        counterpart=counterpart, document=document,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class OpenedScan:
    scan: Scan
    content: bytes


@transaction.atomic
def open_scan(*, viewer: User, scan_id: int) -> OpenedScan:
    """A scan's bytes for a viewer who may see its case, the viewing audited. Not found otherwise (a case of
    another office is not confirmed to exist)."""
    scan = Scan.objects.select_related("entry__case").filter(pk=scan_id).first()
    if scan is None or not _may_view(viewer, scan.entry.case):
        raise NotFound(f"No scan {scan_id} that you may see.")
    content = storage.read(scan.sha256)
    record_audit(actor=viewer, action="correspondence.scan_viewed", target=scan, case_number=scan.entry.case.number,
                 summary=f"{scan.file_name} of entry {scan.entry_id}", after={"sha256": scan.sha256})  # fmt: skip
    return OpenedScan(scan=scan, content=content)


def _may_view(viewer: User, case: Case) -> bool:
    return may_see_case(viewer, case, permission="correspondence.view")
