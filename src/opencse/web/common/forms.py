"""The web app's shared form parts: the USWDS form base, the date widget, money fields, the search-form
helpers, and the one way a service's refusal reaches the page (`add_domain_error`, `submit`).

The forms parse and type the input (money as `Decimal`, never float); the services decide what the law
allows. A `DomainError` raised by a service is put back on the form beside the field it names, every one
of them at once (`InvalidInputs`), in the USWDS error pattern.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django import forms

from opencse.errors import Conflict, DomainError, InvalidInput, InvalidInputs, TooManyRequests
from opencse.rules.money import parse_amount
from opencse.web.common.errors import refusal_status

Result = TypeVar("Result")
Place = Callable[[forms.Form, DomainError], None]

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


WIDGET_CLASSES = {"select": "usa-select", "textarea": "usa-textarea", "checkbox": "usa-checkbox__input"}


class UswdsForm(forms.Form):
    """A form whose widgets carry the USWDS classes, and the error class once a field is refused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = field.widget.input_type if hasattr(field.widget, "input_type") else field.widget.template_name
            name = next((css for key, css in WIDGET_CLASSES.items() if key in str(kind)), "usa-input")
            field.widget.attrs["class"] = name

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and "--error" not in self.fields[name].widget.attrs.get("class", ""):
                css = self.fields[name].widget.attrs.get("class", "usa-input")
                self.fields[name].widget.attrs["class"] = f"{css} {css}--error"


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal beside the field it names (or above the form when it names none)."""
    errors = error.errors if isinstance(error, InvalidInputs) else [error]
    for each in errors:
        field = each.field if each.field in form.fields else None
        form.add_error(field, each.message)


SSN_NOT_IN_ADDRESS = (
    "Search by SSN with the search form, not in the page address: an address is kept by the browser's"
    " history, proxies and server logs."
)


def submit(form: forms.Form, service: Callable[[], Result], *, place: Place | None = None) -> Result | None:
    """The one way a form reaches its service. Only a valid form calls it (Django has then put every field
    error beside its field at once); a refusal (`InvalidInput`, `InvalidInputs` with all of them, `Conflict`,
    `TooManyRequests`) is put beside its field(s) by `place` (`add_domain_error` unless the area places its
    own, such as the ledger's dates) and kept for `form_status`. Returns what the service returned, or None
    when the form or the service refused."""
    if not form.is_valid():
        return None
    try:
        return service()
    except (InvalidInput, Conflict, TooManyRequests) as error:
        (place or add_domain_error)(form, error)
        form.refusal = error  # type: ignore[attr-defined]  # read by form_status
        return None


def form_status(form: forms.Form) -> int:
    """200 for a blank or accepted form; else the status of the service's refusal (400 for field errors)."""
    if not form.is_bound or not form.errors:
        return 200
    refusal = getattr(form, "refusal", None)
    return refusal_status(refusal) if refusal is not None else 400


def search_form_data(request: Any) -> Any:
    """The data a search form is bound to: the POST body (the form posts, so an SSN stays out of every
    URL), or the query string of a link (a case number, a name), or None for a blank form."""
    return request.POST if request.method == "POST" else (request.GET or None)


def refuse_ssn_in_address(form: forms.Form, request: Any) -> bool:
    """Put an error beside the SSN field when an SSN came in the URL (it is not searched); True if so."""
    if request.method == "POST" or not request.GET.get("ssn", "").strip():
        return False
    form.add_error("ssn", SSN_NOT_IN_ADDRESS)
    return True


SELECT = [("", "- Select -")]


AMOUNT_MINIMUM = Decimal("0.01")


class MoneyField(forms.DecimalField):
    """Dollars and cents read by the one amount parser (`opencse.rules.money.parse_amount`): ASCII digits,
    two decimal places at most, at most `AMOUNT_MAXIMUM`. Django's own DecimalField takes "1_000" and
    full-width digits, because Python's `Decimal()` does."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # the stubs say IntegerField
        if value in self.empty_values:
            return None
        try:
            return parse_amount(str(value))
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


def money_field(label: str, *, help_text: str = "", minimum: Decimal | None = AMOUNT_MINIMUM) -> MoneyField:
    """Dollars and cents: two decimal places at most, a positive amount unless `minimum` says otherwise."""
    return MoneyField(
        label=label,
        max_digits=13,
        decimal_places=2,
        min_value=minimum,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
