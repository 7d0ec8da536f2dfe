"""Income Withholding for Support orders sent to employers (45 CFR 303.100; form OMB 0970-0154), and the
other remedies' actions (`EnforcementAction`, `ActionStep`: rules.remedies).

Append-only: an amendment or a termination is a new row that `replaces` the one in force; a row is never
edited. The amounts are those the form states (`rules.income_withholding`), kept with the explanation and
the stored PDF (`documents.Document`) so the record shows what the employer was told and why.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.documents.models import Document
from opencse.people.models import Employer, Employment, Person


class Action(models.TextChoices):
    """The form's boxes 1a-1d, with the e-IWO document action codes (ORG, AMD, TRM, LUM)."""

    ORIGINAL = "ORG", "Original"
    AMENDED = "AMD", "Amended"
    TERMINATION = "TRM", "Termination"
    LUMP_SUM = "LUM", "One-time order for a lump sum payment"


class IncomeWithholding(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="income_withholdings")
    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="income_withholdings")
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="income_withholdings")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="income_withholdings")
    action = models.CharField(max_length=3, choices=Action.choices)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )  # one-to-one: an order in force is amended or terminated once; a second try fails on the constraint
    dated_on = models.DateField()  # the date on the form: the business date the order was issued
    reason = models.CharField(max_length=300, blank=True)  # why amended or terminated
    # Monthly amounts by the form's lines, the total, and the total per pay period.
    current_child_support = models.DecimalField(max_digits=11, decimal_places=2)
    past_due_child_support = models.DecimalField(max_digits=11, decimal_places=2)
    current_cash_medical_support = models.DecimalField(max_digits=11, decimal_places=2)
    current_spousal_support = models.DecimalField(max_digits=11, decimal_places=2)
    other = models.DecimalField(max_digits=11, decimal_places=2)
    other_description = models.CharField(max_length=35, blank=True)
    total_monthly = models.DecimalField(max_digits=11, decimal_places=2)
    per_weekly = models.DecimalField(max_digits=11, decimal_places=2)
    per_biweekly = models.DecimalField(max_digits=11, decimal_places=2)
    per_semimonthly = models.DecimalField(max_digits=11, decimal_places=2)
    per_monthly = models.DecimalField(max_digits=11, decimal_places=2)
    lump_sum = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    arrears_over_12_weeks = models.BooleanField()
    begin_within_days = models.PositiveSmallIntegerField()
    remit_within_business_days = models.PositiveSmallIntegerField()
    employer_fee = models.DecimalField(max_digits=7, decimal_places=2)
    limit_percent = models.DecimalField(max_digits=5, decimal_places=2)
    explanation = models.JSONField(default=list)  # the rule's lines: step, value, reference
    # The employer's State when the order went straight to an employer in another State (UIFSA 501), else blank.
    direct_to_state = models.CharField(max_length=2, blank=True, default="")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="income_withholding")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case", "dated_on"]), models.Index(fields=["employer", "dated_on"])]
        constraints = [
            # One original order per case and job: a second one is an amendment (parallel requests included).
            models.UniqueConstraint(
                fields=["case", "employment"], condition=Q(action="ORG"), name="one_original_withholding_per_job"
            ),
            models.CheckConstraint(
                condition=Q(action="ORG", replaces__isnull=True) | ~Q(action="ORG"),
                name="original_withholding_replaces_nothing",
            ),
            models.CheckConstraint(
                condition=Q(action__in=["AMD", "TRM"], replaces__isnull=False) | ~Q(action__in=["AMD", "TRM"]),
                name="amendment_or_termination_replaces_an_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} income withholding, {self.employer.name}, {self.dated_on:%m/%d/%Y}"

    @property
    def in_force(self) -> bool:
        """Sent, not replaced, and not itself a termination or a one-time lump sum order."""
        return self.action in (Action.ORIGINAL, Action.AMENDED) and not hasattr(self, "replaced_by")


class ExceptionKind(models.TextChoices):
    GOOD_CAUSE = "good_cause", "Good cause found not to require immediate withholding"
    ALTERNATIVE_ARRANGEMENT = "alternative_arrangement", "Written alternative arrangement of both parties"


class WithholdingException(models.Model):
    """An exception to immediate income withholding on a case (45 CFR 303.100(b)(1)(i)-(ii)): the finding or the
    signed agreement, from when, and when and why it ended. While one is in force and the payments missed are
    less than one month's support, no order is sent (`rules.income_withholding.withholding_held`)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="withholding_exceptions")
    kind = models.CharField(max_length=24, choices=ExceptionKind.choices)
    since = models.DateField()  # the date of the finding or of the agreement
    reference = models.CharField(max_length=200)  # the order or agreement that says so
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_on__isnull=True), name="one_withholding_exception_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} since {self.since:%m/%d/%Y}"


class ActionStatus(models.TextChoices):
    """Where a remedy stands: proposed (by the sweep or an officer), then approved with its notice sent or
    rejected; a contest stops it; after the contest window it is taken; payment or an agreement releases it."""

    PROPOSED = "proposed", "Proposed: waiting for approval"
    REJECTED = "rejected", "Rejected"
    NOTICED = "noticed", "Notice sent: contest window open"
    CONTESTED = "contested", "Contested: on hold until decided"
    TAKEN = "taken", "Action taken"
    RELEASED = "released", "Released"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (ActionStatus.PROPOSED, ActionStatus.NOTICED, ActionStatus.CONTESTED, ActionStatus.TAKEN)


class EnforcementAction(models.Model):
    """One remedy against one obligor on one case (`rules.remedies`), from its proposal to its release.

    Its steps are kept in `ActionStep` (append-only) and on the case timeline; the row carries the current
    state and the dates the law counts from (the notice, the end of the contest window)."""

    # Indexes: the sweep writes millions of these rows, so only those a query uses. The case is the first
    # column of (case, remedy); nobody looks actions up by the user who proposed or decided them (users are
    # deactivated, never deleted).
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="enforcement_actions", db_index=False)
    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enforcement_actions")
    remedy = models.CharField(max_length=40)  # the key in params/<us|state>/remedies.yaml
    remedy_name = models.CharField(max_length=120)
    citation = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.PROPOSED)
    found_on = models.DateField()  # the business date the delinquency and eligibility were found
    arrears = models.DecimalField(max_digits=13, decimal_places=2)  # owed when proposed
    monthly_support = models.DecimalField(max_digits=13, decimal_places=2)
    reasons = models.JSONField(default=list)  # the rule's words, with citations
    contest_days = models.PositiveSmallIntegerField()
    # The State's longer window when the notice is served outside it (rules.remedies), if any.
    contest_days_out_of_state = models.PositiveSmallIntegerField(null=True, blank=True)
    service_methods = models.JSONField(default=list)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)  # fmt: skip
    proposed_at = models.DateTimeField(default=timezone.now)
    # The decision (common.approval: a second person with signature authority).
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    # What the approver found of the obligor's ability to pay (a contempt referral: Turner v. Rogers).
    ability_to_pay = models.TextField(blank=True, default="")
    notice = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notice_sent_on = models.DateField(null=True, blank=True)
    served_on = models.DateField(null=True, blank=True)
    served_out_of_state = models.BooleanField(default=False)
    service_method = models.CharField(max_length=20, blank=True)
    contest_ends_on = models.DateField(null=True, blank=True)
    taken_on = models.DateField(null=True, blank=True)
    released_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "case"]), models.Index(fields=["case", "remedy"])]
        constraints = [
            # One open action per remedy and case: the sweep run twice, or with an officer, proposes once.
            models.UniqueConstraint(
                fields=["case", "remedy"],
                condition=Q(status__in=["proposed", "noticed", "contested", "taken"]),
                name="one_open_action_per_remedy",
            )
        ]

    def __str__(self) -> str:
        return f"{self.remedy_name} ({self.get_status_display()})"


class ActionStep(models.Model):
    """One step of an enforcement action, never edited: proposed, approved, rejected, notice served,
    contested, contest decided, taken, released, withdrawn."""

    # Indexed by (action, on) only: the action is its first column; the user is never looked up.
    action = models.ForeignKey(EnforcementAction, on_delete=models.PROTECT, related_name="steps", db_index=False)
    step = models.CharField(max_length=20)
    on = models.DateField()  # the business date of the step
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["action", "on"])]


class SweepRun(models.Model):
    """One run of the delinquency sweep (`enforcement.sweep`) and what it found: the nightly cycle's record, and
    the target of the run's one audit row. Each action it proposed, released or withdrew keeps its own step
    (`ActionStep`, by the system actor, with the date and why)."""

    as_of = models.DateField()  # the business date swept
    ran_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cases_checked = models.PositiveIntegerField()
    delinquent = models.PositiveIntegerField()
    proposed = models.PositiveIntegerField()
    released = models.PositiveIntegerField()
    withdrawn = models.PositiveIntegerField()
    agreements_broken = models.PositiveIntegerField()
    by_remedy = models.JSONField(default=dict)  # proposals by remedy key

    def __str__(self) -> str:
        return f"Delinquency sweep of {self.as_of:%m/%d/%Y}: {self.proposed:,} proposals"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Negotiated: waiting for an SEO 2's signature"
    REJECTED = "rejected", "Rejected"
    ACTIVE = "active", "Signed: in effect"
    BROKEN = "broken", "Broken: a month's payment was missed"
    ENDED = "ended", "Ended"


class AgreementEnd(models.TextChoices):
    PAID_OFF = "paid_off", "Paid off: the arrears it covered are paid"
    RENEGOTIATED = "renegotiated", "Renegotiated: a new agreement replaces it"
    ENDED_BY_OFFICER = "ended_by_officer", "Ended by the officer"
    CASE_CLOSED = "case_closed", "The case was closed"


class PaymentAgreement(models.Model):
    """A payment agreement on arrears, negotiated by an officer and signed off by an SEO 2 (two-person rule).
    While it is kept, the remedies that name it are held (`rules.remedies`, exemption payment_agreement_kept);
    when a month's payment is missed the sweep marks it broken and the remedies resume."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_agreements")
    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="payment_agreements")
    monthly_amount = models.DecimalField(max_digits=11, decimal_places=2)  # toward arrears, on top of current support
    starts_on = models.DateField()
    status = models.CharField(max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.PROPOSED)
    terms = models.CharField(max_length=500, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    broken_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=AgreementEnd.choices, blank=True)
    end_note = models.CharField(max_length=500, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status__in=["proposed", "active"]), name="one_open_agreement_per_case"
            ),
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="agreement_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Payment agreement of ${self.monthly_amount:,} a month from {self.starts_on:%m/%d/%Y}"


class EiwoEmployer(models.Model):
    """An employer that takes income withholding orders electronically (e-IWO) since a date: its orders dated
    on or after `since` go in the e-IWO file (`enforcement.eiwo`), the PDF stays the record of what was sent."""

    employer = models.OneToOneField(Employer, on_delete=models.PROTECT, related_name="eiwo")
    since = models.DateField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.employer.name} takes e-IWO since {self.since:%m/%d/%Y}"


class EiwoFile(models.Model):
    """One e-IWO file written: its control number (Chart D-1: unique, never reused) and business date."""

    control_number = models.CharField(max_length=22, unique=True)
    on = models.DateField()  # the business date of the orders it carries
    filename = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    orders = models.PositiveIntegerField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)


class EiwoTransmission(models.Model):
    """Which file carried an order: one-to-one, so the same order is never sent twice electronically."""

    withholding = models.OneToOneField(IncomeWithholding, on_delete=models.PROTECT, related_name="eiwo_transmission")
    file = models.ForeignKey(EiwoFile, on_delete=models.PROTECT, related_name="transmissions")
    batch_control_number = models.CharField(max_length=22)
    tracking_number = models.CharField(max_length=30, unique=True)  # DTL Document Tracking Number


class EiwoAcknowledgment(models.Model):
    """The employer's answer to an order (Chart D-4): accepted, or rejected with the reason in words."""

    transmission = models.ForeignKey(EiwoTransmission, on_delete=models.PROTECT, related_name="acknowledgments")
    received_on = models.DateField()
    accepted = models.BooleanField()
    status = models.CharField(max_length=1)
    reason = models.CharField(max_length=1, blank=True)
    in_words = models.CharField(max_length=200)
    termination_date = models.DateField(null=True, blank=True)
    # What the employer adds on a rejection (no longer employed: the final payment and the new employer; wrong
    # FEIN: the corrected FEIN; an identical order from another State: that State's code).
    final_payment_date = models.DateField(null=True, blank=True)
    final_payment_amount = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    new_employer_name = models.CharField(max_length=57, blank=True)
    new_employer_address = models.CharField(max_length=200, blank=True)
    corrected_ein = models.CharField(max_length=9, blank=True)
    multi_iwo_state = models.CharField(max_length=2, blank=True)
    line_digest = models.CharField(max_length=64)  # SHA-256 of the record: a file read twice adds nothing
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["transmission", "line_digest"], name="eiwo_acknowledgment_once"),
        ]


class EmployerNoticeKind(models.TextChoices):
    """An employer-initiated e-IWO record (document action EMP): what the employer tells the agency."""

    LUMP_SUM = "L", "A lump sum will be paid"
    TERMINATION = "T", "The employment ended"
    SUSPENSION = "S", "The employee is suspended or on leave"


class EiwoEmployerNotice(models.Model):
    """An employer's own e-IWO notice (action EMP) about an employee under an order: a lump sum to be paid, a job
    ended, a suspension. Recorded on each order it concerns (`enforcement.eiwo.record_acknowledgments`)."""

    withholding = models.ForeignKey(IncomeWithholding, on_delete=models.PROTECT, related_name="employer_notices")
    kind = models.CharField(max_length=1, choices=EmployerNoticeKind.choices)
    received_on = models.DateField()
    employer_ein = models.CharField(max_length=9, blank=True)  # the FEIN of the employer that sent it
    tracking_number = models.CharField(max_length=30, blank=True)
    termination_date = models.DateField(null=True, blank=True)
    final_payment_date = models.DateField(null=True, blank=True)
    final_payment_amount = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    new_employer_name = models.CharField(max_length=57, blank=True)
    new_employer_address = models.CharField(max_length=200, blank=True)
    lump_sum_date = models.DateField(null=True, blank=True)
    lump_sum_amount = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    lump_sum_type = models.CharField(max_length=35, blank=True)
    in_words = models.CharField(max_length=200)
    line_digest = models.CharField(max_length=64)  # SHA-256 of the record: a file read twice adds nothing
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["withholding", "line_digest"], name="eiwo_employer_notice_once"),
        ]


class EiwoAckProblem(models.Model):
    """A line of an acknowledgment file that could not be recorded, kept with its line number and why (never its
    text: an ACK record holds the employee's SSN)."""

    file_sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    line_number = models.PositiveIntegerField()
    problem = models.CharField(max_length=300)
    received_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["file_sha256", "line_number"], name="eiwo_ack_problem_once"),
        ]


class OffsetSubmission(models.Model):
    """One Federal Offset case submission file written (`enforcement.offset`): its business date and counts.
    The file itself holds full SSNs and is not kept in the database; its name is."""

    as_of = models.DateField()
    file_name = models.CharField(max_length=200)
    adds = models.PositiveIntegerField(default=0)
    modifies = models.PositiveIntegerField(default=0)
    deletes = models.PositiveIntegerField(default=0)
    replaces = models.PositiveIntegerField(default=0)  # R: the exclusion indicators replaced
    names = models.PositiveIntegerField(default=0)  # B: the obligor's name changed
    local_codes = models.PositiveIntegerField(default=0)  # L: the local code changed
    addresses = models.PositiveIntegerField(default=0)  # Z: the obligor's address changed
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class OffsetCertification(models.Model):
    """What OCSE holds for one obligor and one case type (TANF "A" or non-TANF "N"), as last submitted: the
    State certifies per obligor, aggregated across its cases of the type. `ssn_encrypted` is the SSN it was
    certified under, so a delete goes out under that SSN even after the person's SSN is corrected.
    `exclusions` are the Offset Exclusion Indicators last sent (E-1 188-227, e.g. "PAS": not certified for
    passport denial); blank is what every certification sent before they were kept carried: excluded from
    nothing."""

    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="offset_certifications")
    case_type = models.CharField(max_length=1)  # "A" assistance (assigned arrears), "N" non-assistance
    ssn_encrypted = models.TextField()
    ssn_index = models.CharField(max_length=64)
    case_number = models.CharField(max_length=20)  # the Case ID submitted (state use only)
    amount = models.PositiveIntegerField()  # whole dollars, as last submitted (0 after a delete)
    active = models.BooleanField(default=True)
    exclusions = models.CharField(max_length=40, blank=True, default="")  # comma-separated codes, as sent
    # The name (30-64), local code (3-5) and address (84-179, `fop.sent_address`: blank when none went out) as
    # last sent, compared for the B, L and Z transactions. Null: sent before they were kept (migration 0021):
    # the next run takes what is on file as sent, and sends nothing for it.
    last_name = models.CharField(max_length=20, null=True, blank=True)
    first_name = models.CharField(max_length=15, null=True, blank=True)
    local_code = models.CharField(max_length=3, null=True, blank=True)
    address = models.CharField(max_length=110, null=True, blank=True)
    last_transaction = models.CharField(max_length=1)  # A, M, R, D, B, L or Z
    last_submitted_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["obligor", "case_type"], name="one_offset_certification_per_type"),
            models.CheckConstraint(condition=Q(case_type__in=["A", "N"]), name="offset_case_type_known"),
        ]


class OffsetTransaction(models.Model):
    """One record sent in a submission (append-only history of the certification)."""

    submission = models.ForeignKey(OffsetSubmission, on_delete=models.PROTECT, related_name="transactions")
    certification = models.ForeignKey(OffsetCertification, on_delete=models.PROTECT, related_name="transactions")
    transaction = models.CharField(max_length=1)
    case_type = models.CharField(max_length=1)
    case_number = models.CharField(max_length=20)
    amount = models.PositiveIntegerField()
    exclusions = models.CharField(max_length=40, blank=True, default="")  # the indicators sent (blank on a D)
    # The blind index of the SSN the record went out under (a D after an SSN correction: the old one), so a
    # reject echoing that SSN finds it. Blank on records sent before it was kept: the certification's is used.
    ssn_index = models.CharField(max_length=64, blank=True, default="")


class OffsetCollectionStatus(models.TextChoices):
    POSTED = "posted", "Posted to the obligor's cases"
    SUSPENDED = "suspended", "Held in suspense for an officer"
    ADJUSTMENT = "adjustment", "Adjustment: for an officer to reverse"


class OffsetCollection(models.Model):
    """One record of a Collection and Adjustment file, once: its import key makes a re-import post nothing."""

    import_key = models.CharField(max_length=100, unique=True)
    payment_import = models.ForeignKey("ledger.PaymentImport", on_delete=models.PROTECT, related_name="+")
    line_number = models.PositiveIntegerField()
    obligor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case_type = models.CharField(max_length=1)
    amount = models.DecimalField(max_digits=13, decimal_places=2)
    collected_on = models.DateField()
    tax_year = models.PositiveSmallIntegerField()
    joint_return = models.BooleanField(default=False)
    injured_spouse = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=OffsetCollectionStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)


class BankruptcyChapter(models.TextChoices):
    CHAPTER_7 = "7", "Chapter 7 (liquidation)"
    CHAPTER_11 = "11", "Chapter 11 (reorganization)"
    CHAPTER_12 = "12", "Chapter 12 (family farmer or fisherman)"
    CHAPTER_13 = "13", "Chapter 13 (wage earner's plan)"


class StayEnd(models.TextChoices):
    LIFTED = "lifted", "Stay lifted: the court granted relief from the stay"
    DISCHARGED = "discharged", "Debts discharged"
    DISMISSED = "dismissed", "Case dismissed"


class BankruptcyStay(models.Model):
    """A bankruptcy the obligor filed: from the petition the automatic stay is in effect (11 U.S.C. 362(a)) until
    it is lifted, or the case is discharged or dismissed (362(c)). While in effect it holds the remedies whose
    exemptions name it (`rules.remedies`, bankruptcy_stay). Recorded on the person: it follows the obligor to
    every case. Never deleted; its end is recorded once."""

    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bankruptcy_stays")
    petition_filed_on = models.DateField()
    chapter = models.CharField(max_length=2, choices=BankruptcyChapter.choices)
    court = models.CharField(max_length=120)  # e.g. U.S. Bankruptcy Court, Southern District of Mississippi
    court_case_number = models.CharField(max_length=40)
    ended_on = models.DateField(null=True, blank=True)  # the first day the stay is no longer in effect
    ended_how = models.CharField(max_length=10, choices=StayEnd.choices, blank=True)
    end_note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["obligor", "petition_filed_on"])]
        constraints = [
            models.UniqueConstraint(fields=["obligor", "court_case_number"], name="one_stay_per_bankruptcy_case"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, ended_how="") | Q(ended_on__isnull=False) & ~Q(ended_how=""),
                name="stay_end_has_date_and_how",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("petition_filed_on")),
                name="stay_ends_after_petition",
            ),
        ]

    def __str__(self) -> str:
        return f"Chapter {self.chapter} bankruptcy {self.court_case_number}, filed {self.petition_filed_on:%m/%d/%Y}"

    def in_effect_on(self, day: date) -> bool:
        return self.petition_filed_on <= day and (self.ended_on is None or self.ended_on > day)


class SsiVerification(models.TextChoices):
    SSA_LETTER = "ssa_letter", "Award or benefit letter from Social Security"
    SSA_EXCHANGE = "ssa_exchange", "Social Security data exchange (SVES or SDX)"
    BANK_STATEMENT = "bank_statement", "Bank statement showing the SSI deposits"
    OTHER = "other", "Other (say how in the note)"


class SsiReceipt(models.Model):
    """A period in which the obligor receives Supplemental Security Income: no levy on their account
    (45 CFR 307.11(c)(3)(i)), and money levied from it is returned (307.11(c)(3)(ii)). `receiving_to` is the last
    day received (empty: still receiving)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ssi_receipts")
    receiving_from = models.DateField()
    receiving_to = models.DateField(null=True, blank=True)
    verified_how = models.CharField(max_length=20, choices=SsiVerification.choices)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "receiving_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(receiving_to__isnull=True) | Q(receiving_to__gte=models.F("receiving_from")),
                name="ssi_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        end = f" to {self.receiving_to:%m/%d/%Y}" if self.receiving_to else ", still receiving"
        return f"SSI from {self.receiving_from:%m/%d/%Y}{end}"

    def covers(self, day: date) -> bool:
        return self.receiving_from <= day and (self.receiving_to is None or self.receiving_to >= day)


class CreditReportRun(models.Model):
    """One monthly Metro 2 file sent to the consumer reporting agencies (`enforcement.credit_reporting`): one per
    reporting month, so a second run in the month writes nothing. The file holds full SSNs and is not kept in the
    database; its name is."""

    as_of = models.DateField()  # the business date reported (Date of Account Information)
    period = models.DateField(unique=True)  # the first day of the reporting month
    file_name = models.CharField(max_length=200)
    accounts = models.PositiveIntegerField(default=0)  # Base Segments written
    closed = models.PositiveIntegerField(default=0)  # of them, status 13 (paid or closed, reported once)
    deleted = models.PositiveIntegerField(default=0)  # of them, status DA (reporting ended with a balance left)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class CreditReportAccount(models.Model):
    """What the consumer reporting agencies hold for one obligor, as last reported: one account per obligor,
    aggregated over the obligor's cases with a credit_bureau_reporting action taken. `active` is false once
    the account was reported closed (13) or deleted (DA); it is then no longer reported, until a new action is
    taken (the same account number again)."""

    obligor = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="credit_report_account")
    account_number = models.CharField(max_length=30, unique=True)  # never the SSN
    opened_on = models.DateField()  # Date Opened: the first action taken; kept whatever happens later
    status = models.CharField(max_length=2)  # the Account Status last reported: 11, 13, 93 or DA
    balance = models.PositiveIntegerField()  # Current Balance last reported, whole dollars
    past_due = models.PositiveIntegerField()  # Amount Past Due last reported, whole dollars
    highest = models.PositiveIntegerField()  # Highest Credit: the highest balance ever reported
    payment_history = models.CharField(max_length=24)  # the Payment History Profile last reported
    first_delinquency_on = models.DateField(null=True, blank=True)  # Date of First Delinquency last reported
    active = models.BooleanField(default=True)
    last_reported_on = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["11", "13", "93", "DA"]), name="credit_report_status_known"),
        ]


class CreditReportLine(models.Model):
    """One Base Segment sent in a run (append-only history of the account)."""

    run = models.ForeignKey(CreditReportRun, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(CreditReportAccount, on_delete=models.PROTECT, related_name="lines")
    status = models.CharField(max_length=2)
    balance = models.PositiveIntegerField()
    past_due = models.PositiveIntegerField()


class DeliveryMethod(models.TextChoices):
    """How an order reached the employer (the federal form: the order may be sent by mail or electronically)."""

    FIRST_CLASS_MAIL = "mail", "First-class mail"
    CERTIFIED_MAIL = "certified_mail", "Certified mail, return receipt requested"
    FAX = "fax", "Fax"
    EMAIL = "email", "Email"
    PERSONAL = "personal", "Hand delivered or personal service"


class WithholdingService(models.Model):
    """The employer's record of service of one order: how it was sent, when, the day the employer received it when
    known, and the evidence (a return receipt's number, a fax confirmation, who accepted it). It is what shows, in
    an action against an employer that did not withhold (42 U.S.C. 666(b)(6)(C)), that the employer had the order.
    Append-only: an order sent again is a second row. Orders sent by e-IWO have their own record
    (`EiwoTransmission` and the employer's acknowledgment)."""

    withholding = models.ForeignKey(IncomeWithholding, on_delete=models.PROTECT, related_name="services")
    method = models.CharField(max_length=20, choices=DeliveryMethod.choices)
    sent_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    evidence = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=models.F("sent_on")),
                name="withholding_received_after_sent",
            ),
        ]

    def __str__(self) -> str:
        received = f", received {self.received_on:%m/%d/%Y}" if self.received_on else ""
        return f"Sent by {self.get_method_display().lower()} on {self.sent_on:%m/%d/%Y}{received}"


# The licenses and their certifications (issue #21) live in their own module; imported here to be registered.
# The benefit intercept's models live in their own module (issue #21); imported here so Django registers them.
from opencse.enforcement import fidm_models, lien_models  # noqa: E402, F401  FIDM, levy, liens: own modules
from opencse.enforcement.intercept_models import BenefitClaim, BenefitIntercept  # noqa: E402, F401
from opencse.enforcement.license_models import (  # noqa: E402, F401
    License,
    LicenseCertification,
    LicenseResponseFile,
    LicenseResponseProblem,
    LicenseTransmission,
)
from opencse.enforcement.offset_return_models import (  # noqa: E402, F401  FOP rejects and reconciliation
    OffsetReconciliationDifference,
    OffsetReject,
    OffsetReturnFile,
    OffsetReturnProblem,
)
from opencse.enforcement.state_offset_models import (  # noqa: E402, F401  the State tax refund offset (issue #21)
    StateOffsetCertification,
    StateOffsetCollection,
    StateOffsetSubmission,
    StateOffsetTransaction,
)
