"""The web app's forms: they parse and type the input; the services decide what the law allows.

A `DomainError` raised by a service is put back on the form beside its field (`add_domain_error`),
so the officer sees the service's message in the USWDS error pattern.
"""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.cases.models import Category, MemberRole, NoteKind, Program
from opencse.errors import DomainError, InvalidInputs
from opencse.people.models import Sex

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
# System notes are written by the system; a correction must name its note, which this form does not offer.
NOTE_KINDS = [(kind.value, kind.label) for kind in NoteKind if kind not in (NoteKind.SYSTEM, NoteKind.CORRECTION)]


WIDGET_CLASSES = {"select": "usa-select", "textarea": "usa-textarea", "checkbox": "usa-checkbox__input"}


class UswdsForm(forms.Form):
    """A form whose widgets carry the USWDS classes, and the error class once a field is refused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = field.widget.input_type if hasattr(field.widget, "input_type") else field.widget.template_name
            name = next((css for key, css in WIDGET_CLASSES.items() if key in str(kind)), "usa-input")
            field.widget.attrs["class"] = name

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and "--error" not in self.fields[name].widget.attrs.get("class", ""):
                css = self.fields[name].widget.attrs.get("class", "usa-input")
                self.fields[name].widget.attrs["class"] = f"{css} {css}--error"


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal beside the field it names (or above the form when it names none)."""
    errors = error.errors if isinstance(error, InvalidInputs) else [error]
    for each in errors:
        field = each.field if each.field in form.fields else None
        form.add_error(field, each.message)


SSN_NOT_IN_ADDRESS = (
    "Search by SSN with the search form, not in the page address: an address is kept by the browser's"
    " history, proxies and server logs."
)


def search_form_data(request: Any) -> Any:
    """The data a search form is bound to: the POST body (the form posts, so an SSN stays out of every
    URL), or the query string of a link (a case number, a name), or None for a blank form."""
    return request.POST if request.method == "POST" else (request.GET or None)


def refuse_ssn_in_address(form: forms.Form, request: Any) -> bool:
    """Put an error beside the SSN field when an SSN came in the URL (it is not searched); True if so."""
    if request.method == "POST" or not request.GET.get("ssn", "").strip():
        return False
    form.add_error("ssn", SSN_NOT_IN_ADDRESS)
    return True


class CaseSearchForm(UswdsForm):
    number = forms.CharField(label="Case number", max_length=20, required=False)
    name = forms.CharField(label="Name", max_length=120, required=False, help_text="First and/or last name")
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_WIDGET)
    ssn = forms.CharField(
        label="SSN", max_length=11, required=False, help_text="The full nine digits, or the last four"
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(name) for name in ("number", "name", "date_of_birth", "ssn")):
            raise forms.ValidationError("Give a case number, a name, a date of birth or an SSN.")
        return cleaned


class PersonSearchForm(UswdsForm):
    name = forms.CharField(label="Name", max_length=120, required=False, help_text="First and/or last name")
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_WIDGET)
    ssn = forms.CharField(
        label="SSN", max_length=11, required=False, help_text="The full nine digits, or the last four"
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(name) for name in ("name", "date_of_birth", "ssn")):
            raise forms.ValidationError("Give a name, a date of birth or an SSN.")
        return cleaned


class CaseOpenForm(UswdsForm):
    program = forms.ChoiceField(label="Program", choices=[("", "- Select -"), *Program.choices])
    category = forms.ChoiceField(label="Category", choices=Category.choices, initial=Category.IN_STATE)
    referral_received_on = forms.DateField(label="Referral or application received", widget=DATE_WIDGET)
    opened_on = forms.DateField(
        label="Opened on", required=False, widget=DATE_WIDGET, help_text="Leave empty for today"
    )
    other_jurisdiction = forms.CharField(
        label="Other jurisdiction",
        max_length=80,
        required=False,
        help_text="The other state, tribe or country, for intergovernmental cases",
    )


class NoteForm(UswdsForm):
    kind = forms.ChoiceField(label="Kind of note", choices=NOTE_KINDS)
    text = forms.CharField(label="Note", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class MemberRoleForm(UswdsForm):
    role = forms.ChoiceField(label="Role on the case", choices=[("", "- Select -"), *MemberRole.choices])


class ExistingMemberForm(MemberRoleForm):
    person = forms.IntegerField(widget=forms.HiddenInput)


class NewPersonForm(MemberRoleForm):
    prefix = "new"  # the page also holds the search form, whose fields have the same names
    first_name = forms.CharField(label="First name", max_length=60)
    middle_name = forms.CharField(label="Middle name", max_length=60, required=False)
    last_name = forms.CharField(label="Last name", max_length=60)
    suffix = forms.CharField(label="Suffix", max_length=10, required=False)
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_WIDGET)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN)
    ssn = forms.CharField(label="SSN", max_length=11, required=False, help_text="Nine digits, e.g. 123-45-6789")
    phone = forms.CharField(label="Phone", max_length=20, required=False)
    email = forms.EmailField(label="Email", required=False)

    PERSON_FIELDS = ("first_name", "middle_name", "last_name", "suffix", "date_of_birth", "sex", "phone", "email")

    def person_fields(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}


class AuditFilterForm(UswdsForm):
    actor = forms.CharField(label="User name", max_length=150, required=False)
    action = forms.CharField(label="Action", max_length=60, required=False, help_text="e.g. case.note_added")
    case_number = forms.CharField(label="Case number", max_length=20, required=False)
    since = forms.DateField(label="From", required=False, widget=DATE_WIDGET)
    until = forms.DateField(label="Through", required=False, widget=DATE_WIDGET)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "must not be before the From date")
        return cleaned
