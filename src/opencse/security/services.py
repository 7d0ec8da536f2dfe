"""Managing users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencse.common.validation import clean_or_raise
from opencse.errors import Conflict, InvalidInput
from opencse.security.audit import record_audit
from opencse.security.models import ApiToken, Office, User
from opencse.security.policy import ALL_OFFICE_ROLES, require
from opencse.security.roles import Role

SYSTEM_USERNAME = "opencse-system"
STAFF_ROLES = [role.value for role in Role if role != Role.SYSTEM]  # the roles a person may be given
API_TOKEN_DAYS_DEFAULT = 90  # NIST SP 800-53 IA-5 / AC-2: authenticators have a lifetime; the CLI may shorten it
API_TOKEN_DAYS_MAXIMUM = 365


def _create_user(
    *, username: str, password: str, role: str, office: Office | None, first_name: str = "", last_name: str = ""
) -> User:
    if role not in STAFF_ROLES:
        raise InvalidInput(f"{role[:30]!r} is not a role; choose one of {', '.join(STAFF_ROLES)}", field="role")
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


def system_actor() -> User:
    """The user batch jobs and the command line act as: every service checks its permissions
    (`security.policy`, role `system`) and its audit rows name it, so no path runs with authorization off.
    It has no usable password and may hold no API token: nobody signs in as it."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"role": Role.SYSTEM, "first_name": "OpenCSE", "last_name": "(batch and command line)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    assert user.role == Role.SYSTEM and not user.has_usable_password(), "the system actor is not a person"
    return user


@transaction.atomic
def create_office(*, actor: User, code: str, name: str) -> Office:
    """Open a local IV-D office (`opencse createuser --office-name`, the administrator's screens)."""
    require(actor, "users.manage")
    if not name.strip():
        raise InvalidInput("give the office's name", field="name")
    if Office.objects.filter(code=code).exists():
        raise Conflict(f"An office with code {code} already exists.")
    office = Office(code=code, name=name.strip())
    clean_or_raise(office)
    office.save()
    record_audit(actor=actor, action="office.created", target=office, after={"code": code, "name": office.name})
    return office


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, user: User, label: str, days: int = API_TOKEN_DAYS_DEFAULT) -> str:
    """A new bearer token for `user`, valid for `days` days; only its digest is kept, so it is shown once."""
    if user.role == Role.SYSTEM:
        raise InvalidInput("the system actor may hold no API token: issue one to a staff user", field="username")
    if not 1 <= days <= API_TOKEN_DAYS_MAXIMUM:
        raise InvalidInput(f"a token lasts 1 to {API_TOKEN_DAYS_MAXIMUM} days, not {days}", field="days")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires_at = now + timedelta(days=days)
    ApiToken.objects.create(
        user=user, digest=token_digest(token), label=label[:80], created_at=now, expires_at=expires_at
    )
    record_audit(
        actor=user,
        action="user.token_issued",
        target=user,
        summary=label[:80],
        after={"label": label[:80], "expires_at": expires_at.isoformat()},
    )
    return token


@transaction.atomic
def revoke_api_tokens(*, actor: User, user: User | None = None, label: str = "", token: str = "") -> int:
    """Revoke the still-valid tokens of `user` (only those labelled `label`, if given), or the one `token`.
    From the command line the actor is the system actor. Returns how many were revoked."""
    require(actor, "users.manage")
    if user is None and not token:
        raise InvalidInput("name the user or give the token to revoke", field="username")
    rows = ApiToken.objects.select_for_update().filter(revoked_at__isnull=True)
    if user is not None:
        rows = rows.filter(user=user)
    if label:
        rows = rows.filter(label=label)
    if token:
        rows = rows.filter(digest=token_digest(token))
    revoked = list(rows.select_related("user"))
    now = timezone.now()
    for row in revoked:
        row.revoked_at = now
        row.save(update_fields=["revoked_at"])
        record_audit(actor=actor, action="user.token_revoked", target=row.user, summary=row.label)
    return len(revoked)


def user_for_token(token: str) -> User | None:
    """The user a bearer token stands for, checked on every request: unknown, revoked or expired is None."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if row is None or not row.user.is_active or row.user.is_locked():
        return None
    return row.user
