"""The enforcement forms: a new income withholding order's date; an amendment or termination with its reason;
the decision on a proposed remedy, and each later step of its action."""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.enforcement.actions import NOTE_MAXIMUM, SERVICE_METHODS
from opencse.enforcement.services import REASON_MAXIMUM
from opencse.web.common.forms import DATE_WIDGET, UswdsForm, money_field


class IssueForm(UswdsForm):
    dated_on = forms.DateField(
        label="Date of the order",
        widget=DATE_WIDGET,
        help_text="The date printed on the form; the employer counts its days from it",
    )


class ChangeForm(UswdsForm):
    action = forms.ChoiceField(
        label="Send", choices=[("amend", "An amended order with the amounts owed now"), ("terminate", "A termination")]
    )
    dated_on = forms.DateField(label="Date of the order", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Reason (printed on the form)",
        max_length=REASON_MAXIMUM,
        help_text="For example: the order was modified; the employee no longer works there",
    )


class LumpSumForm(UswdsForm):
    payment = forms.CharField(
        label="What the employer will pay (printed on the form)",
        max_length=REASON_MAXIMUM,
        help_text="For example: annual bonus paid June 15; severance pay",
    )
    amount = money_field("Amount to withhold", help_text="At most the arrears owed; blank claims all of them")
    dated_on = forms.DateField(label="Date of the order", widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False


class EiwoEmployerForm(UswdsForm):
    fein = forms.CharField(label="Employer's FEIN", max_length=10, help_text="9 digits, for example 64-0123456")
    since = forms.DateField(label="Takes e-IWO from", widget=DATE_WIDGET,
                            help_text="Orders dated on or after this day go in the e-IWO file")  # fmt: skip


class DecisionForm(UswdsForm):
    decision = forms.ChoiceField(
        label="Decision", choices=[("approve", "Approve: send the notice"), ("reject", "Reject")]
    )
    decided_on = forms.DateField(label="Date of the decision", widget=DATE_WIDGET)
    service_method = forms.ChoiceField(
        label="How the notice is served",
        required=False,
        choices=[("", "- Select -"), *SERVICE_METHODS.items()],
        help_text="Only the ways this remedy's notice may be served are accepted",
    )
    note = forms.CharField(
        label="Note (required to reject)",
        max_length=NOTE_MAXIMUM,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ServiceForm(UswdsForm):
    served_on = forms.DateField(label="Served on", widget=DATE_WIDGET, help_text="The contest window starts that day")
    note = forms.CharField(label="Proof of service", max_length=NOTE_MAXIMUM, required=False)


class ContestForm(UswdsForm):
    received_on = forms.DateField(label="Contest received on", widget=DATE_WIDGET)
    note = forms.CharField(
        label="What the obligor contests", max_length=NOTE_MAXIMUM, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContestDecisionForm(UswdsForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            ("against", "Contest denied: the action may proceed"),
            ("for", "Contest granted: withdraw the action"),
        ],
    )
    decided_on = forms.DateField(label="Decided on", widget=DATE_WIDGET)
    note = forms.CharField(
        label="What was decided and why", max_length=NOTE_MAXIMUM, widget=forms.Textarea(attrs={"rows": 3})
    )


class TakeForm(UswdsForm):
    taken_on = forms.DateField(label="Action taken on", widget=DATE_WIDGET)
    note = forms.CharField(
        label="Note",
        max_length=NOTE_MAXIMUM,
        required=False,
        help_text="For example: certified to the licensing board; lien recorded in Hinds County",
    )


class ReleaseForm(UswdsForm):
    released_on = forms.DateField(label="Released on", widget=DATE_WIDGET)
    reason = forms.CharField(label="Why it is released", max_length=NOTE_MAXIMUM)


class AgreementForm(UswdsForm):
    """A payment agreement as negotiated with the obligor; the amount's and the date's limits are the service's
    (`enforcement.agreements.propose_agreement`), so they come back together, each beside its field."""

    monthly_amount = money_field(
        "Monthly payment on arrears", help_text="On top of current support; for example 150.00", minimum=None
    )
    starts_on = forms.DateField(label="First month starts on", widget=DATE_WIDGET, help_text="Within 90 days")
    terms = forms.CharField(
        label="Terms agreed",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: by income withholding; direct payments by the 15th of each month",
    )


class AgreementDecisionForm(UswdsForm):
    decision = forms.ChoiceField(
        label="Decision", choices=[("sign", "Sign: the agreement takes effect"), ("reject", "Reject")]
    )
    note = forms.CharField(
        label="Note (required to reject)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
