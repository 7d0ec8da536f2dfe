"""The closure forms: the findings of 45 CFR 303.11(b) (one field per fact of `rules.closure.ClosureFacts`),
the response to a notice (303.11(d)(3)) and a reopening (303.11(d)(5))."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from opencse.rules.closure import WORDS, ClosureFacts
from opencse.web.common.forms import DATE_WIDGET, SELECT, UswdsForm

NOTE_MAXIMUM = 3000
CRITERIA = [(criterion.value, f"{criterion.paragraph}: {words}") for criterion, words in WORDS.items()]
LABELS = {
    "has_current_order": "There is a current support order",
    "arrears": "Past-due support (arrears) owed now",
    "child_born_on": "Date of birth of the child (paternity, (b)(6)(i))",
    "locate_efforts_began_on": "Locate efforts began on ((b)(7))",
    "ncp_income_only_ssi": "Noncustodial parent's only income is SSI (or SSI with SSDI/SSR)",
    "current_assistance": "The family receives TANF (a IV-A case)",
}


def _label(name: str) -> str:
    words = name.replace("ncp_", "noncustodial parent: ").replace("_", " ")
    return LABELS.get(name, words[:1].upper() + words[1:])


class ClosureForm(UswdsForm):
    # Not required here: "Check the criteria" needs only the facts; the service refuses a missing criterion or note.
    criterion = forms.ChoiceField(
        label="Closure criterion (45 CFR 303.11(b))", choices=[*SELECT, *CRITERIA], required=False
    )
    proposed_on = forms.DateField(label="Date", widget=DATE_WIDGET, help_text="The date of the closure or notice")
    note = forms.CharField(
        label="What was found and done", max_length=NOTE_MAXIMUM, widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="The supporting documentation of the criterion: it goes into the case record",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in dataclasses.fields(ClosureFacts):
            default = item.default
            if isinstance(default, bool):
                field: forms.Field = forms.BooleanField(label=_label(item.name), required=False, initial=default)
            elif isinstance(default, Decimal):
                field = forms.DecimalField(label=_label(item.name), required=False, min_value=0, decimal_places=2)
            else:
                field = forms.DateField(label=_label(item.name), required=False, widget=DATE_WIDGET)
            self.fields[item.name] = field
        for name in self.fact_names():
            widget = self.fields[name].widget
            widget.attrs["class"] = "usa-checkbox__input" if isinstance(widget, forms.CheckboxInput) else "usa-input"

    @staticmethod
    def fact_names() -> list[str]:
        return [item.name for item in dataclasses.fields(ClosureFacts)]

    def facts(self) -> ClosureFacts:
        values: dict[str, Any] = {}
        for name in self.fact_names():
            value = self.cleaned_data.get(name)
            if isinstance(value, Decimal | date | bool):
                values[name] = value
        return ClosureFacts(**values)


class ResponseForm(UswdsForm):
    received_on = forms.DateField(label="Response received on", widget=DATE_WIDGET)
    could_lead_to_action = forms.BooleanField(
        label="The response gives information that could lead to paternity, an order or enforcement",
        required=False, initial=True,
    )  # fmt: skip
    contact_reestablished = forms.BooleanField(
        label="Contact with the recipient was reestablished (a (b)(15) closure)", required=False
    )
    note = forms.CharField(
        label="What the response said", max_length=NOTE_MAXIMUM, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReopenForm(UswdsForm):
    reopened_on = forms.DateField(label="Reopened on", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Change in circumstances", max_length=NOTE_MAXIMUM, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What changed that could lead to paternity, an order or enforcement (45 CFR 303.11(d)(5))",
    )  # fmt: skip
