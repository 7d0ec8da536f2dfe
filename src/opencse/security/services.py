"""Managing users and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from opencse.common.validation import clean_or_raise
from opencse.errors import Conflict, InvalidInput
from opencse.security.audit import record_audit
from opencse.security.models import ApiToken, Office, User
from opencse.security.policy import ALL_OFFICE_ROLES, require
from opencse.security.roles import Role


def _create_user(
    *, username: str, password: str, role: str, office: Office | None, first_name: str = "", last_name: str = ""
) -> User:
    if role not in Role.values:
        raise InvalidInput(f"{role[:30]!r} is not a role; choose one of {', '.join(Role.values)}", field="role")
    if office is None and role not in ALL_OFFICE_ROLES:
        raise InvalidInput("this role works in one office: choose it", field="office")
    if User.objects.filter(username=username).exists():
        raise Conflict(f"A user named {username} already exists.")
    user = User(username=username, role=role, office=office, first_name=first_name, last_name=last_name)
    set_checked_password(user=user, password=password)
    clean_or_raise(user, exclude=["password"])
    user.save()
    return user


def set_checked_password(*, user: User, password: str) -> None:
    """Set `user`'s password after the password rules (settings.AUTH_PASSWORD_VALIDATORS) accept it.
    Every place that sets a password calls this, so no path skips the rules."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("The password is refused: " + " ".join(exc.messages), field="password") from exc
    user.set_password(password)


@transaction.atomic
def create_user(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    office: Office | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    require(actor, "users.manage")
    user = _create_user(
        username=username, password=password, role=role, office=office, first_name=first_name, last_name=last_name
    )
    record_audit(actor=actor, action="user.created", target=user, after={"username": username, "role": role})
    return user


@transaction.atomic
def bootstrap_user(
    *, username: str, password: str, role: str, office: Office | None = None, first_name: str = "", last_name: str = ""
) -> User:
    """Create a user from the command line (`opencse createuser`): the operator of the server is the actor."""
    user = _create_user(
        username=username, password=password, role=role, office=office, first_name=first_name, last_name=last_name
    )
    record_audit(
        actor=None,
        action="user.created",
        target=user,
        summary="from the command line",
        after={"username": username, "role": role},
    )
    return user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, user: User, label: str) -> str:
    """A new bearer token for `user`; only its digest is kept, so it is shown once."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=token_digest(token), label=label[:80])
    record_audit(actor=user, action="user.token_issued", target=user, summary=label[:80])
    return token


def user_for_token(token: str) -> User | None:
    row = ApiToken.objects.select_related("user").filter(digest=token_digest(token), revoked_at__isnull=True).first()
    if row is None or not row.user.is_active or row.user.is_locked():
        return None
    return row.user
