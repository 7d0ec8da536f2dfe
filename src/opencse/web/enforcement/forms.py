"""The income withholding forms: the date of a new order; an amendment or termination with its reason."""

from __future__ import annotations

from django import forms

from opencse.enforcement.services import REASON_MAXIMUM
from opencse.web.common.forms import DATE_WIDGET, UswdsForm


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
