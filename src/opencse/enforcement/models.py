"""Income Withholding for Support orders sent to employers (45 CFR 303.100; form OMB 0970-0154), and the
other remedies' actions (`EnforcementAction`, `ActionStep`: rules.remedies).

Append-only: an amendment or a termination is a new row that `replaces` the one in force; a row is never
edited. The amounts are those the form states (`rules.income_withholding`), kept with the explanation and
the stored PDF (`documents.Document`) so the record shows what the employer was told and why.
"""

from __future__ import annotations

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
    service_methods = models.JSONField(default=list)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)  # fmt: skip
    proposed_at = models.DateTimeField(default=timezone.now)
    # The decision (common.approval: a second person with signature authority).
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    notice = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notice_sent_on = models.DateField(null=True, blank=True)
    served_on = models.DateField(null=True, blank=True)
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
    line_digest = models.CharField(max_length=64)  # SHA-256 of the record: a file read twice adds nothing
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["transmission", "line_digest"], name="eiwo_acknowledgment_once"),
        ]


class EiwoAckProblem(models.Model):
    """A line of an acknowledgment file that could not be recorded, kept with its line number and why."""

    file_sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    line_number = models.PositiveIntegerField()
    text = models.TextField()
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
    last_transaction = models.CharField(max_length=1)  # A, M, R or D
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
