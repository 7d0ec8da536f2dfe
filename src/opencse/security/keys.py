"""Keys for the demo and the tests, and the check that production brings its own.

Without `OPENCSE_SECRET_KEY` the demo and the tests sign with a random key generated once under
`var/secret.key` (never a key published in the source). A server that uses a real database
(`DATABASE_URL` set) refuses to start without `OPENCSE_SECRET_KEY` and `OPENCSE_FIELD_KEY`: gunicorn
(`opencse.wsgi`), `opencse serve` and `opencse check --deploy` all call `require_production_keys`.
This module is imported by the settings, so it uses nothing but the standard library at import time.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any


def generated_key(path: Path) -> str:
    """The key stored at `path`, generated on first use. Parallel first uses (test workers) agree on one."""
    if not path.exists():
        draft = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)  # atomic: the first process to link wins
        draft.unlink()
    return path.read_text().strip()


def missing_production_keys() -> list[str]:
    """The keys a server on a real database lacks (an empty list for the demo on embedded SQLite)."""
    from django.conf import settings

    if not os.environ.get("DATABASE_URL"):
        return []
    missing = []
    if settings.SECRET_KEY_GENERATED:
        missing.append("OPENCSE_SECRET_KEY")
    if not settings.OPENCSE_FIELD_KEY:
        missing.append("OPENCSE_FIELD_KEY")
    return missing


def require_production_keys() -> None:
    """Refuse to serve a real database with keys generated for the demo."""
    from django.core.exceptions import ImproperlyConfigured

    missing = missing_production_keys()
    if missing:
        raise ImproperlyConfigured(
            f"DATABASE_URL is set but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not: "
            "a server on a real database needs its own keys (README: Configuration). "
            "Only the demo on the embedded SQLite database generates keys under var/."
        )


def check_production_keys(**kwargs: Any) -> list[Any]:
    """`opencse check --deploy`: the same refusal as a system check error."""
    from django.core.checks import Error

    missing = missing_production_keys()
    if not missing:
        return []
    return [Error(f"{', '.join(missing)} not set while DATABASE_URL is", id="opencse.E001")]
