"""The form of a correspondence entry: direction, channel, date, who, summary, scans, and optionally the
generated document it sent or the entry it corrects."""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.documents.correspondence.models import Channel, Direction
from opencse.web.common.forms import DATE_WIDGET, SELECT, UswdsForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the service checks each one's bytes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.tif,.tiff"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(each, initial) for each in data]
        return [single(data, initial)] if data else []


class CorrespondenceForm(UswdsForm):
    direction = forms.ChoiceField(label="Received or sent", choices=[*SELECT, *Direction.choices])
    channel = forms.ChoiceField(label="Channel", choices=[*SELECT, *Channel.choices])
    dated_on = forms.DateField(label="Date received or sent", widget=DATE_WIDGET)
    person = forms.TypedChoiceField(label="From or to (member of the case)", coerce=int, required=False,
                                    empty_value=None)  # fmt: skip
    counterpart = forms.CharField(label="Or from or to (employer, agency, court...)", max_length=120, required=False)
    summary = forms.CharField(label="Summary", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.TypedChoiceField(label="The generated document it sent", coerce=int, required=False,
                                      empty_value=None)  # fmt: skip
    corrects = forms.TypedChoiceField(label="Corrects the entry", coerce=int, required=False, empty_value=None)
    scans = MultipleFileField(label="Scans (PDF, PNG, JPEG or TIFF)", required=False)

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        documents: list[tuple[int, str]],
        entries: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("person", people), ("document", documents), ("corrects", entries)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "- None -"), *choices]
