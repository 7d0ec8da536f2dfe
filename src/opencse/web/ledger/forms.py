"""Forms of the money screens: posting a collection, suspense, reversal, adjustments, assistance.

They parse and type the input (money as `Decimal`, never float); the ledger services decide what the
law allows and their refusals come back beside the field (`opencse.web.common.forms.add_domain_error`).
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from opencse.errors import DomainError
from opencse.ledger.models import Account, AdjustmentKind, CollectionSource
from opencse.ledger.services import LEDGER_DATE_EARLIEST
from opencse.web.common.forms import DATE_WIDGET, UswdsForm, add_domain_error, money_field

FORM_ALREADY_USED = (
    "This form was already used to post a different payment; nothing was posted. "
    "Open the posting page again to post another payment."
)


# An earlier (`opencse.ledger.services.LEDGER_DATE_EARLIEST`, Title IV-D began in 1975) or far-future date is a
# typing slip, and the ledger's month arithmetic must never meet year 1 or 9999.
DATE_EARLIEST, DATE_LATEST = LEDGER_DATE_EARLIEST, date(2199, 12, 31)


def add_ledger_error(form: forms.Form, error: DomainError, *, dated_by: str) -> None:
    """Put a service's refusal beside its field. A rule refuses a date it has no law for as `as_of`: that
    is the form's field `dated_by` (the date of collection, the effective date, the start of assistance)."""
    if error.field == "as_of" and dated_by in form.fields:
        form.add_error(dated_by, error.message)
    elif error.field == "idempotency_key":  # a hidden field: said above the form
        form.add_error(None, FORM_ALREADY_USED)
    else:
        add_domain_error(form, error)


class LedgerDateField(forms.DateField):
    """A date the ledger can count with: refused beside the field when outside 1975 to 2199."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DATE_WIDGET)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> date | None:
        day: date | None = super().clean(value)
        if day is not None and not DATE_EARLIEST <= day <= DATE_LATEST:
            raise forms.ValidationError(f"must be between {DATE_EARLIEST:%m/%d/%Y} and {DATE_LATEST:%m/%d/%Y}")
        return day


class CollectionForm(UswdsForm):
    # A one-time key made when the form is shown: a double submit or a resent form posts once
    # (`opencse.ledger.idempotency`). Optional, so a client without it still posts (without that guard).
    idempotency_key = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)
    amount = money_field("Amount", help_text="Dollars and cents, e.g. 500.00")
    source = forms.ChoiceField(label="Source", choices=[("", "- Select -"), *CollectionSource.choices])
    collected_on = LedgerDateField(
        label="Date of collection",
        help_text="The pay date for income withholding: it decides how the payment is distributed",
    )
    received_on = LedgerDateField(label="Date received")
    payor_name = forms.CharField(label="Payor", max_length=120, required=False, help_text="Employer, person or agency")
    reference = forms.CharField(label="Reference", max_length=60, required=False, help_text="Check or trace number")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["idempotency_key"].initial = secrets.token_urlsafe(24)

    def clean_idempotency_key(self) -> str | None:
        return str(self.cleaned_data.get("idempotency_key") or "").strip() or None

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        collected_on, received_on = cleaned.get("collected_on"), cleaned.get("received_on")
        if collected_on and received_on and collected_on > received_on:
            self.add_error("collected_on", "cannot be after the date the payment was received")
        return cleaned


class IdentifyForm(UswdsForm):
    case_number = forms.CharField(label="Case number", max_length=20)

    def clean_case_number(self) -> str:
        return str(self.cleaned_data["case_number"]).strip()


class ReversalReason:
    NSF = "Insufficient funds (NSF)"
    STOP_PAYMENT = "Stop payment"
    POSTING_ERROR = "Posting error"
    OTHER = "Other"
    CHOICES = [("", "- Select -"), *((label, label) for label in (NSF, STOP_PAYMENT, POSTING_ERROR, OTHER))]


class ReversalForm(UswdsForm):
    why = forms.ChoiceField(label="Reason for the reversal", choices=ReversalReason.CHOICES)
    reversed_on = forms.DateField(
        label="Date of the reversal",
        help_text="The day the bank returned the payment or the error was found; the debt is restored from then",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    details = forms.CharField(
        label="Details",
        max_length=150,
        required=False,
        help_text="e.g. the bank's return code, or which case the payment belonged to",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("why") == ReversalReason.OTHER and not str(cleaned.get("details", "")).strip():
            self.add_error("details", "describe the reason when it is not one of the listed ones")
        return cleaned

    def reason(self) -> str:
        """The reason as recorded on the reversal entries and in the audit trail (200 characters at most)."""
        details = str(self.cleaned_data.get("details", "")).strip()
        return f"{self.cleaned_data['why']}: {details}" if details else str(self.cleaned_data["why"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reversed_on"].initial = timezone.localdate()  # the usual case: recorded the day it happens


class AdjustmentForm(UswdsForm):
    account = forms.ChoiceField(label="Account", choices=[("", "- Select -"), *Account.choices])
    kind = forms.ChoiceField(label="Kind of adjustment", choices=[("", "- Select -"), *AdjustmentKind.choices])
    amount = money_field("Amount", help_text="Positive; the kind says whether the debt goes up or down")
    effective_on = LedgerDateField(label="Effective on")
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="At least 10 characters: the approver decides on what you write here",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(UswdsForm):
    note = forms.CharField(
        label="Note",
        max_length=500,
        required=False,
        help_text="Required to reject",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.HiddenInput)


class AssistanceForm(UswdsForm):
    starts_on = LedgerDateField(label="Assistance starts")
    ends_on = LedgerDateField(label="Assistance ends", required=False, help_text="Empty if open")
    grant_monthly = money_field("Monthly grant", help_text="The TANF grant per month", minimum=Decimal("0.00"))
    assistance_group = forms.CharField(
        label="IV-A assistance group number",
        max_length=20,
        required=False,
        help_text="The TANF case number; leave empty when this case is its own group",
    )
