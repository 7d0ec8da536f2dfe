"""The ledger: what is owed, what was paid, where each dollar went.

- `LedgerEntry` is one change to a debt account of a case: `current_support` (this month's unpaid
  charges) or an arrears bucket of 45 CFR 302.51 (`permanently_assigned`, ..., `never_assigned`).
  A positive amount increases what the obligor owes. Rows are never updated or deleted (a database
  trigger refuses it); a correction is a new entry that `reverses` the one it undoes. Balances are
  always the sum of entries. `source_key` is unique, so a re-run batch posts nothing twice.
- `Collection` is money received. Its distribution is the set of payment entries (negative amounts
  on debt accounts) and `CollectionShare` rows (who the money goes to: family, state, held, refund),
  written together: for every posted collection, disbursements add up to the amount received.
- `AssistancePeriod` records the custodial party's public assistance, which decides the bucket of
  unpaid support and the unreimbursed assistance (URA) the state may keep (42 U.S.C. 657).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case, OtherAgency
from opencse.orders.models import OrderTerm
from opencse.people.models import Person

CURRENT_SUPPORT = "current_support"


class Account(models.TextChoices):
    CURRENT_SUPPORT = CURRENT_SUPPORT, "Current support (this month)"
    PERMANENTLY_ASSIGNED = "permanently_assigned", "Permanently assigned arrears"
    TEMPORARILY_ASSIGNED = "temporarily_assigned", "Temporarily assigned arrears"
    CONDITIONALLY_ASSIGNED = "conditionally_assigned", "Conditionally assigned arrears"
    UNASSIGNED_DURING_ASSISTANCE = "unassigned_during_assistance", "Unassigned during-assistance arrears"
    UNASSIGNED_PRE_ASSISTANCE = "unassigned_pre_assistance", "Unassigned pre-assistance arrears"
    NEVER_ASSIGNED = "never_assigned", "Never-assigned arrears"


class EntryKind(models.TextChoices):
    CHARGE = "charge", "Charge (accrual)"
    ROLLOVER = "rollover", "Unpaid current support becomes arrears"
    PAYMENT = "payment", "Payment (distribution of a collection)"
    ADJUSTMENT = "adjustment", "Adjustment"
    REVERSAL = "reversal", "Reversal"
    INTEREST = "interest", "Interest on arrears"
    RECLASSIFICATION = "reclassify", "Arrears moved between assignment buckets"


class LedgerEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ledger_entries")
    term = models.ForeignKey(OrderTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    account = models.CharField(max_length=32, choices=Account.choices)
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(max_digits=13, decimal_places=2)
    effective_on = models.DateField()  # when the law says it counts
    posted_at = models.DateTimeField(default=timezone.now)  # when it was recorded
    source_key = models.CharField(max_length=120, unique=True)
    collection = models.ForeignKey(
        "Collection", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    memo = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "account", "effective_on"])]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_nonzero")]


class CollectionSource(models.TextChoices):
    INCOME_WITHHOLDING = "income_withholding", "Employer income withholding"
    DIRECT_PAYMENT = "direct_payment", "Direct payment to the disbursement unit"
    FEDERAL_TAX_OFFSET = "federal_tax_offset", "Federal tax refund offset"
    STATE_TAX_OFFSET = "state_tax_offset", "State tax refund offset"
    UNEMPLOYMENT_INTERCEPT = "unemployment_intercept", "Unemployment compensation intercept"
    FINANCIAL_INSTITUTION_LEVY = "financial_institution_levy", "Financial institution levy"
    OTHER_STATE = "other_state", "Payment from another state"
    LIEN_SEIZURE = "lien_seizure", "Lien or seizure proceeds"


class CollectionStatus(models.TextChoices):
    SUSPENSE = "suspense", "In suspense (not identified)"
    POSTED = "posted", "Posted and distributed"
    REVERSED = "reversed", "Reversed"


class Collection(models.Model):
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="collections")
    obligor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="collections")
    amount = models.DecimalField(max_digits=13, decimal_places=2)
    source = models.CharField(max_length=28, choices=CollectionSource.choices)
    collected_on = models.DateField()  # date of collection (pay date for withholding): drives distribution
    received_on = models.DateField()
    posted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=CollectionStatus.choices)
    payor_name = models.CharField(max_length=120, blank=True)
    # The employer's FEIN where the payment file names it (NACHA batch header, the CSV's column): which employer
    # paid, for employer compliance (`enforcement.compliance`); blank when unknown.
    payor_fein = models.CharField(max_length=9, blank=True, default="")
    reference = models.CharField(max_length=60, blank=True)  # trace number, check number
    import_key = models.CharField(max_length=120, null=True, blank=True, unique=True)  # file id + trace number
    # A manual or API posting's idempotency key (the web form's one-time key, the API's `Idempotency-Key`),
    # namespaced by the poster; `idempotency_digest` is the SHA-256 of what was asked, to tell a retry
    # (same request) from a reuse of the key for another payment.
    idempotency_key = models.CharField(max_length=160, null=True, blank=True, unique=True)
    idempotency_digest = models.CharField(max_length=64, blank=True)
    suspense_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "received_on"]), models.Index(fields=["case", "collected_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="collection_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="suspense") | Q(case__isnull=False), name="collection_posted_has_case"
            ),
        ]


class Payee(models.TextChoices):
    FAMILY = "family", "Family"
    STATE = "state", "State (assistance reimbursement)"
    OBLIGOR_REFUND = "obligor_refund", "Refund to the obligor"
    HELD = "held", "Held as future support"
    UNDISTRIBUTABLE = "undistributable", "Undistributable (the payee cannot be paid yet)"
    ESCHEATED = "escheated", "Transferred to the state's unclaimed property"


PAID_OUT_PAYEES = (Payee.FAMILY, Payee.STATE, Payee.OBLIGOR_REFUND)


class CollectionShare(models.Model):
    """A share of a collection and where it goes (family, State, obligor refund, held, undistributable,
    unclaimed property), and when it is due to be paid out. The money that actually leaves is a `Payout`,
    whose lines cover shares. Append-only: a reversal is a row with the opposite amount."""

    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="shares")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shares")
    payee = models.CharField(max_length=16, choices=Payee.choices)
    amount = models.DecimalField(max_digits=13, decimal_places=2)
    due_on = models.DateField()  # 45 CFR 302.32(b): two business days after receipt
    source_key = models.CharField(max_length=120, unique=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="disbursement_amount_nonzero")]


class AssistancePeriod(models.Model):
    """A span of public assistance (TANF) to the custodial party's family on a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assistance_periods")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    grant_monthly = models.DecimalField(max_digits=13, decimal_places=2)
    # The IV-A assistance group (the TANF case number): URA belongs to the group, which may be shared
    # by several IV-D cases (one per noncustodial parent). Blank: the case is its own group.
    assistance_group = models.CharField(max_length=20, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assistance_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(grant_monthly__gte=0), name="assistance_grant_not_negative"),
        ]


class PaymentImport(models.Model):
    """One payment file read: its counts and total, and (in `rejections`) every line it could not accept."""

    file_id = models.CharField(max_length=120, db_index=True)
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=8)  # "nacha" or "csv"
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    records = models.PositiveIntegerField(default=0)
    posted = models.PositiveIntegerField(default=0)
    suspended = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    notices = models.PositiveIntegerField(default=0)  # no payment, only "employment ended" (DED09 with 0.00)
    total_amount = models.DecimalField(max_digits=15, decimal_places=2, default=0)


class ImportRejection(models.Model):
    """A line of a payment file that was not accepted, with its line number and the reason (kept, never
    dropped). SSNs in `raw` are masked to the last four digits by the reader."""

    payment_import = models.ForeignKey(PaymentImport, on_delete=models.PROTECT, related_name="rejections")
    line_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    raw = models.CharField(max_length=300, blank=True)


class AdjustmentKind(models.TextChoices):
    DEBT_REDUCTION = "debt_reduction", "Debt reduction"
    CREDIT_DIRECT_PAYMENT = "credit_direct_payment", "Credit for a payment made directly to the obligee"
    CREDIT_IN_KIND = "credit_in_kind", "Credit for in-kind support"
    CREDIT_SOCIAL_SECURITY = "credit_social_security", "Credit for Social Security dependent benefits"
    WRITE_OFF = "write_off", "Write-off"
    SATISFACTION_OF_JUDGMENT = "satisfaction_of_judgment", "Satisfaction of judgment"
    SETTLEMENT = "settlement", "Negotiated settlement (child care or medical reimbursement)"
    DEBT_INCREASE = "debt_increase", "Debt increase (correction of an under-charge)"


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved and posted"
    REJECTED = "rejected", "Rejected"


class Adjustment(models.Model):
    """A change to what is owed that needs signature authority: requested by one worker, approved or
    rejected by another who holds it (SEO 2 or supervisor); approval posts the ledger entry."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="adjustments")
    account = models.CharField(max_length=32, choices=Account.choices)
    kind = models.CharField(max_length=28, choices=AdjustmentKind.choices)
    amount = models.DecimalField(max_digits=13, decimal_places=2)  # positive; the kind gives the direction
    effective_on = models.DateField()
    reason = models.CharField(max_length=500)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="adjustment_amount_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="adjustment_not_self_approved",
            ),
        ]


class PaymentMethod(models.TextChoices):
    EFT = "eft", "Direct deposit (NACHA PPD credit)"
    CHECK = "check", "Check"
    TRANSFER = "transfer", "Transfer between state accounts"
    NETTED = "netted", "Netted (amounts that cancel out, nothing paid)"


class AccountType(models.TextChoices):
    CHECKING = "checking", "Checking"
    SAVINGS = "savings", "Savings"


class DirectDeposit(models.Model):
    """A payee's bank account for direct deposit. The account number is encrypted at rest (like the SSN)
    and shown by its last four digits; a later authorization ends the earlier one."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="direct_deposits")
    routing_number = models.CharField(max_length=9)
    account_number_encrypted = models.TextField()
    account_last4 = models.CharField(max_length=4)
    account_type = models.CharField(max_length=8, choices=AccountType.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ends_on__isnull=True), name="one_open_direct_deposit"
            )
        ]


class DirectDepositRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved and in effect"
    REJECTED = "rejected", "Rejected"


class DirectDepositRequest(models.Model):
    """A new or changed direct deposit account, under the two-person rule: requested by one worker, approved
    or rejected by another with signature authority (`orders.sign`). Only approval creates the
    `DirectDeposit` the disbursement run pays to; until then payouts go where they went before."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="direct_deposit_requests")
    routing_number = models.CharField(max_length=9)
    account_number_encrypted = models.TextField()
    account_last4 = models.CharField(max_length=4)
    account_type = models.CharField(max_length=8, choices=AccountType.choices)
    starts_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=DirectDepositRequestStatus.choices, default=DirectDepositRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    deposit = models.OneToOneField(
        DirectDeposit, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="direct_deposit_request_not_self_approved",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="pending"), name="one_pending_direct_deposit_request"
            ),
        ]


class DisbursementRun(models.Model):
    """One run of the disbursement batch: the payouts it issued and the files it wrote."""

    run_on = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The business day its files were written and its payouts really went out: `run_on`, or a later day when
    # a crash left the run unfinished and the next run finished it (45 CFR 302.32(b) counts from this day).
    sent_on = models.DateField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    payouts = models.PositiveIntegerField(default=0)
    total_amount = models.DecimalField(max_digits=15, decimal_places=2, default=0)
    nacha_file = models.TextField(blank=True)  # the PPD credit file for the bank
    check_register = models.TextField(blank=True)  # CSV for the check printer
    interstate_file = models.TextField(blank=True)  # the CCD+ file with DED addenda to other IV-D agencies


class Payout(models.Model):
    """Money leaving the agency: one EFT, check or state transfer to one payee of one case. It covers
    the disbursements it pays through `PayoutLine` rows. Append-only: a returned EFT or voided check is
    a `PayoutReturn`, and its money goes to the undistributable account until an officer releases it."""

    run = models.ForeignKey(DisbursementRun, on_delete=models.PROTECT, related_name="payout_rows")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payouts")
    payee = models.CharField(max_length=16, choices=Payee.choices)
    recipient = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="payouts")
    recipient_name = models.CharField(max_length=120)
    # A payment to another IV-D agency (responding interstate case): the agency, as the run found it linked.
    agency = models.ForeignKey(OtherAgency, null=True, blank=True, on_delete=models.PROTECT, related_name="payouts")
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    amount = models.DecimalField(max_digits=13, decimal_places=2)
    due_on = models.DateField()  # the earliest due date among the disbursements it pays
    issued_on = models.DateField()
    reference = models.CharField(max_length=20, blank=True)  # trace number or check number
    # Of a transfer of retained money to the state: the Federal share (42 U.S.C. 657(c)(2)); None when no
    # confirmed FMAP is on file for the fiscal year (rules/params/us/distribution_fmap.yaml), 0 otherwise.
    federal_share = models.DecimalField(max_digits=13, decimal_places=2, default=0, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "payee"]), models.Index(fields=["issued_on"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="payout_amount_not_negative")]


class PayoutLine(models.Model):
    """The part of a disbursement a payout pays (negative for a recovery netted against new money)."""

    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="lines")
    share = models.ForeignKey(CollectionShare, on_delete=models.PROTECT, related_name="payout_lines")
    amount = models.DecimalField(max_digits=13, decimal_places=2)


class ReturnKind(models.TextChoices):
    EFT_RETURNED = "eft_returned", "Direct deposit returned by the bank"
    CHECK_VOIDED = "check_voided", "Check voided (lost, wrong payee)"
    CHECK_STALE = "check_stale", "Check not cashed in time (stale-dated)"
    CHECK_RETURNED = "check_returned", "Check returned by the post office"


class PayoutReturn(models.Model):
    """A payout that did not reach its payee. Its lines stop counting as paid, and the money is moved to
    the undistributable account of each collection it came from."""

    payout = models.OneToOneField(Payout, on_delete=models.PROTECT, related_name="returned")
    kind = models.CharField(max_length=16, choices=ReturnKind.choices)
    returned_on = models.DateField()
    reason = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
