"""Sign-in with lockout after repeated failures (settings.LOCKOUT_FAILURES_MAXIMUM)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
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
        if user.is_locked():
            record_audit(actor=user, action="user.signin_refused_locked", target=user)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        self._count_failure(user)
        return None

    def _count_failure(self, user: User) -> None:
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        if user.failed_logins >= settings.LOCKOUT_FAILURES_MAXIMUM:
            until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
            record_audit(actor=user, action="user.locked", target=user, summary="too many failed sign-ins")
