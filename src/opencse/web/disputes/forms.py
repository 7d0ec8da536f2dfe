"""The forms of disputes and referrals."""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.ledger.models import Account, AdjustmentKind
from opencse.web.common.forms import DATE_WIDGET, SELECT, UswdsForm, money_field
from opencse.work.disputes.models import DisputeKind, Resolution
from opencse.work.referrals.models import Outcome


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, str]], blank: str = "- Select -") -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", blank), *choices]


class DisputeForm(UswdsForm):
    kind = forms.ChoiceField(label="What is disputed", choices=[*SELECT, *DisputeKind.choices])
    raised_by = forms.TypedChoiceField(label="Raised by", coerce=int)
    raised_on = forms.DateField(label="Received on", widget=DATE_WIDGET)
    statement = forms.CharField(label="What the party says", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "raised_by", people)


class EvidenceForm(UswdsForm):
    entry = forms.TypedChoiceField(label="Correspondence", coerce=int)
    scan = forms.TypedChoiceField(label="Scan (optional)", coerce=int, required=False, empty_value=None)
    note = forms.CharField(label="Why it matters", max_length=500, required=False)

    def __init__(self, *args: Any, entries: list[tuple[int, str]], scans: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "entry", entries)
        _choices(self, "scan", scans, blank="- None -")


class NoteForm(UswdsForm):
    noted_on = forms.DateField(label="Date", widget=DATE_WIDGET)
    text = forms.CharField(label="Investigation note", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(UswdsForm):
    resolution = forms.ChoiceField(label="Decision", choices=[*SELECT, *Resolution.choices])
    reason = forms.CharField(label="Reason", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    resolved_on = forms.DateField(label="Decided on", widget=DATE_WIDGET)
    adjust = forms.BooleanField(label="The decision changes the debt: request an adjustment", required=False)
    account = forms.ChoiceField(label="Account", choices=[*SELECT, *Account.choices], required=False)
    adjustment_kind = forms.ChoiceField(label="Kind of adjustment", choices=[*SELECT, *AdjustmentKind.choices],
                                        required=False)  # fmt: skip
    amount = money_field("Amount")
    effective_on = forms.DateField(label="Adjustment effective on", widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("adjust"):
            for name in ("account", "adjustment_kind", "amount", "effective_on"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, "needed for the adjustment")
        return cleaned


class LetterForm(UswdsForm):
    dated_on = forms.DateField(label="Letter date", widget=DATE_WIDGET)


class ReferralForm(UswdsForm):
    person = forms.TypedChoiceField(label="Who is referred", coerce=int)
    resource = forms.ChoiceField(label="Resource")
    referred_on = forms.DateField(label="Referred on", widget=DATE_WIDGET)
    note = forms.CharField(label="Note", max_length=500, required=False)

    def __init__(
        self, *args: Any, people: list[tuple[int, str]], resources: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "person", people)
        _choices(self, "resource", resources)


class OutcomeForm(UswdsForm):
    outcome = forms.ChoiceField(label="Outcome", choices=[*SELECT, *Outcome.choices])
    outcome_on = forms.DateField(label="On", widget=DATE_WIDGET)
