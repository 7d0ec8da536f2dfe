"""The forms of the home pages: case and person search (an SSN is posted, never put in the address) and
the audit trail's filter.
"""

from __future__ import annotations

import re

from django import forms

from opencse.cases.models import Program
from opencse.web.common.forms import DATE_WIDGET, UswdsForm

CASE_NUMBER = re.compile(r"^[A-Za-z]{2}\d{1,9}$")
SSN_DIGITS = re.compile(r"^\d{3}-?\d{2}-?\d{4}$|^\d{4}$")


class CaseSearchForm(UswdsForm):
    q = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)  # the header's one box
    number = forms.CharField(label="Case number", max_length=20, required=False)
    name = forms.CharField(label="Name", max_length=120, required=False, help_text="First and/or last name")
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_WIDGET)
    ssn = forms.CharField(
        label="SSN", max_length=11, required=False, help_text="The full nine digits, or the last four"
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        typed = str(cleaned.get("q") or "").strip()
        if typed:  # the header box: a case number, an SSN (nine digits or the last four), else a name
            field = "number" if CASE_NUMBER.match(typed) else "ssn" if SSN_DIGITS.match(typed) else "name"
            cleaned[field] = typed
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


class CaseloadFilterForm(UswdsForm):
    text = forms.CharField(label="Case number or party's name", max_length=60, required=False)
    program = forms.ChoiceField(label="Program", choices=[("", "Every program"), *Program.choices], required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("referral", "Oldest referral first"), ("-referral", "Newest referral first"),
                 ("number", "Case number"), ("opened", "Date opened")],
    )  # fmt: skip
