"""What enforcement does that the worklist reacts to (`opencse.common.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class IncomeWithholdingSent:
    """An Income Withholding for Support went to an employer (45 CFR 303.100(e)): the case's withholding
    task is done. `action` is the form's (original, amended, termination, lump sum)."""

    withholding_id: int
    case_id: int
    obligor_id: int
    employer_id: int
    action: str
    sent_on: date
    actor_id: int


@dataclass(frozen=True, slots=True)
class RemediesProposed:
    """The delinquency sweep identified delinquent cases on `found_on` (45 CFR 303.6(b)) and proposed remedies:
    the worklist opens the 303.6(c)(2) task on each case."""

    found_on: date
    actions_by_case: dict[int, tuple[int, ...]]
    # Cases whose every proposal needs service of process (a court action): 60 days, not 30 (303.6(c)(2)).
    service_of_process_cases: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class EnforcementDecided:
    """A proposed action was approved or rejected: the case's 303.6(c)(2) task is done once none waits."""

    action_id: int
    case_id: int
    decided_on: date
    actor_id: int


@dataclass(frozen=True, slots=True)
class EiwoRejected:
    """An employer's e-IWO acknowledgment rejected orders (Chart D-4 status R): the worklist opens a task on each
    case to act on the reason (`items`: case id, acknowledgment id, the reason in words)."""

    received_on: date
    items: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class EmployerNoticeReceived:
    """One employer-initiated e-IWO notice (action EMP) recorded on an order: `kind` L lump sum, T termination,
    S suspension; `act_by` the lump sum's payment date (the lump sum order must reach the employer first)."""

    case_id: int
    notice_id: int
    kind: str
    words: str
    act_by: date | None = None


@dataclass(frozen=True, slots=True)
class EiwoEmployerNotices:
    """Employers told the agency, in their e-IWO acknowledgment file, of a lump sum to be paid, a job ended or an
    employee suspended: the worklist opens a task on each case to act on it."""

    received_on: date
    items: tuple[EmployerNoticeReceived, ...]


@dataclass(frozen=True, slots=True)
class EmployerPaymentsOverdue:
    """The compliance batch found orders in force whose employer's payment has not arrived (45 CFR 303.100):
    `items` are (case id, withholding id, the date the payment was expected from, what is overdue)."""

    found_on: date
    items: tuple[tuple[int, int, date, str], ...]


@dataclass(frozen=True, slots=True)
class LicenseResponseNeedsAction:
    """A licensing agency answered a license certification with "no license found" or a name mismatch: the
    worklist opens a task on each case to correct the license (`items`: case id, certification id, in words)."""

    received_on: date
    items: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class LienReleasesToFile:
    """Releases of Lien were generated for released lien actions: the worklist opens a task on each case to file
    the release with the office where the lien was recorded (`items`: case id, lien id, in words)."""

    released_on: date
    items: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class LienReleaseFiled:
    """The officer recorded that a Release of Lien was filed: completes its task."""

    case_id: int
    lien_id: int
    filed_on: date
    actor_id: int


@dataclass(frozen=True, slots=True)
class OffsetSubmissionRejected:
    """OCSE rejected records of a Federal Offset case submission (Chart F-1): the worklist opens a task on each
    case sent to correct it (`items`: case id, reject id, the transaction and its errors in words)."""

    received_on: date
    items: tuple[tuple[int, int, str], ...]
