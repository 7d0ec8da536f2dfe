"""Template helpers: which links a user's role may follow (the policy decides, not the template)."""

from __future__ import annotations

from django import template

from opencse.security.policy import can

register = template.Library()


@register.filter
def may(user: object, permission: str) -> bool:
    """`{% if user|may:"cases.open" %}`: show a link only to roles that may use it."""
    return can(user, permission)
