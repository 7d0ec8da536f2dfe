"""The case forms: open a case, add a note or a member (an existing person or a new one), and keep the case
record (close, edit, assign, end a membership, correct a note). They parse and type the input; the
services decide what the law allows.
"""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.cases.models import Case, Category, ClosureReason, MemberRole, NoteKind, Program
from opencse.people.models import Sex
from opencse.security.models import User
from opencse.web.common.forms import DATE_WIDGET, SELECT, UswdsForm
from opencse.web.people.forms import PersonValuesChecked

# System notes are written by the system; a correction must name its note, which this form does not offer.
NOTE_KINDS = [(kind.value, kind.label) for kind in NoteKind if kind not in (NoteKind.SYSTEM, NoteKind.CORRECTION)]


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
    follow_up_on = forms.DateField(
        label="Remind me on", required=False, widget=DATE_WIDGET, help_text="A task on your worklist that day"
    )


class MemberRoleForm(UswdsForm):
    role = forms.ChoiceField(label="Role on the case", choices=[("", "- Select -"), *MemberRole.choices])


class ExistingMemberForm(MemberRoleForm):
    person = forms.IntegerField(widget=forms.HiddenInput)


class NewPersonForm(PersonValuesChecked, MemberRoleForm):
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


NOTE_LENGTH_MAXIMUM = 4000


class CaseCloseForm(UswdsForm):
    reason = forms.ChoiceField(label="Closure reason (45 CFR 303.11(b))", choices=[*SELECT, *ClosureReason.choices])
    closed_on = forms.DateField(label="Closed on", widget=DATE_WIDGET)
    note = forms.CharField(
        label="Note",
        max_length=NOTE_LENGTH_MAXIMUM,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the criterion is met: it goes into the timeline with the closure",
    )


class CaseEditForm(UswdsForm):
    program = forms.ChoiceField(label="Program", choices=Program.choices)
    category = forms.ChoiceField(label="Category", choices=Category.choices)
    other_jurisdiction = forms.CharField(
        label="Other jurisdiction",
        max_length=80,
        required=False,
        help_text="The other state, tribe or country, for intergovernmental cases",
    )

    @classmethod
    def for_case(cls, case: Case, data: Any = None) -> CaseEditForm:
        initial = {"program": case.program, "category": case.category, "other_jurisdiction": case.other_jurisdiction}
        return cls(data, initial=initial)


class CaseAssignForm(UswdsForm):
    worker = forms.TypedChoiceField(label="Assign to", coerce=int)

    def __init__(self, *args: Any, workers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (worker.pk, f"{worker.get_full_name() or worker.username}, {worker.role_label}") for worker in workers
        ]
        self.fields["worker"].choices = [*SELECT, *choices]  # type: ignore[attr-defined]  # a TypedChoiceField


class MemberEndForm(UswdsForm):
    left_on = forms.DateField(label="Left the case on", widget=DATE_WIDGET)


class NoteCorrectionForm(UswdsForm):
    text = forms.CharField(
        label="Correction",
        max_length=NOTE_LENGTH_MAXIMUM,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The note stays in the record; this correction is added after it and points back at it",
    )
