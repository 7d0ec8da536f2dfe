"""Template helpers: which links a user's role may follow (the policy decides, not the template)."""

from __future__ import annotations

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
