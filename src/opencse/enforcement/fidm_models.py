"""What the Financial Institution Data Match finds and what the levy sends (`enforcement.fidm`): the institutions,
the obligors' accounts with each quarter's balance observed, the lines of a match file that could not be kept, and
each Notice/Order to Withhold and Deliver with the institution's answer and its release.

Imported by `enforcement.models` (the app's models). The account number is confidential (42 U.S.C. 669a(b): the
records are used only to enforce support): it is stored encrypted, with a keyed hash to find it again and its last
four digits to show, as a person's SSN is (`people.Person`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.documents.models import Document
from opencse.people.models import Person


class FinancialInstitution(models.Model):
    """A bank, credit union or other institution of 42 U.S.C. 666(a)(17)(D)(i), as its match file names it (A record):
    known by its TIN; the name and address are those of the latest file."""

    tin = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=40)
    address_lines = models.JSONField(default=list)

    def __str__(self) -> str:
        return self.name


class FidmImport(models.Model):
    """One match file read (`opencse enforcement fidm-import FILE --received-on DATE`): once per file (its SHA-256),
    so reading it again adds nothing. The file holds full SSNs and is not kept; its name and counts are."""

    file_sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=200)
    received_on = models.DateField()
    quarter = models.DateField()  # the first day of the calendar quarter of `received_on`
    lines = models.PositiveIntegerField(default=0)
    matches = models.PositiveIntegerField(default=0)  # B records kept on an obligor
    accounts_new = models.PositiveIntegerField(default=0)
    balances_new = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"FIDM file {self.filename} received {self.received_on:%m/%d/%Y}"


class FidmProblem(models.Model):
    """A line of a match file that was not kept, with its line number and why (never its text: it holds an SSN)."""

    fidm_import = models.ForeignKey(FidmImport, on_delete=models.PROTECT, related_name="problem_lines")
    line_number = models.PositiveIntegerField()
    record_type = models.CharField(max_length=1)
    problem = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fidm_import", "line_number"], name="fidm_problem_once_per_line"),
        ]


class FinancialAccount(models.Model):
    """An account of an obligor that a match found (42 U.S.C. 666(a)(17)(A)(i)): one per institution, account
    number and obligor, however many quarters it is matched. The balances are `AccountBalance` rows."""

    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="financial_accounts")
    institution = models.ForeignKey(FinancialInstitution, on_delete=models.PROTECT, related_name="accounts")
    account_number_encrypted = models.TextField()
    account_index = models.CharField(max_length=64)  # keyed hash of the account number
    account_last4 = models.CharField(max_length=4)
    account_type = models.CharField(max_length=2)  # interfaces.fidm.ACCOUNT_TYPES
    holder_name = models.CharField(max_length=40)  # the name on the account, as the institution reported it
    holder_address_lines = models.JSONField(default=list)
    account_state = models.CharField(max_length=2, blank=True)
    first_matched_on = models.DateField()
    first_import = models.ForeignKey(FidmImport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "account_index", "obligor"], name="one_account_per_obligor"),
        ]

    def __str__(self) -> str:
        return f"{self.institution.name} account ending {self.account_last4}"

    @property
    def account_masked(self) -> str:
        return f"****{self.account_last4}"


class AccountBalance(models.Model):
    """A balance of the account as a match file reported it, dated: a later quarter's balance is a new row, never an
    overwrite; the same balance in the same quarter (a file read twice, or sent again) is kept once."""

    account = models.ForeignKey(FinancialAccount, on_delete=models.PROTECT, related_name="balances")
    quarter = models.DateField()
    received_on = models.DateField()
    balance = models.DecimalField(max_digits=13, decimal_places=2)  # whole dollars as reported
    fidm_import = models.ForeignKey(FidmImport, on_delete=models.PROTECT, related_name="+")
    line_number = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["account", "received_on"])]
        constraints = [
            models.UniqueConstraint(fields=["account", "quarter", "balance"], name="account_balance_once_a_quarter"),
        ]


class LevyAnswer(models.TextChoices):
    HELD = "held", "Held: the funds are encumbered"
    SURRENDERED = "surrendered", "Surrendered: the funds are sent to the State Disbursement Unit"
    CLOSED = "closed", "Nothing: the account is closed"
    NO_FUNDS = "no_funds", "Nothing: no funds in the account"
    NOT_FOUND = "not_found", "Nothing: no such account or the debtor is not its holder"


NOTHING_ANSWERS = (LevyAnswer.CLOSED, LevyAnswer.NO_FUNDS, LevyAnswer.NOT_FOUND)


class LevyOrder(models.Model):
    """One Notice/Order to Withhold and Deliver sent to an institution for one account of the obligor when the
    financial institution levy is taken (42 U.S.C. 666(a)(17)(A)(ii); RCW 74.20A.080): the amount is the arrears
    owed on its date, never more; the institution's answer and the release are recorded on it."""

    action = models.ForeignKey("enforcement.EnforcementAction", on_delete=models.PROTECT, related_name="levy_orders")
    account = models.ForeignKey(FinancialAccount, on_delete=models.PROTECT, related_name="levy_orders")
    dated_on = models.DateField()
    amount = models.DecimalField(max_digits=13, decimal_places=2)  # the arrears owed on `dated_on`
    last_balance = models.DecimalField(max_digits=13, decimal_places=2, null=True, blank=True)
    last_balance_on = models.DateField(null=True, blank=True)
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="levy_order")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=12, choices=LevyAnswer.choices, blank=True)
    answer_amount = models.DecimalField(max_digits=13, decimal_places=2, null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answer_note = models.CharField(max_length=500, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    release_document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="levy_release")  # fmt: skip
    released_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "account"], name="one_levy_order_per_account"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="levy_order_amount_positive"),
            models.CheckConstraint(
                condition=Q(answer="", answer_amount__isnull=True)
                | Q(answer__in=["held", "surrendered"], answer_amount__gt=0)
                | Q(answer__in=["closed", "no_funds", "not_found"], answer_amount__isnull=True),
                name="levy_answer_amount_fits",
            ),
        ]

    def __str__(self) -> str:
        return f"Order to withhold and deliver, {self.account}, {self.dated_on:%m/%d/%Y}"
