"""Forms of the disbursement screens: the run, a returned payout, releasing or transferring undistributable
money, a direct deposit authorization.

They parse and type the input; `opencse.ledger.disbursement` decides what the law and the ledger allow,
and its refusals come back beside the field (`opencse.web.common.forms.add_domain_error`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from opencse.ledger.models import AccountType, PaymentMethod, ReturnKind
from opencse.web.common.forms import DATE_WIDGET, UswdsForm

# Which kinds of return fit which way of paying: a bank returns a deposit, a check is voided or comes back.
RETURN_KINDS = {
    PaymentMethod.EFT: (ReturnKind.EFT_RETURNED,),
    PaymentMethod.CHECK: (ReturnKind.CHECK_VOIDED, ReturnKind.CHECK_STALE, ReturnKind.CHECK_RETURNED),
}


class RunForm(UswdsForm):
    run_on = forms.DateField(
        label="Disbursement date",
        widget=DATE_WIDGET,
        help_text="The business day the payouts are issued: today, unless a run was missed",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run_on"].initial = timezone.localdate()

    def clean_run_on(self) -> object:
        run_on = self.cleaned_data["run_on"]
        if run_on > timezone.localdate():
            raise forms.ValidationError("cannot be in the future: money is paid out the day it is issued")
        return run_on


def _given_reason(form: forms.Form) -> str:
    """The form's reason without surrounding blanks; a blank one is refused beside the field."""
    reason = str(form.cleaned_data["reason"]).strip()
    if not reason:
        raise forms.ValidationError("give the reason")
    return reason


class ReasonForm(UswdsForm):
    """The reason for releasing undistributable money, or for transferring it to unclaimed property."""

    reason = forms.CharField(label="Reason", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = help_text

    def clean_reason(self) -> str:
        return _given_reason(self)


def release_form(data: Any = None) -> ReasonForm:
    return ReasonForm(data, prefix="release", help_text="e.g. bank account received, new mailing address verified")


def unclaimed_form(data: Any = None) -> ReasonForm:
    return ReasonForm(
        data, prefix="unclaimed", help_text="The efforts made to find the payee (locate sources searched)"
    )


class ReturnForm(UswdsForm):
    kind = forms.ChoiceField(label="What happened")
    returned_on = forms.DateField(label="Date returned or voided", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        help_text="e.g. the bank's return code (R03 no account), or why the check was voided",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, method: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = RETURN_KINDS.get(PaymentMethod(method), ())
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "- Select -"), *((kind.value, kind.label) for kind in kinds)]
        self.fields["returned_on"].initial = timezone.localdate()

    def clean_reason(self) -> str:
        return _given_reason(self)


class AccountNumberInput(forms.TextInput):
    """A text field that is never filled back in: the full account number is not sent to the browser again."""

    def format_value(self, value: Any) -> str | None:
        return None


class DirectDepositForm(UswdsForm):
    routing_number = forms.CharField(
        label="Routing number", max_length=9, help_text="The 9-digit ABA number at the bottom left of a check"
    )
    account_number = forms.CharField(
        label="Account number",
        max_length=17,
        help_text="4 to 17 letters or digits",
        widget=AccountNumberInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    account_number_again = forms.CharField(
        label="Account number again",
        max_length=17,
        help_text="Type it again, to catch a typing mistake",
        widget=AccountNumberInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    account_type = forms.ChoiceField(label="Account type", choices=[("", "- Select -"), *AccountType.choices])
    starts_on = forms.DateField(label="Authorized from", widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        first, again = cleaned.get("account_number"), cleaned.get("account_number_again")
        if first and again and first != again:
            self.add_error("account_number_again", "does not match the account number")
        return cleaned
