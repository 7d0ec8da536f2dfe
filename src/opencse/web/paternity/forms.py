"""The paternity forms. Field names are the services' (`named_on`, `signed_on`, `probability`, ...), so a refusal
comes back beside its field. People are chosen among the case's members: the children among its dependent
children, a father among the men on the case (add a new man as a member first)."""

from __future__ import annotations

from typing import Any

from django import forms

from opencse.paternity.models import Outcome, Signatory
from opencse.rules.paternity import ChallengeGround
from opencse.web.common.forms import DATE_WIDGET, SELECT, UswdsForm

NOTE_MAXIMUM = 2000
GROUNDS = [
    (ChallengeGround.FRAUD.value, "Fraud"),
    (ChallengeGround.DURESS.value, "Duress"),
    (ChallengeGround.MATERIAL_MISTAKE_OF_FACT.value, "Material mistake of fact"),
]
Choices = list[tuple[int, str]]


class _People(UswdsForm):
    """A form that chooses among the case's people: `children` and `fathers` are (person id, name) pairs."""

    def __init__(self, *args: Any, children: Choices, fathers: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in ("child", "children"):
                field.choices = children if name == "children" else [*SELECT, *children]  # type: ignore[attr-defined]  # a choice field
            elif name == "father":
                field.choices = [*SELECT, *fathers]  # type: ignore[attr-defined]  # a choice field


class NameFatherForm(_People):
    father = forms.TypedChoiceField(label="Alleged father", coerce=int,
                                    help_text="A man on the case; add a new man as a case member first")  # fmt: skip
    children = forms.TypedMultipleChoiceField(label="Children", coerce=int, widget=forms.CheckboxSelectMultiple)
    named_on = forms.DateField(label="Named on", widget=DATE_WIDGET)
    reason = forms.CharField(label="How he was named", required=False, max_length=NOTE_MAXIMUM,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class AcknowledgmentForm(_People):
    child = forms.TypedChoiceField(label="Child", coerce=int)
    father = forms.TypedChoiceField(label="Father who signed", coerce=int)
    signed_on = forms.DateField(label="Signed on", widget=DATE_WIDGET, help_text="The later of the two signatures")
    filed_on = forms.DateField(label="Filed with vital records on", widget=DATE_WIDGET)
    proceeding_on = forms.DateField(
        label="Date of a court or administrative proceeding about the child", required=False, widget=DATE_WIDGET,
        help_text="Only if one took place within 60 days of signing with a signer as a party: it ends the "
        "rescission period that day",
    )  # fmt: skip


class RescindForm(UswdsForm):
    rescinded_on = forms.DateField(label="Rescinded on", widget=DATE_WIDGET)
    signatory = forms.ChoiceField(label="Rescinded by", choices=[*SELECT, *Signatory.choices])
    note = forms.CharField(label="Note", required=False, max_length=NOTE_MAXIMUM,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class ChallengeForm(UswdsForm):
    ground = forms.ChoiceField(
        label="Ground", choices=[*SELECT, *GROUNDS],
        help_text="The only grounds after the rescission period (42 U.S.C. 666(a)(5)(D)(iii))",
    )  # fmt: skip
    filed_on = forms.DateField(label="Filed in court on", widget=DATE_WIDGET)
    filed_by = forms.ChoiceField(label="Filed by", choices=[*SELECT, *Signatory.choices])
    note = forms.CharField(label="Note", required=False, max_length=NOTE_MAXIMUM,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class OrderTestForm(_People):
    child = forms.TypedChoiceField(label="Child", coerce=int)
    father = forms.TypedChoiceField(label="Alleged father", coerce=int)
    ordered_on = forms.DateField(label="Ordered on", widget=DATE_WIDGET)


class AppointmentForm(UswdsForm):
    appointment_on = forms.DateField(label="Appointment on", widget=DATE_WIDGET)
    place = forms.CharField(label="Where the samples are collected", max_length=200)


class ResultForm(UswdsForm):
    lab = forms.CharField(label="Laboratory", max_length=120)
    received_on = forms.DateField(label="Result received on", widget=DATE_WIDGET)
    probability = forms.DecimalField(label="Probability of paternity (%)", max_digits=9, decimal_places=6,
                                     help_text="As the laboratory reports it, for example 99.98")  # fmt: skip
    combined_index = forms.DecimalField(label="Combined paternity index", required=False, max_digits=18,
                                        decimal_places=4, help_text="0 when the laboratory excludes him")  # fmt: skip
    prior_probability = forms.DecimalField(label="Prior probability the laboratory used", initial="0.50",
                                           max_digits=3, decimal_places=2)  # fmt: skip
    lab_excludes = forms.BooleanField(label="The laboratory excludes him as the father", required=False)


class DeterminationForm(_People):
    child = forms.TypedChoiceField(label="Child", coerce=int)
    father = forms.TypedChoiceField(label="Alleged father", coerce=int)
    outcome = forms.ChoiceField(label="The court", choices=[*SELECT, *Outcome.choices])
    order_signed_on = forms.DateField(label="Order signed on", widget=DATE_WIDGET)
    court = forms.CharField(label="Court", max_length=120)
    docket_number = forms.CharField(label="Docket number", required=False, max_length=40)
