"""The guideline worksheet forms: one per state guideline, named after the rule's own input paths.

A field called `obligor__gross_income` is the rule's `obligor.gross_income`, and `children__0__age` is
`children[0].age`, so a refusal from the rule (`InvalidInput` with its field path) lands beside the
field that caused it (`add_rule_errors`). Amounts stay text until the rule reads them: the rule is
the one judge of what an amount is (whole cents, not negative), and its message is the one the
officer sees. A blank field is left out of the payload, so the rule's own default or "is required"
applies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms

from opencse.errors import DomainError, InvalidInputs
from opencse.establishment.selectors import ChildOnWorksheet
from opencse.rules.guidelines.registry import guideline_jurisdictions
from opencse.web.common.forms import DATE_WIDGET, UswdsForm

JURISDICTIONS = {code: each.name for code, each in guideline_jurisdictions().items()}


AMOUNT_LENGTH_MAXIMUM = 20


AMOUNT_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


def amount(label: str, help_text: str = "") -> forms.CharField:
    """A monthly amount, as the officer typed it (the rule parses it)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=AMOUNT_LENGTH_MAXIMUM,
        help_text=help_text,
        widget=forms.TextInput(attrs=AMOUNT_ATTRS),
    )


def field_name(path: str) -> str:
    """The form field of a rule input path: `children[0].age` -> `children__0__age`."""
    return re.sub(r"\[(\d+)\]", r".\1", path).replace(".", "__")


def add_rule_errors(form: forms.Form, error: DomainError) -> None:
    """Put each of the rule's (or the service's) refusals beside its field, or above the form."""
    errors = error.errors if isinstance(error, InvalidInputs) else [error]
    for each in errors:
        name = field_name(each.field or "")
        if name in form.fields:
            form.add_error(name, each.message)
        else:
            # A path with no field of its own (`children`, `payload`): say which input it is about.
            form.add_error(None, f"{each.field}: {each.message}" if each.field else each.message)


class WorksheetForm(UswdsForm):
    """What both guidelines share: the date whose law applies and one optional deviation."""

    JURISDICTION = ""
    GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = ()

    jurisdiction = forms.CharField(widget=forms.HiddenInput, max_length=2)
    as_of = forms.CharField(
        label="Law in force on",
        required=False,
        max_length=10,
        widget=DATE_WIDGET,
        help_text="The date whose guideline applies (leave empty for today)",
    )
    deviations__0__reason = forms.CharField(
        label="Deviation reason",
        required=False,
        max_length=40,
        help_text="Only if you depart from the guideline: the statute's reason code",
    )
    deviations__0__amount = amount("Deviation amount", "Monthly, signed: -50.00 lowers the support")
    deviations__0__finding = forms.CharField(
        label="Written finding",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].initial = self.JURISDICTION

    def clean_jurisdiction(self) -> str:
        value = str(self.cleaned_data["jurisdiction"])
        if value != self.JURISDICTION:
            raise forms.ValidationError(f"must be {self.JURISDICTION}")
        return value

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The visible fields in the fieldsets of the page, in the worksheet's order."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def payload(self) -> dict[str, Any]:
        """The rule's input: the values given, nested by their paths; blank fields left out."""
        assert self.is_valid()
        payload: dict[str, Any] = {"jurisdiction": self.JURISDICTION}
        for name, value in self.cleaned_data.items():
            if name == "jurisdiction" or value in ("", None) or name.startswith(("deviations__", "children__")):
                continue
            _put(payload, name.split("__"), value)
        deviation = {
            key: self.cleaned_data[f"deviations__0__{key}"]
            for key in ("reason", "amount", "finding")
            if self.cleaned_data[f"deviations__0__{key}"]
        }
        if deviation:
            payload["deviations"] = [deviation]
        return payload


def _put(payload: dict[str, Any], path: Sequence[str], value: object) -> None:
    node = payload
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


DEVIATION_FIELDS = ("deviations__0__reason", "deviations__0__amount", "deviations__0__finding")


class MississippiWorksheetForm(WorksheetForm):
    """Miss. Code Ann. § 43-19-101: the obligor's monthly gross income and the deductions of (3)(b)-(d)."""

    JURISDICTION = "MS"
    GROUPS = (
        ("The law and the children", ("as_of", "number_of_children")),
        (
            "Obligor's monthly income (§ 43-19-101(3))",
            (
                "obligor__gross_income",
                "obligor__taxes",
                "obligor__social_security",
                "obligor__mandatory_retirement",
                "obligor__other_child_support_paid",
                "obligor__other_children_in_home_allowance",
            ),
        ),
        ("Deviation (§ 43-19-103), only with a written finding", DEVIATION_FIELDS),
    )

    number_of_children = forms.CharField(
        label="Number of children due support", required=False, max_length=3, widget=forms.TextInput()
    )
    obligor__gross_income = amount("Gross income from all sources", "(3)(a), monthly")
    obligor__taxes = amount("Federal, state and local income taxes", "(3)(b)(i); enter 0.00 if none")
    obligor__social_security = amount("Social Security and Medicare contributions", "(3)(b)(ii)")
    obligor__mandatory_retirement = amount(
        "Mandatory retirement and disability contributions", "(3)(b)(iii): required by law only, not a 401(k)"
    )
    obligor__other_child_support_paid = amount("Court-ordered support paid for other children", "(3)(c)")
    obligor__other_children_in_home_allowance = amount(
        "Allowance for other children in the obligor's home", "(3)(d): only what the court allowed; optional"
    )

    def __init__(self, *args: Any, children: Sequence[ChildOnWorksheet] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number_of_children"].initial = str(len(children)) if children else ""

    def payload(self) -> dict[str, Any]:
        payload = super().payload()
        # The rule reads a whole number; the officer typed text. A non-number goes through as text and
        # the rule refuses it beside the field ("must be a whole number").
        count = str(payload.get("number_of_children", ""))
        if count.isdigit():
            payload["number_of_children"] = int(count)
        return payload


WASHINGTON_PARENT_FIELDS = (
    ("net_income", "Net income", "RCW 26.19.071: give net income, or gross income and its deductions"),
    ("gross_income", "Gross income", "RCW 26.19.071(1)-(4), monthly"),
    ("income_taxes", "Federal and state income taxes", "(5)(a)"),
    ("fica", "FICA and self-employment taxes", "(5)(b), (5)(h)"),
    ("mandatory_pension", "Mandatory pension plan payments", "(5)(c)"),
    ("union_dues", "Mandatory union or professional dues", "(5)(d)"),
    ("state_industrial_insurance", "State industrial insurance premiums", "(5)(e), before 2026"),
    ("mandatory_state_premiums", "Paid family and medical leave, WA Cares premiums", "(5)(e), from 2026"),
    ("other_support_paid", "Court-ordered maintenance actually paid", "(5)(f)"),
    ("voluntary_pension", "Voluntary retirement contributions", "(5)(g), up to $5,000 a year"),
    ("business_expenses", "Normal business expenses", "(5)(h)"),
)


WASHINGTON_EXPENSES = (
    ("health_insurance_premiums", "Health insurance premiums for the children", "Line 10a"),
    ("uninsured_health_care", "Uninsured health care expenses", "Line 10b"),
    ("day_care", "Day care", "Line 11a"),
    ("special_expenses", "Special child-rearing expenses", "Line 11b-d"),
)


class WashingtonWorksheetForm(WorksheetForm):
    """Chapter 26.19 RCW: each parent's income, the children's ages and the expenses outside the table.

    The fields are built from the tables above (one per parent and deduction, one per expense and
    payer, one age per child on the case), so they follow the WSCSS worksheet's lines."""

    JURISDICTION = "WA"

    def __init__(self, *args: Any, children: Sequence[ChildOnWorksheet] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ages = []
        for index, child in enumerate(children):
            name = f"children__{index}__age"
            born = f"born {child.date_of_birth:%m/%d/%Y}" if child.date_of_birth else "birth date not recorded"
            self.fields[name] = forms.CharField(
                label=f"Age of {child.name}",
                required=False,
                max_length=3,
                initial="" if child.age is None else str(child.age),
                help_text=f"{born}; whole years on the worksheet's date (filled in for today)",
            )
            ages.append(name)
        self.children_count = len(children)
        for role in ("obligor", "obligee"):
            for key, label, help_text in WASHINGTON_PARENT_FIELDS:
                self.fields[f"{role}__{key}"] = amount(label, help_text)
        for key, label, line in WASHINGTON_EXPENSES:
            for payer in ("obligor", "obligee"):
                self.fields[f"{key}__{payer}"] = amount(f"{label}: paid by the {payer}", line)
        for field in self.fields.values():  # UswdsForm styled the fields it knew; these came after it
            field.widget.attrs.setdefault("class", "usa-input")
        self.GROUPS = (
            ("The law and the children", ("as_of", *ages)),
            *(
                (f"The {role}'s monthly income", tuple(f"{role}__{key}" for key, _, _ in WASHINGTON_PARENT_FIELDS))
                for role in ("obligor", "obligee")
            ),
            (
                "Expenses outside the table (RCW 26.19.080), monthly",
                tuple(f"{key}__{payer}" for key, _, _ in WASHINGTON_EXPENSES for payer in ("obligor", "obligee")),
            ),
            ("Deviation (RCW 26.19.075), only with a written finding", DEVIATION_FIELDS),
        )

    def payload(self) -> dict[str, Any]:
        payload = super().payload()
        ages = [_whole_number(self.cleaned_data[f"children__{index}__age"]) for index in range(self.children_count)]
        # A blank age is left out, so the rule says "is required" beside that child's field.
        payload["children"] = [{} if age == "" else {"age": age} for age in ages]
        for role in ("obligor", "obligee"):
            payload.setdefault(role, {})
        return payload


def _whole_number(text: object) -> object:
    value = str(text).strip()
    return int(value) if value.isdigit() else value


WORKSHEET_FORMS: dict[str, type[WorksheetForm]] = {
    form.JURISDICTION: form for form in (MississippiWorksheetForm, WashingtonWorksheetForm)
}
assert set(WORKSHEET_FORMS) == set(JURISDICTIONS), "each guideline jurisdiction of the registry has its form"


class ProposalForm(UswdsForm):
    effective_on = forms.DateField(
        label="The order takes effect on", widget=DATE_WIDGET, help_text="The first day the obligations accrue"
    )


class ApprovalForm(UswdsForm):
    prefix = "approve"
    docket_number = forms.CharField(label="Docket number of the order", max_length=40, required=False)
    signed_on = forms.DateField(label="Signed on", widget=DATE_WIDGET)
    tribunal_name = forms.CharField(
        label="Tribunal", max_length=120, required=False, help_text="Leave empty for the agency's name"
    )
    note = forms.CharField(label="Note", max_length=500, required=False)

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = today


class RejectionForm(UswdsForm):
    prefix = "reject"
    note = forms.CharField(
        label="Reason for rejecting", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
