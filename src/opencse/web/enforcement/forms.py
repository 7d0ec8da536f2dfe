"""The enforcement forms: a new income withholding order's date; an amendment or termination with its reason;
the decision on a proposed remedy, and each later step of its action; a bankruptcy stay and a period of SSI of the
obligor, and their ends; the end of a payment agreement."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from opencse.common.states import state_name
from opencse.enforcement.actions import NOTE_MAXIMUM, SERVICE_METHODS
from opencse.enforcement.employer_service import EVIDENCE_MAXIMUM
from opencse.enforcement.models import (
    AgreementEnd,
    BankruptcyChapter,
    DeliveryMethod,
    ExceptionKind,
    SsiVerification,
    StayEnd,
)
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


class EmployerServiceForm(UswdsForm):
    method = forms.ChoiceField(label="Sent by", choices=DeliveryMethod.choices)
    sent_on = forms.DateField(label="Date sent", widget=DATE_WIDGET)
    received_on = forms.DateField(
        label="Date the employer received it (optional)",
        widget=DATE_WIDGET,
        required=False,
        help_text="From the return receipt, the fax confirmation or the employer's answer, when known",
    )
    evidence = forms.CharField(
        label="Evidence",
        max_length=EVIDENCE_MAXIMUM,
        required=False,
        help_text="The return receipt's number for certified mail, who served it for personal service",
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


class WithholdingExceptionForm(UswdsForm):
    kind = forms.ChoiceField(label="Exception", choices=[("", "- Select -"), *ExceptionKind.choices])
    since = forms.DateField(label="Date of the finding or of the agreement", widget=DATE_WIDGET)
    reference = forms.CharField(
        label="The order or the signed agreement",
        max_length=200,
        help_text="For example: Order of 03/02/2026, Harrison County Chancery Court, finding good cause",
    )


class ExceptionEndForm(UswdsForm):
    ended_on = forms.DateField(label="Ended on", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Why", max_length=REASON_MAXIMUM, help_text="For example: the obligor asked for withholding"
    )


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
    ability_to_pay = forms.CharField(
        label="The obligor's ability to pay (required to approve)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What shows the obligor can pay and where it comes from: income, work, assets, what was paid "
        "(Turner v. Rogers, 564 U.S. 431 (2011)); the staff attorney's packet carries it",
    )

    def __init__(self, *args: Any, ability_to_pay: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ability_to_pay:  # only a remedy whose data asks for it (a contempt referral)
            del self.fields["ability_to_pay"]


class ServiceForm(UswdsForm):
    served_on = forms.DateField(label="Served on", widget=DATE_WIDGET, help_text="The contest window starts that day")
    out_of_state = forms.BooleanField(label="Served outside the State", required=False,
                                      help_text="Where the State's law gives more days then, they apply")  # fmt: skip
    note = forms.CharField(label="Proof of service", max_length=NOTE_MAXIMUM, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["out_of_state"].label = f"Served outside {state_name(str(settings.OPENCSE_STATE))}"


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


def _not_future(value: date | None) -> date | None:
    """The services refuse a future date too; asked here so it comes back with the form's other errors at once."""
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError("cannot be in the future")
    return value


class BankruptcyForm(UswdsForm):
    """A bankruptcy petition of the obligor (11 U.S.C. 362(a): the stay starts with the petition)."""

    petition_filed_on = forms.DateField(label="Petition filed on", widget=DATE_WIDGET,
                                        help_text="The date stamped on the petition or the court's notice")  # fmt: skip
    chapter = forms.ChoiceField(label="Chapter", choices=[("", "- Select -"), *BankruptcyChapter.choices])
    court = forms.CharField(
        label="Court", max_length=120, help_text="For example: U.S. Bankruptcy Court, Southern District of Mississippi"
    )
    court_case_number = forms.CharField(label="Bankruptcy case number", max_length=40,
                                        help_text="For example: 26-01234-JAW")  # fmt: skip

    def clean_petition_filed_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("petition_filed_on"))


class StayEndForm(UswdsForm):
    ended_how = forms.ChoiceField(label="How the stay ended", choices=[("", "- Select -"), *StayEnd.choices])
    ended_on = forms.DateField(
        label="Ended on",
        widget=DATE_WIDGET,
        help_text="The date of the court's order: the stay no longer holds that day",
    )
    note = forms.CharField(label="Note", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_ended_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("ended_on"))


class SsiForm(UswdsForm):
    """A period of Supplemental Security Income of the obligor (45 CFR 307.11(c)(3))."""

    receiving_from = forms.DateField(label="Receiving SSI from", widget=DATE_WIDGET)
    receiving_to = forms.DateField(label="Last day received", widget=DATE_WIDGET, required=False,
                                   help_text="Leave empty while the obligor still receives it")  # fmt: skip
    verified_how = forms.ChoiceField(
        label="How it was verified", choices=[("", "- Select -"), *SsiVerification.choices]
    )
    note = forms.CharField(label="Note", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Required when verified another way")  # fmt: skip

    def clean_receiving_from(self) -> date | None:
        return _not_future(self.cleaned_data.get("receiving_from"))


class SsiEndForm(UswdsForm):
    receiving_to = forms.DateField(label="Last day received", widget=DATE_WIDGET)
    note = forms.CharField(label="Note", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_receiving_to(self) -> date | None:
        return _not_future(self.cleaned_data.get("receiving_to"))


class AgreementEndForm(UswdsForm):
    """The end of an agreement in effect; the service's checks (why, the date, a note when the officer ends it)
    come back together, each beside its field."""

    reason = forms.ChoiceField(label="Why it ends", choices=[("", "- Select -"), *AgreementEnd.choices])
    ended_on = forms.DateField(label="Ended on", widget=DATE_WIDGET)
    note = forms.CharField(label="Note (required when the officer ends it)", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
