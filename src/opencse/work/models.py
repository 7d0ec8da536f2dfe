"""Tasks: what an officer must do on a case, by when, and under which legal clock.

A task is data, opened by an event (a case opened, a collection posted, a note's follow-up date) or by
the periodic batch (`opencse work generate`), never typed in. Its due date comes from the pure rule
`opencse.rules.timeframes` on the State's business-day calendar, and the task keeps which clock decided
it: the row of the timeframe table (`clock`), its citation and the date that version took effect.
`source_key` names what opened it; (case, kind, source_key) is unique, so an event published twice or a
batch run twice opens nothing twice. A task is completed, never deleted: a missed clock stays on the
worklist as overdue until it is done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case


class TaskKind(models.TextChoices):
    """What the officer has to do, in the officer's words."""

    CASE_OPENING = "case_opening", "Open the case: request information, verify, refer to locate"
    LOCATE = "locate", "Locate the noncustodial parent"
    REPEAT_LOCATE = "repeat_locate", "Try again to locate the noncustodial parent (quarterly)"
    INTERSTATE_RESPONSE = "interstate_response", "Work the interstate case: locate and process it"
    INCOME_WITHHOLDING = "income_withholding", "Send the income withholding order to the employer"
    REVIEW_ORDER = "review_order", "Review the order for adjustment (3-year cycle)"
    DISBURSE = "disburse", "Pay out the collection"
    FOLLOW_UP = "follow_up", "Follow up on a note"
    DISPUTE = "dispute", "Investigate and resolve the dispute"
    ENFORCEMENT = "enforcement", "Act on the delinquency: decide the proposed enforcement actions"
    REFER_PATERNITY = "refer_paternity", "Refer to the staff attorney to establish paternity"
    EMPLOYER_COMPLIANCE = "employer_compliance", "The employer's withholding payment has not arrived"
    EIWO_REJECTED = "eiwo_rejected", "The employer rejected the electronic withholding order"
    EMPLOYEE_TERMINATED = "employee_terminated", "The employer reports the job ended: verify and end it"
    EMPLOYER_LUMP_SUM = "employer_lump_sum", "The employer will pay a lump sum: send a lump sum order before it"
    EMPLOYEE_SUSPENDED = "employee_suspended", "The employer reports the employee suspended or on leave"
    RETURN_SSI_LEVY = "return_ssi_levy", "Return the money levied from an SSI recipient's account"
    LICENSE_RESPONSE = "license_response", "The licensing agency found no license or another name: correct it"
    FILE_LIEN_RELEASE = "file_lien_release", "File the release of lien with the office where the lien was recorded"
    FOP_REJECTED = "fop_rejected", "OCSE rejected a federal offset submission: correct the case"


class Completion(models.TextChoices):
    """Why a task is no longer open."""

    DONE = "done", "Done by the officer"
    BY_EVENT = "event", "Done: the action was recorded"
    CASE_CLOSED = "case_closed", "Case closed"
    SUPERSEDED = "superseded", "Replaced by a newer task"


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    # The case's assigned worker when the task opened (a tickler: the note's author); none if the case has none.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    kind = models.CharField(max_length=24, choices=TaskKind.choices)
    source_key = models.CharField(max_length=80)  # what opened it: "case", "collection:123", "review:2026-03-02"
    event_on = models.DateField()  # the business date the clock counts from
    due_on = models.DateField()
    # The legal clock: the timeframe table's row ("referral_received.open_case"), its citation and the date
    # the row's version took effect. Empty for a tickler (the officer chose the date).
    clock = models.CharField(max_length=120, blank=True)
    clock_reference = models.CharField(max_length=200, blank=True)
    clock_effective_on = models.DateField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)  # a tickler's note, shortened
    created_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion = models.CharField(max_length=12, choices=Completion.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "source_key"], name="work_task_once_per_source"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("event_on")), name="work_task_due_after_event"),
            models.CheckConstraint(
                condition=(Q(completed_on__isnull=True) & Q(completion=""))
                | (Q(completed_on__isnull=False) & ~Q(completion="")),
                name="work_task_completed_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(clock="") | (~Q(clock_reference="") & Q(clock_effective_on__isnull=False)),
                name="work_task_clock_cited",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "due_on"], condition=Q(completed_on__isnull=True), name="work_task_open"),
            models.Index(fields=["case", "kind"], name="work_task_case_kind"),
            # The case page's open tasks, next deadline first, and the worklist sorted or filtered by kind:
            # without them PostgreSQL reads every open task of the state (docs/work.md "Speed").
            models.Index(
                fields=["case", "due_on"], condition=Q(completed_on__isnull=True), name="work_task_open_by_case"
            ),
            models.Index(
                fields=["owner", "kind", "due_on"],
                condition=Q(completed_on__isnull=True),
                name="work_task_open_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.completed_on is None


# Disputes and referrals live in their own modules; imported here so Django registers them.
from opencse.work.disputes.models import Dispute, Evidence, InvestigationNote  # noqa: E402, F401
from opencse.work.referrals.models import Referral  # noqa: E402, F401
