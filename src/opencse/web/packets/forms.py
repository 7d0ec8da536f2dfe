"""The forms of the packet screen: open a packet, the petition data, a declared item, the worksheet, the
referral to the staff attorney and the attorney's outcome. Each is checked again by its service."""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.court.models import Outcome
from opencse.court.packet_types import packet_types
from opencse.web.common.forms import DATE_WIDGET, SELECT, UswdsForm


class PacketOpenForm(UswdsForm):
    kind = forms.ChoiceField(label="Type of packet", choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SELECT + [(name, kind.label) for name, kind in packet_types().items()]  # type: ignore[attr-defined]


class PetitionForm(UswdsForm):
    prefix = "petition"
    relief_requested = forms.CharField(label="What the agency asks the court for", max_length=4000,
                                       widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    facts = forms.CharField(label="Facts and grounds", max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class DeclarationForm(UswdsForm):
    """One declared item; the page shows one per item of that kind, each with its own prefix."""

    declaration = forms.CharField(label="What the record is, its date, where it is kept", max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    recorded_on = forms.DateField(label="Record dated", required=False, widget=DATE_WIDGET)


class WorksheetChoiceForm(UswdsForm):
    prefix = "worksheet"
    worksheet_id = forms.TypedChoiceField(label="Guideline worksheet", coerce=int, choices=())

    def __init__(self, *args: Any, worksheets: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worksheet_id"].choices = SELECT + worksheets  # type: ignore[attr-defined]


class SendForm(UswdsForm):
    prefix = "send"
    attorney = forms.TypedChoiceField(label="Staff attorney", coerce=int, choices=())
    sent_on = forms.DateField(label="Sent on", widget=DATE_WIDGET)

    def __init__(self, *args: Any, attorneys: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attorney"].choices = SELECT + attorneys  # type: ignore[attr-defined]


class OutcomeForm(UswdsForm):
    prefix = "outcome"
    outcome = forms.ChoiceField(label="Outcome", choices=SELECT + list(Outcome.choices))
    outcome_on = forms.DateField(label="On", widget=DATE_WIDGET)
    hearing_on = forms.DateField(label="Hearing date", required=False, widget=DATE_WIDGET)
    note = forms.CharField(label="Note", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
