"""Sign-in with lockout after repeated failures (settings.LOCKOUT_FAILURES_MAXIMUM).

Every attempt is counted before its password is checked: one conditional UPDATE raises the count only
while the account is not locked and fewer than the maximum attempts are counted, so parallel attempts
cannot all be evaluated against a count none of them has raised yet. At most that many passwords are
ever checked between two locks; every other attempt is refused without a check, the right password too.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from opencse.security.audit import record_audit
from opencse.security.models import User


class LockoutModelBackend(ModelBackend):
    """Django's password check, refusing a locked account and locking one after too many failures."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing reveals nothing
            return None
        if not self._count_attempt(user):
            record_audit(actor=user, action="user.signin_refused_locked", target=user)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        self._lock_if_too_many(user)
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of a session, with their office: every page's header names the office, so
        reading it here saves each request a query (the same active-user check as Django's)."""
        user = User.objects.select_related("office").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def _count_attempt(self, user: User) -> bool:
        """Count one attempt, atomically, if the account may still try: not locked, and fewer than the
        maximum attempts counted since the last success or lock. False: refuse without a check."""
        now = timezone.now()
        return bool(
            User.objects.filter(pk=user.pk, failed_logins__lt=settings.LOCKOUT_FAILURES_MAXIMUM)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
            .update(failed_logins=F("failed_logins") + 1, locked_until=None)
        )

    def _lock_if_too_many(self, user: User) -> None:
        """A failed attempt stays counted; the one that finds the maximum reached locks the account."""
        until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
        locked = User.objects.filter(pk=user.pk, failed_logins__gte=settings.LOCKOUT_FAILURES_MAXIMUM).update(
            locked_until=until, failed_logins=0
        )
        if locked:
            record_audit(actor=user, action="user.locked", target=user, summary="too many failed sign-ins")
