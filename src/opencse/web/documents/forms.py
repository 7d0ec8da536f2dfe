"""The forms of a case's documents page: the notice of support debt and the certified payment history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from opencse.web.common.forms import DATE_WIDGET, UswdsForm


class NoticeForm(UswdsForm):
    as_of = forms.DateField(label="Debt as of", widget=DATE_WIDGET, help_text="The day whose balance the notice states")


class HistoryForm(UswdsForm):
    start = forms.DateField(label="From", widget=DATE_WIDGET)
    end = forms.DateField(label="Through", widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", "must be on or after the start of the period")
        return data
