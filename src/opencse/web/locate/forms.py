"""The locate forms: refer to locate (the sources asked), a source's answer, a review decision, a verification
request and its answer. Every refusal comes back beside its field (`web.common.forms.submit`)."""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.locate.sources import source_choices
from opencse.web.common.forms import DATE_WIDGET, SELECT, UswdsForm

NOTE_MAXIMUM = 500


class LocateRequestForm(UswdsForm):
    sources = forms.MultipleChoiceField(
        label="Sources to ask", widget=forms.CheckboxSelectMultiple, choices=(),
        help_text="45 CFR 303.3(b)(1): use every appropriate source, State and federal",
    )  # fmt: skip
    requested_on = forms.DateField(
        label="Location determined necessary on", widget=DATE_WIDGET,
        help_text="The 75 days to locate count from this date (45 CFR 303.3(b)(3))",
    )  # fmt: skip
    note = forms.CharField(label="Note", max_length=NOTE_MAXIMUM, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = source_choices()  # type: ignore[attr-defined]


class ResponseForm(UswdsForm):
    received_on = forms.DateField(label="Answer received on", widget=DATE_WIDGET)
    found = forms.BooleanField(label="The source found the person", required=False)
    summary = forms.CharField(
        label="What the source said", max_length=NOTE_MAXIMUM, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LinkForm(UswdsForm):
    person_id = forms.IntegerField(
        label="Person's record number", required=False, min_value=1,
        help_text="The number on the person's page (People > the person)",
    )  # fmt: skip
    decided_on = forms.DateField(label="Decided on", widget=DATE_WIDGET)
    note = forms.CharField(
        label="Why this is the same person", max_length=NOTE_MAXIMUM, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class DismissForm(UswdsForm):
    decided_on = forms.DateField(label="Decided on", widget=DATE_WIDGET)
    note = forms.CharField(
        label="Why the record is dismissed", max_length=NOTE_MAXIMUM, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class VerificationForm(UswdsForm):
    target = forms.ChoiceField(label="What to verify", choices=())
    requested_on = forms.DateField(label="Requested on", widget=DATE_WIDGET)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [*SELECT, *targets]  # type: ignore[attr-defined]


class VerificationResultForm(UswdsForm):
    result = forms.ChoiceField(
        label="Result", choices=[*SELECT, ("verified", "Verified"), ("failed", "Could not be verified")]
    )
    decided_on = forms.DateField(label="Answer received on", widget=DATE_WIDGET)
    note = forms.CharField(
        label="Note", max_length=NOTE_MAXIMUM, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the lead could not be verified: what the answer said",
    )  # fmt: skip
