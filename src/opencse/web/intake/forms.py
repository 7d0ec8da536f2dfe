"""The intake forms: the application (the custodial party, the other parent and the children, each with their
address, on one form), the matching choices, rejecting a referral, a new person in one screen, the interview."""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.cases.models import MemberRole, Program
from opencse.intake.models import Status
from opencse.intake.services import INTERVIEW_TEXT_FIELDS, Lead, PartyInput
from opencse.people.models import STATE_CHOICES, Sex
from opencse.web.common.forms import DATE_WIDGET, UswdsForm

CHILD_SLOTS = 3  # children on the application form; more are added on the case afterwards
NEW = "new"


class PartyForm(UswdsForm):
    """One person on the application, with their address. Names are required for the custodial party only
    (`required_names`); the other forms are optional when left blank."""

    first_name = forms.CharField(label="First name", max_length=60, required=False)
    middle_name = forms.CharField(label="Middle name", max_length=60, required=False)
    last_name = forms.CharField(label="Last name", max_length=60, required=False)
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_WIDGET)
    ssn = forms.CharField(label="SSN", max_length=11, required=False, help_text="Nine digits, e.g. 123-45-6789")
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN)
    line1 = forms.CharField(label="Street address", max_length=100, required=False)
    line2 = forms.CharField(label="Apartment, suite", max_length=100, required=False)
    city = forms.CharField(label="City", max_length=60, required=False)
    state = forms.ChoiceField(label="State", choices=[("", "-"), *STATE_CHOICES], required=False)
    postal_code = forms.CharField(label="ZIP code", max_length=10, required=False)

    def __init__(self, *args: Any, required_names: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required_names = required_names
        if required_names:
            self.fields["first_name"].required = self.fields["last_name"].required = True

    def is_blank(self) -> bool:
        if not self.is_bound or self.required_names:
            return False
        return not any(self.data.get(self.add_prefix(name), "").strip() for name in self.fields if name != "sex")

    def party(self) -> PartyInput:
        data = self.cleaned_data
        texts: dict[str, str] = {name: str(data.get(name) or "") for name in self.fields if name != "date_of_birth"}
        return PartyInput(date_of_birth=data.get("date_of_birth"), **texts)


ASSISTANCE = [
    (Program.NEVER_ASSISTANCE, "Never received TANF"),
    (Program.FORMER_ASSISTANCE, "Received TANF in the past"),
]
OTHER_PARENT_ROLES = [
    (MemberRole.NONCUSTODIAL_PARENT, "The noncustodial parent"),
    (MemberRole.ALLEGED_FATHER, "An alleged father (paternity not established)"),
]


class ApplicationForm(UswdsForm):
    received_on = forms.DateField(
        label="Application received on", widget=DATE_WIDGET,
        help_text="The case must be opened within 20 days of it (45 CFR 303.2(b))",
    )  # fmt: skip
    program = forms.ChoiceField(label="Assistance", choices=ASSISTANCE)
    other_parent_role = forms.ChoiceField(label="The other parent is", choices=OTHER_PARENT_ROLES)
    family_violence = forms.BooleanField(
        label="The applicant reports family violence (protect the family's addresses)", required=False
    )


class ChoicesForm(UswdsForm):
    """For each person on the referral: a person on file (a candidate) or a new person."""

    opened_on = forms.DateField(label="Case opened on", widget=DATE_WIDGET)

    def __init__(self, *args: Any, matches: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for match in matches.parties if matches else ():
            choices = [(str(c.person.pk), f"Use {c.person.full_name} ({c.how})") for c in match.candidates]
            initial = choices[0][0] if match.candidates and match.candidates[0].how == "same SSN" else NEW
            if match.party.person_id and str(match.party.person_id) in dict(choices):
                initial = str(match.party.person_id)
            self.fields[f"party-{match.party.pk}"] = forms.ChoiceField(
                label=match.party.full_name or "Unnamed", choices=[*choices, (NEW, "New person")],
                widget=forms.RadioSelect, initial=initial,
            )  # fmt: skip

    def choices(self) -> dict[int, int | None]:
        return {
            int(name.removeprefix("party-")): None if value == NEW else int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("party-")
        }


class CloseForm(UswdsForm):
    status = forms.ChoiceField(label="Decision", choices=[
        (Status.DUPLICATE, "Duplicate: the family already has a case or a referral"),
        (Status.REJECTED, "Rejected: no IV-D case is to be opened")])  # fmt: skip
    duplicate_of = forms.CharField(label="Case number it duplicates", max_length=20, required=False)
    reason = forms.CharField(label="Reason", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class PersonForm(UswdsForm):
    """A new person with their address and employer, on one screen."""

    first_name = forms.CharField(label="First name", max_length=60)
    middle_name = forms.CharField(label="Middle name", max_length=60, required=False)
    last_name = forms.CharField(label="Last name", max_length=60)
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_WIDGET)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN)
    ssn = forms.CharField(label="SSN", max_length=11, required=False, help_text="Nine digits, e.g. 123-45-6789")
    phone = forms.CharField(label="Phone", max_length=20, required=False)
    line1 = forms.CharField(label="Street address", max_length=100, required=False)
    line2 = forms.CharField(label="Apartment, suite", max_length=100, required=False)
    city = forms.CharField(label="City", max_length=60, required=False)
    state = forms.ChoiceField(label="State", choices=[("", "-"), *STATE_CHOICES], required=False)
    postal_code = forms.CharField(label="ZIP code", max_length=10, required=False)
    employer_name = forms.CharField(label="Employer", max_length=120, required=False)
    fein = forms.CharField(label="Employer's FEIN", max_length=10, required=False)

    PERSON = ("first_name", "middle_name", "last_name", "date_of_birth", "sex", "phone")
    ADDRESS = ("line1", "line2", "city", "state", "postal_code")

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        address = {name: data[name] for name in self.ADDRESS}
        employer = {"employer_name": data["employer_name"].strip(), "fein": data["fein"].strip()}
        return {
            "ssn": data["ssn"], **{name: data[name] for name in self.PERSON},
            "address": address if any(address.values()) else None,
            "employer": employer if employer["employer_name"] or employer["fein"] else None,
        }  # fmt: skip


LONG = forms.Textarea(attrs={"rows": 2})
INTERVIEW_LABELS = {
    "other_parent_names": "Other parent's name(s)",
    "other_parent_aliases": "Aliases and nicknames",
    "physical_description": "Physical description (height, weight, hair, eyes, marks)",
    "last_known_addresses": "Last known addresses",
    "employers": "Employers, past and present",
    "vehicles": "Vehicles (make, model, plate)",
    "relatives": "Relatives and friends who may know where the other parent is",
    "military_service": "Military service (branch, years)",
    "incarceration": "Incarceration (where, when)",
    "children": "The children (who they live with, health insurance, needs)",
    "existing_order_court": "Existing order: court",
    "existing_order_date": "Existing order: date",
    "existing_order_amount": "Existing order: amount (as the party says it)",
    "assistance_history": "Assistance history (TANF, Medicaid, foster care; when, which state)",
    "notes": "Other notes",
}
SHORT_FIELDS = {"other_parent_names", "other_parent_aliases", "existing_order_court", "existing_order_date",
                "existing_order_amount"}  # fmt: skip


class InterviewForm(UswdsForm):
    interviewed_on = forms.DateField(label="Interviewed on", widget=DATE_WIDGET)
    other_parent_date_of_birth = forms.DateField(label="Other parent's date of birth", required=False,
                                                 widget=DATE_WIDGET)  # fmt: skip
    other_parent_ssn = forms.CharField(label="Other parent's SSN (or its last four)", max_length=11, required=False)
    good_cause_claimed = forms.BooleanField(label="The custodial party claims good cause for not cooperating",
                                            required=False)  # fmt: skip
    family_violence_claimed = forms.BooleanField(
        label="The custodial party reports family violence (protects their addresses now)", required=False
    )
    lead_line1 = forms.CharField(label="Other parent's last known street address", max_length=100, required=False)
    lead_city = forms.CharField(label="City", max_length=60, required=False)
    lead_state = forms.ChoiceField(label="State", choices=[("", "-"), *STATE_CHOICES], required=False)
    lead_postal_code = forms.CharField(label="ZIP code", max_length=10, required=False)
    lead_employer_name = forms.CharField(label="Other parent's employer (recorded as a lead)", max_length=120,
                                         required=False)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in INTERVIEW_TEXT_FIELDS:
            short = name in SHORT_FIELDS
            self.fields[name] = forms.CharField(label=INTERVIEW_LABELS[name], required=False,
                                                max_length=200 if short else 4000,
                                                widget=forms.TextInput if short else LONG)  # fmt: skip
        for field in self.fields.values():
            widget = field.widget
            if "class" not in widget.attrs:
                widget.attrs["class"] = "usa-textarea" if isinstance(widget, forms.Textarea) else "usa-input"

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "interviewed_on": data["interviewed_on"],
            "other_parent_date_of_birth": data["other_parent_date_of_birth"],
            "other_parent_ssn": data["other_parent_ssn"],
            "good_cause_claimed": data["good_cause_claimed"],
            "family_violence_claimed": data["family_violence_claimed"],
            "address_lead": Lead(line1=data["lead_line1"], city=data["lead_city"], state=data["lead_state"],
                                 postal_code=data["lead_postal_code"]),
            "employer_lead": Lead(employer_name=data["lead_employer_name"]),
            **{name: data[name] for name in INTERVIEW_TEXT_FIELDS},
        }  # fmt: skip
