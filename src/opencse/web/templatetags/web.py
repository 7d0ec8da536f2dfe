"""Template helpers: which links a user's role may follow (the policy decides, not the template)."""

from __future__ import annotations

from decimal import Decimal

from django import forms, template

from opencse.security.policy import can

register = template.Library()


@register.filter
def may(user: object, permission: str) -> bool:
    """`{% if user|may:"cases.open" %}`: show a link only to roles that may use it."""
    return can(user, permission)


@register.filter
def fields_with_errors(form: forms.BaseForm) -> list[forms.BoundField]:
    """The form's fields that carry an error, in the order they appear: the error summary links each one."""
    return [form[name] for name in form.fields if name in form.errors]


@register.filter
def dollars(amount: Decimal | None) -> str:
    """An amount as people write it: "$1,234.56" ("-$12.00" below zero); empty when there is none."""
    if amount is None or amount == "":
        return ""
    value = Decimal(amount)
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


@register.filter
def owed_or_credit(balance: Decimal) -> str:
    """A balance in words: "$435.00 owed", "a credit of $435.00", or "nothing owed" (never "$-435.00")."""
    value = Decimal(balance)
    if value > 0:
        return f"{dollars(value)} owed"
    if value < 0:
        return f"a credit of {dollars(-value)}"
    return "nothing owed"
