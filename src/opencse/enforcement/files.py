"""What the enforcement batches sent to outside parties and read back from them (docs/enforcement.md,
"Enforcement files"): per interface, the latest files with their counts and who ran them, the totals of every
file of the kind, and the lines kept because they could not be read or posted.

Read-only and set-based: per kind one query for the latest files (bounded), one aggregate for the totals, one
for the latest problem lines (bounded) and one that counts them, whatever the number of files. A problem is
shown in words with its file and line number, never the line's text (it can hold an SSN or an account
number), and any number in the words that looks like one is masked to its last four digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from opencse.enforcement.fidm_models import FidmImport, FidmProblem
from opencse.enforcement.license_models import LicenseResponseFile, LicenseResponseProblem, LicenseTransmission
from opencse.enforcement.licenses import licensing_agencies
from opencse.enforcement.models import CreditReportRun, EiwoAckProblem, EiwoFile, OffsetSubmission
from opencse.enforcement.state_offset_models import StateOffsetSubmission
from opencse.errors import NotFound
from opencse.interfaces.payments import mask_ssns
from opencse.ledger.models import ImportRejection, PaymentImport
from opencse.security.models import User
from opencse.security.policy import require

FILES_SHOWN = 10  # per kind on the overview page
PROBLEMS_SHOWN = 10
FILES_SHOWN_OF_ONE_KIND = 100  # on the page of one kind
PROBLEMS_SHOWN_OF_ONE_KIND = 200
# Ten digits or more (an account number); nine digits alone or 3-2-4 are masked by `mask_ssns` first.
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{6,}([0-9]{4})(?![0-9])")


@dataclass(frozen=True, slots=True)
class FileShown:
    on: date  # the business date the file was written for, or the date it was received (read on)
    name: str
    detail: str  # the agency, the quarter or the month reported; "" for a kind without one
    counts: tuple[int, ...]  # in the order of the kind's `count_headings`
    amount: Decimal | None  # the money the file carried, for a kind that has `amount_heading`
    by: str  # who ran it: a person, or OpenCSE's batch and command line


@dataclass(frozen=True, slots=True)
class ProblemShown:
    on: date
    file_name: str
    line_number: int
    problem: str  # in words, numbers that may be an SSN or an account masked


@dataclass(frozen=True, slots=True)
class FileKind:
    key: str
    title: str
    about: str
    direction: str  # "sent" or "read"
    date_heading: str
    detail_heading: str
    count_headings: tuple[str, ...]
    amount_heading: str
    files: list[FileShown]
    files_total: int
    totals: tuple[int, ...]
    amount_total: Decimal | None
    problems: list[ProblemShown] | None  # None: the kind keeps no problem lines (a file sent)
    problems_total: int


@dataclass(frozen=True, slots=True)
class _Spec:
    """How one kind is read: its files (with the user who ran them), the date, name and count fields, and its
    problem lines, if it keeps any."""

    key: str
    title: str
    about: str
    direction: str
    files: Callable[[], QuerySet[Any]]
    order: tuple[str, ...]
    user_field: str
    date_heading: str
    date_of: Callable[[Any], date]
    name_field: str
    counts: tuple[tuple[str, str], ...]  # (field, heading)
    detail_heading: str = ""
    detail_of: Callable[[Any], str] | None = None
    amount: tuple[str, str] | None = None  # (field, heading)
    # The problem lines with their file (select_related), without the line's text (deferred: never read here).
    problems: Callable[[], QuerySet[Any]] | None = None
    problem_order: tuple[str, ...] = ()
    problem_of: Callable[[Any], ProblemShown] | None = None


def masked(problem: str) -> str:
    """A problem's words as they may be shown: an SSN-like number or a long account-like number keeps only its
    last four digits (the readers already leave the values out; this guards the words that quote a field)."""
    return _LONG_NUMBER.sub(lambda match: "*****" + match.group(1), mask_ssns(problem))


def _who(user: User | None) -> str:
    if user is None:
        return "not recorded"
    return user.get_full_name() or user.username


def _quarter(first_day: date) -> str:
    return f"quarter {(first_day.month - 1) // 3 + 1} of {first_day.year}"


def _agency(key: str) -> str:
    agency = licensing_agencies().get(key)
    return agency.name if agency else key


def _read_on(moment: Any) -> date:
    return timezone.localdate(moment)


def _rejection(row: ImportRejection) -> ProblemShown:
    return ProblemShown(on=_read_on(row.payment_import.imported_at), file_name=row.payment_import.file_name,
                        line_number=row.line_number, problem=masked(row.reason))  # fmt: skip


def _rejections(file_format: str) -> QuerySet[ImportRejection]:
    rows = ImportRejection.objects.filter(payment_import__file_format=file_format).defer("raw")
    return rows.select_related("payment_import")


SPECS: tuple[_Spec, ...] = (
    _Spec(
        key="eiwo", title="Income withholding orders sent electronically (e-IWO)", direction="sent",
        about="The nightly e-IWO file to the employers that take orders electronically, and the lines of their "
              "acknowledgments that could not be recorded.",
        files=lambda: EiwoFile.objects.all(), order=("-on", "-pk"), user_field="written_by",
        date_heading="Date", date_of=lambda row: row.on, name_field="filename",
        detail_heading="Control number", detail_of=lambda row: row.control_number,
        counts=(("orders", "Orders"),),
        problems=lambda: EiwoAckProblem.objects.all(), problem_order=("-received_on", "-pk"),
        problem_of=lambda row: ProblemShown(on=row.received_on, file_name=row.filename, line_number=row.line_number,
                                            problem=masked(row.problem)),
    ),
    _Spec(
        key="federal-offset-submissions", title="Federal tax refund offset and passport denial: cases certified",
        direction="sent",
        about="The case submission file to the Federal Offset Program: obligors added, their amounts changed, "
              "their exclusions (passport denial, administrative offset) replaced, or deleted.",
        files=lambda: OffsetSubmission.objects.all(), order=("-as_of", "-pk"), user_field="created_by",
        date_heading="As of", date_of=lambda row: row.as_of, name_field="file_name",
        counts=(("adds", "Added"), ("modifies", "Amount changed"), ("replaces", "Exclusions changed"),
                ("deletes", "Deleted")),
    ),
    _Spec(
        key="federal-offset-collections", title="Federal tax refund offset: collections read back", direction="read",
        about="The Federal Offset Program's collection and adjustment files: offsets posted to the obligors' "
              "cases or held in suspense; an adjustment is listed for an officer to reverse.",
        files=lambda: PaymentImport.objects.filter(file_format="fop"), order=("-imported_at", "-pk"),
        user_field="imported_by", date_heading="Read on", date_of=lambda row: _read_on(row.imported_at),
        name_field="file_name",
        counts=(("records", "Records"), ("posted", "Posted"), ("suspended", "Held in suspense"),
                ("duplicates", "Read before"), ("notices", "Adjustments"), ("rejected", "Not readable")),
        amount=("total_amount", "Total"),
        problems=lambda: _rejections("fop"),
        problem_order=("-payment_import__imported_at", "-payment_import_id", "line_number"), problem_of=_rejection,
    ),
    _Spec(
        key="state-offset-certifications", title="State tax refund offset: obligors certified", direction="sent",
        about="The certification file to the State's revenue department: obligors added, their amounts "
              "changed, or deleted.",
        files=lambda: StateOffsetSubmission.objects.all(), order=("-on", "-pk"), user_field="created_by",
        date_heading="Date", date_of=lambda row: row.on, name_field="file_name",
        counts=(("adds", "Added"), ("updates", "Amount changed"), ("deletes", "Deleted")),
    ),
    _Spec(
        key="state-offset-collections", title="State tax refund offset: offsets read back", direction="read",
        about="The revenue department's offset files: offsets posted to the obligors' cases, or held in suspense "
              "(a joint return, an SSN not certified).",
        files=lambda: PaymentImport.objects.filter(file_format="sto"), order=("-imported_at", "-pk"),
        user_field="imported_by", date_heading="Read on", date_of=lambda row: _read_on(row.imported_at),
        name_field="file_name",
        counts=(("records", "Records"), ("posted", "Posted"), ("suspended", "Held in suspense"),
                ("duplicates", "Read before"), ("rejected", "Not readable")),
        amount=("total_amount", "Total"),
        problems=lambda: _rejections("sto"),
        problem_order=("-payment_import__imported_at", "-payment_import_id", "line_number"), problem_of=_rejection,
    ),
    _Spec(
        key="license-certifications", title="License suspension: requests sent to the licensing agencies",
        direction="sent",
        about="The day's file to each licensing agency: licenses to suspend, and suspensions to release.",
        files=lambda: LicenseTransmission.objects.all(), order=("-on", "-pk"), user_field="created_by",
        date_heading="Date", date_of=lambda row: row.on, name_field="file_name",
        detail_heading="Agency", detail_of=lambda row: _agency(row.agency),
        counts=(("suspensions", "Suspensions"), ("releases", "Releases")),
    ),
    _Spec(
        key="license-responses", title="License suspension: the agencies' answers read back", direction="read",
        about="The licensing agencies' answers: each recorded on its request (suspended, no license found, name "
              "mismatch, reinstated), or kept as a problem line.",
        files=lambda: LicenseResponseFile.objects.all(), order=("-received_on", "-pk"), user_field="read_by",
        date_heading="Received", date_of=lambda row: row.received_on, name_field="file_name",
        counts=(("records", "Lines"), ("recorded", "Recorded"), ("already", "Answered before"),
                ("problems", "Problem lines")),
        problems=lambda: LicenseResponseProblem.objects.defer("text").select_related("response_file"),
        problem_order=("-response_file__received_on", "-response_file_id", "line_number"),
        problem_of=lambda row: ProblemShown(on=row.response_file.received_on, file_name=row.response_file.file_name,
                                            line_number=row.line_number, problem=masked(row.problem)),
    ),
    _Spec(
        key="fidm", title="Financial institution data match: match files read", direction="read",
        about="The quarterly match files of the financial institutions: accounts kept on the obligors they name, "
              "each balance kept as of its quarter, and the lines that were not kept.",
        files=lambda: FidmImport.objects.all(), order=("-received_on", "-pk"), user_field="imported_by",
        date_heading="Received", date_of=lambda row: row.received_on, name_field="filename",
        detail_heading="Quarter", detail_of=lambda row: _quarter(row.quarter),
        counts=(("lines", "Lines"), ("matches", "Accounts matched"), ("accounts_new", "New accounts"),
                ("balances_new", "New balances"), ("problems", "Problem lines")),
        problems=lambda: FidmProblem.objects.select_related("fidm_import"),
        problem_order=("-fidm_import__received_on", "-fidm_import_id", "line_number"),
        problem_of=lambda row: ProblemShown(on=row.fidm_import.received_on, file_name=row.fidm_import.filename,
                                            line_number=row.line_number, problem=masked(row.problem)),
    ),
    _Spec(
        key="credit-reports", title="Credit bureau reporting: monthly files sent", direction="sent",
        about="The month's Metro 2 file to the consumer reporting agencies: one account per obligor reported, "
              "closed once when paid, or deleted when reporting ends with a balance owed.",
        files=lambda: CreditReportRun.objects.all(), order=("-period", "-pk"), user_field="created_by",
        date_heading="As of", date_of=lambda row: row.as_of, name_field="file_name",
        detail_heading="Month reported", detail_of=lambda row: f"{row.period:%B %Y}",
        counts=(("accounts", "Accounts"), ("closed", "Paid or closed"), ("deleted", "Deleted")),
    ),
)  # fmt: skip
KINDS = {spec.key: spec for spec in SPECS}


def _kind(spec: _Spec, *, files_limit: int, problems_limit: int) -> FileKind:
    """Four queries at most: the latest files, their totals, the latest problem lines, how many there are."""
    rows = list(spec.files().select_related(spec.user_field).order_by(*spec.order)[:files_limit])
    sums: dict[str, Any] = {f"total_{field}": Sum(field) for field, _ in spec.counts}
    if spec.amount:
        sums["total_amount_"] = Sum(spec.amount[0])
    totals = spec.files().aggregate(files_total=Count("pk"), **sums)
    problems: list[ProblemShown] | None = None
    problems_total = 0
    if spec.problems is not None and spec.problem_of is not None:
        problem_rows = spec.problems().order_by(*spec.problem_order)[:problems_limit]
        problems = [spec.problem_of(row) for row in problem_rows]
        problems_total = spec.problems().count()
    return FileKind(
        key=spec.key, title=spec.title, about=spec.about, direction=spec.direction, date_heading=spec.date_heading,
        detail_heading=spec.detail_heading, count_headings=tuple(heading for _, heading in spec.counts),
        amount_heading=spec.amount[1] if spec.amount else "",
        files=[
            FileShown(on=spec.date_of(row), name=getattr(row, spec.name_field),
                      detail=spec.detail_of(row) if spec.detail_of else "",
                      counts=tuple(getattr(row, field) for field, _ in spec.counts),
                      amount=getattr(row, spec.amount[0]) if spec.amount else None,
                      by=_who(getattr(row, spec.user_field)))
            for row in rows
        ],
        files_total=totals["files_total"],
        totals=tuple(totals[f"total_{field}"] or 0 for field, _ in spec.counts),
        amount_total=(totals["total_amount_"] or Decimal("0.00")) if spec.amount else None,
        problems=problems, problems_total=problems_total,
    )  # fmt: skip


def enforcement_files(*, viewer: User) -> list[FileKind]:
    """Every kind, its latest files and problem lines (module doc): two queries a kind, two more for a kind
    that keeps problem lines (28 for the nine)."""
    require(viewer, "enforcement.view")
    return [_kind(spec, files_limit=FILES_SHOWN, problems_limit=PROBLEMS_SHOWN) for spec in SPECS]


def enforcement_files_of_kind(*, viewer: User, kind: str) -> FileKind:
    """One kind with more of its files and problem lines (the page of one kind)."""
    require(viewer, "enforcement.view")
    spec = KINDS.get(kind)
    if spec is None:
        raise NotFound("There is no such kind of enforcement file.")
    return _kind(spec, files_limit=FILES_SHOWN_OF_ONE_KIND, problems_limit=PROBLEMS_SHOWN_OF_ONE_KIND)
