"""The person record forms: edit a person, aliases, addresses, employments, the family violence indicator.

An SSN typed into the person form is never rendered back (`NeverShownInput`): the page shows only the
masked number on file, and a refused form asks for the number again.
"""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.errors import InvalidInputs
from opencse.people.models import STATE_CHOICES, Address, Alias, InformationSource, Person, Sex
from opencse.people.services import check_person_values
from opencse.web.common.forms import DATE_WIDGET, SELECT, UswdsForm


class NeverShownInput(forms.TextInput):
    """A text input that never writes a value into the page (an SSN stays out of HTML and caches)."""

    def format_value(self, value: Any) -> None:
        return None


class PersonValuesChecked(forms.Form):
    """A person form that also shows the service's refusals of the values it parsed (an SSN never issued,
    a birth date in the future), with its own field errors, from one submit."""

    PERSON_FIELDS: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {name: data[name] for name in self.PERSON_FIELDS if name in data}
        ssn = "" if "ssn" in self.errors else data.get("ssn", "")
        try:
            check_person_values(ssn=ssn, **values)
        except InvalidInputs as refused:
            for error in refused.errors:
                if error.field in self.fields and error.field not in self.errors:
                    self.add_error(error.field, error.message)
        return data


class PersonEditForm(PersonValuesChecked, UswdsForm):
    first_name = forms.CharField(label="First name", max_length=60)
    middle_name = forms.CharField(label="Middle name", max_length=60, required=False)
    last_name = forms.CharField(label="Last name", max_length=60)
    suffix = forms.CharField(label="Suffix", max_length=10, required=False)
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_WIDGET)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices)
    ssn = forms.CharField(
        label="New SSN",
        max_length=11,
        required=False,
        widget=NeverShownInput(attrs={"autocomplete": "off"}),
        help_text="Leave empty to keep the SSN on file; nine digits, e.g. 123-45-6789",
    )
    date_of_death = forms.DateField(label="Date of death", required=False, widget=DATE_WIDGET)
    language = forms.CharField(label="Language", max_length=40, required=False)
    tribal_affiliation = forms.CharField(label="Tribal affiliation", max_length=120, required=False)
    phone = forms.CharField(label="Phone", max_length=20, required=False)
    email = forms.EmailField(label="Email", required=False)

    PERSON_FIELDS = (
        "first_name", "middle_name", "last_name", "suffix", "date_of_birth", "sex", "date_of_death", "language",
        "tribal_affiliation", "phone", "email",
    )  # fmt: skip

    @classmethod
    def for_person(cls, person: Person, data: Any = None) -> PersonEditForm:
        return cls(data, initial={name: getattr(person, name) for name in cls.PERSON_FIELDS})

    def person_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}


class AliasForm(UswdsForm):
    kind = forms.ChoiceField(label="Kind of name", choices=Alias.Kind.choices, initial=Alias.Kind.ALIAS)
    first_name = forms.CharField(label="First name", max_length=60, required=False)
    last_name = forms.CharField(label="Last name", max_length=60)


class AddressForm(UswdsForm):
    kind = forms.ChoiceField(label="Kind", choices=Address.Kind.choices, initial=Address.Kind.RESIDENTIAL)
    line1 = forms.CharField(label="Street address", max_length=100)
    line2 = forms.CharField(label="Street address line 2", max_length=100, required=False)
    city = forms.CharField(label="City", max_length=60)
    state = forms.ChoiceField(label="State", choices=[*SELECT, *STATE_CHOICES])
    postal_code = forms.RegexField(
        label="ZIP code", regex=r"^\d{5}(-\d{4})?$", error_messages={"invalid": "must be 5 digits, or 5+4 digits"}
    )
    source = forms.ChoiceField(label="Source", choices=InformationSource.choices, initial=InformationSource.PARTY)
    verification = forms.ChoiceField(
        label="Verification",
        choices=[(value, label) for value, label in Address.Verification.choices if value != Address.Verification.BAD],
        initial=Address.Verification.UNVERIFIED,
    )
    effective_on = forms.DateField(label="Effective on", widget=DATE_WIDGET)


class AddressEndForm(UswdsForm):
    ended_on = forms.DateField(label="Ended on", widget=DATE_WIDGET)
    bad = forms.BooleanField(
        label="Bad address (returned mail, false report): never send anything there again", required=False
    )


class EmploymentForm(UswdsForm):
    """A new employment: at the employer chosen from the search (`employer`), or at the employer named here
    (matched by FEIN when one is on file with it, otherwise created with its payroll contact)."""

    employer = forms.IntegerField(widget=forms.HiddenInput, required=False)
    employer_name = forms.CharField(label="Employer name", max_length=120, required=False)
    fein = forms.CharField(label="FEIN", max_length=10, required=False, help_text="Nine digits, e.g. 64-0123456")
    line1 = forms.CharField(label="Street address", max_length=100, required=False)
    city = forms.CharField(label="City", max_length=60, required=False)
    state = forms.ChoiceField(label="State", choices=[*SELECT, *STATE_CHOICES], required=False)
    postal_code = forms.CharField(label="ZIP code", max_length=10, required=False)
    payroll_contact = forms.CharField(label="Payroll contact", max_length=80, required=False)
    payroll_phone = forms.CharField(label="Payroll phone", max_length=20, required=False)
    started_on = forms.DateField(label="Started on", required=False, widget=DATE_WIDGET)
    verified = forms.BooleanField(label="Verified with the employer", required=False)

    EMPLOYER_FIELDS = ("line1", "city", "state", "postal_code", "payroll_contact", "payroll_phone")
    NEW_EMPLOYER_FIELDS = ("employer_name", "fein", *EMPLOYER_FIELDS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("employer") is None and not cleaned.get("employer_name", "").strip():
            self.add_error("employer_name", "Name the employer, or choose one found by the search above.")
        return cleaned

    def employer_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.EMPLOYER_FIELDS}


class FamilyViolenceForm(UswdsForm):
    since = forms.DateField(
        label="Indicator set since", required=False, widget=DATE_WIDGET, help_text="Leave empty for today"
    )
