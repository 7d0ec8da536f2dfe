"""Forms of the money screens: posting a collection, suspense, reversal, adjustments, assistance.

They parse and type the input (money as `Decimal`, never float); the ledger services decide what the
law allows and their refusals come back beside the field (`opencse.web.forms.add_domain_error`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from opencse.ledger.models import Account, AdjustmentKind, CollectionSource
from opencse.web.forms import DATE_WIDGET, UswdsForm

AMOUNT_MINIMUM = Decimal("0.01")


def money_field(label: str, *, help_text: str = "", minimum: Decimal | None = AMOUNT_MINIMUM) -> forms.DecimalField:
    """Dollars and cents: two decimal places at most, a positive amount unless `minimum` says otherwise."""
    return forms.DecimalField(
        label=label,
        max_digits=13,
        decimal_places=2,
        min_value=minimum,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class CollectionForm(UswdsForm):
    amount = money_field("Amount", help_text="Dollars and cents, e.g. 500.00")
    source = forms.ChoiceField(label="Source", choices=[("", "- Select -"), *CollectionSource.choices])
    collected_on = forms.DateField(
        label="Date of collection",
        widget=DATE_WIDGET,
        help_text="The pay date for income withholding: it decides how the payment is distributed",
    )
    received_on = forms.DateField(label="Date received", widget=DATE_WIDGET)
    payor_name = forms.CharField(label="Payor", max_length=120, required=False, help_text="Employer, person or agency")
    reference = forms.CharField(label="Reference", max_length=60, required=False, help_text="Check or trace number")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

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


class AdjustmentForm(UswdsForm):
    account = forms.ChoiceField(label="Account", choices=[("", "- Select -"), *Account.choices])
    kind = forms.ChoiceField(label="Kind of adjustment", choices=[("", "- Select -"), *AdjustmentKind.choices])
    amount = money_field("Amount", help_text="Positive; the kind says whether the debt goes up or down")
    effective_on = forms.DateField(label="Effective on", widget=DATE_WIDGET)
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
    starts_on = forms.DateField(label="Assistance starts", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Assistance ends", required=False, widget=DATE_WIDGET, help_text="Empty if open")
    grant_monthly = money_field("Monthly grant", help_text="The TANF grant per month", minimum=Decimal("0.00"))
    assistance_group = forms.CharField(
        label="IV-A assistance group number",
        max_length=20,
        required=False,
        help_text="The TANF case number; leave empty when this case is its own group",
    )
