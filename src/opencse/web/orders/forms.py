"""The order entry screen's forms: the order's header and its term rows, each with its step rows.

The rows are plain prefixed forms (`term-3-kind`, `term-3-step-1-amount`); hidden inputs list the row
numbers in page order (`term=3`, `term-3-step=1`), so htmx can add a row anywhere without a formset
management form to keep in step. A term row left without a kind and without amounts is left out.
The forms parse and type the input; `enter_order` and the schedule rule decide what the law allows,
and `OrderEntry.add_domain_error` puts their refusals beside the right row's field.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict

from opencse.errors import DomainError, InvalidInputs
from opencse.orders.models import Frequency, Order, TermKind, TribunalKind
from opencse.orders.selectors import EMANCIPATION_AGE_SUGGESTED, OrderParties, birthday_on
from opencse.orders.services import STEPS_MAXIMUM, TERMS_MAXIMUM, TermInput
from opencse.web.common.forms import DATE_WIDGET, UswdsForm, money_field

HEADER_FIELDS = (
    "tribunal_kind",
    "tribunal_name",
    "issuing_jurisdiction",
    "docket_number",
    "signed_on",
    "effective_on",
    "filed_on",
    "modifies",
)


# A service names a term's field as "terms[2].obligor" or "terms[2].steps[1].amount".
TERM_FIELD = re.compile(r"^terms\[(\d+)\]\.(\w+)(?:\[(\d+)\]\.(\w+))?$")


class OrderHeaderForm(UswdsForm):
    tribunal_kind = forms.ChoiceField(label="Tribunal", choices=[("", "- Select -"), *TribunalKind.choices])
    tribunal_name = forms.CharField(label="Tribunal name", max_length=120, help_text="e.g. Hinds County Chancery Court")
    issuing_jurisdiction = forms.CharField(
        label="Issuing jurisdiction", min_length=2, max_length=80, help_text="State code, tribe or country"
    )
    docket_number = forms.CharField(label="Docket or cause number", max_length=40)
    signed_on = forms.DateField(label="Signed on", widget=DATE_WIDGET)
    effective_on = forms.DateField(label="Effective on", widget=DATE_WIDGET)
    filed_on = forms.DateField(label="Filed on", required=False, widget=DATE_WIDGET)
    modifies = forms.TypedChoiceField(
        label="Modifies",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="The active order this order modifies; its terms end the day before this one takes effect",
    )

    def __init__(self, *args: Any, orders: list[Order], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(order.pk, f"{order.docket_number}, effective {order.effective_on:%m/%d/%Y}") for order in orders]
        self.fields["modifies"].choices = [("", "- None: a new order -"), *choices]  # type: ignore[attr-defined]  # a TypedChoiceField


class TermForm(UswdsForm):
    kind = forms.ChoiceField(label="Obligation", choices=[("", "- Select -"), *TermKind.choices])
    obligor = forms.TypedChoiceField(label="Obligor", coerce=int)
    child = forms.TypedChoiceField(
        label="Child", coerce=int, required=False, empty_value=None, help_text="When the term is for one child"
    )
    frequency = forms.ChoiceField(label="Frequency", choices=Frequency.choices, initial=Frequency.MONTHLY)
    starts_on = forms.DateField(
        label="Starts on", required=False, widget=DATE_WIDGET, help_text="Blank: the order's effective date"
    )
    ends_on = forms.DateField(label="Ends on", required=False, widget=DATE_WIDGET, help_text="Blank: open-ended")

    def __init__(self, *args: Any, parties: OrderParties, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        obligors = [(m.person_id, f"{m.person.full_name} ({m.get_role_display().lower()})") for m in parties.obligors]
        self.fields["obligor"].choices = [("", "- Select -"), *obligors]  # type: ignore[attr-defined]  # a TypedChoiceField
        children = [(m.person_id, _child_label(m.person.full_name, m.person.date_of_birth)) for m in parties.children]
        self.fields["child"].choices = [("", "- All children / none -"), *children]  # type: ignore[attr-defined]  # a TypedChoiceField
        if parties.default_obligor is not None:
            self.fields["obligor"].initial = parties.default_obligor.pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "must not be before the term starts")
        return cleaned


def _child_label(name: str, born: date | None) -> str:
    return f"{name} (born {born:%m/%d/%Y})" if born else f"{name} (date of birth unknown)"


class StepForm(UswdsForm):
    starts_on = forms.DateField(label="From", widget=DATE_WIDGET)
    amount = money_field("Amount per period", minimum=Decimal("0"))

    def __init__(self, *args: Any, first: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first = first
        if first:  # the first amount runs from the term's start: no date to type, none to get wrong
            del self.fields["starts_on"]
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"


@dataclass
class StepRow:
    index: int
    form: StepForm

    def has_amount(self) -> bool:
        return bool(str(self.form.data.get(self.form.add_prefix("amount"), "")).strip())


@dataclass
class TermRow:
    index: int
    form: TermForm
    steps: list[StepRow]
    step_errors: list[str] = field(default_factory=list)
    suggested_ends_on: date | None = None  # the child's 18th birthday, offered as a suggestion only

    @property
    def next_step_index(self) -> int:
        return max((step.index for step in self.steps), default=-1) + 1

    def is_blank(self) -> bool:
        data = self.form.data
        return not data.get(self.form.add_prefix("kind")) and not any(step.has_amount() for step in self.steps)

    def kept_steps(self) -> list[StepRow]:
        """The steps sent to the service: the first, and each later one with an amount typed."""
        return [step for step in self.steps if step.form.first or step.has_amount()]


def step_starts_on(step: StepRow, term_starts_on: date) -> date:
    return term_starts_on if step.form.first else step.form.cleaned_data["starts_on"]


def term_prefix(index: int) -> str:
    return f"term-{index}"


def step_prefix(term_index: int, step_index: int) -> str:
    return f"term-{term_index}-step-{step_index}"


def _indices(values: list[str], maximum: int, what: str) -> list[int]:
    """Row numbers as listed by the page's hidden inputs, each once, within the service's limits."""
    if len(values) > maximum:
        raise forms.ValidationError(f"An order may have at most {maximum} {what}.")
    found: list[int] = []
    for value in values:
        if not value.isdigit() or int(value) >= 1000 or int(value) in found:
            raise forms.ValidationError("The form's rows are out of order; reload the page.")
        found.append(int(value))
    return found


class OrderEntry:
    """The whole screen: the header form and its term rows, bound to one POST (or blank for a GET)."""

    def __init__(
        self, data: QueryDict | None, *, parties: OrderParties, orders: list[Order], modifies: str = ""
    ) -> None:
        self.parties = parties
        # "Enter a modification" on an order page opens the screen with that order chosen.
        initial = (
            {"modifies": int(modifies)} if modifies.isdigit() and any(o.pk == int(modifies) for o in orders) else {}
        )
        self.header = OrderHeaderForm(data, orders=orders, initial=initial)
        self.rows: list[TermRow] = []
        self.kept: list[TermRow] = []  # the rows sent to the service, in order (terms[0], terms[1], ...)
        self.structure_error = ""
        if data is None:
            self.rows = [new_term_row(0, parties)]
            return
        try:
            for index in _indices(data.getlist("term"), TERMS_MAXIMUM, "terms"):
                step_indices = _indices(data.getlist(f"term-{index}-step") or ["0"], STEPS_MAXIMUM, "amounts per term")
                steps = [
                    StepRow(j, StepForm(data, prefix=step_prefix(index, j), first=position == 0))
                    for position, j in enumerate(step_indices)
                ]
                self.rows.append(TermRow(index, TermForm(data, prefix=term_prefix(index), parties=parties), steps))
        except forms.ValidationError as error:
            self.structure_error = " ".join(error.messages)
        self.kept = [row for row in self.rows if not row.is_blank()]
        for row in self.rows:
            row.suggested_ends_on = suggested_ends_on(parties, data.get(row.form.add_prefix("child")))

    def is_valid(self) -> bool:
        valid = self.header.is_valid()
        if self.structure_error:
            self.header.add_error(None, self.structure_error)
            return False
        if not self.kept:
            self.header.add_error(None, "Enter at least one term: its obligation and its amount.")
            valid = False
        for row in self.kept:
            valid = row.form.is_valid() and valid
            for step in row.kept_steps():
                valid = step.form.is_valid() and valid
        return valid

    @property
    def has_errors(self) -> bool:
        """Whether any field of the screen carries a message (only meaningful once validated)."""
        if self.header.is_bound and self.header.errors:
            return True
        for row in self.kept:
            if row.step_errors or (row.form.is_bound and row.form.errors):
                return True
            if any(step.form.is_bound and step.form.errors for step in row.kept_steps()):
                return True
        return False

    def term_inputs(self) -> list[TermInput]:
        """The typed terms for `enter_order`; only after `is_valid()`."""
        effective_on: date = self.header.cleaned_data["effective_on"]
        terms = []
        for row in self.kept:
            values = row.form.cleaned_data
            starts_on: date = values["starts_on"] or effective_on
            steps = [
                (
                    starts_on if step.form.first else step.form.cleaned_data["starts_on"],
                    step.form.cleaned_data["amount"],
                )
                for step in row.kept_steps()
            ]
            obligor = self.parties.obligor(values["obligor"])
            assert obligor is not None  # the choices are the case's obligors
            terms.append(
                TermInput(
                    kind=values["kind"],
                    frequency=values["frequency"],
                    starts_on=starts_on,
                    ends_on=values["ends_on"],
                    obligor=obligor,
                    child=self.parties.child(values["child"]) if values["child"] else None,
                    steps=steps,
                )
            )
        return terms

    def header_values(self) -> dict[str, Any]:
        return {name: self.header.cleaned_data[name] for name in HEADER_FIELDS if name != "modifies"}

    def digest(self) -> str:
        """A fingerprint of the typed order, so Save can tell whether the officer saw this preview."""
        terms = [
            [t.kind, t.frequency, str(t.starts_on), str(t.ends_on), t.obligor.pk, t.child.pk if t.child else None]
            + [[str(on), str(amount)] for on, amount in t.steps]
            for t in self.term_inputs()
        ]
        header = {name: str(self.header.cleaned_data[name]) for name in HEADER_FIELDS}
        text = json.dumps({"header": header, "terms": terms}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def add_domain_error(self, error: DomainError) -> None:
        """Put each refusal beside its field: a header field, a term row's field, or a step's field."""
        for each in error.errors if isinstance(error, InvalidInputs) else [error]:
            self._place(each.field, each.message)

    def _place(self, name: str | None, message: str) -> None:
        match = TERM_FIELD.match(name or "")
        if match is None or int(match.group(1)) >= len(self.kept):
            self.header.add_error(name if name in self.header.fields else None, message)
            return
        row = self.kept[int(match.group(1))]
        term_field, step_position, step_field = match.group(2), match.group(3), match.group(4)
        if term_field == "steps" and step_position is not None:
            kept_steps = row.kept_steps()
            if int(step_position) < len(kept_steps):
                step = kept_steps[int(step_position)].form
                if step.first and step_field == "starts_on":  # the first amount runs from the term's start
                    row.form.add_error("starts_on", message)
                else:
                    step.add_error(step_field if step_field in step.fields else None, message)
                return
        if term_field in row.form.fields and term_field != "steps":
            row.form.add_error(term_field, message)
        else:
            row.step_errors.append(message)


def suggested_ends_on(parties: OrderParties, child_value: object) -> date | None:
    """The chosen child's 18th birthday (a suggestion: the order states the real end)."""
    child = parties.child(int(child_value)) if isinstance(child_value, str) and child_value.isdigit() else None
    return birthday_on(child, EMANCIPATION_AGE_SUGGESTED) if child is not None else None


def new_term_row(index: int, parties: OrderParties) -> TermRow:
    """A blank term row (the obligor pre-selected when the case has one noncustodial parent)."""
    return TermRow(index, TermForm(prefix=term_prefix(index), parties=parties), [new_step_row(index, 0, first=True)])


def new_step_row(term_index: int, step_index: int, *, first: bool = False, starts_on: date | None = None) -> StepRow:
    initial = {"starts_on": starts_on} if starts_on else {}
    return StepRow(step_index, StepForm(prefix=step_prefix(term_index, step_index), first=first, initial=initial))
