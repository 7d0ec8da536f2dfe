"""Encryption of confidential fields at rest, and a keyed hash (blind index) to search them.

The key comes from `OPENCSE_FIELD_KEY` (a Fernet key: 32 url-safe base64 bytes). Without it, the
demo and the tests generate one once under `var/field.key`; production must set it (README). Two
sub-keys are derived from it, so that the index key cannot decrypt and the encryption key cannot
be used to test guesses against the index.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _master_key() -> bytes:
    configured = settings.OPENCSE_FIELD_KEY
    if configured:
        return configured.encode()
    path = Path(settings.VAR_DIR) / "field.key"
    if not path.exists():
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_bytes().strip()


def _derive(purpose: bytes) -> bytes:
    return hmac.new(base64.urlsafe_b64decode(_master_key()), purpose, hashlib.sha256).digest()


@cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"opencse-field-encryption")))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise AssertionError("a stored field does not decrypt with the configured OPENCSE_FIELD_KEY") from exc


def blind_index(plain: str) -> str:
    """A keyed hash of `plain`: equal inputs give equal indexes, and it reveals nothing without the key."""
    return hmac.new(_derive(b"opencse-blind-index"), plain.encode(), hashlib.sha256).hexdigest()
